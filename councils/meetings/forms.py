"""Forms for meetings. Dates and times in the user's format; errors keep what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import Institution
from kvsp.core.forms import in_calendar_range
from kvsp.core.widgets import DateTimeField, DateTimeInput

from .models import AgendaItem, Attendance, Document, Invitation, Meeting

# The project's date-and-time box and field (kvsp.core.widgets), imported from here.
__all__ = ["DateTimeField", "DateTimeInput"]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "place", "restricted"]
        widgets = {"starts_at": DateTimeInput()}
        field_classes = {"starts_at": DateTimeField}

    def clean_starts_at(self):
        return in_calendar_range(self.cleaned_data["starts_at"])


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    presenter = forms.ModelChoiceField(
        label=_("Presented by"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Institution.objects.filter(
            pk__in=meeting.council.seats.active().values("institution_id")
        ).order_by("name")


class AttendanceForm(forms.Form):
    """One status per person expected at the meeting; a deputy's name when represented."""

    def __init__(self, *args, memberships, current, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        # Outside specialists of a task force: present, absent or excused (nobody represents them).
        self.specialist_rows = []
        for specialist in specialists:
            key = f"specialist_{specialist.pk}"
            self.fields[key] = forms.ChoiceField(
                label=_("%(person)s (outside specialist, %(institution)s)")
                % {"person": specialist.full_name, "institution": specialist.institution},
                choices=Attendance.Status.choices[:3],
                initial=specialist.attendance or Attendance.Status.PRESENT,
            )
            self.specialist_rows.append((specialist, key))
        for membership in memberships:
            known = current.get(membership.person_id)
            status = forms.ChoiceField(
                label=f"{membership.person.full_name} ({membership.institution})",
                choices=Attendance.status_choices_for(membership.person),
                initial=known.status if known else Attendance.Status.PRESENT,
            )
            deputy = forms.CharField(
                label=_("Represented by"),
                max_length=150,
                required=False,
                initial=known.represented_by if known else "",
            )
            self.fields[f"status_{membership.pk}"] = status
            self.fields[f"deputy_{membership.pk}"] = deputy
            self.rows.append((membership, f"status_{membership.pk}", f"deputy_{membership.pk}"))

    def clean(self):
        data = super().clean()
        for membership, status_key, deputy_key in self.rows:
            if data.get(status_key) == Attendance.Status.REPRESENTED and not data.get(deputy_key):
                self.add_error(
                    deputy_key,
                    _("Name the deputy who represented %(person)s.")
                    % {"person": membership.person.full_name},
                )
        return data

    def entries(self):
        return [
            (m.person, m.institution, self.cleaned_data[s], self.cleaned_data[d]) for m, s, d in self.rows
        ]

    def specialist_entries(self):
        return [(specialist, self.cleaned_data[key]) for specialist, key in self.specialist_rows]


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Write in paragraphs; an empty line starts a new one."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MinutesApproveForm(forms.Form):
    """Approve the version the approver read (a newer one is refused: it was not read)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The minutes changed since you opened them: read them again before approving.")
        },
    )


class MinutesReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the writer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say what needs to change: the technical secretary sees it while correcting the minutes."
        ),
        max_length=5000,
        error_messages={"required": _("Say what needs to change before returning the minutes.")},
    )


class DecisionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class AmendmentForm(forms.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 4}))


class InvitationSendForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("Invite"),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=_("People without an e-mail address cannot be invited by e-mail."),
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.people_by_pk = {m.person_id: m.person for m in memberships}
        no_email = _("no e-mail")
        self.fields["people"].choices = [(str(m.person_id), self._label(m, no_email)) for m in memberships]

    @staticmethod
    def _label(membership, no_email) -> str:
        label = f"{membership.person.full_name} — {membership.get_role_display()}, {membership.institution}"
        return label if membership.person.email else f"{label} ({no_email})"

    def chosen(self):
        return [self.people_by_pk[int(pk)] for pk in self.cleaned_data["people"]]


class InvitationAnswerForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["response", "deputy_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The invited person's own answer, in the first person (the model's labels name the states).
        self.fields["response"].choices = [
            (Invitation.Response.ATTENDING, _("I will attend")),
            (Invitation.Response.NOT_ATTENDING, _("I will not attend")),
            (Invitation.Response.DEPUTY, _("I will send a deputy")),
        ]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), JPEG or PNG.")
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Document.Visibility.choices, initial=Document.Visibility.COUNCIL
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Leave empty for a document of the council's archive."),
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(council=council).order_by("-starts_at")


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    KINDS = {
        "pdf": ("application/pdf",),
        "text": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.oasis.opendocument.text",
        ),
        "sheet": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
        "image": ("image/png", "image/jpeg"),
    }

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]
        self.fields["kind"].choices = [
            ("", _("All types")),
            ("pdf", "PDF"),
            ("text", _("Text document")),
            ("sheet", _("Spreadsheet")),
            ("image", _("Image")),
        ]
