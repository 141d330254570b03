"""Forms of the monitoring board: a status update of an activity and an indicator's value for a
period. Errors come back in the user's language with what they typed still in the form; the
services check everything again before they write."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from councils.forms import DateField, DateInput
from kvsp.core.forms import TextField, in_calendar_range
from kvsp.core.uploads import max_upload_bytes
from plans.groups import field_name
from plans.money import LekField

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
    date = DateField(
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
    spent = LekField(
        label=_("Spent to date (lek)"),
        help_text=_("Optional. Everything spent on the activity so far, not only since the last update."),
    )
    confirm_spent = forms.BooleanField(
        label=_("I confirm the amount spent, although it is over ten times the estimated cost."),
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

    @property
    def asks_spent_confirmation(self) -> bool:
        """Show the spent amount's confirmation: the service asked for it, or it is ticked."""
        return self.is_bound and ("confirm_spent" in self.errors or bool(self.data.get("confirm_spent")))


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

    def __init__(self, *args, periods: list[Period], splits: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.code, str(period)) for period in periods]
        # A split indicator (plans/groups.py): a value per split; the total is their sum.
        self.splits = list(splits)
        for key, label in self.splits:
            missing = _("Give the value for %(split)s (0 if none).") % {"split": label}
            self.fields[field_name(key)] = forms.DecimalField(
                label=capfirst(label),
                max_digits=12,
                decimal_places=2,
                min_value=0,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                error_messages={"required": missing},
            )
        if self.splits:
            total = self.fields["value"]
            total.required = False
            total.label = _("Total")
            total.help_text = _("The sum of the values above: leave it empty and it is added up for you.")

    def split_fields(self) -> list:
        return [self[field_name(key)] for key, _label in self.splits]

    def breakdown(self) -> dict:
        """The values per split as typed (keys of plans/groups.py), for the service to check."""
        return {key: self.cleaned_data.get(field_name(key)) for key, _label in self.splits}
