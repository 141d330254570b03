"""Past one machine: with KVSP_S3_BUCKET the files live in an S3-compatible bucket (moto's server,
on loopback) and go through the storage API only. A council document uploaded and downloaded
through the real views, a published plan's PDF and an approved monthly report's PDF and signed
scan are stored as private objects in the bucket and served from it, and nothing is written under
MEDIA_ROOT. The production settings themselves (a subprocess with the environment set) choose the
S3 storage, the Redis cache and the database sessions: backends every web process shares."""

# ruff: noqa: F811 (the plan tests' fixtures, imported by name)

import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from councils.meetings.models import Document  # noqa: E402
from monitoring import services as monitoring_services  # noqa: E402
from plans import services as plan_services  # noqa: E402
from plans.models import PlanFile  # noqa: E402
from plans.tasks import render_plan_files_task  # noqa: E402
from tests.builders import approve, fill  # noqa: E402
from tests.fixtures.plans import elbasan, meeting, officers  # noqa: E402, F401 (fixtures)

BUCKET = "kvsp-test"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    """A fresh bucket, the default storage pointing at it (override_settings resets the storages
    and default_storage), and an empty MEDIA_ROOT that must stay empty."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                # As kvsp/settings/base.py sets them for KVSP_S3_BUCKET (checked below).
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))


def _keys(client) -> dict[str, bytes]:
    return {
        item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }


def _private(client, key) -> bool:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)


@pytest.mark.django_db
def test_a_council_document_goes_up_and_down_through_the_bucket(client, bucket, elbasan, officers):
    content = b"%PDF-1.7 the minutes, scanned " + os.urandom(64)
    client.force_login(officers["secretary"])
    response = client.post(
        "/app/elbasan/documents/new/",
        {
            "title": "Procesverbali i mbledhjes",
            "file": SimpleUploadedFile("procesverbali.pdf", content),
            "visibility": "council",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert type(document.file.storage._wrapped).__name__ == "S3Storage"
    stored = _keys(bucket)
    assert stored == {document.file.name: content} and document.file.name.startswith("documents/")
    assert _private(bucket, document.file.name)
    # Never a public address: the storage's URL is a signed, expiring one (and no page uses it).
    assert "X-Amz-Signature=" in document.file.url and "X-Amz-Expires=300" in document.file.url

    client.force_login(officers["member"])
    download = client.get(f"/app/elbasan/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content

    # An upload of the same name is a second object, not a replacement of the first.
    client.force_login(officers["secretary"])
    client.post(
        "/app/elbasan/documents/new/",
        {"title": "Tjetër", "file": SimpleUploadedFile("procesverbali.pdf", PDF), "visibility": "council"},
    )
    assert len(_keys(bucket)) == 2 and _keys(bucket)[document.file.name] == content

    # A row whose object is gone is a 404, not a server error.
    bucket.delete_object(Bucket=BUCKET, Key=document.file.name)
    client.force_login(officers["member"])
    assert client.get(f"/app/elbasan/documents/{document.pk}/").status_code == 404


@pytest.mark.django_db
def test_generated_pdfs_are_stored_in_and_served_from_the_bucket(client, bucket, elbasan, officers, meeting):
    year = timezone.localdate().year
    version = plan_services.plan_start(council=elbasan, year=year)
    fill(version, officers, 2)
    version = approve(version, officers, meeting)
    render_plan_files_task.delay(version.pk)  # Celery, eager in the tests
    files = {f.language: f for f in PlanFile.objects.filter(version=version, kind=PlanFile.Kind.PDF)}
    assert set(files) == {"sq", "en"}
    stored = _keys(bucket)
    for plan_file in files.values():
        assert hashlib.sha256(stored[plan_file.file.name]).hexdigest() == plan_file.sha256
        assert plan_file.file.name.startswith("plans/files/") and _private(bucket, plan_file.file.name)
    response = client.get(f"/elbasan/plan/{year}/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == files["sq"].sha256

    # The monthly report: approved with its signed scan, its PDF rendered and stored in the bucket.
    today = timezone.localdate()
    activity = version.problems.order_by("position").first().activities.order_by("position").first()
    monitoring_services.update_record(
        activity=activity, user=officers["skn"], status="in_progress", progress=40, date=today
    )
    # Last month's: a report is approved once its month is over.
    last = today.replace(day=1) - timedelta(days=1)
    report = monitoring_services.report_start(council=elbasan, year=last.year, month=last.month)
    monitoring_services.report_update(report=report, summary="Përmbledhja.", difficulties="", proposals="")
    monitoring_services.report_submit(report=report, user=officers["skn"])
    report = monitoring_services.report_approve(
        report=report, user=officers["chair"], signed_scan=SimpleUploadedFile("nenshkruar.pdf", PDF)
    )
    stored = _keys(bucket)
    assert report.pdf.name.startswith("monitoring/reports/") and report.signed_scan.name in stored
    assert hashlib.sha256(stored[report.pdf.name]).hexdigest() == report.sha256
    assert stored[report.signed_scan.name] == PDF

    client.force_login(officers["member"])
    base = f"/app/elbasan/monitoring/reports/{last.year}/{last.month}/"
    pdf = client.get(base + "report.pdf")
    assert pdf.status_code == 200
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == report.sha256
    signed = client.get(base + "signed.pdf")
    assert signed.status_code == 200 and b"".join(signed.streaming_content) == PDF


@pytest.mark.django_db
def test_backup_and_restore_refuse_a_bucket(bucket, tmp_path):
    for command in ("backup", "restore"):
        with pytest.raises(CommandError, match="provider's own tools"):
            call_command(command, str(tmp_path / "backup"), verbosity=0)
    assert not (tmp_path / "backup").exists()


# --- the production settings, as several web processes read them ----------------------------------


def _production_settings(**environment) -> dict:
    code = (
        "import json, django.conf as c; s = c.settings; "
        "print(json.dumps({'STORAGES': s.STORAGES, 'CACHES': s.CACHES, "
        "'SESSION_ENGINE': s.SESSION_ENGINE, 'CELERY_BROKER_URL': s.CELERY_BROKER_URL}))"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "DJANGO_SETTINGS_MODULE": "kvsp.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://kvsp@db.invalid:5432/kvsp",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        "DJANGO_ALLOWED_HOSTS": "kvsp.example.al",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_with_a_bucket_uses_private_s3_and_shared_cache_and_sessions():
    chosen = _production_settings(
        KVSP_S3_BUCKET="kvsp-files",
        KVSP_S3_ENDPOINT_URL="https://s3.example.al",
        KVSP_S3_REGION="eu-central-1",
    )
    default = chosen["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "kvsp-files" and options["endpoint_url"] == "https://s3.example.al"
    assert options["region_name"] == "eu-central-1"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["file_overwrite"] is False and options["signature_version"] == "s3v4"
    assert "access_key" not in options  # boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
    assert chosen["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")
    # Every web process and worker sees the same cache (Redis), the same sessions (the database:
    # django.contrib.sessions.backends.db) and the same broker: none is per-process or per-machine.
    # Redis, behind the circuit breaker (kvsp/core/resilient_cache.py).
    assert chosen["CACHES"]["default"]["BACKEND"] == "kvsp.core.resilient_cache.ResilientRedisCache"
    assert chosen["CACHES"]["default"]["LOCATION"] == "redis://redis.invalid:6379/0"
    assert chosen["SESSION_ENGINE"] in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    )
    assert chosen["CELERY_BROKER_URL"] == "redis://redis.invalid:6379/0"


def test_production_without_a_bucket_keeps_the_file_system():
    chosen = _production_settings()
    assert chosen["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
