"""Forms of the monitoring board: a status update of an activity and an indicator's value for a
period. Errors come back in the user's language with what they typed still in the form; the
services check everything again before they write."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput
from kvsp.core.forms import TextField, in_calendar_range
from kvsp.core.uploads import max_upload_bytes

from .models import ActivityStatus
from .progress import Period


def _evidence_help() -> str:
    """The evidence field's help, naming the one upload limit (settings.DOCUMENT_MAX_BYTES)."""
    return _(
        "A minute, a list of participants, a photo: PDF, Word, Excel, ODT, JPEG or PNG, up to %(limit)s."
    ) % {"limit": filesizeformat(max_upload_bytes())}


class StatusUpdateForm(forms.Form):
    """Where an activity stands. The confirmation is asked for (and shown) only when the service
    wants it: status "done" with progress under 100 %."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[(value, capfirst(label)) for value, label in ActivityStatus.choices]
    )
    # The range is the service's to check (its message says why); the browser is only hinted.
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        help_text=_("A whole number from 0 to 100."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
    )
    date = forms.DateField(
        label=_("As of"), help_text=_("The day this update describes; not in the future."), widget=DateInput()
    )
    note = TextField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, and what is still missing."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=lazy(_evidence_help, str)(),
    )
    confirm = forms.BooleanField(
        label=_("I confirm the activity is done although its progress is below 100%."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate

    def clean_date(self):
        return in_calendar_range(self.cleaned_data.get("date"))

    @property
    def asks_confirmation(self) -> bool:
        """Show the confirmation: the service asked for it, or the user already ticked it."""
        return self.is_bound and ("confirm" in self.errors or bool(self.data.get("confirm")))


class IndicatorValueForm(forms.Form):
    """The value of an indicator for one of the periods of its plan's year that have begun."""

    period = forms.ChoiceField(label=_("Period"))
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.code, str(period)) for period in periods]
