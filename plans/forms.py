"""Forms of the plan editor and its workflow. Errors come back in the user's language with what
they typed still in the form; the services check everything again before they write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Intensity, ProblemCategory
from consultations.models import Problem as ConsultationProblem
from councils.forms import DateField, DateInput
from councils.meetings.models import Decision
from councils.models import AdministrativeUnit, Council, Institution
from councils.selectors import seated_institutions
from kvsp.core.forms import IdChoiceField, IdMultipleChoiceField, TextField, in_calendar_range
from kvsp.core.uploads import validate_pdf

from .actors import split_names
from .approval import decision_choice_label, eligible_decisions, seen_stamp
from .models import Activity, Actor, Indicator, PlanVersion
from .money import LekField
from .tags import Disaggregation, FundingSource, Group

Kind = Activity.DeadlineKind


class PlanStartForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year of the plan"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ResponsibleMixin(forms.Form):
    """Who is responsible, beyond the council's member institutions: actors of the council's list
    ticked, and new names typed (one per line; a name already in the list, whatever its case or
    accents, is that actor)."""

    actors = IdMultipleChoiceField(
        label=_("Other responsible actors"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the council's list of actors: they are not members of the council."),
    )
    new_actors = TextField(
        label=_("Actors not in the list yet"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, for example: OJF, Përfaqësues të komunitetit, Drejtoria Arsimore."),
    )

    def set_council(self, council: Council) -> None:
        self.fields["actors"].queryset = Actor.objects.filter(council=council).order_by("name")
        self.fields["actors"].error_messages["invalid_choice"] = _("Choose actors of this council's list.")

    def responsible_data(self) -> dict:
        data = self.cleaned_data
        return {
            "actors": list(data.get("actors") or []),
            "new_actors": split_names(data.get("new_actors") or ""),
        }


class GroupsMixin(forms.Form):
    """The groups a row or an activity serves (plans/groups.py): ticked from the fixed list."""

    groups = forms.MultipleChoiceField(
        label=_("Groups served"),
        choices=Group.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose groups of the list.")},
        help_text=_("The vulnerable groups it is meant for, if any."),
    )


class MoneyMixin(forms.Form):
    """What an activity is estimated to cost and who pays (plans/money.py)."""

    estimated_cost = LekField(
        label=_("Estimated cost (lek)"), help_text=_("Optional. A whole amount, for example 1 250 000.")
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"),
        choices=[("", _("not given")), *FundingSource.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a funding source of the list.")},
    )
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        required=False,
        help_text=_("For example the donor or the institution that pays: UNDP, Policia e Shtetit."),
    )

    def money_data(self) -> dict:
        data = self.cleaned_data
        return {
            "estimated_cost": data.get("estimated_cost"),
            "funding_source": data.get("funding_source") or "",
            "funder": (data.get("funder") or "").strip(),
        }


class ProblemForm(forms.Form):
    """A row of the plan: the identified problem with its statistics, source and priority."""

    number = forms.CharField(
        label=_("Number"),
        max_length=10,
        help_text=_("As in the plan, for example 1.4: a proposal you may change."),
    )
    title = forms.CharField(label=_("Identified problem"), max_length=300)
    description = TextField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    statistics = TextField(
        label=_("Statistics"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: 56 cases of domestic violence in 2021."),
    )
    statistics_source = forms.CharField(
        label=_("Source of the statistics"),
        max_length=200,
        required=False,
        help_text=_("Optional."),
    )
    provenance = forms.CharField(
        label=_("Provenance note"),
        max_length=300,
        required=False,
        help_text=_("For example: updated at the council meeting of 03.02.2022."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Intensity.choices, widget=forms.RadioSelect)


class DeadlineForm(forms.Form):
    """The deadline as data: a kind, and the one extra field that kind needs. No kind: the row's
    deadline (an activity) or none for the whole row (a row)."""

    NO_DEADLINE = _("As the row")

    deadline_kind = forms.ChoiceField(
        label=_("Deadline"), choices=(), required=False, widget=forms.RadioSelect
    )
    deadline_date = DateField(label=_("Date"), required=False, widget=DateInput())
    deadline_period = forms.ChoiceField(
        label=_("Period"), choices=[("", "—"), *Activity.Period.choices], required=False
    )
    deadline_every_months = forms.IntegerField(
        label=_("Every how many months"),
        min_value=1,
        max_value=12,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("From 1 (every month) to 12 (once a year)."),
    )

    # Which extra field each kind needs, and the message when it is missing.
    NEEDS = {
        Kind.DATE: ("deadline_date", _("Give the date.")),
        Kind.PERIOD: ("deadline_period", _("Choose the period.")),
        Kind.RECURRENCE: ("deadline_every_months", _("Say every how many months (1 to 12).")),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline_kind"].choices = [*Kind.choices, ("", self.NO_DEADLINE)]

    def clean_deadline_date(self):
        return in_calendar_range(self.cleaned_data.get("deadline_date"))

    def clean(self):
        data = super().clean()
        needed = self.NEEDS.get(data.get("deadline_kind"))
        if needed:
            name, message = needed
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        return data

    def deadline_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name) for name in ("deadline_kind", "deadline_date", "deadline_every_months")
        } | {"deadline_period": data.get("deadline_period") or ""}


class RowForm(ProblemForm, ResponsibleMixin, DeadlineForm, GroupsMixin):
    """A row with, as in the guide's Table 1, its responsible institutions and actors and its
    deadline given once for its activities."""

    NO_DEADLINE = _("None for the whole row (each activity gives its own)")

    institutions = IdMultipleChoiceField(
        label=_("Responsible institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Member institutions of the council responsible for the row's activities."),
    )

    unit = IdChoiceField(
        label=_("Administrative unit"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("The whole municipality"),
        help_text=_("Where the problem is. Leave empty when it concerns the whole municipality."),
    )
    category = IdChoiceField(
        label=_("Category"),
        queryset=ProblemCategory.objects.none(),
        empty_label=_("Choose the category"),
        help_text=_("The area of the national strategy: the national roll-up counts by it."),
    )

    field_order = [
        "number",
        "title",
        "category",
        "description",
        "unit",
        "statistics",
        "statistics_source",
        "provenance",
        "priority",
        "institutions",
        "actors",
        "new_actors",
    ]

    def __init__(self, *args, council: Council, category_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.offered(category_id)
        self.fields["institutions"].queryset = seated_institutions(council)
        self.fields["institutions"].error_messages["invalid_choice"] = _(
            "Choose institutions that sit on this council."
        )
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(municipality=council.municipality_id)
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Choose an administrative unit of this municipality."
        )
        self.set_council(council)

    def service_data(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ProblemForm.base_fields}
        return (
            fields
            | {"institutions": list(data["institutions"]), "groups": sorted(data["groups"])}
            | {"unit": data["unit"], "category": data["category"]}
            | self.responsible_data()
            | self.deadline_data()
        )


class ActivityForm(ResponsibleMixin, DeadlineForm, GroupsMixin, MoneyMixin):
    """An activity: without its own institutions, actors or deadline it has its row's; the lead is
    optional, and no output names one the plan did not."""

    text = TextField(label=_("Activity"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    lead = IdChoiceField(
        label=_("Lead institution"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("No lead"),
        help_text=_("Optional: only if the plan names one."),
    )
    partners = IdMultipleChoiceField(
        label=_("Responsible institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave these empty to keep the row's institutions and actors."),
    )

    field_order = ["text", "lead", "partners", "actors", "new_actors"]

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        seated = seated_institutions(council)
        self.fields["lead"].queryset = seated
        self.fields["partners"].queryset = seated
        message = _("Choose institutions that sit on this council.")
        self.fields["lead"].error_messages["invalid_choice"] = message
        self.fields["partners"].error_messages["invalid_choice"] = message
        self.set_council(council)

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "lead": data["lead"],
            "partners": list(data["partners"]),
            "groups": sorted(data["groups"]),
            **self.responsible_data(),
            **self.deadline_data(),
            **self.money_data(),
        }


class TitleForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the plan"),
        max_length=300,
        required=False,
        help_text=_("Empty: the guide's title, with the municipality's name."),
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("For example: sessions, cases, %.")
    )
    baseline = forms.DecimalField(
        label=_("Baseline"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    frequency = forms.ChoiceField(
        label=_("Measured"), choices=Indicator.Frequency.choices, initial=Indicator.Frequency.QUARTERLY
    )
    disaggregation = forms.ChoiceField(
        label=_("Values split"),
        choices=[("", _("not split")), *Disaggregation.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Split: each value is entered per sex and/or age band, and the total is their sum."),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class PullForm(forms.Form):
    """Problems the SKN selected for the plan in a consultation, not yet in this draft."""

    problems = IdMultipleChoiceField(
        label=_("Problems selected for the plan"),
        queryset=ConsultationProblem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one problem.")},
    )

    def __init__(self, *args, version: PlanVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = pull_candidates(version)


def pull_candidates(version: PlanVersion):
    council = version.plan.council
    taken = version.problems.exclude(source_problem=None).values("source_problem_id")
    return (
        ConsultationProblem.objects.selected_for_plan(council)
        .exclude(pk__in=taken)
        .select_related("consultation")
    )


class ReturnForm(forms.Form):
    comment = TextField(
        label=_("What needs to change"),
        max_length=2000,
        error_messages={"required": _("Say what needs to change before returning the plan.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The SKN and the technical secretary read this on the draft."),
    )


class ApproveForm(forms.Form):
    """The chair chooses the council's recorded decision that approved the version. The choices are
    the eligible decisions (plans/approval.py); any other the browser sends is looked up and
    refused by the service with the reason."""

    decision = IdChoiceField(
        label=_("Decision of the council that approved the plan"),
        queryset=Decision.objects.none(),
        empty_label=_("Choose the decision"),
        help_text=_(
            "The decisions recorded in the minutes of this council's meetings held since the plan "
            "was submitted. Record the decision in the meeting first if it is not listed."
        ),
    )
    # What the chair read (approval.seen_stamp): the service refuses if the version changed since.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    signed_scan = forms.FileField(
        label=_("Signed and stamped decision (PDF)"),
        required=False,
        validators=[validate_pdf],
        help_text=_("Optional. A scan of the signed decision, as a PDF."),
    )

    def __init__(self, *args, version: PlanVersion, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.queryset = Decision.objects.select_related("meeting")
        self.eligible = list(eligible_decisions(version))
        field.choices = [("", field.empty_label)] + [
            (decision.pk, decision_choice_label(decision)) for decision in self.eligible
        ]
        field.error_messages["invalid_choice"] = _("Choose a decision of this council.")
        self.fields["seen"].initial = seen_stamp(version)
        self.fields["signed_scan"].widget.attrs["accept"] = "application/pdf"


class ReviseForm(forms.Form):
    note = TextField(
        label=_("Why revise it"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown with the version history, for example: after the autumn consultation."),
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    b = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, _("version %(number)s") % {"number": v.number}) for v in versions]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            self.add_error("b", _("Choose two different versions."))
        return data
