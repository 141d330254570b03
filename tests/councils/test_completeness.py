"""A council's completeness under art. 4 (councils/completeness.py): the pure rule, the reading of
one council's composition and of every council's in two queries, and the warning on the council's
working page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils import completeness, selectors, services
from councils.models import Institution, Membership, Role
from tests.factories import council, give_role

ALL_ROLES = (Role.CHAIR, Role.SECRETARY, Role.SKN_MUNICIPALITY, Role.SKN_POLICE, Role.SKN_PROSECUTION)
LETTERS = "abcdefghijklmno"


def test_the_rule_names_each_missing_role_and_category_in_order():
    nothing = completeness.evaluate([], [])
    assert nothing.missing_roles == ALL_ROLES
    assert nothing.missing_categories == tuple(LETTERS)
    assert nothing.count == 5 + 15 and not nothing.complete
    some = completeness.evaluate([Role.CHAIR, Role.SKN_POLICE, Role.MEMBER], ["a", "c", "prefect", "other"])
    assert some.missing_roles == (Role.SECRETARY, Role.SKN_MUNICIPALITY, Role.SKN_PROSECUTION)
    assert some.missing_categories == tuple(c for c in LETTERS if c not in "ac")
    full = completeness.evaluate(ALL_ROLES, LETTERS)
    assert full.complete and full.count == 0 and full.warnings == []


def test_invited_categories_and_plain_members_never_count_as_missing_or_filling():
    assert "prefect" not in completeness.ART4_CATEGORIES
    assert "court" not in completeness.ART4_CATEGORIES and "other" not in completeness.ART4_CATEGORIES
    only_guests = completeness.evaluate([Role.GUEST, Role.MEMBER], ["prefect", "court", "other"])
    assert only_guests.missing_roles == ALL_ROLES
    assert len(only_guests.missing_categories) == 15


def test_the_warnings_read_in_the_readers_language():
    from django.utils import translation

    with translation.override("en"):
        warnings = completeness.evaluate([Role.CHAIR, Role.SECRETARY, *ALL_ROLES[2:]], LETTERS[:-1]).warnings
    assert warnings == ["No member institution in category (o) Educational institutions."]
    with translation.override("en"):
        assert completeness.evaluate(ALL_ROLES[1:], LETTERS).warnings == ["Nobody holds the role: chair."]


def _seat(the_council, category, name):
    institution = Institution.objects.create(name=name, category=category)
    services.seat_add(council=the_council, institution=institution)
    return institution


@pytest.mark.django_db
def test_a_councils_composition_and_every_councils_in_two_queries():
    elbasan, belsh = council("elbasan"), council("belsh")
    police = _seat(elbasan, "c", "Policia Elbasan")
    give_role(elbasan, Role.CHAIR, full_name="Kryetari")
    give_role(elbasan, Role.SKN_POLICE, institution=police, full_name="Polici")
    # An ended role no longer fills the seat.
    ended = give_role(
        elbasan, Role.SECRETARY, full_name="Sekretari", start_date=date.today() - timedelta(days=10)
    )
    services.membership_end(membership=ended, end_date=date.today())
    seats, memberships = selectors.composition(elbasan, public=False)
    with CaptureQueriesContext(connection) as none:
        one = completeness.of_composition(seats, memberships)
    assert len(none.captured_queries) == 0
    assert Role.SECRETARY in one.missing_roles and Role.CHAIR not in one.missing_roles
    assert Role.SKN_POLICE not in one.missing_roles
    assert "c" not in one.missing_categories
    with CaptureQueriesContext(connection) as few:
        every = completeness.for_councils([elbasan.pk, belsh.pk])
    assert len(few.captured_queries) == 2
    assert every[elbasan.pk] == one
    assert every[belsh.pk] == completeness.evaluate([], [])
    # More councils and more data: still two queries.
    for slug in ("librazhd", "peqin", "gramsh"):
        other = council(slug)
        give_role(other, Role.CHAIR, full_name=f"Kryetari {slug}")
        _seat(other, "f", f"Arsimi {slug}")
    from councils.models import Council

    with CaptureQueriesContext(connection) as many:
        every = completeness.for_councils(Council.objects.values_list("pk", flat=True))
    assert len(many.captured_queries) == 3  # the ids, then the same two
    assert len(every) == 61
    assert "f" not in every[council("gramsh").pk].missing_categories
    assert Membership.objects.filter(council=council("gramsh"), role=Role.CHAIR).exists()


@pytest.mark.django_db
def test_the_working_page_warns_of_what_the_council_lacks(client):
    from tests.factories import UserFactory

    elbasan = council("elbasan")
    chair = UserFactory(full_name="Gazmend Oketa")
    municipality = _seat(elbasan, "a", "Bashkia Elbasan")
    give_role(elbasan, Role.CHAIR, user=chair, institution=municipality)
    client.force_login(chair)
    client.cookies["kvsp_language"] = "en"
    page = client.get("/app/elbasan/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "The council&#x27;s composition is not complete" in text or "composition is not complete" in text
    warning = text[text.index('id="completeness-heading"') :]
    warning = warning[: warning.index("</section>")]
    assert "Technical secretary" in warning and "SKN, police seat" in warning
    assert "(d) District prosecution office" in warning and "(a) Municipality (mayor)" not in warning
    assert "Chair</li>" not in warning
    # Complete: no warning.
    for role, category in zip(ALL_ROLES[1:], "bcde", strict=True):
        give_role(elbasan, role, institution=_seat(elbasan, category, f"Inst {category}"))
    for category in LETTERS[5:]:
        _seat(elbasan, category, f"Inst {category}")
    assert 'id="completeness-heading"' not in client.get("/app/elbasan/").content.decode()
