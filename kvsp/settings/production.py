"""Production: debug off, a secret key required from the environment, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env
from .secret_key import secret_key_problem

DEBUG = False
# Missing, short or a known public placeholder (the list lives in secret_key.py): refuse to start.
if problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(problem)

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# Two-factor authentication for officers and admins (kvsp/core/twofactor/).
KVSP_REQUIRE_2FA = env.bool("KVSP_REQUIRE_2FA", default=True)
