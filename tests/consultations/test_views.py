"""Pages of consultations and concerns: the public form, its abuse resistance, moderation through
the pages, and query counts that do not grow with the data."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import lifecycle, services
from consultations.models import Concern, Consultation, Problem
from councils.models import AdministrativeUnit
from kvsp.core import public_cache
from tests.builders import announce_consultation
from tests.conftest import require

pytestmark = pytest.mark.django_db

FORM = "/elbasan/concerns/new/"


def _form_data(**extra):
    return {"text": "Makinat kalojnë me shpejtësi para shkollës.", "category": "traffic", **extra}


@pytest.fixture
def announced(consultation):
    return announce_consultation(consultation)


# --- the public form ---------------------------------------------------------------------------


def test_a_citizen_submits_and_lands_on_the_code_page(client, elbasan, officers):
    announced = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=7), place="Shushicë"
    )
    announce_consultation(announced)
    unit = AdministrativeUnit.objects.get(municipality__slug="elbasan", name="Shushicë")
    response = client.post(FORM, _form_data(unit=unit.pk, neighbourhood="Lagjja 5 Maji"))
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/elbasan/concerns/{concern.code}/"
    assert concern.source == Concern.Source.ONLINE and concern.consultation == announced
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert concern.code in page.text and "Faleminderit. Shqetësimi juaj u mor." in page.text
    assert concern.text not in page.text  # not published yet: the text stays with the moderators


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_form_data(text=""), "Kjo fushë është e domosdoshme."),
        (_form_data(text="x" * 20_000), "5000"),
        (_form_data(category="not-a-category"), "Përzgjidhni një zgjedhje të vlefshme."),
        (_form_data(contact_email="not-an-address"), "adresë email të vlefshme"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_what_was_typed(client, elbasan, data, message):
    response = client.post(FORM, {**data, "neighbourhood": "Rruga Kozmai"})
    assert response.status_code == 200
    assert message in response.text
    assert "Rruga Kozmai" in response.text
    assert not Concern.objects.exists()


def test_a_unit_of_another_municipality_is_refused(client, elbasan):
    elsewhere = AdministrativeUnit.objects.filter(municipality__slug="belsh").first()
    response = client.post(FORM, _form_data(unit=elsewhere.pk))
    assert response.status_code == 200
    assert "Zgjidhni një njësi administrative të kësaj bashkie." in response.text
    assert not Concern.objects.exists()


def test_a_script_tag_is_stored_as_text_and_shown_inert(client, elbasan, consultation, officers):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(FORM, _form_data(text=f"Drogë te parku {payload}"))
    concern = Concern.objects.get()
    assert payload in concern.text
    client.force_login(officers["skn"])
    page = client.get(f"/app/elbasan/concerns/{concern.code}/")
    assert payload not in page.text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text


def test_the_honeypot_refuses_a_robot_and_keeps_nothing(client, elbasan):
    response = client.post(FORM, _form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "Lëreni bosh këtë fushë." in response.text
    assert not Concern.objects.exists()


def test_a_flood_gets_429_before_the_database_while_other_pages_answer(
    client, elbasan, settings, django_assert_num_queries
):
    settings.CONCERN_RATE_LIMIT = 3
    codes = [client.post(FORM, _form_data()).status_code for _ in range(3)]
    assert codes == [302, 302, 302]
    for _ in range(20):
        with django_assert_num_queries(0):
            response = client.post(FORM, _form_data())
        assert response.status_code == 429
    assert "Shumë dërgesa" in response.text and response["Retry-After"] == str(settings.CONCERN_RATE_WINDOW)
    assert Concern.objects.count() == 3
    for page in ("/", "/elbasan/", FORM, "/elbasan/consultations/"):
        assert client.get(page).status_code == 200
    # Another address is not affected.
    assert client.post(FORM, _form_data(), REMOTE_ADDR="10.1.2.3").status_code == 302


def test_the_limit_counts_the_address_the_proxy_saw(client, elbasan, settings):
    settings.CONCERN_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = client.post(FORM, _form_data(), HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = client.post(FORM, _form_data(), HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = client.post(FORM, _form_data(), HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert (first.status_code, second.status_code, other.status_code) == (302, 429, 302)


def test_without_a_cache_the_form_still_works(client, elbasan, settings, monkeypatch):
    from kvsp.core import ratelimit

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    monkeypatch.setattr(ratelimit.cache, "incr", broken)
    settings.CONCERN_RATE_LIMIT = 1
    assert [client.post(FORM, _form_data()).status_code for _ in range(3)] == [302, 302, 302]


def test_lookup_finds_a_code_typed_loosely_and_explains_a_wrong_one(client, elbasan):
    concern = services.concern_submit(council=elbasan, text="Zhurmë", category="other")
    loose = concern.code.lower().replace("-", " ")
    response = client.get("/elbasan/concerns/", {"code": loose})
    assert response.status_code == 302 and response["Location"] == f"/elbasan/concerns/{concern.code}/"
    wrong = client.get("/elbasan/concerns/", {"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 200 and "Asnjë shqetësim i këtij këshilli nuk ka këtë kod." in wrong.text
    # A code belongs to its council: Belsh does not answer for an Elbasan concern.
    assert client.get(f"/belsh/concerns/{concern.code}/").status_code == 404
    assert client.get("/belsh/concerns/", {"code": concern.code}).status_code == 200


def test_the_code_page_tells_the_outcome_and_nothing_private(client, elbasan, consultation, officers):
    concern = services.concern_submit(
        council=elbasan,
        consultation=consultation,
        text="Agim Hoxha shet drogë afër shkollës Naim Frashëri.",
        category="drugs_alcohol_youth",
        contact_email="agim.kontakt@example.al",
    )
    page = client.get(f"/elbasan/concerns/{concern.code}/").text
    assert "Agim Hoxha" not in page and "agim.kontakt" not in page
    services.concern_publish(
        concern=concern, public_text="Shitje droge afër një shkolle.", user=officers["skn"]
    )
    problem = services.problem_create(
        consultation=consultation, title="Droga te të rinjtë", concerns=[concern]
    )
    services.problem_assess(
        problem=problem,
        title="Droga te të rinjtë",
        intensity="high",
        institutions=[officers["police"]],
        outcome="in_plan",
    )
    announce_consultation(consultation)
    page = client.get(f"/elbasan/concerns/{concern.code}/").text
    assert "Shitje droge afër një shkolle." in page and "Droga te të rinjtë" in page
    assert "Në plan" in page or "në plan" in page
    assert "Agim Hoxha" not in page and "agim.kontakt" not in page


def test_a_merged_concern_shows_the_outcome_of_the_one_it_joined(client, elbasan, consultation, officers):
    target = services.concern_submit(council=elbasan, consultation=consultation, text="A", category="traffic")
    duplicate = services.concern_submit(
        council=elbasan, consultation=consultation, text="B", category="traffic"
    )
    services.concern_publish(concern=target, public_text="Shpejtësia te shkolla.", user=officers["skn"])
    services.concern_merge(concern=duplicate, into=target, user=officers["skn"])
    problem = services.problem_create(consultation=consultation, title="Siguria rrugore", concerns=[target])
    services.problem_assess(
        problem=problem, title="Siguria rrugore", outcome="referred", outcome_note="Drejtoria e Transportit"
    )
    page = client.get(f"/elbasan/concerns/{duplicate.code}/").text
    assert "Drejtoria e Transportit" in page and target.code not in page


def test_the_printable_form_is_an_a4_pdf_with_the_online_address(client, elbasan, tmp_path):
    response = client.get("/elbasan/concerns/form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    require(bool(shutil.which("pdftotext")), "pdftotext not found (apt-get install poppler-utils)")
    path = tmp_path / "form.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "/elbasan/concerns/new/" in text and "Formulari i shqetësimeve për qytetarët" in text
    assert "Shushicë" in text  # the municipality's units, to write on paper
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    assert client.get("/elbasan/concerns/form.pdf").content == response.content  # served from the cache


def test_draft_consultations_are_not_public(client, consultation):
    assert client.get(f"/elbasan/consultations/{consultation.pk}/").status_code == 404
    assert client.get(f"/elbasan/consultations/{consultation.pk}/concerns.csv").status_code == 404
    announce_consultation(consultation)
    assert client.get(f"/elbasan/consultations/{consultation.pk}/").status_code == 200
    assert client.get(f"/belsh/consultations/{consultation.pk}/").status_code == 404


def test_open_data_has_only_published_text_and_neutralised_formulas(client, elbasan, announced, officers):
    shown = services.concern_submit(
        council=elbasan, consultation=announced, text="=HYPERLINK(x)", category="other"
    )
    services.concern_publish(concern=shown, public_text="=HYPERLINK(x) te rruga", user=officers["skn"])
    services.concern_submit(council=elbasan, consultation=announced, text="I pamoderuar", category="other")
    csv_body = client.get(f"/elbasan/consultations/{announced.pk}/concerns.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(x) te rruga" in csv_body and "I pamoderuar" not in csv_body
    data = client.get(f"/elbasan/consultations/{announced.pk}/concerns.json").json()
    assert [row["text"] for row in data["concerns"]] == ["=HYPERLINK(x) te rruga"]
    assert "code" not in data["concerns"][0]


# --- staff pages -------------------------------------------------------------------------------


def test_moderation_through_the_pages(client, elbasan, consultation, officers):
    concern = services.concern_submit(
        council=elbasan, consultation=consultation, text="Ana rreh fëmijët.", category="other"
    )
    client.force_login(officers["secretary"])
    url = f"/app/elbasan/concerns/{concern.code}/"
    empty = client.post(url, {"action": "reject", "reject-reason": ""})
    assert empty.status_code == 200 and "Kjo fushë është e domosdoshme." in empty.text
    bad_merge = client.post(url, {"action": "merge", "merge-into": "ZZZZ-ZZZZ"})
    assert "Asnjë shqetësim tjetër i këtij këshilli nuk ka këtë kod." in bad_merge.text
    nothing = client.post(url, {"action": "delete-everything"})
    assert nothing.status_code == 302
    published = client.post(
        url, {"action": "publish", "publish-public_text": "Dhunë ndaj fëmijëve në lagje."}
    )
    assert published.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.PUBLISHED and concern.redacted
    assert concern.moderated_by == officers["secretary"]
    forgotten = client.post(url + "forget/")
    assert forgotten.status_code == 302
    concern.refresh_from_db()
    assert concern.text == "" and concern.public_text == "Dhunë ndaj fëmijëve në lagje."


def test_the_secretary_enters_oral_concerns_one_after_another(client, consultation, officers):
    client.force_login(officers["secretary"])
    url = f"/app/elbasan/consultations/{consultation.pk}/concerns/new/"
    response = client.post(url, {"source": "paper", "text": "Ndriçim i dobët", "category": "other"})
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == url + "?source=paper"
    assert concern.source == "paper" and concern.entered_by == officers["secretary"]
    assert concern.consultation == consultation
    again = client.get(response["Location"])
    assert concern.code in again.text
    assert 'value="paper" selected' in again.text


def test_grouping_and_assessing_through_the_pages(client, elbasan, consultation, officers):
    concern = services.concern_submit(
        council=elbasan, consultation=consultation, text="Drogë", category="hotspots"
    )
    client.force_login(officers["skn"])
    url = f"/app/elbasan/consultations/{consultation.pk}/priorities/"
    unnamed = client.post(url, {"concerns": [concern.pk], "title": ""})
    assert "Emërtoni problematikën e re ose zgjidhni një ekzistuese." in unnamed.text
    created = client.post(url, {"concerns": [concern.pk], "title": "Zonat e nxehta"})
    problem = Problem.objects.get()
    assert created["Location"] == f"{url}{problem.pk}/"
    incomplete = client.post(
        created["Location"],
        {"title": "Zonat e nxehta", "category": problem.category_id, "outcome": "in_plan"},
    )
    assert incomplete.status_code == 200
    assert (
        "Vlerësoni intensitetin e rrezikut para se ta zgjidhni problematikën për planin." in incomplete.text
    )
    saved = client.post(
        created["Location"],
        {
            "title": "Zonat e nxehta",
            "intensity": "high",
            "category": problem.category_id,  # proposed from its concern, required in the form
            "reasons": "Raste të përsëritura",
            "institutions": [officers["police"].pk],
            "outcome": "in_plan",
            "remove": [concern.pk],
        },
    )
    assert saved.status_code == 302
    problem.refresh_from_db()
    concern.refresh_from_db()
    assert problem.outcome == "in_plan" and problem.intensity == "high" and concern.problem is None


def test_the_consultation_workflow_through_the_pages(client, elbasan, officers):
    client.force_login(officers["secretary"])
    form = {
        "title": "Takimi i pranverës",
        "starts_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Shkolla 9-vjeçare Shushicë",
        "co_leads": [officers["municipality"].pk, officers["police"].pk],
        "mayor_name": "Gazmend Oketa",
        "police_chief_name": "Arben Hysa",
        "prosecutor_name": "Fatmir Lleshi",
        "agenda": "Siguria\nDroga",
    }
    bad = client.post("/app/elbasan/consultations/new/", {**form, "starts_at": "9999-01-01T10:00"})
    assert bad.status_code == 200 and "Shkolla 9-vjeçare Shushicë" in bad.text
    created = client.post("/app/elbasan/consultations/new/", form)
    consultation = Consultation.objects.get()
    assert created["Location"] == f"/app/elbasan/consultations/{consultation.pk}/"
    assert (consultation.mayor_name, consultation.prosecutor_name) == ("Gazmend Oketa", "Fatmir Lleshi")
    # The SKN agrees the agenda first: until then the announcement is refused, nothing changes.
    assert client.post(created["Location"] + "announce/").status_code == 200
    assert client.post(created["Location"] + "agenda/send/").status_code == 302
    client.force_login(officers["skn"])
    assert client.post(created["Location"] + "agenda/agree/").status_code == 302
    client.force_login(officers["secretary"])
    assert client.post(created["Location"] + "announce/").status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "announced" and consultation.agenda_agreed_by == officers["skn"]
    again = client.post(created["Location"] + "announce/", follow=True)
    assert "Njoftohet vetëm një konsultim në përgatitje." in again.text
    counts = {f"{group}_{column}": 0 for group in ("youth",) for column in ("women", "men", "unspecified")}
    negative = client.post(created["Location"] + "participation/", {**counts, "youth_women": "-3"})
    assert negative.status_code == 200 and consultation.participation.count() == 0
    recorded = client.post(created["Location"] + "participation/", {"youth_women": "7", "youth_men": "5"})
    assert recorded.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "held" and consultation.participation.get(group="youth").total == 12
    cancel = client.post(created["Location"] + "cancel/", {"reason": "Gabim"}, follow=True)
    assert "Një konsultim i mbajtur nuk mund të anulohet." in cancel.text


# --- query counts ------------------------------------------------------------------------------


def _fill(elbasan, consultation, officers, n):
    for i in range(n):
        concern = services.concern_submit(
            council=elbasan,
            consultation=consultation,
            text=f"Shqetësimi {i}",
            category="traffic",
            contact_phone="06",
        )
        services.concern_publish(concern=concern, public_text=f"Publike {i}", user=officers["skn"])
        problem = services.problem_create(consultation=consultation, title=f"Problem {i}", concerns=[concern])
        services.problem_assess(
            problem=problem,
            title=f"Problem {i}",
            intensity="high",
            institutions=[officers["police"], officers["municipality"]],
            outcome="in_plan",
        )


def _queries(client, url) -> int:
    public_cache.bump()  # a render's queries, not the public page cache's (none)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/elbasan/consultations/{pk}/"),
        (None, "/elbasan/consultations/"),
        (None, "/elbasan/consultations/{pk}/concerns.json"),
        (None, "/elbasan/"),
        ("secretary", "/app/elbasan/consultations/"),
        ("secretary", "/app/elbasan/consultations/{pk}/"),
        ("secretary", "/app/elbasan/concerns/?status=published"),
        ("skn", "/app/elbasan/consultations/{pk}/priorities/"),
    ],
)
def test_pages_use_a_fixed_number_of_queries(client, elbasan, announced, officers, who, url):
    if who:
        client.force_login(officers[who])
    url = url.format(pk=announced.pk)
    _fill(elbasan, announced, officers, 2)
    client.get(url)  # the first request of a session stamps it (kvsp.core.middleware): not counted
    few = _queries(client, url)
    _fill(elbasan, announced, officers, 10)
    assert _queries(client, url) == few


def test_long_text_is_never_cut_by_the_browser_and_line_breaks_count_once(client, elbasan):
    page = client.get(FORM).text
    assert "maxlength" not in page.split('name="text"')[1].split(">")[0]
    response = client.post(FORM, _form_data(text="rresht\r\n" * 700))  # 5,600 sent, 4,900 kept
    assert response.status_code == 302
    stored = Concern.objects.get().text
    assert "\r" not in stored and len(stored) == 7 * 700 - 1


@pytest.mark.parametrize("value", [str(10**30), "-1", "1e5", "x"])
def test_impossible_ids_are_a_form_error_not_a_500(client, elbasan, consultation, officers, value):
    response = client.post(FORM, _form_data(unit=value))
    assert response.status_code == 200 and not Concern.objects.exists()
    client.force_login(officers["skn"])
    url = f"/app/elbasan/consultations/{consultation.pk}/priorities/"
    assert client.post(url, {"concerns": [value], "title": "P"}).status_code == 200
    assert client.post(url, {"concerns": [], "problem": value}).status_code == 200
