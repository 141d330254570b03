"""Forms of the annual report's workflow."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import TextField

from .models import AnnualReport


def year_choices(today=None) -> list[tuple[int, int]]:
    """This year and the five before it, newest first."""
    year = (today or timezone.localdate()).year
    return [(y, y) for y in range(year, year - 6, -1)]


class AnnualStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


def _text(label, help_text, rows=6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=AnnualReport.TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AnnualNarrativeForm(forms.Form):
    summary = _text(
        _("Summary"), _("The year in a few paragraphs: what the council did and where the plan stands.")
    )
    achievements = _text(
        _("Achievements"), _("What went well: results for citizens, with figures where you have them.")
    )
    difficulties = _text(_("Difficulties"), _("What held the work back, and why."), rows=4)
    priorities = _text(
        _("Priorities for next year"), _("What the council means to focus on next year."), rows=4
    )
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class AnnualReturnForm(forms.Form):
    comment = TextField(
        label=_("What needs to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The SKN and the technical secretary read this on the report."),
        error_messages={"required": _("Say what needs to change.")},
    )


class AnnualApproveForm(forms.Form):
    # The fingerprint of the content the page showed (services.content_stamp).
    # Required: a post without it is refused with a message shown on the page (an error on the
    # hidden field itself would not be seen).
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("seen"):
            raise forms.ValidationError(_("Read the report on this page, then approve it."))
        return cleaned
