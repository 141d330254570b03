"""Issue 21, finding 7: one upload limit, stated where it applies, and a request-body cap.

Evidence uploads accepted 20 MB while the form said 10 MB. Now one setting
(``DOCUMENT_MAX_BYTES``, 10 MB) is read by every validator and named in the help text, and a
request whose body is larger than that plus a margin is answered 413 with a clear page before any
of it is read: nothing reaches MEDIA_ROOT."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from councils.meetings.models import Document
from councils.models import Role
from kvsp.core.uploads import REQUEST_MARGIN_BYTES, archive_document_type, max_upload_bytes
from monitoring.forms import StatusUpdateForm
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n"
NEW_DOCUMENT = "/app/elbasan/documents/new/"


def _files_under(root) -> list[str]:
    return [os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names]


@pytest.fixture
def secretary_client(client):
    secretary = UserFactory()
    give_role(council("elbasan"), Role.SECRETARY, user=secretary)
    client.force_login(secretary)
    return client


def _post_document(client, size: int):
    upload = SimpleUploadedFile("skanim.pdf", PDF + b"0" * (size - len(PDF)), content_type="application/pdf")
    return client.post(NEW_DOCUMENT, {"title": "Skanim", "file": upload, "visibility": "council"})


def test_one_limit_of_ten_megabytes_for_every_upload(settings):
    assert settings.DOCUMENT_MAX_BYTES == max_upload_bytes() == 10 * 1024 * 1024
    # Evidence and archive documents go through archive_document_type: 10 MB, not 20.
    over = SimpleUploadedFile("e.pdf", PDF)
    over.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as refused:
        archive_document_type(over)
    assert refused.value.code == "too_large"


def test_the_evidence_form_states_the_limit_that_applies(settings):
    with translation.override("en"):
        assert f"up to {filesizeformat(10 * 1024 * 1024)}" in str(
            StatusUpdateForm().fields["evidence"].help_text
        )
        settings.DOCUMENT_MAX_BYTES = 4 * 1024 * 1024
        assert f"up to {filesizeformat(4 * 1024 * 1024)}" in str(
            StatusUpdateForm().fields["evidence"].help_text
        )


def test_a_body_over_the_cap_is_refused_before_anything_is_written(secretary_client, settings):
    settings.DOCUMENT_MAX_BYTES = 64 * 1024  # the test sends ~1.1 MB, not 11
    response = _post_document(secretary_client, max_upload_bytes() + REQUEST_MARGIN_BYTES + 1)
    assert response.status_code == 413
    assert "Skedari është shumë i madh" in response.text
    assert filesizeformat(max_upload_bytes()).replace("\xa0", " ") in response.text.replace("\xa0", " ")
    assert not Document.objects.exists()
    assert _files_under(settings.MEDIA_ROOT) == []


def test_a_file_over_the_limit_within_the_margin_gets_the_forms_message(secretary_client, settings):
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    response = _post_document(secretary_client, max_upload_bytes() + 1)
    assert response.status_code == 200
    assert "shumë i madh" in response.text  # "Skedari është shumë i madh (…). Kufiri është …"
    assert 'value="Skanim"' in response.text  # what was typed is kept
    assert not Document.objects.exists()
    assert _files_under(settings.MEDIA_ROOT) == []


def test_a_file_at_the_limit_is_accepted(secretary_client, settings):
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    response = _post_document(secretary_client, max_upload_bytes())
    assert response.status_code == 302
    assert Document.objects.get().size == max_upload_bytes()


def test_a_huge_anonymous_post_is_a_413_never_a_500(client, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = client.post(
        "/elbasan/concerns/new/", {"text": "x" * (REQUEST_MARGIN_BYTES + 2048), "category": "other"}
    )
    assert response.status_code == 413
    assert "Skedari është shumë i madh" in response.text


def test_a_declared_length_alone_is_enough_to_refuse(client, settings):
    # The body is never read: a client announcing a huge one is answered at once.
    response = client.generic(
        "POST",
        "/elbasan/concerns/new/",
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(max_upload_bytes() + REQUEST_MARGIN_BYTES + 1),
    )
    assert response.status_code == 413
