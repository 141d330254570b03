"""The national overview answers "who fails what" (issue 24 item 4): "any check" in a state with no
check chosen, the councils not yet established folded into one line (``?all=1`` shows them), each
line naming the checks it fails and what its composition lacks, the one link to the councils failing
a check, the observer's menu, and a query count that stays the same whatever the data. Today is
15 July 2026 (tests/monitoring/conftest.py ``clock``)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.meetings import services as meeting_services
from councils.models import Council, Role
from kvsp.portal import compliance_tables as tables
from tests.factories import UserFactory, council, give_role

TIRANE = ZoneInfo("Europe/Tirane")


def _held(the_council, kind, month, day=20):
    when = datetime(2026, month, day, 10, 0, tzinfo=TIRANE)
    meeting = meeting_services.meeting_create(council=the_council, kind=kind, starts_at=when, place="Salla")
    return meeting_services.attendance_record(meeting=meeting, entries=[])


@pytest.fixture
def councils(clock, db):
    """Elbasan (established): council meetings in March and July, SKN meetings every month but
    April: fails the monthly SKN meetings. Belsh (established): an SKN meeting in January only:
    fails them too. Librazhd (established) recorded nothing. Peqin is not established but held an
    SKN meeting in January: it fails, and is not folded. The other 57 are folded."""
    elbasan, belsh, librazhd, peqin = (council(slug) for slug in ("elbasan", "belsh", "librazhd", "peqin"))
    Council.objects.filter(pk__in=[elbasan.pk, belsh.pk, librazhd.pk]).update(status="established")
    _held(elbasan, "council", 3)
    _held(elbasan, "council", 7, 2)
    for month in (1, 2, 3, 5, 6):
        _held(elbasan, "skn", month)
    _held(belsh, "skn", 1)
    _held(peqin, "skn", 1)
    cache.clear()
    return {"elbasan": elbasan, "belsh": belsh, "librazhd": librazhd, "peqin": peqin}


def _slugs(response):
    return {line.council.slug for line in response.context["lines"]}


def test_any_check_not_met_needs_no_check_chosen(client, councils):
    response = client.get("/compliance/", {"state": "not_met"})
    assert _slugs(response) == {"elbasan", "belsh", "peqin"}
    for line in response.context["lines"]:
        assert "skn_meetings" in [check.code for check in line.not_met]
    # A check chosen still narrows to it; a check that is none of ours is ignored (any check).
    met = client.get("/compliance/", {"state": "met", "check": "council_meetings"})
    assert _slugs(met) <= {"elbasan"}
    odd = client.get("/compliance/", {"state": "not_met", "check": "nonsense"})
    assert _slugs(odd) == {"elbasan", "belsh", "peqin"}
    # No state: no filter.
    assert _slugs(client.get("/compliance/", {"check": "skn_meetings"})) == {
        "elbasan",
        "belsh",
        "librazhd",
        "peqin",
    }


def test_councils_not_established_are_folded_into_one_line_and_the_switch_shows_them(client, councils):
    client.cookies["kvsp_language"] = "en"
    default = client.get("/compliance/")
    assert _slugs(default) == {"elbasan", "belsh", "librazhd", "peqin"}
    assert default.context["folded"] == 57
    text = default.content.decode()
    assert "57 councils not yet established are not listed." in text
    assert 'href="?all=1"' in text
    everything = client.get("/compliance/", {"all": "1"})
    assert len(everything.context["lines"]) == 61 and everything.context["folded"] == 0
    assert 'href="?"' in everything.content.decode()  # fold them again
    # Within a county: the county's own.
    elbasan_county = client.get("/compliance/", {"county": "elbasan"})
    assert _slugs(elbasan_county) == {"elbasan", "belsh", "librazhd", "peqin"}
    assert elbasan_county.context["folded"] == 3  # Cërrik, Gramsh, Prrenjas


def test_each_line_names_what_it_fails_and_one_link_shows_the_failing(client, councils):
    client.cookies["kvsp_language"] = "en"
    page = client.get("/compliance/", {"sort": "score"})
    assert page.context["failing"] == 3
    text = page.content.decode()
    assert 'href="?sort=score&amp;state=not_met"' in text
    assert "Show the 3 councils that fail at least one check" in text
    lines = {line.council.slug: line for line in page.context["lines"]}
    assert "Monthly SKN meetings" in [str(check.label) for check in lines["belsh"].not_met]
    assert lines["librazhd"].not_met == [] and lines["librazhd"].late == []
    # Established councils with no chair or SKN are flagged; one not established is not.
    assert lines["elbasan"].incomplete and not lines["peqin"].incomplete
    assert page.context["incomplete"] == 3
    row = text[text.index('href="/elbasan/#compliance-heading"') :]
    row = row[: row.index("</tr>")]
    assert "Not met:" in row and "Monthly SKN meetings" in row
    assert "Composition not complete:" in row and "technical secretary" in row


def test_a_complete_council_is_not_flagged(client, councils):
    from councils import services
    from councils.models import Institution

    elbasan = councils["elbasan"]
    for category in "abcdefghijklmno":
        institution = Institution.objects.create(name=f"Inst {category}", category=category)
        services.seat_add(council=elbasan, institution=institution)
    for role in (Role.CHAIR, Role.SECRETARY, Role.SKN_MUNICIPALITY, Role.SKN_POLICE, Role.SKN_PROSECUTION):
        give_role(elbasan, role, institution=Institution.objects.get(name="Inst a"), full_name=role)
    cache.clear()
    lines = {line.council.slug: line for line in client.get("/compliance/").context["lines"]}
    assert not lines["elbasan"].incomplete and lines["belsh"].incomplete


def test_the_folding_and_filter_are_pure(councils):
    from monitoring import compliance_data

    councils_facts, records, _first = compliance_data.national_records(2026)
    every = tables.council_lines(councils_facts, records, 2026)
    shown, folded = tables.folded(every, show_all=False)
    assert folded == 57 and len(shown) == 4
    assert tables.folded(every, show_all=True) == (every, 0)
    assert {line.council.slug for line in tables.filtered(every, "", "", "not_met")} == {
        "elbasan",
        "belsh",
        "peqin",
    }


def test_the_observer_has_the_overview_in_the_menu(client, db):
    client.cookies["kvsp_language"] = "en"
    link = 'href="/compliance/">Compliance overview</a>'
    assert link not in client.get("/").content.decode()
    member = UserFactory()
    give_role(council("elbasan"), Role.MEMBER, user=member)
    client.force_login(member)
    assert link not in client.get("/app/").content.decode()
    observer = UserFactory(is_national_observer=True)
    client.force_login(observer)
    assert link in client.get("/app/").content.decode()


def _observer_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/compliance/", {"state": "not_met"}).status_code == 200
    return len(captured.captured_queries)


def test_the_observers_overview_reads_the_same_number_of_queries_whatever_the_data(client, councils):
    client.force_login(UserFactory(is_national_observer=True))
    _observer_queries(client)  # the first request of a session reads more (the session, the user)
    few = _observer_queries(client)
    for slug in ("tirane", "durres", "gramsh", "cerrik"):
        other = council(slug)
        Council.objects.filter(pk=other.pk).update(status="established")
        give_role(other, Role.CHAIR, full_name=f"Kryetari {slug}")
        give_role(other, Role.SKN_POLICE, full_name=f"Polici {slug}")
        for month in (1, 2, 5):
            _held(other, "skn", month)
    assert _observer_queries(client) == few
    assert few <= 25
