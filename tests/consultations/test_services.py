"""Services of consultations: workflows, validation, codes, retention."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations import lifecycle, services
from consultations.models import Concern, ConcernContact, Consultation, Participation, Problem
from councils.models import AdministrativeUnit, Institution
from tests.builders import announce_consultation
from tests.factories import council

pytestmark = pytest.mark.django_db


def _concern(elbasan, consultation=None, **extra):
    data = {"text": "Të rinjtë pinë në stacionin e autobusit.", "category": "drugs_alcohol_youth"}
    return services.concern_submit(council=elbasan, consultation=consultation, **{**data, **extra})


# --- codes -------------------------------------------------------------------------------------


def test_codes_are_eight_unambiguous_characters_in_two_groups():
    codes = {services.new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(services.CODE_ALPHABET)
    assert not set("01ILO") & set(services.CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("k7m4-9qxr", "K7M4-9QXR"),
        (" K7M4 9QXR ", "K7M4-9QXR"),
        ("K7M49QXR", "K7M4-9QXR"),
        ("K7M4-9QX", None),
        ("K7M4-9QXO", None),  # O is never in a code
        ("", None),
        ("<script>", None),
    ],
)
def test_typed_codes_are_normalised(typed, expected):
    assert services.normalise_code(typed) == expected


# --- consultations -----------------------------------------------------------------------------


def test_consultation_steps(consultation):
    assert consultation.status == Consultation.Status.DRAFT and not consultation.is_public
    consultation = announce_consultation(consultation)
    assert consultation.status == Consultation.Status.ANNOUNCED and consultation.announced_at
    with pytest.raises(ValidationError):
        lifecycle.consultation_announce(consultation=consultation, without_heads=True)
    consultation = lifecycle.participation_record(
        consultation=consultation,
        counts={"youth": (12, 9, 1), "village_heads": (1, 6, 0)},
        summary=" Diskutim. ",
    )
    assert consultation.status == Consultation.Status.HELD and consultation.summary == "Diskutim."
    assert sum(p.total for p in Participation.objects.filter(consultation=consultation)) == 29
    with pytest.raises(ValidationError):
        lifecycle.consultation_cancel(consultation=consultation, reason="Shi")
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.HELD


def test_participation_is_corrected_not_duplicated(consultation):
    lifecycle.participation_record(consultation=consultation, counts={"youth": (1, 1, 0)})
    lifecycle.participation_record(consultation=consultation, counts={"youth": (5, 4, 0)})
    rows = Participation.objects.filter(consultation=consultation)
    assert [(p.group, p.women, p.men) for p in rows] == [("youth", 5, 4)]


def test_participation_of_a_future_or_cancelled_consultation_is_refused(elbasan, officers):
    future = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=3), place="Salla"
    )
    with translation.override("en"), pytest.raises(ValidationError, match="has not taken place yet"):
        lifecycle.participation_record(consultation=future, counts={"youth": (1, 0, 0)})
    lifecycle.consultation_cancel(consultation=future, reason="Moti i keq")
    with pytest.raises(ValidationError):
        lifecycle.participation_record(consultation=future, counts={"youth": (1, 0, 0)})
    with pytest.raises(ValidationError):
        lifecycle.consultation_update(consultation=future, place="Tjetër")
    assert not Participation.objects.exists()


def test_cancelling_needs_a_reason(consultation):
    with pytest.raises(ValidationError):
        lifecycle.consultation_cancel(consultation=consultation, reason="  ")
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DRAFT


def test_a_held_consultation_keeps_its_date(consultation):
    lifecycle.participation_record(consultation=consultation, counts={})
    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_update(
            consultation=consultation, starts_at=consultation.starts_at - timedelta(days=1), place="X"
        )
    assert "starts_at" in error.value.error_dict


def test_consultation_fields_belong_to_the_council(elbasan, officers):
    other_unit = AdministrativeUnit.objects.exclude(municipality=elbasan.municipality).first()
    outsider = Institution.objects.create(name="Bashkia Belsh", category="a")
    with pytest.raises(ValidationError) as error:
        lifecycle.consultation_create(
            council=elbasan, starts_at=timezone.now(), place="X", unit=other_unit, co_leads=[outsider]
        )
    assert set(error.value.error_dict) == {"unit", "co_leads"}
    assert not Consultation.objects.exists()


def test_online_concerns_go_to_the_next_announced_consultation(elbasan, officers):
    later = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=20), place="B"
    )
    sooner = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=5), place="A"
    )
    draft = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=1), place="C"
    )
    assert lifecycle.open_consultation(elbasan) is None
    announce_consultation(later)
    announce_consultation(sooner)
    assert lifecycle.open_consultation(elbasan) == sooner
    assert _concern(elbasan).consultation == sooner
    assert draft.concerns.count() == 0


# --- concerns ----------------------------------------------------------------------------------


def test_submitting_keeps_the_contact_apart_and_mails_the_code(
    elbasan, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = _concern(
            elbasan, consultation, contact_name=" Ana ", contact_email="ana@example.al", contact_phone=""
        )
    assert concern.status == Concern.Status.RECEIVED and concern.public_text == ""
    contact = ConcernContact.objects.get(concern=concern)
    assert (contact.name, contact.email) == ("Ana", "ana@example.al")
    assert "ana@example.al" not in repr(contact) + str(contact)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.al"] and concern.code in message.subject
    assert f"/elbasan/concerns/{concern.code}/" in message.body


def test_an_anonymous_concern_has_no_contact_and_sends_nothing(
    elbasan, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = _concern(elbasan, consultation)
    assert not ConcernContact.objects.filter(concern=concern).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("text", "field"),
    [("", "text"), ("   \n ", "text"), ("x" * 20_000, "text")],
)
def test_bad_concern_text_is_refused(elbasan, text, field):
    with pytest.raises(ValidationError) as error:
        _concern(elbasan, text=text)
    assert field in error.value.error_dict
    assert not Concern.objects.exists()


def test_a_location_outside_the_municipality_is_refused(elbasan):
    elsewhere = AdministrativeUnit.objects.filter(municipality__slug="belsh").first()
    with pytest.raises(ValidationError) as error:
        _concern(elbasan, unit=elsewhere)
    assert "unit" in error.value.error_dict


def test_a_concern_cannot_join_another_councils_consultation(elbasan, officers):
    belsh_consultation = lifecycle.consultation_create(
        council=council("belsh"), starts_at=timezone.now(), place="B"
    )
    with pytest.raises(ValidationError) as error:
        _concern(elbasan, belsh_consultation)
    assert "consultation" in error.value.error_dict


def test_text_in_any_script_is_kept_as_written(elbasan, consultation):
    text = "Rruga është e errët natën. Дорога тёмная. الطريق مظلم 🚦"
    assert _concern(elbasan, consultation, text=text).text == text


def test_publishing_with_a_redaction_keeps_the_original_for_moderators(elbasan, consultation, officers):
    concern = _concern(elbasan, consultation, text="Agron Krasniqi shet drogë te shkolla.")
    concern = services.concern_publish(
        concern=concern, public_text="[emër i hequr] shet drogë te shkolla.", user=officers["secretary"]
    )
    assert concern.status == Concern.Status.PUBLISHED and concern.redacted
    assert concern.text == "Agron Krasniqi shet drogë te shkolla."
    assert concern.moderated_by == officers["secretary"]


def test_publishing_the_text_as_written_is_not_a_redaction(elbasan, consultation, officers):
    concern = _concern(elbasan, consultation)
    concern = services.concern_publish(concern=concern, public_text=concern.text, user=officers["skn"])
    assert not concern.redacted


def test_moderation_steps(elbasan, consultation, officers):
    user = officers["secretary"]
    concern = _concern(elbasan, consultation)
    with pytest.raises(ValidationError):
        services.concern_reject(concern=concern, reason=" ", user=user)
    concern = services.concern_reject(concern=concern, reason="Rast individual", user=user)
    assert concern.status == Concern.Status.REJECTED and concern.public_text == ""
    concern = services.concern_publish(concern=concern, public_text="Teksti", user=user)
    assert concern.status == Concern.Status.PUBLISHED and concern.status_reason == ""
    with pytest.raises(ValidationError):
        services.concern_publish(concern=concern, public_text="", user=user)


def test_merging_follows_the_target_and_flattens_chains(elbasan, consultation, officers):
    user = officers["secretary"]
    first, second, third = (_concern(elbasan, consultation) for _ in range(3))
    services.concern_merge(concern=second, into=first, user=user)
    services.concern_merge(concern=third, into=second, user=user)  # second is merged: third joins first
    third.refresh_from_db()
    assert third.merged_into == first and third.status == Concern.Status.MERGED
    with pytest.raises(ValidationError):
        services.concern_merge(concern=first, into=first, user=user)
    problem = services.problem_create(consultation=consultation, title="Droga", concerns=[first])
    services.problem_assess(problem=problem, title="Droga", outcome="referred", outcome_note="Policia")
    third = Concern.objects.get(pk=third.pk)
    assert third.outcome == Problem.Outcome.REFERRED


def test_merging_into_another_council_or_a_rejected_concern_is_refused(elbasan, consultation, officers):
    user = officers["secretary"]
    mine = _concern(elbasan, consultation)
    theirs = services.concern_submit(council=council("belsh"), text="X", category="other")
    with pytest.raises(ValidationError):
        services.concern_merge(concern=mine, into=theirs, user=user)
    rejected = services.concern_reject(
        concern=_concern(elbasan, consultation), reason="Jashtë teme", user=user
    )
    with pytest.raises(ValidationError):
        services.concern_merge(concern=mine, into=rejected, user=user)
    mine.refresh_from_db()
    assert mine.status == Concern.Status.RECEIVED


def test_forgetting_deletes_contact_and_original_but_keeps_the_published_text(
    elbasan, consultation, officers
):
    concern = _concern(elbasan, consultation, text="Emri im është Ana.", contact_email="ana@example.al")
    services.concern_publish(concern=concern, public_text="Një banore e lagjes.", user=officers["skn"])
    concern = services.concern_forget(concern=concern, user=officers["secretary"])
    assert not ConcernContact.objects.filter(concern=concern).exists()
    assert concern.text == "" and concern.public_text == "Një banore e lagjes."
    assert concern.status == Concern.Status.PUBLISHED and concern.personal_data_purged_at
    with pytest.raises(ValidationError):
        services.concern_forget(concern=concern, user=officers["secretary"])


def test_forgetting_an_unmoderated_concern_withdraws_it(elbasan, consultation, officers):
    concern = services.concern_forget(concern=_concern(elbasan, consultation), user=officers["secretary"])
    assert concern.status == Concern.Status.REJECTED and concern.text == ""


# --- retention ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "months", "cutoff"),
    [
        (date(2026, 11, 28), 12, date(2025, 11, 28)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
    ],
)
def test_retention_cutoff(settings, as_of, months, cutoff):
    settings.CONCERN_RETENTION_MONTHS = months
    assert timezone.localtime(services.retention_cutoff(as_of)).date() == cutoff


def test_retention_sweep_deletes_only_what_expired_and_runs_twice_harmlessly(elbasan, officers, settings):
    settings.CONCERN_RETENTION_MONTHS = 12
    old = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.make_aware(datetime(2025, 1, 20, 17)), place="Shushicë"
    )
    recent = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.make_aware(datetime(2025, 12, 20, 17)), place="Elbasan"
    )
    expired = _concern(elbasan, old, contact_email="a@example.al")
    services.concern_publish(concern=expired, public_text="Publike", user=officers["skn"])
    kept = _concern(elbasan, recent, contact_email="b@example.al")
    assert services.purge_expired(as_of=date(2026, 1, 19)) == 0
    assert services.purge_expired(as_of=date(2026, 1, 21)) == 1
    assert services.purge_expired(as_of=date(2026, 1, 21)) == 0
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert expired.text == "" and expired.public_text == "Publike"
    assert not ConcernContact.objects.filter(concern=expired).exists()
    assert ConcernContact.objects.filter(concern=kept).exists() and kept.text


def test_retention_task_takes_an_as_of_date(elbasan, officers):
    from consultations.tasks import purge_expired_personal_data_task

    concern = _concern(elbasan, contact_phone="069 000 0000")
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert purge_expired_personal_data_task.delay(as_of=timezone.localdate().isoformat()).get() == 1
    assert not ConcernContact.objects.exists()


# --- prioritisation ----------------------------------------------------------------------------


def test_grouping_and_assessing_a_problem(elbasan, consultation, officers):
    loose = _concern(elbasan)  # online, no consultation yet
    mine = _concern(elbasan, consultation)
    problem = services.problem_create(
        consultation=consultation, title=" Droga te të rinjtë ", concerns=[loose, mine]
    )
    loose.refresh_from_db()
    assert loose.problem == problem and loose.consultation == consultation
    assert problem.title == "Droga te të rinjtë" and problem.outcome == Problem.Outcome.PENDING
    with pytest.raises(ValidationError) as error:
        services.problem_assess(problem=problem, title="Droga", outcome="in_plan")
    assert {"intensity", "institutions"} <= set(error.value.error_dict)
    problem = services.problem_assess(
        problem=problem,
        title="Droga",
        intensity="high",
        reasons="63 raste",
        statistics="63 raste në 2021",
        statistics_source="Policia",
        institutions=[officers["police"]],
        outcome="in_plan",
    )
    assert list(Problem.objects.selected_for_plan(elbasan)) == [problem]
    assert Concern.objects.get(pk=mine.pk).outcome == Problem.Outcome.IN_PLAN
    assert list(problem.history.latest().institutions.values_list("institution_id", flat=True)) == [
        officers["police"].pk
    ]


@pytest.mark.parametrize("outcome", ["referred", "not_taken"])
def test_referring_or_not_taking_needs_a_note(consultation, outcome):
    problem = services.problem_create(consultation=consultation, title="Zhurmat")
    with pytest.raises(ValidationError) as error:
        services.problem_assess(problem=problem, title="Zhurmat", outcome=outcome, outcome_note=" ")
    assert "outcome_note" in error.value.error_dict


def test_statistics_need_a_source_and_institutions_must_sit_on_the_council(consultation):
    problem = services.problem_create(consultation=consultation, title="Dhuna")
    stranger = Institution.objects.create(name="Gjykata e Tiranës", category="court")
    with pytest.raises(ValidationError) as error:
        services.problem_assess(
            problem=problem, title="Dhuna", statistics="56 raste", institutions=[stranger]
        )
    assert {"statistics_source", "institutions"} <= set(error.value.error_dict)


def test_rejected_or_foreign_concerns_cannot_be_grouped(elbasan, consultation, officers):
    rejected = services.concern_reject(
        concern=_concern(elbasan, consultation), reason="X", user=officers["skn"]
    )
    theirs = services.concern_submit(council=council("belsh"), text="X", category="other")
    for concern in (rejected, theirs):
        with pytest.raises(ValidationError):
            services.problem_create(consultation=consultation, title="P", concerns=[concern])
    assert not Problem.objects.exists()


def test_history_never_holds_the_original_wording(elbasan, consultation, officers):
    concern = _concern(elbasan, consultation, text="Fqinji im Besnik rreh gruan.")
    services.concern_publish(concern=concern, public_text="Dhunë në familje në lagje.", user=officers["skn"])
    fields = {f.name for f in Concern.history.model._meta.get_fields()}
    # Free text may name someone: deleting it must delete every copy, so the trail never has it.
    assert not {"text", "public_text", "neighbourhood", "public_neighbourhood"} & fields
    assert {"status", "moderated_by", "problem", "closed_by"} <= fields
    assert not hasattr(ConcernContact, "history")


# --- what the review of this change found -----------------------------------------------------


def test_the_place_as_typed_is_redacted_and_purged_like_the_text(elbasan, consultation, officers):
    concern = _concern(elbasan, consultation, neighbourhood="Rruga Kavaja 12, shtëpia e Arben Hoxhës")
    concern = services.concern_publish(
        concern=concern, public_text=concern.text, public_neighbourhood="Rruga Kavaja", user=officers["skn"]
    )
    assert concern.public_neighbourhood == "Rruga Kavaja" and concern.redacted
    concern = services.concern_forget(concern=concern, user=officers["skn"])
    assert concern.neighbourhood == "" and concern.public_neighbourhood == "Rruga Kavaja"


def test_without_a_published_place_the_typed_one_is_proposed(elbasan, consultation, officers):
    concern = _concern(elbasan, consultation, neighbourhood="Lagjja 5 Maji")
    concern = services.concern_publish(concern=concern, public_text=concern.text, user=officers["skn"])
    assert concern.public_neighbourhood == "Lagjja 5 Maji" and not concern.redacted


def test_a_published_text_can_be_corrected_and_a_set_aside_one_keeps_its_redaction(
    elbasan, consultation, officers
):
    user = officers["secretary"]
    concern = _concern(elbasan, consultation, text="Arben Hoxha shet drogë.")
    services.concern_publish(concern=concern, public_text="Dikush shet drogë.", user=user)
    concern = services.concern_publish(concern=concern, public_text="Shitje droge në lagje.", user=user)
    assert concern.public_text == "Shitje droge në lagje."
    concern = services.concern_reject(concern=concern, reason="Rast individual", user=user)
    assert concern.public_text == "Shitje droge në lagje."  # a later republishing starts from it
    assert not Concern.objects.filter(status=Concern.Status.PUBLISHED).exists()


def test_setting_aside_a_merge_target_gives_its_duplicates_back(elbasan, consultation, officers):
    user = officers["secretary"]
    target, duplicate, withdrawn_target, its_duplicate = (_concern(elbasan, consultation) for _ in range(4))
    services.concern_merge(concern=duplicate, into=target, user=user)
    services.concern_merge(concern=its_duplicate, into=withdrawn_target, user=user)
    services.concern_reject(concern=target, reason="Jashtë teme", user=user)
    services.concern_forget(concern=withdrawn_target, user=user)
    for concern in (duplicate, its_duplicate):
        concern.refresh_from_db()
        assert concern.status == Concern.Status.RECEIVED and concern.merged_into is None
    assert services.problem_create(consultation=consultation, title="P", concerns=[duplicate, its_duplicate])


def test_a_merged_concern_cannot_be_merged_back_into_a_cycle(elbasan, consultation, officers):
    user = officers["secretary"]
    first, second = _concern(elbasan, consultation), _concern(elbasan, consultation)
    services.concern_merge(concern=first, into=second, user=user)
    with pytest.raises(ValidationError):
        services.concern_merge(concern=second, into=first, user=user)  # first follows second
    second.refresh_from_db()
    assert second.status == Concern.Status.RECEIVED and Concern.objects.get(pk=first.pk).followed == second


def test_cancelling_a_consultation_keeps_its_concerns_for_the_next(elbasan, officers):
    upcoming = announce_consultation(
        lifecycle.consultation_create(
            council=elbasan, starts_at=timezone.now() + timedelta(days=4), place="Gjergjan"
        )
    )
    concern = _concern(elbasan)
    assert concern.consultation == upcoming
    lifecycle.consultation_cancel(consultation=upcoming, reason="Përmbytje")
    concern.refresh_from_db()
    assert concern.consultation is None
    later = lifecycle.consultation_create(
        council=elbasan, starts_at=timezone.now() + timedelta(days=30), place="X"
    )
    assert services.problem_create(consultation=later, title="P", concerns=[concern]).concerns.count() == 1


def test_a_cancelled_draft_stays_private_an_announced_one_says_it_is_off(elbasan, officers):
    draft = lifecycle.consultation_create(council=elbasan, starts_at=timezone.now(), place="A")
    announced = announce_consultation(
        lifecycle.consultation_create(council=elbasan, starts_at=timezone.now(), place="B")
    )
    for consultation in (draft, announced):
        lifecycle.consultation_cancel(consultation=consultation, reason="Arsye e brendshme")
    assert list(Consultation.objects.public()) == [announced]
    draft.refresh_from_db()
    announced.refresh_from_db()
    assert not draft.is_public and announced.is_public


def test_the_system_s_reasons_are_shown_in_the_reader_s_language(elbasan, consultation, officers):
    from django.utils import translation

    concern = services.concern_forget(concern=_concern(elbasan, consultation), user=officers["skn"])
    assert concern.closed_by == Concern.ClosedBy.CITIZEN and concern.status_reason == ""
    with translation.override("en"):
        assert concern.reason_display == "withdrawn at the citizen's request"
    with translation.override("sq"):
        assert concern.reason_display == "tërhequr me kërkesë të qytetarit"


# --- telling citizens --------------------------------------------------------------------------


def test_the_receipt_goes_in_the_language_the_citizen_used(
    elbasan, consultation, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        concern = _concern(elbasan, consultation, contact_email="visitor@example.al")
    assert ConcernContact.objects.get(concern=concern).language == "en"
    assert mail.outbox[0].subject.startswith("Your concern to the Elbasan council")


def test_a_concern_entered_by_the_secretary_gets_an_albanian_receipt(
    elbasan, consultation, officers, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        _concern(elbasan, consultation, contact_email="banor@example.al", entered_by=officers["secretary"])
    assert mail.outbox[0].subject.startswith("Shqetësimi juaj drejtuar këshillit")


def test_citizens_hear_the_outcome_once_when_it_is_decided(
    elbasan, consultation, officers, django_capture_on_commit_callbacks
):
    user = officers["skn"]
    with django_capture_on_commit_callbacks(execute=True):
        shown = _concern(elbasan, consultation, contact_email="a@example.al")
        duplicate = _concern(elbasan, consultation, contact_email="b@example.al")
        unmoderated = _concern(elbasan, consultation, contact_email="c@example.al")
        services.concern_publish(concern=shown, public_text="Drogë te parku", user=user)
        services.concern_merge(concern=duplicate, into=shown, user=user)
        problem = services.problem_create(
            consultation=consultation, title="Droga", concerns=[shown, unmoderated]
        )
    mail.outbox.clear()
    assess = {
        "problem": problem,
        "title": "Droga",
        "intensity": "high",
        "institutions": [officers["police"]],
        "outcome": "in_plan",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_assess(**{**assess, "outcome": "pending"})
    assert mail.outbox == []  # nothing decided yet
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_assess(**assess)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.al", "b@example.al"]
    assert all("Droga" in m.body and "Në plan" in m.body for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_assess(**{**assess, "reasons": "Më shumë raste"})
    assert mail.outbox == []  # the same decision again is not news
    # A change of mind is news each time, back to a decision already told included.
    for outcome, note, shown_as in (
        ("not_taken", "Jo prioritet këtë vit", "Jo prioritet"),
        ("in_plan", "", "Në plan"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.problem_assess(**{**assess, "outcome": outcome, "outcome_note": note})
        assert sorted(m.to[0] for m in mail.outbox) == ["a@example.al", "b@example.al"], outcome
        assert all(shown_as in m.body for m in mail.outbox), outcome
        mail.outbox.clear()


def test_a_citizen_hears_why_a_concern_was_not_published(
    elbasan, consultation, officers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = _concern(elbasan, consultation, contact_email="a@example.al")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_reject(concern=concern, reason="Jashtë fushës së këshillit", user=officers["skn"])
    assert len(mail.outbox) == 1 and "Jashtë fushës së këshillit" in mail.outbox[0].body
