"""Open consultations, citizens\x27 concerns and their prioritisation (issue 4)."""
