"""The plans tests' fixtures (tests/fixtures/plans.py); test_import.py and test_exports.py keep
people of their own."""

from tests.fixtures.plans import approved, draft, elbasan, meeting, officers, selected  # noqa: F401
