"""Uploads (SECURITY.md row 10): validate_pdf's size cap (the one upload limit,
settings.DOCUMENT_MAX_BYTES, read through kvsp/core/uploads.py max_upload_bytes), used by the
signed scans of plans and reports and by council regulations."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kvsp.core import uploads
from kvsp.core.uploads import max_upload_bytes, validate_pdf

MAX_UPLOAD_BYTES = settings.DOCUMENT_MAX_BYTES

# The module shares the matrix's objects (ctx): it runs among the database tests, before
# the transactional ones flush the reference data.
pytestmark = pytest.mark.django_db

PDF_HEAD = b"%PDF-1.4\n"


class Sized(SimpleUploadedFile):
    """A PDF that says it has ``size`` bytes without holding them all in memory."""

    def __init__(self, size: int):
        super().__init__("scan.pdf", PDF_HEAD + b"0" * 64, content_type="application/pdf")
        self.size = size


def test_the_cap_is_ten_megabytes():
    assert MAX_UPLOAD_BYTES == max_upload_bytes() == 10 * 1024 * 1024


@pytest.mark.parametrize("size", [1, MAX_UPLOAD_BYTES - 1, MAX_UPLOAD_BYTES])
def test_a_pdf_up_to_the_cap_is_accepted(size):
    validate_pdf(Sized(size))


@pytest.mark.parametrize("size", [MAX_UPLOAD_BYTES + 1, 50 * MAX_UPLOAD_BYTES])
def test_a_pdf_over_the_cap_is_refused_with_the_limit_named(size):
    with pytest.raises(ValidationError) as refused:
        validate_pdf(Sized(size))
    assert refused.value.code == "too_large"
    assert "10" in str(refused.value.params["limit"])


def test_a_real_file_one_byte_over_the_cap_is_refused():
    upload = SimpleUploadedFile("big.pdf", PDF_HEAD + b"0" * (MAX_UPLOAD_BYTES + 1 - len(PDF_HEAD)))
    assert upload.size == MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError) as refused:
        validate_pdf(upload)
    assert refused.value.code == "too_large"


def test_the_size_is_checked_before_the_content(monkeypatch):
    """A huge upload is refused on its size alone, without its bytes being read."""
    monkeypatch.setattr(uploads, "_content_type", lambda upload: pytest.fail("content read"))
    with pytest.raises(ValidationError):
        validate_pdf(Sized(MAX_UPLOAD_BYTES + 1))


def test_a_stored_file_is_not_checked_again():
    stored = Sized(MAX_UPLOAD_BYTES + 1)
    stored._committed = True
    validate_pdf(stored)
