"""The form of the council's public comment on its compliance record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import TextField
from kvsp.notify import kinds

from .models import ComplianceComment


class ComplianceCommentForm(forms.Form):
    text = TextField(
        label=_("Public comment"),
        max_length=ComplianceComment.MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown with the council's record for the year, on its public page and in the national "
            "overview: for example why a meeting was moved. At most 500 characters; leave it empty "
            "to take the comment down."
        ),
    )
    revision = forms.CharField(required=False, widget=forms.HiddenInput)


class ReminderSettingsForm(forms.Form):
    """One box per kind of reminder: ticked, the council sends it."""

    def __init__(self, *args, enabled: dict[str, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        enabled = enabled or {}
        for kind in kinds.reminders():
            self.fields[kind.code] = forms.BooleanField(
                label=kind.label, required=False, initial=enabled.get(kind.code, True)
            )
