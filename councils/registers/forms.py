"""Forms of the registers. The referral form has no text field at all: a figure is chosen and
counted, never described, so nothing typed can name a person."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import in_calendar_range

from ..forms import DateField, DateInput
from ..models import Council, Institution, today
from .models import MONTH_CHOICES, CooperationAgreement, IssueType, Outcome, ReferralBody


class ReferralForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTH_CHOICES, coerce=int)
    issue_type = forms.ChoiceField(label=_("Issue"), choices=IssueType.choices)
    body = forms.ChoiceField(
        label=_("Referred to"),
        choices=ReferralBody.choices,
        help_text=_("The body the cases were referred to under the referral mechanism (VKM 578/2018)."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    cases = forms.IntegerField(
        label=_("Number of cases"),
        min_value=1,
        max_value=32767,
        help_text=_("A count only: the register never holds a name or any detail of a case."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "year" not in self.initial:
            now = today()
            self.initial.setdefault("year", now.year)
            self.initial.setdefault("month", now.month)


class PartiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AgreementForm(forms.ModelForm):
    institutions = PartiesField(
        label=_("Member institutions that are parties"), queryset=Institution.objects.none(), required=False
    )

    class Meta:
        model = CooperationAgreement
        fields = ["title", "scope", "institutions", "other_parties", "signed_on", "valid_until", "document"]
        widgets = {
            "signed_on": DateInput(),
            "valid_until": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 4}),
            "document": forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        field_classes = {"signed_on": DateField, "valid_until": DateField}

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        # The institutions that sit (or sat) on the council.
        self.fields["institutions"].queryset = Institution.objects.filter(seats__council=council).distinct()

    def clean_signed_on(self):
        return in_calendar_range(self.cleaned_data["signed_on"])

    def clean_valid_until(self):
        return in_calendar_range(self.cleaned_data.get("valid_until"))

    def clean(self):
        data = super().clean()
        signed_on, valid_until = data.get("signed_on"), data.get("valid_until")
        if signed_on and valid_until and valid_until < signed_on:
            self.add_error("valid_until", _("An agreement cannot end before it was signed."))
        if signed_on and signed_on > today():
            self.add_error(
                "signed_on",
                _("An agreement is recorded once it is signed: the date cannot be in the future."),
            )
        return data

    def service_values(self) -> dict:
        """What the services take: the cleaned fields, a new document only when one was given."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "document"}
        data["other_parties"] = data["other_parties"] or ""
        document = self.cleaned_data.get("document")
        data["document"] = document if document and not getattr(document, "_committed", False) else None
        return data
