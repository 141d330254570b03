"""Councils, institutions, memberships and meetings (issues 2-3)."""
