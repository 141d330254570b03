"""The user guide: /help/ and one page per role, public, in Albanian and in English (per-language
templates, falling back to Albanian), the "Help" link on every page and, on a council's staff
pages, to the guide of the person's role there."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from councils.models import Municipality, Role
from kvsp.portal.help_views import ROLES, role_guide_template
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


def sq(message: str) -> str:
    with translation.override("sq"):
        return gettext(message)


def link(href: str) -> str:
    return f'<a class="nav-link" href="{href}">{sq("Help")}</a>'


# A sentence of each guide, in each language: the page shows the text of the active language.
OPENINGS = {
    "sekretari": (
        "Sekretari teknik është punonjës i bashkisë",
        "The technical secretary is a municipal employee",
    ),
    "skn": (
        "Sekretariati Koordinues Ndërinstitucional (SKN) ka tre anëtarë",
        "The coordinating secretariat (SKN) has three",
    ),
    "kryetari": ("Kryetari (kryetari i bashkisë", "The chair (the mayor"),
    "qytetari": ("Nuk ju nevojitet llogari.", "You need no account."),
    "vezhguesi": ("Vëzhguesi kombëtar lexon punën", "The national observer reads"),
}


def test_every_role_has_a_guide_in_both_languages():
    assert set(OPENINGS) == set(ROLES)


def test_the_index_lists_every_role(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/help/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="h3">{sq("User guide")}</h1>' in html
    for slug in ROLES:
        assert f'href="/help/{slug}/"' in html


@pytest.mark.parametrize("role", sorted(OPENINGS))
def test_each_role_page_is_in_albanian_by_default_and_in_english_when_chosen(
    client, role, django_assert_max_num_queries
):
    albanian, english = OPENINGS[role]
    with django_assert_max_num_queries(0):
        response = client.get(f"/help/{role}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sq">' in html and albanian in html and english not in html
    assert "vjetor" in html  # every guide walks through the yearly cycle

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/help/{role}/").content.decode()
    assert '<html lang="en">' in html and english in html and albanian not in html
    assert "yearly cycle" in html and "User guide:" in html


def test_an_unknown_role_is_a_404(client):
    assert client.get("/help/nobody/").status_code == 404


def test_a_language_without_its_own_guide_falls_back_to_albanian():
    with translation.override("de"):
        assert role_guide_template("skn") == "help/sq/skn.html"
    with translation.override("en"):
        assert role_guide_template("skn") == "help/en/skn.html"


def test_the_guide_only_reads(client):
    assert client.post("/help/").status_code == 405
    assert client.post("/help/skn/").status_code == 405


def test_help_can_never_be_a_municipality(reference_data):
    county = Municipality.objects.first().county
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(name="Test help", slug="help", county=county)


def test_the_link_is_on_a_public_page(client):
    html = client.get("/").content.decode()
    assert link("/help/") in html


@pytest.mark.parametrize(
    ("role", "guide"),
    [(Role.CHAIR, "kryetari"), (Role.SECRETARY, "sekretari"), (Role.SKN_POLICE, "skn"), (Role.MEMBER, None)],
)
def test_on_a_staff_page_the_link_goes_to_the_guide_of_one_s_role(client, reference_data, role, guide):
    elbasan = council("elbasan")
    person = UserFactory()
    give_role(elbasan, role, user=person)
    client.force_login(person)
    html = client.get("/app/elbasan/").content.decode()
    href = f"/help/{guide}/" if guide else "/help/"
    assert link(href) in html
    # Outside the council's pages, the index.
    assert link("/help/") in client.get("/").content.decode()


def test_the_national_observer_is_sent_to_the_observer_s_guide(client, reference_data):
    observer = UserFactory(is_national_observer=True)
    client.force_login(observer)
    html = client.get("/app/elbasan/").content.decode()
    assert link("/help/vezhguesi/") in html


def test_the_link_adds_no_query_to_a_staff_page(client, reference_data, django_assert_num_queries):
    """The tag reads the roles the page already loaded: the page costs the same with it."""
    from django.template import Context, Template

    elbasan = council("elbasan")
    person = UserFactory()
    give_role(elbasan, Role.CHAIR, user=person)
    from councils.predicates import council_roles

    council_roles(person)  # what the page's permission check does

    class Request:
        path = "/app/elbasan/"

    with django_assert_num_queries(0):
        html = Template("{% load kvsp_help %}{% help_url %}").render(
            Context({"request": Request(), "user": person, "council": elbasan})
        )
    assert html == "/help/kryetari/"
