"""Shared by the security tests: the authorization matrix's objects and addresses (tests/authz), an
HTML check for live script, and the principals who see the most."""

from html.parser import HTMLParser

from django.apps import apps
from django.db import connection, models
from django.db.models.functions import Cast, Concat

from tests.authz.matrix import MATRIX
from tests.authz.matrix_ctx import login_as
from tests.authz.matrix_lib import ADMIN, ANON, SECRETARY, Row

# Who looks at the pages: the platform admin (the admin and most council pages), the technical
# secretary (moderation and the original wording, which not even the admin sees) and anonymous.
VIEWERS = (ADMIN, SECRETARY, ANON)


def row_path(row: Row, ctx: dict) -> str:
    return row.path(ctx) if callable(row.path) else row.path


def get_rows() -> dict[str, Row]:
    """Every matrix row that some principal may GET (the matrix says so by hand)."""
    return {key: row for key, row in sorted(MATRIX.items()) if 200 in row.get.values()}


def client_for(principal, client):
    return login_as(principal, client)


class LiveScript(HTMLParser):
    """Collects what a browser would run: <script> elements (the project has no inline script and
    loads its own from /static/), on* attributes, and javascript:/vbscript:/data:text/html URLs in
    href, src, action, formaction, xlink:href."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"}

    def __init__(self, admin: bool = False):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.inline: list[str] | None = None
        self.admin = admin

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            src = attributes.get("src")
            if src is None:
                self.inline = []  # judged at its end tag, by what it holds
            elif not (src.startswith("/") and not src.startswith("//")):
                self.found.append(f"<script src={src!r}>")
        if tag in {"iframe", "object", "embed", "base"}:  # none is in a template
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRIBUTES and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.inline is not None:
            self.inline.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.inline is not None:
            text = "".join(self.inline)
            # Our templates have no inline script; Django's and django-celery-beat's admin pages
            # have a few of their own (the CSP refuses them). One holding a payload is live.
            if not self.admin or "alert(" in text or "~" in text:
                self.found.append(f"<script>{text[:80]}</script>")
            self.inline = None


def live_script(html: str, *, admin: bool = False) -> list[str]:
    """What in ``html`` would run; ``admin``: a page of /admin/ (see LiveScript.handle_endtag)."""
    parser = LiveScript(admin)
    parser.feed(html)
    parser.close()
    return parser.found


def _without_triggers():
    """Approved plan versions, status updates and approved reports are frozen by triggers; the
    corpus is written under them (the test's transaction is rolled back afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')


def _triggers_back():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")


def tag(number: int) -> str:
    return f"~{number}:"


def write_corpus(payload: str, fields) -> dict[str, str]:
    """Every covered field of every row becomes ``payload~<field number>:<pk>~`` (unique per row,
    so unique fields take it too; cut to the field's length if need be). Returns tag → label."""
    tags = {}
    _without_triggers()
    try:
        for number, label, model, field in fields:
            # An address field only ever holds http(s) addresses (its service refuses others:
            # tests/security/test_xss.py::test_an_address_field_takes_only_web_addresses); the
            # corpus follows the scheme.
            prefix = "https://x.example/?" if isinstance(field, models.URLField) else ""
            room = (field.max_length or 10_000) - len(prefix) - len(tag(number)) - 8
            value = Concat(
                models.Value(prefix + payload[:room] + tag(number)),
                Cast("pk", output_field=models.CharField()),
                models.Value("~"),
                output_field=models.TextField(),
            )
            model._base_manager.update(**{field.attname: value})
            tags[tag(number)] = label
    finally:
        _triggers_back()
    return tags


# --- the text fields that get a payload (test_xss.py, test_exports.py) ---------------------------

PROJECT_APPS = {"councils", "councils.meetings", "plans", "consultations", "monitoring"}

# Fields that get no payload: not shown anywhere, or not free text. A choice field is never free
# text (forms only offer its choices), so choice fields are left out by rule, below.
SKIP = {
    "core.User.password": "a password hash, never shown",
    "councils.County.slug": "a slug, part of addresses",
    "councils.Municipality.slug": "a slug, part of addresses",
    "consultations.Concern.code": "a generated code, part of addresses",
    "meetings.CalendarFeed.token": "a secret token, part of a calendar address",
    "meetings.Document.content_type": "set from the file's content (uploads.sniff), not typed",
    "meetings.Document.search_text": "derived from the title for searching, never shown",
    "meetings.Minutes.body": "HTML made by clean_minutes from Minutes.source: test_minutes_rich_text",
    "monitoring.StatusUpdate.evidence_type": "set from the file's content, not typed",
    "monitoring.MonthlyReport.sha256": "a hash of the signed copy",
    "consultations.ProblemCategory.name_en": "the national category's English name, typed by the "
    "platform admin and shown only on English pages (this test reads them in Albanian)",
    "monitoring.AnnualReport.returned_comment": "shown only while an annual report is returned, which the "
    "matrix's reports never are",
    "plans.PlanFile.sha256": "a hash of a generated file",
    "plans.PlanFile.language": "a language code set by the export task",
    "consultations.ConcernContact.language": "a language code set from the request",
    "plans.PlanComment.code": "a generated code, part of addresses",
    "plans.PlanComment.row_number": "ten characters, copied from the commented row's number",
    "plans.PlanCommentContact.email": "a citizen's address, shown on no page (the e-mail's recipient only)",
    "plans.PlanCommentContact.language": "a language code set from the request",
    "portal.Subscription.email": "a follower's address, shown on no page (the e-mail's recipient only)",
    "portal.Subscription.language": "a language code set from the request",
    "portal.Subscription.token": "a generated secret, part of the unsubscribe address",
    "plans.PlanProblem.number": "ten characters, checked against the n.n pattern by its form",
    "monitoring.IndicatorValue.period": "ten characters, a period code such as 2026-Q1 built by the form",
    "notify.Notification.key": "an internal de-duplication key",
    "notify.OutboxMessage.key": "an internal de-duplication key",
    "notify.SentLog.key": "an internal de-duplication key",
    "notify.Notification.url": "never shown; followed only if on this site (test_redirects.py)",
    "consultations.Concern.status_reason": "kept for the record, shown on no page (no template uses it)",
    "plans.Actor.key": "derived from the name for matching (no case, accents or spaces), never shown",
    "meetings.Specialist.email": "where the invitation goes, shown on no page (the e-mail's recipient only)",
}


def _is_project_app(config) -> bool:
    return config.name.startswith("kvsp.") or config.name in PROJECT_APPS


def text_fields():
    """(label, model, field) for every CharField/TextField of the project's own models."""
    for config in apps.get_app_configs():
        if not _is_project_app(config):
            continue
        for model in config.get_models():
            if any(field.name == "history_id" for field in model._meta.fields):
                continue  # django-simple-history's copy of a model
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField):
                    yield f"{config.label}.{model.__name__}.{field.name}", model, field


def covered_fields():
    return [
        (number, label, model, field)
        for number, (label, model, field) in enumerate(text_fields())
        if label not in SKIP and not field.choices
    ]
