"""A consultation as the guide runs it: the SKN agrees its agenda before it is announced, the three
co-leading heads are recorded (announcing without them asks for confirmation), the SKN members
present are recorded once it has started, and each hand-off is a notice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from consultations import lifecycle, notices, selectors
from consultations.models import Consultation
from councils.models import Person, Role
from kvsp.notify import kinds
from kvsp.notify.models import Notification
from tests.builders import announce_consultation
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

HEADS = {"mayor_name": "Gazmend Oketa", "police_chief_name": "Arben Hysa", "prosecutor_name": "Fatmir Lleshi"}


@pytest.fixture(autouse=True)
def english(officers, client):
    """The officers read the site (and their notices) in English; the services speak English."""
    for key in ("secretary", "skn", "chair", "member"):
        officers[key].language = "en"
        officers[key].save(update_fields=["language"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _upcoming(elbasan, **fields):
    return lifecycle.consultation_create(
        council=elbasan,
        starts_at=timezone.now() + timedelta(days=10),
        place="Shkolla 9-vjeçare Papër",
        agenda="Vjedhjet e bagëtive\nPatrullimi në fshat",
        **fields,
    )


def _notices(kind, user=None):
    found = Notification.objects.filter(kind=kind)
    return found.filter(user=user) if user is not None else found


# --- the SKN agrees the agenda --------------------------------------------------------------------


def test_the_kinds_are_registered_as_hand_offs():
    for code in (notices.AGENDA_TO_AGREE, notices.AGENDA_AGREED, notices.ANNOUNCED):
        kind = kinds.get(code)
        assert kind.handoff and not kind.reminder and len(code) <= 30


def test_the_secretary_sends_the_agenda_and_the_skn_is_told(elbasan, officers):
    consultation = _upcoming(elbasan)
    assert consultation.agenda_status == Consultation.AgendaStatus.DRAFT
    consultation = lifecycle.consultation_agenda_submit(consultation=consultation, user=officers["secretary"])
    assert consultation.agenda_submitted_by == officers["secretary"] and consultation.agenda_submitted_at
    (notice,) = _notices(notices.AGENDA_TO_AGREE)
    assert notice.user == officers["skn"]
    assert "waits for the SKN's agreement" in notice.title and "Vjedhjet e bagëtive" in notice.body
    assert notice.url == f"/app/elbasan/consultations/{consultation.pk}/"
    # A second click sends nothing twice: the SKN has it in their list already.
    with pytest.raises(ValidationError, match="already sent to the SKN"):
        lifecycle.consultation_agenda_submit(consultation=consultation, user=officers["secretary"])
    assert _notices(notices.AGENDA_TO_AGREE).count() == 1


def test_an_agenda_not_written_is_neither_sent_nor_agreed(elbasan, officers):
    consultation = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=10), place="Papër", agenda="  \n "
    )
    with pytest.raises(ValidationError, match="Write the agenda"):
        lifecycle.consultation_agenda_submit(consultation=consultation, user=officers["secretary"])
    with pytest.raises(ValidationError, match="Write the agenda"):
        lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    consultation.refresh_from_db()
    assert consultation.agenda_status == "draft" and not Notification.objects.exists()


def test_the_skn_agrees_and_the_secretary_is_told(elbasan, officers):
    consultation = lifecycle.consultation_agenda_submit(
        consultation=_upcoming(elbasan), user=officers["secretary"]
    )
    consultation = lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    assert consultation.agenda_agreed and consultation.agenda_agreed_by == officers["skn"]
    assert consultation.agenda_agreed_at
    # The SKN's notice is handled; the secretary hears the agenda was agreed.
    assert _notices(notices.AGENDA_TO_AGREE).get().handled_at is not None
    (agreed,) = _notices(notices.AGENDA_AGREED)
    assert agreed.user == officers["secretary"] and "agreed the agenda" in agreed.title
    assert "Arben Hoxha agreed the agenda on behalf of the SKN" in agreed.body
    with pytest.raises(ValidationError, match="already agreed"):
        lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])


def test_an_agenda_changed_after_agreement_goes_back_to_the_skn(elbasan, officers):
    consultation = _upcoming(elbasan)
    lifecycle.consultation_agenda_submit(consultation=consultation, user=officers["secretary"])
    consultation = lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    # The same items (the browser's line breaks, spaces): still agreed.
    consultation = lifecycle.consultation_update(
        consultation=consultation, agenda=" Vjedhjet e bagëtive \r\n\r\nPatrullimi në fshat", place="Papër"
    )
    assert consultation.agenda_agreed
    consultation = lifecycle.consultation_update(
        consultation=consultation, agenda="Vjedhjet e bagëtive\nNdriçimi i rrugëve", place="Papër"
    )
    assert consultation.agenda_status == "draft" and consultation.agenda_agreed_by is None
    assert consultation.agenda_submitted_at is None  # the secretary sends it again
    assert _notices(notices.AGENDA_AGREED).get().handled_at is not None
    with pytest.raises(ValidationError, match="not agreed the agenda yet"):
        lifecycle.consultation_announce(consultation=consultation, without_heads=True)
    lifecycle.consultation_agenda_submit(consultation=consultation, user=officers["secretary"])
    assert _notices(notices.AGENDA_TO_AGREE).filter(handled_at__isnull=True).count() == 1


def test_an_announced_agenda_no_longer_changes(elbasan, officers):
    consultation = announce_consultation(_upcoming(elbasan, **HEADS), agreed_by=officers["skn"])
    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_update(consultation=consultation, agenda="Tjetër", place="Papër")
    assert "agenda" in error.value.error_dict
    consultation.refresh_from_db()
    assert consultation.agenda_items == ["Vjedhjet e bagëtive", "Patrullimi në fshat"]
    # Its other details may still be corrected.
    lifecycle.consultation_update(consultation=consultation, agenda=consultation.agenda, place="Papër, salla")
    consultation.refresh_from_db()
    assert consultation.place == "Papër, salla" and consultation.agenda_agreed


def test_the_database_refuses_an_announcement_without_agreement(elbasan, officers):
    consultation = _upcoming(elbasan)
    consultation.status, consultation.announced_at = Consultation.Status.ANNOUNCED, timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        consultation.save()


# --- announcing: agreed agenda, the three heads ---------------------------------------------------


def test_announcing_waits_for_the_skn(elbasan, officers):
    consultation = _upcoming(elbasan, **HEADS)
    with pytest.raises(ValidationError, match="The SKN has not agreed the agenda yet"):
        lifecycle.consultation_announce(consultation=consultation, user=officers["secretary"])
    consultation.refresh_from_db()
    assert consultation.status == "draft" and consultation.announced_at is None
    assert not _notices(notices.ANNOUNCED).exists()


def test_announcing_without_the_three_heads_asks_for_confirmation(elbasan, officers):
    consultation = _upcoming(elbasan, mayor_name="Gazmend Oketa")
    lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    assert consultation.missing_heads == ["the police chief", "the chief prosecutor"]
    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_announce(consultation=consultation, user=officers["secretary"])
    assert error.value.code == lifecycle.HEADS_MISSING
    assert error.value.messages == [
        "The mayor, the police chief and the chief prosecutor co-lead the consultation. "
        "Announce it without the police chief and the chief prosecutor?"
    ]
    consultation.refresh_from_db()
    assert consultation.status == "draft"
    consultation = lifecycle.consultation_announce(
        consultation=consultation, user=officers["secretary"], without_heads=True
    )
    assert consultation.status == "announced"


def test_with_the_three_heads_no_confirmation_is_asked(elbasan, officers):
    consultation = _upcoming(elbasan, **HEADS)
    lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    consultation = lifecycle.consultation_announce(consultation=consultation, user=officers["secretary"])
    assert consultation.status == "announced" and consultation.missing_heads == []


def test_the_council_s_members_are_told_when_and_where(elbasan, officers):
    guest = UserFactory(full_name="I Ftuari", language="en")
    give_role(elbasan, Role.GUEST, user=guest)
    consultation = _upcoming(elbasan, **HEADS)
    lifecycle.consultation_agenda_submit(consultation=consultation, user=officers["secretary"])
    lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    consultation = lifecycle.consultation_announce(consultation=consultation, user=officers["secretary"])
    told = {n.user for n in _notices(notices.ANNOUNCED)}
    # Every member with an account but the one who announced it; never an invited guest.
    assert told == {officers["skn"], officers["chair"], officers["member"]}
    notice = _notices(notices.ANNOUNCED, officers["member"]).get()
    assert "Shkolla 9-vjeçare Papër" in notice.title and "Where: Shkolla 9-vjeçare Papër" in notice.body
    assert "Vjedhjet e bagëtive" in notice.body
    assert notice.url == f"/app/elbasan/consultations/{consultation.pk}/"
    # Announcing was the step the "agreed" notice asked for.
    assert _notices(notices.AGENDA_AGREED).get().handled_at is not None


def test_cancelling_settles_its_notices(elbasan, officers):
    consultation = announce_consultation(_upcoming(elbasan, **HEADS), agreed_by=officers["skn"])
    assert _notices(notices.ANNOUNCED).filter(handled_at__isnull=True).exists()
    lifecycle.consultation_cancel(consultation=consultation, reason="Moti i keq")
    assert not Notification.objects.filter(handled_at__isnull=True).exists()


# --- the SKN present ------------------------------------------------------------------------------


def test_the_skn_present_is_recorded_once_it_has_started(elbasan, officers):
    consultation = _upcoming(elbasan, **HEADS)
    skn = Person.objects.get(user=officers["skn"])
    # Later today is not yet: it has not started.
    consultation.starts_at = timezone.now() + timedelta(minutes=30)
    consultation.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="has not taken place yet"):
        lifecycle.participation_record(consultation=consultation, counts={}, skn_present=[skn])
    consultation.refresh_from_db()
    assert consultation.status == "draft" and not consultation.skn_present.exists()
    consultation.starts_at = timezone.now() - timedelta(minutes=5)
    consultation.save(update_fields=["starts_at"])
    consultation = lifecycle.participation_record(consultation=consultation, counts={}, skn_present=[skn])
    assert consultation.status == "held" and list(consultation.skn_present.all()) == [skn]
    # Counting again without touching the SKN keeps them.
    lifecycle.participation_record(consultation=consultation, counts={"youth": (1, 1, 0)})
    assert list(consultation.skn_present.all()) == [skn]


def test_only_the_council_s_skn_members_are_recorded(elbasan, officers):
    consultation = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() - timedelta(days=1), place="Papër"
    )
    skn = Person.objects.get(user=officers["skn"])
    member = Person.objects.get(user=officers["member"])
    assert list(selectors.skn_candidates(consultation)) == [skn]
    with pytest.raises(ValidationError) as error:
        lifecycle.participation_record(consultation=consultation, counts={}, skn_present=[skn, member])
    assert "skn_present" in error.value.error_dict
    assert not consultation.skn_present.exists()


# --- the pages ------------------------------------------------------------------------------------


def _page(consultation, page=""):
    return f"/app/elbasan/consultations/{consultation.pk}/{page}"


def test_the_page_says_why_the_announcement_waits(client, elbasan, officers):
    consultation = _upcoming(elbasan, **HEADS)
    client.force_login(officers["secretary"])
    page = client.get(_page(consultation)).text
    assert "Announce publicly" not in page
    assert "The consultation is announced once the SKN has agreed its agenda." in page
    assert "Send the agenda to the SKN for agreement" in page
    assert "Agree the agenda on behalf of the SKN" not in page
    # The announcement's page says it too, without a form.
    announce = client.get(_page(consultation, "announce/"))
    assert announce.status_code == 200 and "The SKN has not agreed the agenda yet" in announce.text
    assert 'name="without_heads"' not in announce.text
    assert client.post(_page(consultation, "agenda/send/")).status_code == 302
    page = client.get(_page(consultation)).text
    assert "Waiting for the SKN's agreement: sent by Dorina Cela" in page
    assert "Send the agenda to the SKN for agreement" not in page
    client.force_login(officers["skn"])
    assert "Agree the agenda on behalf of the SKN" in client.get(_page(consultation)).text
    assert client.post(_page(consultation, "agenda/agree/")).status_code == 302
    client.force_login(officers["secretary"])
    page = client.get(_page(consultation)).text
    assert "Agreed by the SKN (Arben Hoxha)" in page and "Announce publicly" in page


def test_the_announcement_is_confirmed_without_a_head(client, elbasan, officers):
    consultation = _upcoming(elbasan, mayor_name="Gazmend Oketa", prosecutor_name="Fatmir Lleshi")
    lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    client.force_login(officers["secretary"])
    detail = client.get(_page(consultation)).text
    assert f'href="{_page(consultation, "announce/")}"' in detail  # a second step, not a POST
    question = (
        "The mayor, the police chief and the chief prosecutor co-lead the consultation. "
        "Announce it without the police chief?"
    )
    step = client.get(_page(consultation, "announce/"))
    assert step.status_code == 200 and question in step.text and 'name="without_heads"' in step.text
    unconfirmed = client.post(_page(consultation, "announce/"), {})
    assert unconfirmed.status_code == 200 and "Tick this box to announce without them" in unconfirmed.text
    consultation.refresh_from_db()
    assert consultation.status == "draft"
    confirmed = client.post(_page(consultation, "announce/"), {"without_heads": "on"})
    assert confirmed.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "announced"
    page = client.get(f"/elbasan/consultations/{consultation.pk}/").text
    assert "Gazmend Oketa" in page and "Fatmir Lleshi" in page and "not recorded" in page


def test_the_form_records_the_three_heads(client, elbasan, officers):
    client.force_login(officers["secretary"])
    form = client.get("/app/elbasan/consultations/new/").text
    for label in ("The mayor", "The police chief", "The chief prosecutor"):
        assert label in form
    consultation = announce_consultation(_upcoming(elbasan, **HEADS), agreed_by=officers["skn"])
    edit = client.get(_page(consultation, "edit/")).text
    assert "The SKN agreed this agenda and it was announced: it no longer changes." in edit


def test_the_skn_present_through_the_pages(client, elbasan, officers):
    consultation = _upcoming(elbasan, **HEADS)
    skn = Person.objects.get(user=officers["skn"])
    client.force_login(officers["secretary"])
    early = client.get(_page(consultation, "participation/"))
    assert early.status_code == 200 and "has not taken place yet" in early.text
    assert 'name="skn_present"' not in early.text
    refused = client.post(
        _page(consultation, "participation/"), {"youth_women": "3", "skn_present": [skn.pk]}
    )
    assert refused.status_code == 200 and "has not taken place yet" in refused.text
    assert not consultation.skn_present.exists()
    consultation.starts_at = timezone.now() - timedelta(hours=2)
    consultation.save(update_fields=["starts_at"])
    lifecycle.consultation_agenda_agree(consultation=consultation, user=officers["skn"])
    lifecycle.consultation_announce(consultation=consultation, user=officers["secretary"])
    form = client.get(_page(consultation, "participation/"))
    assert 'name="skn_present"' in form.text and "Arben Hoxha" in form.text
    saved = client.post(_page(consultation, "participation/"), {"youth_women": "3", "skn_present": [skn.pk]})
    assert saved.status_code == 302
    assert list(consultation.skn_present.all()) == [skn]
    assert "SKN members present:" in client.get(_page(consultation)).text
    public = client.get(f"/elbasan/consultations/{consultation.pk}/").text
    assert "SKN members present:" in public and "Arben Hoxha" in public
