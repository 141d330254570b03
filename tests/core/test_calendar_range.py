"""One check for every date a form takes (kvsp/core/forms.py ``in_calendar_range``): a year the
calendar cannot hold (a typo such as 20256) is a message in the person's language, never saved."""

from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

from councils.meetings.forms import MeetingForm
from councils.meetings.invitation_forms import MoveForm
from councils.meetings.task_force_forms import TaskForceForm
from kvsp.core.forms import in_calendar_range


@pytest.mark.parametrize("value", [None, date(2000, 1, 1), date(2100, 12, 31), datetime(2026, 12, 7, 10)])
def test_a_date_the_calendar_holds_passes(value):
    assert in_calendar_range(value) == value


@pytest.mark.parametrize("value", [date(1999, 12, 31), date(2101, 1, 1), datetime(9999, 1, 1)])
def test_a_year_outside_2000_to_2100_is_refused_in_the_person_s_language(value):
    with translation.override("sq"), pytest.raises(forms.ValidationError) as refused:
        in_calendar_range(value)
    assert "2000" in refused.value.messages[0] and "Give a date" not in refused.value.messages[0]


@pytest.mark.parametrize(
    "form_class, data",
    [
        (MeetingForm, {"kind": "council", "title": "Mbledhja", "place": "Salla"}),
        (TaskForceForm, {"title": "Fëmijët që lypin", "place": "Salla"}),
        (MoveForm, {"place": "Salla"}),
    ],
)
def test_the_meeting_forms_refuse_a_year_out_of_range_and_keep_what_was_typed(form_class, data):
    form = form_class(data={**data, "starts_at": "9999-01-01T10:00"})
    assert not form.is_valid()
    assert "2000" in form.errors["starts_at"][0]
    assert form["place"].value() == "Salla"
