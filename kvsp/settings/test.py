"""The test suite: the same settings as production in spirit, with fast hashing and local mail."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "test-media"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_BROKER_URL = CELERY_BROKER_URL
# The suite runs with two-factor enforcement on; tests/fixtures/accounts.py makes force_login verified.
KVSP_REQUIRE_2FA = True
# The Redis circuit breaker (kvsp/core/breaker.py) is off in the suite: tests restart their private
# Redis and publish at once. The tests of the breaker set their own period.
KVSP_REDIS_BREAKER_SECONDS = 0
