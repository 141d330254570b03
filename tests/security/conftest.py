"""The authorization matrix's objects (``ctx``: both councils with a meeting, documents, a
consultation, a plan and its monitoring) serve the security tests too, built once per module.
Its media folder replaces the per-test one for the module (tests/authz/test_matrix.py)."""

from tests.authz.test_matrix import _media_in_tmp, ctx, matrix_media  # noqa: F401 (fixtures)
