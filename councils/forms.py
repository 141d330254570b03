"""Forms of the councils app. Errors come back in the user's language with what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvsp.core.widgets import DateField, DateInput

from .models import Council, CouncilInstitution, Institution, Membership, Person, PersonGender, Role, today

# The project's date box and field (kvsp.core.widgets), imported from here by other apps.
__all__ = ["DateField", "DateInput"]


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = [
            "status",
            "founding_decision_number",
            "founding_decision_date",
            "founding_decision_body",
            "regulation_document",
            "regulation_approval_number",
            "regulation_approval_date",
            "chair_holder",
            "contact_email",
            "members_update_own_activities",
        ]
        widgets = {"founding_decision_date": DateInput(), "regulation_approval_date": DateInput()}
        field_classes = {"founding_decision_date": DateField, "regulation_approval_date": DateField}

    def clean_regulation_approval_date(self):
        approved_on = self.cleaned_data.get("regulation_approval_date")
        if approved_on is not None and approved_on > today():
            raise forms.ValidationError(_("The municipal council's decision cannot be dated in the future."))
        if approved_on is not None and approved_on.year < 2000:
            raise forms.ValidationError(_("Give a date from the year 2000 on."))
        return approved_on

    def clean(self):
        data = super().clean()
        number = (data.get("regulation_approval_number") or "").strip()
        approved_on = data.get("regulation_approval_date")
        if "regulation_approval_date" not in self.errors and bool(number) != bool(approved_on):
            self.add_error(
                "regulation_approval_number" if approved_on else "regulation_approval_date",
                _("Give both the number and the date of the municipal council's decision, or neither."),
            )
        data["regulation_approval_number"] = number
        return data


class InstitutionHeadForm(forms.ModelForm):
    """Who heads a member institution: the SKN's summaries go to the heads of its three institutions."""

    class Meta:
        model = Institution
        fields = ["head_name", "head_email"]

    def clean(self):
        data = super().clean()
        data["head_name"] = " ".join((data.get("head_name") or "").split())
        if data.get("head_email") and not data["head_name"]:
            self.add_error("head_name", _("Give the name of the head the e-mail belongs to."))
        return data


class SeatAddForm(forms.Form):
    """Add an institution: pick one that already serves other councils, or describe a new one."""

    institution = forms.ModelChoiceField(
        label=_("Existing institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("For example a prosecution office that already serves a neighbouring council."),
    )
    name = forms.CharField(label=_("Or the name of a new institution"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Category of the new institution"),
        required=False,
        choices=[("", "—"), *Institution.Category.choices],
    )
    start_date = DateField(label=_("Member since"), initial=today, widget=DateInput())

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.exclude(
            pk__in=CouncilInstitution.objects.filter(council=council, end_date__isnull=True).values(
                "institution_id"
            )
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("institution") and not (data.get("name") and data.get("category")):
            raise forms.ValidationError(
                _("Choose an existing institution or give the name and category of a new one.")
            )
        return data


class EndForm(forms.Form):
    end_date = DateField(label=_("End date"), initial=today, widget=DateInput())

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)


class MembershipForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("not recorded")), *PersonGender.choices],
        required=False,
        help_text=Person._meta.get_field("gender").help_text,
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=150,
        required=False,
        help_text=_("For example: Head of the Police Commissariat."),
    )
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Needed for invitations. Never shown publicly.")
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, help_text=_("Never shown publicly.")
    )
    start_date = DateField(label=_("From"), initial=today, widget=DateInput())
    designated_by = forms.CharField(
        label=_("Designated by"),
        max_length=200,
        required=False,
        help_text=Membership._meta.get_field("designated_by").help_text,
    )

    def __init__(self, *args, council, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(
            pk__in=council.seats.active().values("institution_id")
        ).order_by("category", "name")
        # Only the roles this user may give (officers: the chair or a platform admin).
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: emri, email, telefoni, pozicioni, institucioni, roli, nga_data, gjinia (optional: "
            "f or m, blank if not known). Save from your spreadsheet as “CSV UTF-8”."
        ),
    )
    invite = forms.BooleanField(
        label=_("Invite everyone with an e-mail address to an account"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("The file is too large; the limit is 1 MB."))
        return upload


class ImportConfirmForm(forms.Form):
    """The checked file travels back with the confirmation, so nothing waits on the server."""

    content = forms.CharField(widget=forms.HiddenInput)
    invite = forms.BooleanField(required=False, widget=forms.HiddenInput)
