"""Forms of task forces: calling one, and inviting a specialist from outside the council. No field
for a victim, a perpetrator or a case: the issue is named in general terms (DESIGN.md "Privacy")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import in_calendar_range

from .forms import DateTimeField, DateTimeInput


class TaskForceForm(forms.Form):
    title = forms.CharField(
        label=_("Issue"),
        max_length=200,
        help_text=_(
            "In general terms, for example: “Families returned from conflict zones in the Shkozë "
            "neighbourhood”. Never the name of a victim, a perpetrator or a case."
        ),
    )
    starts_at = DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)

    def clean_starts_at(self):
        return in_calendar_range(self.cleaned_data["starts_at"])


class SpecialistForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    function = forms.CharField(
        label=_("Function"), max_length=150, help_text=_("For example: social worker, school psychologist.")
    )
    institution = forms.CharField(
        label=_("Institution or organisation"),
        max_length=200,
        help_text=_("For example: the regional education directorate, an NGO."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "Optional. The invitation is e-mailed to it; without one, the technical secretary reaches "
            "the specialist. Never shown publicly."
        ),
    )
