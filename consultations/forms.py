"""Forms for consultations and concerns. Errors come back in the user's language with what they
typed still in the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.meetings.forms import DateTimeField, DateTimeInput
from councils.meetings.models import Meeting
from councils.models import AdministrativeUnit, Council, Institution, Person
from councils.selectors import seated_institutions
from kvsp.core.forms import IdChoiceField, IdMultipleChoiceField, TextField, in_calendar_range

from . import photos
from .models import CONCERN_MAX_CHARS, Concern, Consultation, Intensity, ParticipantGroup, Problem
from .taxonomy import ProblemCategory


def _units(council: Council):
    return AdministrativeUnit.objects.filter(municipality_id=council.municipality_id).order_by("name")


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "starts_at",
            "place",
            "unit",
            "mayor_name",
            "police_chief_name",
            "prosecutor_name",
            "co_leads",
            "co_lead_names",
            "agenda",
            "follow_up_meeting",
        ]
        field_classes = {
            "unit": IdChoiceField,
            "co_leads": IdMultipleChoiceField,
            "follow_up_meeting": IdChoiceField,
            "agenda": TextField,
            "starts_at": DateTimeField,
        }
        widgets = {
            "starts_at": DateTimeInput(),
            "co_leads": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(council)
        self.fields["co_leads"].queryset = seated_institutions(council)
        self.fields["follow_up_meeting"].queryset = Meeting.objects.filter(
            council=council, kind__in=Meeting.PUBLIC_KINDS
        ).order_by("-starts_at")
        consultation = self.instance
        agenda = self.fields["agenda"]
        if consultation.pk and consultation.status != Consultation.Status.DRAFT:
            # Announced (or held): citizens have read the agenda the SKN agreed.
            agenda.disabled = True
            agenda.help_text = _("The SKN agreed this agenda and it was announced: it no longer changes.")
        elif consultation.pk and consultation.agenda_agreed:
            agenda.help_text = _(
                "One item per line. The SKN has agreed this agenda: changing it sends it back to them "
                "for agreement before the consultation can be announced."
            )
        else:
            agenda.help_text = _("One item per line. The SKN agrees it before the consultation is announced.")

    def clean_starts_at(self):
        return in_calendar_range(self.cleaned_data["starts_at"])


class AnnounceForm(forms.Form):
    """The announcement, confirmed without one of the three co-leading heads if need be."""

    without_heads = forms.BooleanField(
        label=_("Announce it without them"),
        required=False,
        help_text=_("The consultation's page will show who co-leads it as it is recorded now."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class ParticipationForm(forms.Form):
    """Women, men and 'not stated' for each group, and a public summary of the discussion."""

    summary = TextField(
        label=_("Summary of the discussion"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown publicly. Name no individual: concerns are recorded one by one below."),
    )

    skn_present = IdMultipleChoiceField(
        label=_("SKN members present"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The guide asks the SKN to take part in the open consultations."),
    )

    COLUMNS = (("women", _("women")), ("men", _("men")), ("unspecified", _("not stated")))

    def __init__(self, *args, current: dict, skn, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skn_present"].queryset = skn
        self.rows = []
        for group in ParticipantGroup:
            known = current.get(group.value)
            names = []
            for column, label in self.COLUMNS:
                name = f"{group.value}_{column}"
                self.fields[name] = forms.IntegerField(
                    label=f"{group.label}: {label}",
                    min_value=0,
                    max_value=100000,
                    required=False,  # an empty box counts as nobody
                    initial=getattr(known, column, 0) if known else 0,
                    widget=forms.NumberInput(
                        attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}
                    ),
                )
                names.append(name)
            self.rows.append((group, [self[name] for name in names]))

    def counts(self) -> dict[str, tuple[int, int, int]]:
        data = self.cleaned_data
        return {
            group.value: tuple(data.get(f"{group.value}_{column}") or 0 for column, _label in self.COLUMNS)
            for group in ParticipantGroup
        }


class ConcernForm(forms.Form):
    """The citizens' form: no account needed. ``website`` is a trap for robots (hidden from
    people and from assistive technology); a person never fills it."""

    text = TextField(
        label=_("Your concern"),
        max_length=CONCERN_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the problem and where it happens. Do not name people. Any language is welcome."
        ),
    )
    # No category is chosen for the citizen: a pre-selected one would be sent unread.
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Concern.Category.choices],
        error_messages={"required": _("Choose the category that fits your concern best.")},
    )
    unit = IdChoiceField(
        label=_("Administrative unit"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("Not sure, or the whole municipality"),
    )
    neighbourhood = forms.CharField(
        label=_("Neighbourhood, street or village"), max_length=150, required=False
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": photos.ACCEPT}),
        help_text=_(
            "One photo of the place (JPEG, PNG or WebP, up to 5 MB). Its location and camera data are "
            "removed. It is shown only if a moderator publishes it; avoid faces and licence plates."
        ),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    contact_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("We send you the reference code and tell you the outcome."),
    )
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, council: Council, similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.fields["unit"].queryset = _units(council)
        if similar_url:
            # As the citizen types or chooses, similar published concerns appear (htmx; only the
            # text and the category are sent, never the contact).
            hint = {
                "data-hx-get": similar_url,
                "data-hx-target": "#similar-concerns",
                "data-hx-swap": "innerHTML",
            }
            self.fields["text"].widget.attrs.update(
                hint, **{"data-hx-trigger": "keyup changed delay:500ms", "data-hx-include": "#id_category"}
            )
            self.fields["category"].widget.attrs.update(
                hint, **{"data-hx-trigger": "change", "data-hx-include": "#id_text"}
            )
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Choose an administrative unit of this municipality."
        )
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the concern."))
        return text

    def clean_photo(self):
        """The photo re-encoded without its metadata (photos.clean), or None."""
        upload = self.cleaned_data.get("photo")
        return photos.clean(upload) if upload else None

    @property
    def photo_lost(self) -> bool:
        """A photo was chosen, but the form comes back for another error: the browser does not
        keep the chosen file, so the citizen must choose it again."""
        return bool(self.is_bound and self.files.get("photo") and self.errors and "photo" not in self.errors)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        if data.get("photo") is None:
            data.pop("photo", None)
        return data


class StaffConcernForm(ConcernForm):
    """A concern raised at the meeting or on paper, typed in by the technical secretary."""

    source = forms.ChoiceField(
        label=_("How it was raised"),
        choices=[
            (Concern.Source.ORAL, Concern.Source.ORAL.label),
            (Concern.Source.PAPER, Concern.Source.PAPER.label),
        ],
    )

    field_order = ["source", "text", "category", "unit", "neighbourhood"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        del self.fields["photo"]  # said at the meeting or written on paper: no photo
        self.fields["text"].label = _("Concern")
        self.fields["text"].help_text = _("As the citizen said or wrote it. Do not name other people.")
        self.fields["contact_name"].label = _("Citizen's name (optional)")
        self.fields["contact_email"].help_text = _(
            "Only if the citizen wants the code and the outcome by e-mail."
        )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Reference code"), max_length=20)


def moderation_stamp(concern: Concern) -> str:
    """The concern's moderation state as a moderator saw it: its status and when it was last
    moderated. A form sends it back, so a decision taken on a state another moderator has changed
    since is caught (consultations/views.py, ConcernDetailView) instead of silently overriding it."""
    moderated = concern.moderated_at.isoformat() if concern.moderated_at else ""
    return f"{concern.status}|{moderated}"


class ModerationForm(forms.Form):
    # moderation_stamp() of the concern the moderator was looking at; empty: not checked.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class PublishForm(ModerationForm):
    public_text = TextField(
        label=_("Text to publish"),
        max_length=CONCERN_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Remove names, addresses and anything that identifies a person before publishing."),
    )
    public_neighbourhood = forms.CharField(
        label=_("Place to publish"),
        max_length=150,
        required=False,
        help_text=_("The neighbourhood or village as the public sees it: no house numbers or names."),
    )


class PublishPhotoForm(PublishForm):
    """Publishing a concern that came with a photo: the moderator decides about the photo too."""

    photo = forms.ChoiceField(
        label=_("The citizen's photo"),
        widget=forms.RadioSelect,
        choices=[
            ("publish", _("Publish it with the concern")),
            ("hide", _("Do not publish it (the moderators keep it until the retention period ends)")),
            ("delete", _("Delete it for good (for example, it shows a face or a licence plate)")),
        ],
        error_messages={"required": _("Choose what to do with the photo.")},
    )
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("A short description for people who cannot see it. No names."),
    )


class RejectForm(ModerationForm):
    reason = forms.CharField(
        label=_("Why it is not published"),
        max_length=300,
        help_text=_("The citizen sees this reason on the page of their code."),
    )


class MergeForm(ModerationForm):
    into = forms.CharField(label=_("Code of the similar concern"), max_length=20)

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern

    def clean_into(self):
        from .services import normalise_code

        code = normalise_code(self.cleaned_data["into"])
        target = (
            Concern.objects.filter(council_id=self.concern.council_id, code=code)
            .exclude(pk=self.concern.pk)
            .first()
            if code
            else None
        )
        if target is None:
            raise forms.ValidationError(_("No other concern of this council has this code."))
        return target


class GroupForm(forms.Form):
    """On the prioritisation workspace: put the ticked concerns into a new or an existing problem."""

    concerns = IdMultipleChoiceField(
        label=_("Concerns"), queryset=Concern.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    problem = IdChoiceField(
        label=_("Add to the problem"),
        queryset=Problem.objects.none(),
        required=False,
        empty_label=_("A new problem (name it below)"),
    )
    title = forms.CharField(label=_("Name of the new problem"), max_length=300, required=False)

    def __init__(self, *args, consultation: Consultation, concerns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = concerns
        self.fields["problem"].queryset = consultation.problems.all()

    def clean(self):
        data = super().clean()
        if not data.get("problem") and not (data.get("title") or "").strip():
            self.add_error("title", _("Name the new problem, or choose an existing one."))
        return data


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Problem"), max_length=300)
    category = IdChoiceField(
        label=_("Category"),
        queryset=ProblemCategory.objects.none(),
        empty_label=_("Choose the category"),
        help_text=_("The area of the national strategy: the national roll-up counts by it."),
    )
    description = TextField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    intensity = forms.ChoiceField(
        label=_("Risk intensity"),
        choices=[("", _("Not assessed yet")), *Intensity.choices],
        required=False,
    )
    reasons = TextField(
        label=_("Reasons for this assessment"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    statistics = TextField(
        label=_("Statistics"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: 56 cases of domestic violence in 2021."),
    )
    statistics_source = forms.CharField(label=_("Source of the statistics"), max_length=200, required=False)
    institutions = IdMultipleChoiceField(
        label=_("Proposed responsible institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(label=_("Decision"), choices=Problem.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Note on the decision"),
        max_length=500,
        required=False,
        help_text=_("Where it was referred, or why it was not taken. Shown publicly."),
    )
    remove = IdMultipleChoiceField(
        label=_("Take these concerns out of the problem"),
        queryset=Concern.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.offered(problem.category_id)
        self.fields["institutions"].queryset = seated_institutions(problem.council)
        self.fields["remove"].queryset = problem.concerns.all()
        self.fields["remove"].label_from_instance = lambda concern: concern.code
