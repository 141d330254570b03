"""The archive: types judged by content, visibility per document, search that ignores accents."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.meetings import services
from councils.meetings.models import Document
from councils.models import Role
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


def _zip(entries: dict[str, bytes], name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def _add(the_council, title, upload, visibility="council", meeting=None):
    return services.document_add(
        council=the_council,
        title=title,
        file=upload,
        visibility=visibility,
        uploaded_by=UserFactory(),
        meeting=meeting,
    )


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.7 ..."), "application/pdf"),
        (SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n...."), "image/png"),
        (SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0...."), "image/jpeg"),
        (
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}, "a.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}, "a.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"}, "a.odt"),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content(upload, content_type):
    assert _add(council("elbasan"), "Dokument", upload).content_type == content_type


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("rregullorja.pdf", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("vizatim.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        _zip({"random.txt": b"x"}, "fake.docx"),
        SimpleUploadedFile("program.exe", b"MZ\x90\x00"),
    ],
)
def test_other_files_are_refused_whatever_their_name(upload):
    with pytest.raises(ValidationError):
        _add(council("elbasan"), "Dokument", upload)
    assert not Document.objects.exists()


def test_the_size_limit_comes_from_settings(settings):
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="shumë i madh"):
        _add(council("elbasan"), "I madh", SimpleUploadedFile("a.pdf", b"%PDF-1.7 " + b"x" * 20))


def test_visibility_per_document(client):
    elbasan = council("elbasan")
    meeting = services.meeting_create(council=elbasan, kind="skn", starts_at=timezone.now(), place="x")
    public = _add(elbasan, "Plani", SimpleUploadedFile("p.pdf", b"%PDF-1 p"), visibility="public")
    council_only = _add(elbasan, "Raporti", SimpleUploadedFile("r.pdf", b"%PDF-1 r"))
    participants = _add(
        elbasan,
        "Analiza",
        SimpleUploadedFile("a.pdf", b"%PDF-1 a"),
        visibility="participants",
        meeting=meeting,
    )
    member, guest, skn = UserFactory(), UserFactory(), UserFactory()
    give_role(elbasan, Role.MEMBER, user=member)
    give_role(elbasan, Role.GUEST, user=guest)
    give_role(elbasan, Role.SKN_POLICE, user=skn)
    observer = UserFactory(is_national_observer=True)
    expected = {  # public, council, participants
        member: (True, True, False),
        guest: (True, False, False),
        skn: (True, True, True),
        observer: (True, True, False),
    }
    for user, answers in expected.items():
        assert (
            tuple(user.has_perm("meetings.view_document", d) for d in (public, council_only, participants))
            == answers
        )
    # Anyone downloads a public document from its public address, as an attachment; others are 404.
    response = client.get(f"/elbasan/documents/{public.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert client.get(f"/elbasan/documents/{council_only.pk}/").status_code == 404
    assert client.get(f"/belsh/documents/{public.pk}/").status_code == 404


def test_archive_search_ignores_accents_and_finds_word_beginnings(client):
    elbasan = council("elbasan")
    _add(elbasan, "Plani shumaktorial i Kuçovës", SimpleUploadedFile("p.pdf", b"%PDF-1 p"))
    _add(elbasan, "Raporti i monitorimit, mars", SimpleUploadedFile("r.pdf", b"%PDF-1 r"))
    secretary = UserFactory()
    give_role(elbasan, Role.SECRETARY, user=secretary)
    client.force_login(secretary)

    def titles(query):
        response = client.get("/app/elbasan/documents/", {"q": query})
        return [d.title for d in response.context["documents"]]

    assert titles("kucoves") == ["Plani shumaktorial i Kuçovës"]
    assert titles("plan") == ["Plani shumaktorial i Kuçovës"]
    assert titles("monitorimit mars") == ["Raporti i monitorimit, mars"]
    assert titles("'; drop table --") == []
    assert len(titles("")) == 2


def test_an_office_file_that_unpacks_to_a_lot_is_not_read_whole():
    import tracemalloc

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"0" * 50_000_000)
    upload = SimpleUploadedFile("bomb.odt", buffer.getvalue())
    tracemalloc.start()
    with pytest.raises(ValidationError):
        _add(council("elbasan"), "Bomba", upload)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10_000_000
