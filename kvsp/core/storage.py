"""What a storage failure looks like, whichever storage holds the files (README "Past one machine").

The file system raises OSError; the S3 storage (django-storages, boto3) raises botocore's errors,
which are not OSErrors. Code that retries or tolerates a storage outage catches ``STORAGE_ERRORS``.
"""

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover - django-storages[s3] is a dependency, but stay importable
    STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError,)
else:
    STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
