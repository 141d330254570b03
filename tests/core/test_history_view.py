"""The history of changes (kvsp/audit): a change made through the application shows who made it,
when and what changed; fields kept out of the history, contacts and secrets never show; another
council's object is a 404; the page's queries stay bounded. And the admin never writes history
back: no Historical model is registered, the past-version page refuses a POST (which would revert
the record), and no URL of the project reverts anything."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.models import HistoricalChanges

from consultations import lifecycle as consultation_lifecycle
from consultations import services as consultation_services
from councils.meetings import services as meeting_services
from councils.models import Institution, Role
from kvsp.audit.history import HIDDEN_WORDS, KINDS, shown_fields
from tests.builders import announce_consultation
from tests.factories import UserFactory, council, give_role

pytestmark = pytest.mark.django_db


def sq(message: str) -> str:
    with translation.override("sq"):
        return gettext(message)


@pytest.fixture
def elbasan():
    return council("elbasan")


@pytest.fixture
def secretary(elbasan):
    user = UserFactory(full_name="Dorina Cela", email="dorina.cela@elbasan.gov.al")
    give_role(elbasan, Role.SECRETARY, user=user)
    return user


def _history(client, kind: str, pk: int, slug: str = "elbasan"):
    return client.get(f"/app/{slug}/history/{kind}/{pk}/")


def _planned(the_council, place="Salla e Këshillit"):
    return meeting_services.meeting_create(
        council=the_council, kind="council", starts_at=timezone.now() + timedelta(days=5), place=place
    )


def _held(the_council):
    meeting = meeting_services.meeting_create(
        council=the_council, kind="council", starts_at=timezone.now() - timedelta(hours=2), place="Salla"
    )
    return meeting_services.attendance_record(meeting=meeting, entries=[])


def test_a_change_made_in_the_application_shows_who_when_and_what(client, elbasan, secretary):
    meeting = _planned(elbasan)
    client.force_login(secretary)
    before = timezone.now()
    response = client.post(
        f"/app/elbasan/meetings/{meeting.pk}/cancel/", {"reason": "Salla <b>në riparim</b>"}
    )
    assert response.status_code == 302

    response = _history(client, "meeting", meeting.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert sq("History of changes") in page
    # Who, by full name only; when, in local time; what: the status and the reason, old → new.
    assert "Dorina Cela" in page
    assert "dorina.cela@elbasan.gov.al" not in page
    assert f"{timezone.localtime(before):%d.%m.%Y}" in page
    assert capfirst(sq("changed")) in page and capfirst(sq("created")) in page
    with translation.override("sq"):
        assert str(capfirst(meeting._meta.get_field("status").verbose_name)) in page
        assert str(capfirst(meeting._meta.get_field("cancel_reason").verbose_name)) in page
        assert str(meeting.Status.PLANNED.label) in page and str(meeting.Status.CANCELLED.label) in page
    # Values are escaped by the template.
    assert "Salla &lt;b&gt;në riparim&lt;/b&gt;" in page
    assert "<b>në riparim</b>" not in page
    entry = response.context["entries"][0]
    assert entry.who == "Dorina Cela" and entry.code == "~"
    assert {c.new for c in entry.changes} >= {"Salla <b>në riparim</b>"}


def test_the_meeting_page_links_to_its_history_for_staff_only(client, elbasan, secretary):
    meeting = _planned(elbasan)
    address = f"/app/elbasan/history/meeting/{meeting.pk}/"
    client.force_login(secretary)
    assert address in client.get(f"/app/elbasan/meetings/{meeting.pk}/").content.decode()
    member = UserFactory(full_name="Ilir Basha")
    give_role(elbasan, Role.MEMBER, user=member)
    client.force_login(member)
    assert address not in client.get(f"/app/elbasan/meetings/{meeting.pk}/").content.decode()
    assert _history(client, "meeting", meeting.pk).status_code == 403


def test_records_of_the_meeting_show_too_and_long_texts_are_cut(client, elbasan, secretary):
    meeting = _held(elbasan)
    meeting_services.decision_add(meeting=meeting, text="Vendim " + "shumë i gjatë " * 40 + "FUNDI")
    meeting_services.minutes_save(
        meeting=meeting, body="Procesverbali i parë.", author=secretary, version=None
    )
    client.force_login(secretary)
    page = _history(client, "meeting", meeting.pk).content.decode()
    assert "Procesverbali i parë." in page
    assert "Vendim shumë i gjatë" in page
    assert "FUNDI" not in page  # cut at 200 characters
    # Created by a service outside a request: nobody's name, "the system".
    assert sq("the system") in page


def test_the_observer_never_sees_draft_minutes_or_an_skn_meeting(client, elbasan, secretary):
    meeting = _held(elbasan)
    meeting_services.minutes_save(meeting=meeting, body="Teksti i draftit.", author=secretary, version=None)
    skn = meeting_services.meeting_create(
        council=elbasan, kind="skn", starts_at=timezone.now() + timedelta(days=1), place="Zyra"
    )
    observer = UserFactory(full_name="Vëzhguesi", is_national_observer=True)
    client.force_login(observer)
    response = _history(client, "meeting", meeting.pk)
    assert response.status_code == 200
    assert "Teksti i draftit." not in response.content.decode()
    assert _history(client, "meeting", skn.pk).status_code == 403


def test_citizens_contacts_and_original_wording_never_show(client, elbasan, secretary):
    consultation = announce_consultation(
        consultation_lifecycle.consultation_create(
            council=elbasan, starts_at=timezone.now() - timedelta(days=2), place="Shushicë"
        )
    )
    consultation_services.concern_submit(
        council=elbasan,
        consultation=consultation,
        text="Drogë te parku i lagjes Nr. 5, Agim Hoxha e di",
        category="hotspots",
        neighbourhood="Rruga e Qytetit 12",
        contact_name="Agim Hoxha",
        contact_email="agim.hoxha@example.al",
        contact_phone="+355 69 123 4567",
    )
    client.force_login(secretary)
    page = _history(client, "consultation", consultation.pk).content.decode()
    assert "Shushicë" in page
    for private in ("Agim Hoxha", "agim.hoxha@example.al", "123 4567", "Drogë te parku", "Rruga e Qytetit"):
        assert private not in page


def test_the_composition_shows_people_by_name_never_their_contacts(client, elbasan, secretary):
    give_role(
        elbasan, Role.MEMBER, full_name="Ilir Basha", email="ilir.basha@arsimi.gov.al", institution=None
    )
    client.force_login(secretary)
    response = _history(client, "council", elbasan.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ilir Basha" in page
    assert "ilir.basha@arsimi.gov.al" not in page
    assert "dorina.cela@elbasan.gov.al" not in page


def test_no_kind_shows_an_excluded_field_a_contact_or_a_secret():
    for name, kind in KINDS.items():
        for part in kind.parts:
            history_model = part.model.history.model
            kept = {f.name for f in history_model._meta.fields}
            for f in shown_fields(part):
                assert f.name in kept, (name, part.model, f.name)
                assert not any(word in f.name for word in HIDDEN_WORDS), (name, f.name)
    report_fields = {f.name for f in shown_fields(KINDS["report"].parts[0])}
    assert "content" not in report_fields  # MonthlyReport's excluded_fields
    models = {part.model._meta.label for kind in KINDS.values() for part in kind.parts}
    # Concerns (moderators only, excluded fields) and people (contacts) have no history page.
    assert "consultations.Concern" not in models and "councils.Person" not in models


def test_another_council_is_a_404_and_an_unknown_kind_too(client, elbasan, secretary):
    meeting = _planned(elbasan)
    belsh_secretary = UserFactory(full_name="Sekretarja e Belshit")
    give_role(council("belsh"), Role.SECRETARY, user=belsh_secretary)
    client.force_login(belsh_secretary)
    assert _history(client, "meeting", meeting.pk).status_code == 404
    # Elbasan's meeting under Belsh's address: not an object of that council.
    assert _history(client, "meeting", meeting.pk, slug="belsh").status_code == 404
    admin_user = UserFactory(full_name="Platform Admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert _history(client, "meeting", meeting.pk, slug="belsh").status_code == 404
    assert _history(client, "person", secretary.person.pk).status_code == 404
    assert _history(client, "concern", 1).status_code == 404
    assert _history(client, "meeting", meeting.pk).status_code == 200


def test_anonymous_goes_to_the_login(client, elbasan):
    meeting = _planned(elbasan)
    response = _history(client, "meeting", meeting.pk)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("changes", [2, 12])
def test_the_queries_stay_bounded(client, elbasan, secretary, django_assert_max_num_queries, changes):
    meeting = meeting_services.meeting_create(
        council=elbasan, kind="council", starts_at=timezone.now() - timedelta(hours=2), place="Salla"
    )
    for number in range(changes):
        meeting_services.agenda_item_add(meeting=meeting, title=f"Pika {number}")
    meeting = meeting_services.attendance_record(meeting=meeting, entries=[])
    for number in range(changes):
        meeting_services.decision_add(meeting=meeting, text=f"Vendimi {number}")
    minutes = meeting_services.minutes_save(meeting=meeting, body="v0", author=secretary, version=None)
    for number in range(changes):
        minutes = meeting_services.minutes_save(
            meeting=meeting, body=f"v{number + 1}", author=secretary, version=minutes.version
        )
    client.force_login(secretary)
    client.get(f"/app/elbasan/meetings/{meeting.pk}/")  # the session and the roles, once
    with django_assert_max_num_queries(20):
        response = _history(client, "meeting", meeting.pk)
    assert response.status_code == 200
    assert len(response.context["entries"]) >= 3 * changes


# --- the admin never writes history back ----------------------------------------------------------


def test_no_historical_model_is_registered_in_the_admin():
    registered = [model for model in admin.site._registry if issubclass(model, HistoricalChanges)]
    assert registered == []
    assert not [model for model in admin.site._registry if model.__name__.startswith("Historical")]


def test_every_history_admin_is_the_projects_read_only_one():
    from simple_history.admin import SimpleHistoryAdmin

    from kvsp.core.history_admin import KVSPHistoryAdmin

    history_admins = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert history_admins
    assert all(isinstance(a, KVSPHistoryAdmin) for a in history_admins)


def test_a_post_to_a_past_version_changes_nothing(client, platform_admin):
    institution = Institution.objects.create(name="Komisariati i Policisë Elbasan", category="c")
    old = institution.history.latest()
    institution.name = "Drejtoria Vendore e Policisë Elbasan"
    institution.save(update_fields=["name"])
    count = institution.history.count()
    client.force_login(platform_admin)
    address = f"/admin/councils/institution/{institution.pk}/history/{old.history_id}/"
    assert client.get(address).status_code == 200
    response = client.post(address, {"name": old.name, "category": "c", "county": ""})
    assert response.status_code == 405
    institution.refresh_from_db()
    assert institution.name == "Drejtoria Vendore e Policisë Elbasan"
    assert institution.history.count() == count


def _names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name or pattern.pattern}"


def test_no_url_of_the_project_reverts_history():
    assert [name for name in _names() if "revert" in name.lower()] == []
