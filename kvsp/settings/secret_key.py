"""Secret keys that are public, and so no secret: the one list production checks against.

A key is refused when it equals one of the known placeholders (docker-compose's old default, the
examples in the README and in the settings for development and tests) or contains a word that only
a placeholder would (``change-me``, ``insecure``, ``placeholder``...). Compared case-insensitively.
"""

KNOWN_PLACEHOLDER_KEYS = frozenset(
    {
        # docker-compose.yml's default until issue 21 (public in the repository's history).
        "change-me-this-placeholder-is-public-set-django_secret_key-in-production",
        # kvsp/settings/dev.py and kvsp/settings/test.py.
        "dev-only-insecure-key-do-not-use-in-production",
        "test-only-key-not-secret",
    }
)

PLACEHOLDER_WORDS = (
    "change-me",
    "changeme",
    "change_me",
    "insecure",
    "placeholder",
    "not-secret",
    "not_secret",
    "do-not-use",
    "your-secret",
    "secret-key-here",
    "example",
)

MIN_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign production sessions, or None when it may."""
    if not key or len(key) < MIN_LENGTH:
        return f"Set DJANGO_SECRET_KEY to a random string of at least {MIN_LENGTH} characters."
    folded = key.strip().lower()
    if folded in KNOWN_PLACEHOLDER_KEYS or any(word in folded for word in PLACEHOLDER_WORDS):
        return (
            "DJANGO_SECRET_KEY is a published placeholder, not a secret: set it to your own random "
            'string, e.g. python3 -c "import secrets; print(secrets.token_urlsafe(64))".'
        )
    return None
