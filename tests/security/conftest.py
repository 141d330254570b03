"""The authorization matrix's objects (``ctx``: both councils with a meeting, documents, a
consultation, a plan and its monitoring) serve the security tests too, built once per module.
Its media folder replaces the per-test one for the module (tests/authz/matrix_ctx.py)."""

from tests.authz.matrix_ctx import _media_in_tmp, ctx, matrix_media  # noqa: F401 (fixtures)
