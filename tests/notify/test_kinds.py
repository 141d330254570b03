"""The kinds of notification are registered by the apps that own them (kvsp/notify/kinds.py):
kvsp/notify holds no domain wording, and no migration holds any app's."""

import pytest
from django.utils import translation

from kvsp.notify import kinds
from kvsp.notify.models import Notification, OutboxMessage, Preference
from monitoring.models import ReminderSetting
from monitoring.reminder_kinds import Reminder

pytestmark = pytest.mark.django_db


def test_the_apps_register_their_kinds():
    assert [kind.code for kind in kinds.reminders()] == list(Reminder.values)
    invitation = kinds.get("meeting_invitation")
    with translation.override("en"):
        assert not invitation.reminder and str(invitation.label) == "Meeting invitation"


def test_the_kind_fields_take_their_choices_from_the_registry_not_from_wording():
    for model in (Notification, OutboxMessage, Preference):
        _name, _path, _args, options = model._meta.get_field("kind").deconstruct()
        assert options["choices"] is kinds.choices, model
    _name, _path, _args, options = ReminderSetting._meta.get_field("kind").deconstruct()
    assert options["choices"] is kinds.reminder_choices


def test_the_preferences_page_lists_the_reminders_in_order_then_the_hand_off_notices(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(language="en"))
    form = client.get("/app/notifications/preferences/", HTTP_ACCEPT_LANGUAGE="en").context["form"]
    assert [(name, str(field.label)) for name, field in form.fields.items()] == [
        ("meeting_soon", "Meeting in 7 days or tomorrow"),
        ("activity_due", "Activity deadline in 14 or 3 days"),
        ("activity_overdue", "Overdue activities (weekly)"),
        ("skn_not_scheduled", "SKN meeting not scheduled by the 20th"),
        ("report_due", "Monthly report due"),
        ("report_waiting", "Report waiting for the chair's approval"),
        ("consultation_due", "Open consultation due"),
        ("council_meeting_due", "Council meeting due"),
        ("plan_not_approved", "Plan of the year not approved by 31 January"),
        # The hand-off notices, as the apps register them (councils.meetings, consultations, plans,
        # monitoring): a person chooses how each reaches them, a council cannot switch them off.
        ("agenda_to_agree", "Agenda waiting for the SKN's agreement"),
        ("agenda_agreed", "Agenda agreed by the SKN"),
        ("minutes_submitted", "Minutes waiting for your approval"),
        ("minutes_returned", "Minutes returned with comments"),
        ("minutes_approved", "Minutes approved"),
        ("meeting_moved", "Meeting moved"),
        ("meeting_cancelled", "Meeting cancelled"),
        ("consultation_agenda_to_agree", "Consultation agenda waiting for the SKN's agreement"),
        ("consultation_agenda_agreed", "Consultation agenda agreed by the SKN"),
        ("consultation_announced", "Open consultation announced"),
        ("plan_submitted", "Plan waiting for your approval"),
        ("plan_returned", "Plan returned with comments"),
        ("plan_approved", "Plan approved and published"),
        ("plan_comment_received", "Public comment on the plan to moderate"),
        ("report_returned", "Monthly report returned by the chair"),
        ("report_approved", "Monthly report approved or published"),
        ("template_submitted", "Monthly report template waiting for approval"),
        ("template_returned", "Monthly report template returned by the chair"),
        ("template_approved", "Monthly report template approved"),
        ("annual_submitted", "Annual report waiting for your approval"),
        ("annual_returned", "Annual report returned by the chair"),
        ("annual_approved", "Annual report approved and published"),
    ]
    # The meeting invitation is neither: it always goes by e-mail.
    assert "meeting_invitation" not in form.fields
    assert all(field.initial == "immediate" for field in form.fields.values())
