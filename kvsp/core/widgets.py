"""The form controls every app's forms use, the same in every browser and in the user's language.

Dates and times are typed as text in the form municipal documents write them (dd.mm.yyyy, hh:mm),
with the expected form shown next to the box: a browser's own date picker follows the browser's
language and region (mm/dd/yyyy in an English browser) and its validation bubbles speak that
language too. The server reads the typed text (the active language's *_INPUT_FORMATS in
kvsp/formats: dd.mm.yyyy, d.m.yyyy, dd/mm/yyyy and ISO yyyy-mm-dd) and, when it cannot, answers
with the form's own error and the text as typed.

A file is chosen with a button and a line naming the chosen file, both in the user's language
(templates/django/forms/widgets/file_control.html and static/js/controls.js); the browser's own
"Choose file / No file chosen" is hidden once the script runs (without it, the native control
stays).
"""

from datetime import date, datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DATE_FORMAT = "%d.%m.%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"
FIRST_YEAR = 1900  # "05.03.0026" is a typo, never the year 26


class _TypedInput:
    """A text box for a date or a time: the expected form as a placeholder and as a visible hint
    the box is described by. No ``inputmode``: "numeric" gives iOS a digits-only keypad, without
    the '.', ':' and space that dd.mm.yyyy hh:mm needs."""

    input_type = "text"
    template_name = "django/forms/widgets/typed_date.html"
    hint: object = ""

    def __init__(self, attrs=None, format=None):
        base = {"autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**base, **(attrs or {})}, format=format or self.default_format)  # type: ignore[call-arg]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget = context["widget"]
        widget["attrs"].setdefault("placeholder", str(self.hint))
        widget["hint"] = self.hint
        if element_id := widget["attrs"].get("id"):
            widget["hint_id"] = f"{element_id}_format"
            described = widget["attrs"].get("aria-describedby", "")
            widget["attrs"]["aria-describedby"] = f"{described} {widget['hint_id']}".strip()
        return context


class DateInput(_TypedInput, forms.DateInput):
    default_format = DATE_FORMAT
    hint = pgettext_lazy("date format typed in a form", "dd.mm.yyyy")


class DateTimeInput(_TypedInput, forms.DateTimeInput):
    default_format = DATETIME_FORMAT
    hint = pgettext_lazy("date and time format typed in a form", "dd.mm.yyyy hh:mm")


class TimeInput(_TypedInput, forms.TimeInput):
    default_format = TIME_FORMAT
    hint = pgettext_lazy("time format typed in a form", "hh:mm")


def _too_early(value: date | datetime | None) -> None:
    if value is not None and value.year < FIRST_YEAR:
        raise forms.ValidationError(
            _("Give a year from %(year)s on.") % {"year": FIRST_YEAR}, code="too_early"
        )


def _is_a_date_alone(text: str) -> bool:
    """The typed text is a day without a time (04.03.2026, 2026-03-04): Django's DateTimeField would
    read it as midnight."""
    text = text.strip()
    for pattern in formats.get_format("DATE_INPUT_FORMATS"):
        try:
            datetime.strptime(text, pattern)
        except ValueError:
            continue
        return True
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class DateField(forms.DateField):
    """A day typed as dd.mm.yyyy (kvsp/formats' input forms), from the year 1900 on."""

    widget = DateInput

    def to_python(self, value):
        result = super().to_python(value)
        _too_early(result)
        return result


class DateTimeField(forms.DateTimeField):
    """A day and a time typed as dd.mm.yyyy hh:mm. A day alone is refused with a message (never
    read as midnight), and so is a year before 1900; the box keeps what was typed."""

    widget = DateTimeInput
    default_error_messages = {
        "no_time": _("Enter a time too, as hh:mm."),
    }

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and _is_a_date_alone(value):
            raise forms.ValidationError(self.error_messages["no_time"], code="no_time")
        result = super().to_python(value)
        _too_early(result)
        return result
