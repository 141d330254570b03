"""Small security helpers used by settings."""


def axes_username(request, credentials) -> str:
    """The account a login attempt names, lower-cased, so "Ana@X.al" and "ana@x.al" count together."""
    source = credentials or getattr(request, "POST", {}) or {}
    return str(source.get("username") or "").strip().lower()
