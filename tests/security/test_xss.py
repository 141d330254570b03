"""XSS (SECURITY.md row 6, ASVS 1.2/1.3): a payload corpus in every text field of the project's
models, every uploaded file name and the minutes' rich text renders inert.

The fields come from the app registry, so a new CharField/TextField is covered the day it is added:
it either gets the corpus (and must then be shown on some page) or is listed in SKIP with a reason.
The objects and the addresses are the authorization matrix's (tests/authz/matrix.py, matrix_ctx.py); each
page a viewer may GET there is fetched as the platform admin, the technical secretary and anonymous,
and parsed: no <script> that is not one of our own files, no on* attribute, no javascript: URL, and
no template expression evaluated (the project has no inline script at all, CSP nonces aside).
"""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from councils.meetings.services import clean_minutes
from tests.security.pages import (
    SKIP,
    VIEWERS,
    client_for,
    covered_fields,
    get_rows,
    live_script,
    row_path,
    text_fields,
    write_corpus,
)

# The module shares the matrix's objects (ctx): it runs among the database tests, before
# the transactional ones flush the reference data.
pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}",
    '{% now "Y" %}',
    "'-alert(1)-'",
]


def test_every_text_field_is_covered_or_skipped_with_a_reason():
    labels = {label for label, _model, _field in text_fields()}
    assert labels, "no text field found: the app filter is wrong"
    assert sorted(set(SKIP) - labels) == [], "SKIP names fields that no longer exist"
    assert all(reason.strip() for reason in SKIP.values())
    uncovered = [
        label
        for label, _model, field in text_fields()
        if label not in SKIP and not field.choices and label not in {c[1] for c in covered_fields()}
    ]
    assert uncovered == []
    # Address fields get the corpus after https:// (pages.write_corpus): a new one must be written
    # only through a service that refuses other schemes, with a test as for this one.
    assert [label for label, _m, f in text_fields() if isinstance(f, models.URLField)] == [
        "plans.Publication.url"
    ]
    # The corpus reaches the models of every project app that has text.
    assert {label.split(".")[0] for _n, label, _m, _f in covered_fields()} >= {
        "core",
        "councils",
        "meetings",
        "consultations",
        "plans",
        "monitoring",
    }


# A template expression evaluated: "49~3:17~" or "2026~3:17~" instead of "{{7*7}}~3:17~".
EVALUATED = re.compile(r"\d~\d+:\d+~")
BINARY = ("application/pdf", "application/vnd", "image/", "application/octet-stream")


def sweep(ctx, viewers: dict, payload: str) -> tuple[list[str], str]:
    """GET every matrix page each viewer may see; what is live, and all the text seen."""
    problems, seen = [], []
    for viewer, client in viewers.items():
        for key, row in get_rows().items():
            if row.get[viewer] != 200:
                continue
            path = row_path(row, ctx)
            response = client.get(path)
            content_type = response.get("Content-Type", "")
            if response.status_code >= 500:
                problems.append(f"{viewer} {key} {path}: {response.status_code}")
            if response.status_code != 200 or content_type.startswith(BINARY):
                continue
            body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(
                "utf-8", "replace"
            )
            seen.append(body)
            if "html" in content_type:
                found = live_script(body, admin=path.startswith("/admin/"))
                problems += [f"{viewer} {key} {path}: {what}" for what in found]
            if "{" in payload and EVALUATED.search(body):
                problems.append(f"{viewer} {key} {path}: evaluated {EVALUATED.search(body).group()}")
    return problems, "\n".join(seen)


def rows_the_matrix_lacks(ctx, viewers: dict) -> None:
    """Objects the matrix has no need of but whose text is shown: a rejected concern, a returned
    report, returned minutes, a decision, answers to invitations, attendance by a deputy, a
    correction of minutes, an indicator value, a published copy of the plan, a compliance comment,
    and a notification of each viewer (the corpus is written over them afterwards)."""
    from datetime import date

    from consultations import services as consultations
    from councils.meetings import services as meetings
    from councils.meetings.models import Amendment, Attendance, Invitation, Meeting
    from councils.models import Council, Person
    from kvsp.core.models import User
    from kvsp.notify.models import Notification
    from monitoring import services as monitoring
    from monitoring.models import MonthlyReport
    from monitoring.reminder_kinds import Reminder
    from plans import services as plans
    from plans.models import Indicator, PlanVersion

    meeting = Meeting.objects.get(pk=ctx["own"].meeting)
    the_council = meeting.council
    author = User.objects.filter(is_superuser=False).first()
    concern = consultations.concern_submit(
        council=the_council,
        consultation=meeting.council.consultations.get(pk=ctx["own"].consultation),
        text="Tekst",
        category="other",
    )
    consultations.concern_reject(concern=concern, reason="Arsye", user=author)
    monitoring.report_return(
        report=MonthlyReport.objects.get(council=the_council, year=2026, month=2), comment="Koment"
    )
    meetings.decision_add(meeting=meeting, text="Vendim")
    meetings.minutes_submit(minutes=meeting.minutes, user=author)
    meetings.minutes_return(minutes=meeting.minutes, user=author, comment="Koment")
    seat = the_council.seats.first()
    person = Person.objects.create(full_name="Person", position="Pozicion", institution=seat.institution)
    Invitation.objects.create(meeting=meeting, person=person, response="deputy", deputy_name="Zv")
    Attendance.objects.create(
        meeting=meeting,
        person=person,
        institution=seat.institution,
        status="represented",
        represented_by="Zv",
    )
    Amendment.objects.create(minutes=meeting.minutes, text="Korrigjim", author=author)
    approved = PlanVersion.objects.get(plan__council=the_council, number=1)
    indicator = Indicator.objects.filter(activity__problem__version=approved).first()
    monitoring.value_record(indicator=indicator, user=author, period="2026-Q1", value=3, note="Shënim")
    plans.publication_record(
        plan=approved.plan,
        institution=seat.institution,
        url="https://bashkia.example.al/plani",
        published_on=date(2026, 2, 1),
    )
    monitoring.compliance_comment_save(council=the_council, year=2026, text="Koment", user=author)
    for client in viewers.values():
        if "_auth_user_id" in client.session:
            Notification.objects.create(
                user_id=client.session["_auth_user_id"],
                kind=Reminder.REPORT_DUE,
                key=f"x:{client}",
                title="Njoftim",
                body="Trupi",
                url="/app/",
            )
    assert Council.objects.filter(pk=the_council.pk).exists()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_corpus_in_every_text_field_renders_inert(payload, db, ctx):
    viewers = {viewer: client_for(viewer, Client(raise_request_exception=False)) for viewer in VIEWERS}
    rows_the_matrix_lacks(ctx, viewers)
    tags = write_corpus(payload, covered_fields())
    problems, seen = sweep(ctx, viewers, payload)
    assert problems == []
    not_shown = sorted(label for marker, label in tags.items() if marker not in seen)
    assert not_shown == [], "shown on no page: give it a page in the matrix or a reason in SKIP"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_minutes_rich_text(payload):
    cleaned = clean_minutes(f"{payload}\n\nParagrafi i dytë {payload}")
    assert live_script(cleaned) == []
    assert "<script" not in cleaned and "<img" not in cleaned and "<svg" not in cleaned
    assert cleaned.startswith("<p>")


PDF = b"%PDF-1.4 procesverbal\n%%EOF\n"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_uploaded_file_name_and_title_render_inert(payload, db, ctx, client):
    own = ctx["own"]
    client = client_for("secretary", client)
    upload = SimpleUploadedFile(f"{payload}.pdf", PDF, content_type="text/html")
    response = client.post(
        own.path("documents/new/"),
        {"title": payload, "file": upload, "visibility": "council", "meeting": own.meeting},
    )
    assert response.status_code == 302, response.content[:2000]
    from councils.meetings.models import Document

    document = Document.objects.latest("pk")
    assert document.title == payload
    archive = own.path("documents/")
    for page in (archive, own.path(f"meetings/{own.meeting}/"), f"{archive}?q={quote(payload)}"):
        html = client.get(page).content.decode()
        assert live_script(html) == [], page
    download = client.get(own.path(f"documents/{document.pk}/"))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert re.fullmatch(r'attachment; filename="[a-z0-9_-]+\.pdf"', disposition), disposition
    assert download["Content-Type"] == "application/pdf"
    # The stored name keeps nothing of the payload that a path or a page could trip on.
    assert not set(document.file.name) & set("<>\"'{}\\")


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//x"]
)
def test_an_address_field_takes_only_web_addresses(address, db, ctx):
    """The one URLField people type (where an institution published the plan) is written by
    plans.services.publication_record only, which takes http(s) addresses only."""
    from django.core.exceptions import ValidationError

    from plans import services as plans
    from plans.models import PlanVersion

    approved = PlanVersion.objects.get(plan__council__municipality__slug="elbasan", number=1)
    with pytest.raises(ValidationError):
        plans.publication_record(
            plan=approved.plan,
            institution=approved.plan.council.seats.first().institution,
            url=address,
            published_on=approved.plan.versions.first().created_at.date(),
        )
