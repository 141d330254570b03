"""The published plan at its public addresses: which version each address shows (drafts never),
the page's content and cache (per version and language, failing open), its files, the link card,
the record of where member institutions published it, and the consultation page's "what we did"."""

# ruff: noqa: F811 (the fixtures of tests/fixtures/plan_files.py, imported by name)

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from kvsp.portal import plan_views
from plans import approval, services
from plans.models import PlanFile, Publication
from tests.builders import (
    YEAR,
    announce_consultation,
    approve_by_decision,
    approve_plan,
    fill_version,
    published_plan,
)
from tests.fixtures.plan_files import people, published  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PAGE = "/elbasan/plan/2026/"


def _queries(client, url, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured), response.text


# --- addresses ----------------------------------------------------------------------------------


def test_the_plan_address_redirects_to_the_newest_year(client, people):
    assert client.get("/elbasan/plan/").status_code == 404  # nothing published yet
    published_plan(people, year=2025, problems=1, activities=1)
    published_plan(people, year=2026, problems=1, activities=1)
    services.plan_start(council=people["council"], year=2027)  # a draft year does not count
    response = client.get("/elbasan/plan/")
    assert response.status_code == 302 and response["Location"] == "/elbasan/plan/2026/"
    assert client.get("/belsh/plan/").status_code == 404


def test_drafts_and_submitted_versions_are_never_public(client, people, published):
    draft = services.version_revise(version=published, note="Pas konsultimit të vjeshtës")
    services.problem_update(problem=draft.problems.first(), title="Titull i ri i pamiratuar")
    for url in (
        "/elbasan/plan/2026/v2/",
        "/elbasan/plan/2026/v2/plan.pdf",
        "/elbasan/plan/2026/v2/plan.json",
    ):
        assert client.get(url).status_code == 404, url
    approval.version_submit(version=draft, user=people["secretary"])
    assert client.get("/elbasan/plan/2026/v2/").status_code == 404
    page = client.get(PAGE)
    assert page.status_code == 200 and "Titull i ri i pamiratuar" not in page.text
    assert client.get("/elbasan/plan/2026/v3/").status_code == 404
    # A year with only a draft has no public page.
    services.plan_start(council=people["council"], year=2027)
    assert client.get("/elbasan/plan/2027/").status_code == 404
    assert client.get("/elbasan/plan/2027/card/").status_code == 404


def test_another_councils_slug_does_not_show_the_plan(client, published):
    for url in (
        "/belsh/plan/2026/",
        "/belsh/plan/2026/v1/",
        "/belsh/plan/2026/plan.csv",
        "/belsh/plan/2026/card/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/no-such-town/plan/2026/").status_code == 404


def test_the_year_shows_the_newest_approved_version_and_older_ones_stay(client, people, published):
    draft = services.version_revise(version=published, note="Rishikuar pas konsultimit")
    services.problem_update(problem=draft.problems.first(), title="Droga: titulli i rishikuar")
    approve_plan(draft, people)
    newest = client.get(PAGE).text
    assert "Droga: titulli i rishikuar" in newest and "/elbasan/plan/2026/v2/" in newest
    old = client.get("/elbasan/plan/2026/v1/").text
    assert "Droga: titulli i rishikuar" not in old
    assert 'href="/elbasan/plan/2026/v2/"' in old  # the newer version is announced and in the history
    assert "Rishikuar pas konsultimit" in old  # each version's note in the history
    assert old.count('href="/elbasan/plan/2026/v') >= 2
    assert json.loads(client.get("/elbasan/plan/2026/plan.json").content)["version"] == 2
    assert json.loads(client.get("/elbasan/plan/2026/v1/plan.json").content)["version"] == 1


# --- the page -----------------------------------------------------------------------------------


def test_the_page_is_laid_out_like_table_1(client, people, published):
    Publication.objects.all().delete()
    services.publication_record(
        plan=published.plan,
        institution=people["police"],
        url="https://asp.gov.al/plani-kvsp-elbasan",
        published_on=timezone.localdate(),
    )
    page = client.get(PAGE).text
    problem = published.problems.order_by("position").first()
    activity = problem.activities.order_by("position").first()
    indicator = activity.indicators.get()
    for text in (
        problem.number,
        problem.title,
        problem.statistics,
        problem.statistics_source,
        problem.provenance,
        problem.get_priority_display().capitalize(),
        f"{problem.number}.1",
        activity.text,
        indicator.name,
        "0 → 10",
        indicator.get_frequency_display(),
        str(activity.deadline),
        "Drejtoria Vendore e Policisë Elbasan",
        "Bashkia Elbasan",
        gettext("%(decision)s, dated %(date)s")
        % {"decision": published.decision.label, "date": published.decision_date.strftime("%d.%m.%Y")},
    ):
        assert text in page, text
    assert f'id="row-{problem.lineage}"' in page
    assert '<th scope="col">' in page and 'scope="rowgroup"' in page
    assert f'href="/elbasan/meetings/{published.meeting_id}/"' in page  # the approving meeting
    for kind in ("pdf", "csv", "json", "docx"):
        assert f'href="/elbasan/plan/2026/v1/plan.{kind}"' in page
    assert 'href="https://asp.gov.al/plani-kvsp-elbasan" rel="noopener nofollow"' in page
    assert "csrfmiddlewaretoken" not in page and "nonce" not in page


def test_text_from_the_plan_is_shown_inert(client, people):
    version = services.plan_start(council=people["council"], year=2026)
    row = services.problem_add(
        version=version, number="1.1", title='<script>alert("x")</script>', priority="high"
    )
    services.activity_add(
        problem=row, text="<img src=x onerror=alert(1)>", lead=people["police"], deadline_kind="all_year"
    )
    approve_plan(version, people)
    for url in (PAGE, "/elbasan/plan/2026/card/"):
        page = client.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in client.get(PAGE).text


def test_the_page_is_cached_per_version_and_language(client, people, published, settings):
    """The view's own cache (what signed-in visitors and the middleware's misses use)."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST_PATH]
    first, sq_page = _queries(client, PAGE)
    cached, again = _queries(client, PAGE)
    assert first > cached == 1  # one query finds the version; the body comes from the cache
    assert again == sq_page
    english, en_page = _queries(client, PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert english == first and 'lang="en"' in en_page and "Version history" in en_page
    assert _queries(client, PAGE, HTTP_ACCEPT_LANGUAGE="en")[0] == 1
    client.cookies["kvsp_language"] = "en"
    assert _queries(client, PAGE)[0] == 1
    # The permanent address of the same version shares the cached body.
    assert _queries(client, "/elbasan/plan/2026/v1/")[0] == 1


def test_a_new_publication_shows_at_once_despite_the_cache(client, people, published, settings):
    """Through the view's cache at once (the anonymous fast path may lag by its FRESH_SECONDS)."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != FAST_PATH]
    client.get(PAGE)
    services.publication_record(
        plan=published.plan,
        institution=people["prosecution"],
        url="https://pp.gov.al/plani",
        published_on=timezone.localdate(),
    )
    assert "https://pp.gov.al/plani" in client.get(PAGE).text


def test_a_cache_outage_still_serves_the_page_and_files(client, published, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(plan_views.cache, "get", broken)
    monkeypatch.setattr(plan_views.cache, "set", broken)
    page = client.get(PAGE)
    assert page.status_code == 200 and published.problems.first().title in page.text
    for kind in ("csv", "json", "docx"):
        assert client.get(f"{PAGE}plan.{kind}").status_code == 200, kind


@pytest.mark.parametrize("url", [PAGE, f"{PAGE}plan.json", f"{PAGE}plan.csv", "/elbasan/plan/2026/card/"])
def test_queries_do_not_grow_with_the_plan(client, people, url):
    from django.core.cache import cache

    small = services.plan_start(council=people["council"], year=2026)
    fill_version(small, people, problems=1, activities=1)
    approve_plan(small, people)
    client.get(url)
    cache.clear()
    few, _page = _queries(client, url)
    big = services.version_revise(version=small)
    fill_version(big, people, problems=8, activities=4, first_number=2)
    approve_plan(big, people)
    cache.clear()
    many, page = _queries(client, url)
    assert many == few
    if url == PAGE:
        assert "1.9.4" in page  # the big version is the one shown


# --- files --------------------------------------------------------------------------------------


def test_the_pdf_is_the_stored_file_in_the_visitors_language(client, published):
    from plans.tasks import render_plan_files_task

    render_plan_files_task(published.pk)
    stored = {f.language: f for f in PlanFile.objects.filter(version=published)}
    response = client.get(f"{PAGE}plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == stored["sq"].sha256
    assert 'filename="plani-elbasan-2026-v1.pdf"' in response["Content-Disposition"]
    english = client.get("/elbasan/plan/2026/v1/plan.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert hashlib.sha256(b"".join(english.streaming_content)).hexdigest() == stored["en"].sha256


def test_a_pdf_not_made_yet_is_made_and_stored_on_the_first_request(client, published):
    assert not PlanFile.objects.exists()  # no worker ran (the approval's task waits for a commit)
    response = client.get(f"{PAGE}plan.pdf")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF")
    assert PlanFile.objects.filter(version=published).count() == 2
    again = client.get(f"{PAGE}plan.pdf")
    assert b"".join(again.streaming_content) == body and PlanFile.objects.count() == 2


def test_csv_json_and_docx_are_served_as_files(client, published):
    csv_response = client.get(f"{PAGE}plan.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.content.startswith("\ufeff".encode())
    assert csv_response["Content-Disposition"] == 'attachment; filename="plani-elbasan-2026-v1.csv"'
    data = client.get("/elbasan/plan/2026/v1/plan.json").json()
    assert data["format"] == "kvsp.plan/1" and len(data["problems"]) == 3
    docx = client.get(f"{PAGE}plan.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.post(f"{PAGE}plan.csv").status_code == 405


# --- the link card ------------------------------------------------------------------------------


def test_the_link_card_is_plain_html_pointing_at_the_permanent_address(client, settings, published):
    settings.SITE_URL = "https://kvsp.gov.al"
    page = client.get("/elbasan/plan/2026/card/").text
    code = page.split("<code>")[1].split("</code>")[0]
    assert "&lt;a href=&quot;https://kvsp.gov.al/elbasan/plan/2026/v1/&quot;&gt;" in code
    assert "<a " not in code  # escaped: shown, not rendered
    assert "iframe" not in code and "script" not in code and "style=" not in code
    preview = page.split("<code>")[1].split("</pre>")[1]
    assert '<a href="https://kvsp.gov.al/elbasan/plan/2026/v1/">' in preview


# --- the record of publications (staff) ----------------------------------------------------------

PUBLICATIONS = "/app/elbasan/plans/2026/publications/"


def test_the_council_reads_the_record_and_the_secretary_adds_and_corrects(client, people, published):
    client.force_login(people["member"])
    page = client.get(PUBLICATIONS)
    assert page.status_code == 200 and "Drejtoria Vendore e Policisë Elbasan" in page.text
    assert 'name="url"' not in page.text  # a member reads, does not record
    assert client.post(PUBLICATIONS, {}).status_code == 403
    client.force_login(people["secretary"])
    data = {
        "institution": people["police"].pk,
        "url": "https://asp.gov.al/plani",
        "published_on": timezone.localdate().isoformat(),
    }
    response = client.post(PUBLICATIONS, data)
    assert response.status_code == 302 and response["Location"] == PUBLICATIONS
    client.post(PUBLICATIONS, {**data, "url": "https://asp.gov.al/plani-2026"})
    entry = Publication.objects.get()
    assert entry.url == "https://asp.gov.al/plani-2026" and entry.institution == people["police"]
    prefilled = client.get(PUBLICATIONS, {"institution": people["police"].pk}).text
    assert 'value="https://asp.gov.al/plani-2026"' in prefilled
    assert "https://asp.gov.al/plani-2026" in client.get(PAGE).text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "javascript:alert(1)"),
        ("url", "not an address"),
        ("published_on", "31.02.2026"),
        ("published_on", "FUTURE"),
        ("institution", "99999999999999999999999"),
    ],
)
def test_bad_input_is_a_form_error_and_what_was_typed_stays(client, people, published, field, value):
    client.force_login(people["skn"])
    if value == "FUTURE":
        value = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = {
        "institution": people["police"].pk,
        "url": "https://asp.gov.al/Rruga-Typed",
        "published_on": timezone.localdate().isoformat(),
        field: value,
    }
    response = client.post(PUBLICATIONS, data)
    assert response.status_code == 200 and "is-invalid" in response.text
    if field != "url":
        assert "https://asp.gov.al/Rruga-Typed" in response.text
    assert not Publication.objects.exists()


def test_an_institution_not_on_the_council_or_a_plan_not_approved_is_refused(client, people):
    from tests.factories import InstitutionFactory

    version = services.plan_start(council=people["council"], year=2026)
    client.force_login(people["secretary"])
    data = {
        "institution": people["police"].pk,
        "url": "https://asp.gov.al/plani",
        "published_on": timezone.localdate().isoformat(),
    }
    response = client.post(PUBLICATIONS, data)
    assert response.status_code == 200 and not Publication.objects.exists()  # nothing approved yet
    fill_version(version, people, problems=1, activities=1)
    approve_plan(version, people)
    outsider = InstitutionFactory()
    response = client.post(PUBLICATIONS, {**data, "institution": outsider.pk})
    assert response.status_code == 200 and not Publication.objects.exists()
    assert client.get("/app/elbasan/plans/2031/publications/").status_code == 404


# --- the consultation's "what we did" ------------------------------------------------------------


def test_the_consultation_page_shows_the_plan_row_each_problem_became(client, people):
    consultation = announce_consultation(
        consultation_lifecycle.consultation_create(
            council=people["council"], starts_at=timezone.now() - timedelta(days=5), place="Shushicë"
        )
    )
    concern = consultation_services.concern_submit(
        council=people["council"], consultation=consultation, text="Drogë te parku", category="hotspots"
    )
    consultation_services.concern_publish(concern=concern, public_text="Drogë te parku", user=people["skn"])
    taken = consultation_services.problem_create(
        consultation=consultation, title="Droga te parku", concerns=[concern]
    )
    taken = consultation_services.problem_assess(
        problem=taken,
        title="Droga te parku",
        intensity="high",
        institutions=[people["police"]],
        outcome="in_plan",
    )
    version = services.plan_start(council=people["council"], year=2026)
    fill_version(version, people, problems=1, activities=1)
    (row,) = services.problems_pull(version=version, problems=[taken])
    services.activity_add(
        problem=row, text="Patrullim te parku", lead=people["police"], deadline_kind="all_year"
    )
    url = f"/elbasan/consultations/{consultation.pk}/"
    assert f"#row-{row.lineage}" not in client.get(url).text  # a draft is not shown
    approve_plan(version, people)
    page = client.get(url).text
    assert f'href="/elbasan/plan/2026/v1/#row-{row.lineage}"' in page
    assert f"{row.number} Droga te parku" in page
    # After a revision is approved, the link follows the newest version containing the row.
    revised = services.version_revise(version=version)
    approve_plan(revised, people)
    assert f'href="/elbasan/plan/2026/v2/#row-{row.lineage}"' in client.get(url).text


# --- the fast path for anonymous visitors (PlanPageCacheMiddleware) ------------------------------

FAST_PATH = "kvsp.portal.plan_views.PlanPageCacheMiddleware"


def test_the_fast_path_is_installed_where_it_belongs(settings):
    # Right after WhiteNoise and the database-outage guard (a 503 rather than a 500), before any
    # middleware that reads the session or the database.
    middleware = list(settings.MIDDLEWARE)
    after = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert middleware[after + 1 : after + 3] == ["kvsp.core.middleware.DatabaseOutageMiddleware", FAST_PATH]


@pytest.fixture
def fast_path(settings):
    """The middleware where it belongs: right after WhiteNoise."""
    middleware = [m for m in settings.MIDDLEWARE if m != FAST_PATH]
    middleware.insert(middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, FAST_PATH)
    settings.MIDDLEWARE = middleware
    plan_views.fresh_pages.clear()
    yield
    plan_views.fresh_pages.clear()


def test_anonymous_visitors_get_the_page_without_touching_the_database(client, published, fast_path):
    first = client.get(PAGE)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(PAGE)
    assert len(captured) == 0 and again.status_code == 200
    assert again.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Content-Type"):
        assert again[header] == first[header], header
    english_queries, english = _queries(client, PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert english_queries > 1 and 'lang="en"' in english
    assert _queries(client, PAGE, HTTP_ACCEPT_LANGUAGE="en")[0] == 0
    assert 'lang="sq"' in client.get(PAGE).text


def test_signed_in_people_go_the_whole_way(client, people, published, fast_path):
    client.get(PAGE)
    client.force_login(people["member"])
    client.get(PAGE)
    queries, page = _queries(client, PAGE)
    assert queries > 0 and people["member"].get_short_name() in page


def test_the_fast_path_notices_a_change_once_its_short_window_passes(
    client, people, published, fast_path, monkeypatch
):
    client.get(PAGE)
    services.publication_record(
        plan=published.plan,
        institution=people["police"],
        url="https://asp.gov.al/plani",
        published_on=timezone.localdate(),
    )
    # Within the window an anonymous visitor may still get the page as it was a moment ago ...
    assert client.get(PAGE).status_code == 200
    # ... and once it passes, the stamp (one query) finds the change.
    monkeypatch.setattr(plan_views, "FRESH_SECONDS", -1)
    from django.core.cache import cache

    cache.delete(f"kvsp:plan-response:{plan_views.PAGE_REVISION}:{PAGE}:sq")
    queries, page = _queries(client, PAGE)
    assert "https://asp.gov.al/plani" in page and queries > 1
    assert _queries(client, PAGE)[0] == 1  # the page itself came from the cache


def test_the_fast_path_keeps_drafts_out_and_fails_open(client, published, fast_path, monkeypatch):
    services.version_revise(version=published)
    assert client.get("/elbasan/plan/2026/v2/").status_code == 404
    assert client.get("/belsh/plan/2026/").status_code == 404
    assert client.post(PAGE).status_code == 405

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(plan_views.cache, "get", broken)
    monkeypatch.setattr(plan_views.cache, "set", broken)
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200


def test_the_process_memory_keeps_few_pages_and_forgets_them(monkeypatch):
    store = plan_views._FreshPages(size=2)
    store.set("a", ("A",))
    store.set("b", ("B",))
    store.set("c", ("C",))
    assert store.get("a") is None and store.get("c") == ("C",)
    monkeypatch.setattr(plan_views, "FRESH_SECONDS", -1)
    store.set("d", ("D",))
    assert store.get("d") is None


def test_the_fast_path_honours_allowed_hosts(client, approved, settings):
    from kvsp.portal import plan_views

    plan_views.fresh_pages.clear()
    page = f"/elbasan/plan/{YEAR}/"
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200  # now from the fast path
    assert client.get(page, HTTP_HOST="evil.example").status_code == 400
    plan_views.fresh_pages.clear()


def test_while_one_request_makes_the_pdf_others_are_asked_to_come_back(client, approved):
    cache.add(f"kvsp:plan-pdf-render:{approved.pk}", 1, timeout=60)
    response = client.get(f"/elbasan/plan/{YEAR}/plan.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    cache.delete(f"kvsp:plan-pdf-render:{approved.pk}")
    response = client.get(f"/elbasan/plan/{YEAR}/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_signed_decision_is_public_once_approved(client, draft, officers, meeting):
    from django.core.files.base import ContentFile

    url = f"/elbasan/plan/{YEAR}/v1/decision.pdf"
    assert client.get(url).status_code == 404  # a draft has nothing public
    approve_by_decision(
        draft,
        chair=officers["chair"],
        meeting=meeting,
        submitted_by=officers["skn"],
        signed_scan=ContentFile(b"%PDF-1.4 vendimi i nenshkruar", name="vendimi.pdf"),
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 vendimi i nenshkruar"
    assert url in client.get(f"/elbasan/plan/{YEAR}/v1/").text
    assert client.get(f"/belsh/plan/{YEAR}/v1/decision.pdf").status_code == 404


def test_without_a_signed_scan_there_is_no_decision_file(client, approved):
    assert client.get(f"/elbasan/plan/{YEAR}/v1/decision.pdf").status_code == 404
    assert "decision.pdf" not in client.get(f"/elbasan/plan/{YEAR}/v1/").text
