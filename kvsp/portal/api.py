"""The read-only open-data API, /api/v1/: councils, their published plans and the plans' rows.

Public data only (DESIGN.md "Visibility"): a council's status, chair arrangement, public contact
address and member institutions — never a person's name, e-mail or phone — and approved plan
versions; a draft or submitted version never appears, not even when its number is guessed.

JSON only: DRF's browsable API needs inline scripts, which our Content-Security-Policy forbids.
Every view is GET-only for everyone (a POST, PUT or DELETE is 405) and uses no authentication, so
a signed-in browser's session cookie neither changes the answers nor turns a POST into a CSRF 403.

The addresses are written out (kvsp/portal/api_urls.py) rather than made by a router: they nest a
council's slug, a year and a version number as the public pages do, and a router would add
format-suffix duplicates of every address for a single format.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.models import Intensity
from councils.models import Council, CouncilInstitution, Institution
from plans.models import Activity, Indicator, Plan, PlanProblem, PlanVersion
from plans.money import rows_totals
from plans.ordering import in_named_order
from plans.tags import Disaggregation, Group

from .lookups import PLAN_FILES

PUBLISHED = PlanVersion.Status.APPROVED
LINEAGE = {
    "lineage": {"help_text": "The same in every version of the year's plan: follows a row through revisions."}
}


class Pagination(PageNumberPagination):
    """Pages of 50 by default; ``?page_size=`` up to 100 (61 councils fit in one request)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    # Every field read-only, so that the schema says so too: the API never writes. (A comment,
    # not a docstring: drf-spectacular would show a docstring on every subclass.)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# --- councils ----------------------------------------------------------------------------------


class CountySerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class InstitutionSerializer(ReadOnlyModelSerializer):
    """A member institution: its name and its category in the regulation (art. 4, a to o)."""

    category = serializers.ChoiceField(choices=Institution.Category.choices, read_only=True)

    class Meta:
        model = Institution
        fields = ["name", "category"]


class FoundingDecisionSerializer(serializers.Serializer):
    number = serializers.CharField(source="founding_decision_number", read_only=True)
    date = serializers.DateField(source="founding_decision_date", read_only=True, allow_null=True)
    issued_by = serializers.CharField(source="founding_decision_body", read_only=True)


class CouncilSerializer(ReadOnlyModelSerializer):
    """A council as the public sees it: no person, only the council's own public address."""

    slug = serializers.CharField(source="municipality.slug", read_only=True)
    name = serializers.CharField(source="municipality.name", read_only=True)
    county = CountySerializer(source="municipality.county", read_only=True)
    status = serializers.ChoiceField(choices=Council.Status.choices, read_only=True)
    chair_holder = serializers.ChoiceField(
        choices=Council.ChairHolder.choices,
        read_only=True,
        help_text="Who chairs the council: the mayor, the county prefect or another office holder.",
    )
    contact_email = serializers.EmailField(
        read_only=True, help_text="The council's public address (never a person's)."
    )
    founding_decision = FoundingDecisionSerializer(source="*", read_only=True)
    url = serializers.SerializerMethodField(help_text="This council in the API.")
    plans_url = serializers.SerializerMethodField(help_text="The council's published plans in the API.")
    web_url = serializers.SerializerMethodField(help_text="The council's public page.")

    class Meta:
        model = Council
        fields = [
            "slug",
            "name",
            "county",
            "status",
            "chair_holder",
            "contact_email",
            "founding_decision",
            "url",
            "plans_url",
            "web_url",
        ]

    def get_url(self, council) -> str:
        return _absolute(self.context.get("request"), reverse("api:council-detail", args=[council.slug]))

    def get_plans_url(self, council) -> str:
        return _absolute(self.context.get("request"), reverse("api:plan-list", args=[council.slug]))

    def get_web_url(self, council) -> str:
        return _absolute(self.context.get("request"), reverse("portal:council", args=[council.slug]))


class CouncilDetailSerializer(CouncilSerializer):
    institutions = serializers.SerializerMethodField(help_text="The member institutions today.")

    class Meta(CouncilSerializer.Meta):
        fields = [*CouncilSerializer.Meta.fields, "institutions"]

    @extend_schema_field(InstitutionSerializer(many=True))
    def get_institutions(self, council):
        return InstitutionSerializer([seat.institution for seat in council.active_seats], many=True).data


def _councils():
    return Council.objects.public().order_by("municipality__name")


class CouncilListView(generics.ListAPIView):
    """The 61 councils, by municipality name."""

    serializer_class = CouncilSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return _councils()


class CouncilDetailView(generics.RetrieveAPIView):
    """One council, with its member institutions today."""

    serializer_class = CouncilDetailSerializer

    def get_object(self):
        seats = CouncilInstitution.objects.active().select_related("institution")
        queryset = _councils().prefetch_related(Prefetch("seats", queryset=seats, to_attr="active_seats"))
        return get_object_or_404(queryset, municipality__slug=self.kwargs["slug"])


# --- plans and versions ------------------------------------------------------------------------


def _version_path(slug: str, year: int, number: int) -> str:
    return reverse("api:version-detail", args=[slug, year, number])


def _web_version_path(slug: str, year: int, number: int) -> str:
    return reverse("portal:plan-version", args=[slug, year, number])


# The files of a published version, as its public page serves them (plan.pdf, plan.csv, ...).
WEB_FILES = PLAN_FILES


class MeetingSerializer(serializers.Serializer):
    date = serializers.DateTimeField(source="starts_at", read_only=True)
    place = serializers.CharField(read_only=True)
    web_url = serializers.SerializerMethodField(help_text="The meeting's public page; null if restricted.")

    def get_web_url(self, meeting) -> str | None:
        if not meeting.is_public:
            return None
        path = reverse("portal:meeting", args=[self.context["slug"], meeting.pk])
        return _absolute(self.context.get("request"), path)


class DecisionSerializer(serializers.Serializer):
    number = serializers.CharField(
        source="decision_number",
        read_only=True,
        help_text='Numbered per council and year ("3/2026"); versions approved before: as typed then.',
    )
    date = serializers.DateField(source="decision_date", read_only=True)
    label = serializers.CharField(
        source="decision_label", read_only=True, help_text='"Decision no. 3/2026", in the asked language.'
    )
    text = serializers.SerializerMethodField(help_text="The decision as recorded at the meeting.")
    meeting = serializers.SerializerMethodField(help_text="The council meeting that approved the version.")

    def get_text(self, version) -> str:
        return version.decision.text if version.decision_id else ""

    @extend_schema_field(MeetingSerializer(allow_null=True))
    def get_meeting(self, version):
        if version.meeting is None:
            return None
        return MeetingSerializer(version.meeting, context=self.context).data


class VersionSummarySerializer(serializers.Serializer):
    """A published version in a list: when and by which decision it was approved."""

    number = serializers.IntegerField(read_only=True)
    approved_at = serializers.DateTimeField(read_only=True)
    decision = DecisionSerializer(source="*", read_only=True)
    revises = serializers.SerializerMethodField(help_text="The number of the version this one revises.")
    note = serializers.CharField(read_only=True, help_text="What changed.")
    url = serializers.SerializerMethodField(help_text="This version, with its rows, in the API.")
    web_url = serializers.SerializerMethodField(help_text="This version's public page.")

    def get_revises(self, version) -> int | None:
        return version.based_on.number if version.based_on_id else None

    def get_url(self, version) -> str:
        path = _version_path(self.context["slug"], version.plan.year, version.number)
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, version) -> str:
        path = _web_version_path(self.context["slug"], version.plan.year, version.number)
        return _absolute(self.context.get("request"), path)


class PlanSerializer(ReadOnlyModelSerializer):
    """A year's plan with its published versions, oldest first."""

    latest_version = serializers.SerializerMethodField(
        help_text="The number of the newest published version."
    )
    url = serializers.SerializerMethodField(
        help_text="The newest published version, with its rows, in the API."
    )
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["year", "latest_version", "url", "versions"]

    def get_latest_version(self, plan) -> int:
        return plan.published_versions[-1].number

    def get_url(self, plan) -> str:
        path = reverse("api:plan-detail", args=[self.context["slug"], plan.year])
        return _absolute(self.context.get("request"), path)

    @extend_schema_field(VersionSummarySerializer(many=True))
    def get_versions(self, plan):
        for version in plan.published_versions:
            version.plan = plan
        return VersionSummarySerializer(plan.published_versions, many=True, context=self.context).data


class PlanListView(generics.ListAPIView):
    """A council's plans that have at least one published version, newest year first."""

    serializer_class = PlanSerializer
    pagination_class = Pagination

    def get_queryset(self):
        self.council = get_object_or_404(_councils(), municipality__slug=self.kwargs["slug"])
        published = PlanVersion.objects.filter(status=PUBLISHED).select_related(
            "meeting", "decision", "based_on"
        )
        return (
            Plan.objects.filter(council=self.council)
            .filter(Exists(PlanVersion.objects.filter(plan=OuterRef("pk"), status=PUBLISHED)))
            .prefetch_related(Prefetch("versions", queryset=published, to_attr="published_versions"))
            .order_by("-year")
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | {"slug": self.kwargs["slug"]}


# --- a version's rows --------------------------------------------------------------------------


class IndicatorSerializer(ReadOnlyModelSerializer):
    """A measurable indicator of an activity: baseline and target are numbers (or null)."""

    frequency = serializers.ChoiceField(choices=Indicator.Frequency.choices, read_only=True)
    disaggregation = serializers.ChoiceField(
        choices=[("", "not split"), *Disaggregation.choices],
        read_only=True,
        help_text='How its values are split: "" (not split), "sex", "age" or "sex_age" (plan.json).',
    )

    class Meta:
        model = Indicator
        fields = ["lineage", "name", "unit", "baseline", "target", "frequency", "disaggregation"]
        extra_kwargs = LINEAGE


class DeadlineTextSerializer(serializers.Serializer):
    sq = serializers.CharField(read_only=True, help_text="In Albanian.")
    en = serializers.CharField(read_only=True, help_text="In English.")


class DeadlineSerializer(serializers.Serializer):
    """The deadline as data (one of a date, a period, a recurrence, all year) and as text: an
    activity's own, else its row's (``inherited``)."""

    kind = serializers.ChoiceField(choices=Activity.DeadlineKind.choices, read_only=True)
    date = serializers.DateField(source="day", read_only=True, allow_null=True)
    period = serializers.SerializerMethodField(
        help_text="h1, h2 (halves of the year) or q1 to q4 (quarters)."
    )
    every_months = serializers.IntegerField(read_only=True, allow_null=True)
    text = serializers.SerializerMethodField()
    due_dates = serializers.SerializerMethodField(
        help_text="The days by which the activity (each round of a recurring one) is due in the plan's year."
    )

    @extend_schema_field(
        serializers.ChoiceField(choices=Activity.Period.choices, allow_null=True, read_only=True)
    )
    def get_period(self, deadline):
        return deadline.period or None

    @extend_schema_field(DeadlineTextSerializer)
    def get_text(self, deadline):
        text = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                text[language] = str(deadline)
        return text

    @extend_schema_field(serializers.ListField(child=serializers.DateField()))
    def get_due_dates(self, deadline):
        return [day.isoformat() for day in deadline.due_dates(self.context["year"])]


class ActivitySerializer(ReadOnlyModelSerializer):
    """An activity of a problem: who leads it, with whom, by when, and how it is measured."""

    number = serializers.CharField(
        read_only=True,
        help_text="The problem's number and the activity's place in it, e.g. 1.4.2 (as plan.json).",
    )
    lead = InstitutionSerializer(
        read_only=True, allow_null=True, help_text="The lead institution, or null: the plan names none."
    )
    partners = InstitutionSerializer(
        many=True, read_only=True, help_text="Member institutions named on the activity."
    )
    actors = serializers.SlugRelatedField(
        slug_field="name",
        many=True,
        read_only=True,
        help_text="Other responsible actors named on the activity.",
    )
    responsible = serializers.ListField(
        child=serializers.CharField(),
        source="responsible.names",
        read_only=True,
        help_text="Everyone responsible: the activity's own names, else its row's.",
    )
    responsible_inherited = serializers.BooleanField(
        source="responsible.inherited", read_only=True, help_text="True: the row's."
    )
    deadline = DeadlineSerializer(read_only=True, help_text="The activity's own deadline, else its row's.")
    deadline_inherited = serializers.BooleanField(read_only=True)
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=Group.choices),
        read_only=True,
        help_text="The groups the activity itself serves (never its row's).",
    )
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "number",
            "lineage",
            "text",
            "lead",
            "partners",
            "actors",
            "responsible",
            "responsible_inherited",
            "deadline",
            "deadline_inherited",
            "groups",
            "estimated_cost",
            "funding_source",
            "funder",
            "indicators",
        ]
        extra_kwargs = LINEAGE


class ProblemSerializer(ReadOnlyModelSerializer):
    """One row of the plan (the guide's Table 1): an identified problem and its activities."""

    priority = serializers.ChoiceField(choices=Intensity.choices, read_only=True)
    institutions = InstitutionSerializer(
        many=True, read_only=True, help_text="Member institutions responsible for the whole row."
    )
    actors = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Other actors responsible for the whole row."
    )
    deadline = DeadlineSerializer(
        source="own_deadline", read_only=True, allow_null=True, help_text="The row's deadline, or null."
    )
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=Group.choices),
        read_only=True,
        help_text="The groups the row serves.",
    )
    unit = serializers.SlugRelatedField(
        slug_field="name", read_only=True, help_text="The administrative unit; null: the whole municipality."
    )
    activities = serializers.SerializerMethodField()

    class Meta:
        model = PlanProblem
        fields = [
            "number",
            "lineage",
            "title",
            "description",
            "statistics",
            "statistics_source",
            "provenance",
            "priority",
            "institutions",
            "actors",
            "deadline",
            "groups",
            "unit",
            "activities",
        ]
        extra_kwargs = LINEAGE

    @extend_schema_field(ActivitySerializer(many=True))
    def get_activities(self, problem):
        activities = list(problem.activities.all())
        for index, activity in enumerate(activities, start=1):
            activity.number = f"{problem.number}.{index}"
        return ActivitySerializer(activities, many=True, context=self.context).data


class VersionSerializer(VersionSummarySerializer):
    """A published version in full: the council, the year, the approval and every row."""

    council = serializers.SerializerMethodField()
    year = serializers.IntegerField(source="plan.year", read_only=True)
    title = serializers.CharField(
        source="display_title", read_only=True, help_text="The plan's title (by default the guide's)."
    )
    files = serializers.SerializerMethodField(help_text="The version's files on its public page.")
    versions = serializers.SerializerMethodField(help_text="Every published version of this year's plan.")
    problems = ProblemSerializer(many=True, read_only=True)
    budget = serializers.SerializerMethodField(
        help_text="The estimated costs in lek: total, by funding source and by priority (as plan.json)."
    )

    def get_budget(self, version) -> dict:
        return rows_totals(version.problems.all()).as_data()

    @extend_schema_field(
        inline_serializer(
            "CouncilReference", {"slug": serializers.CharField(), "name": serializers.CharField()}
        )
    )
    def get_council(self, version):
        return {"slug": version.plan.council.slug, "name": version.plan.council.municipality.name}

    @extend_schema_field(
        inline_serializer("VersionFiles", {kind: serializers.URLField() for kind in WEB_FILES})
    )
    def get_files(self, version):
        args = [self.context["slug"], version.plan.year, version.number]
        request = self.context.get("request")
        return {
            kind: _absolute(request, reverse(f"portal:plan-version-{kind}", args=args)) for kind in WEB_FILES
        }

    @extend_schema_field(
        inline_serializer(
            "VersionLink", {"number": serializers.IntegerField(), "url": serializers.URLField()}, many=True
        )
    )
    def get_versions(self, version):
        request = self.context.get("request")
        return [
            {
                "number": number,
                "url": _absolute(request, _version_path(self.context["slug"], version.plan.year, number)),
            }
            for number in self.context["published_numbers"]
        ]


class VersionDetailView(generics.RetrieveAPIView):
    """A published version of a council's plan with every row. Without a version number: the
    newest published version of that year. A draft or submitted version is 404."""

    serializer_class = VersionSerializer

    def get_object(self):
        activities = (
            Activity.objects.select_related("lead")
            .prefetch_related(  # the names responsible in the order named (plans/ordering.py)
                Prefetch("partners", queryset=in_named_order(Activity, "partners")),
                Prefetch("actors", queryset=in_named_order(Activity, "actors")),
                "indicators",
            )
            .order_by("position", "pk")
        )
        versions = (
            PlanVersion.objects.filter(
                status=PUBLISHED,
                plan__council__municipality__slug=self.kwargs["slug"],
                plan__year=self.kwargs["year"],
            )
            .select_related("plan__council__municipality", "meeting", "decision", "based_on")
            .prefetch_related(
                Prefetch(
                    "problems",
                    queryset=PlanProblem.objects.order_by("position", "pk")
                    .select_related("unit")
                    .prefetch_related(
                        Prefetch("institutions", queryset=in_named_order(PlanProblem, "institutions")),
                        Prefetch("actors", queryset=in_named_order(PlanProblem, "actors")),
                    ),
                ),
                Prefetch("problems__activities", queryset=activities),
            )
        )
        if "number" in self.kwargs:
            version = get_object_or_404(versions, number=self.kwargs["number"])
        else:
            version = versions.order_by("-number").first()
            if version is None:
                raise Http404
        self.published_numbers = list(
            PlanVersion.objects.filter(plan=version.plan_id, status=PUBLISHED)
            .order_by("number")
            .values_list("number", flat=True)
        )
        return version

    def retrieve(self, request, *args, **kwargs):
        version = self.get_object()
        context = self.get_serializer_context() | {
            "slug": self.kwargs["slug"],
            "year": version.plan.year,
            "published_numbers": self.published_numbers,
        }
        return Response(self.get_serializer_class()(version, context=context).data)


# --- the entry point ---------------------------------------------------------------------------


class ApiRootView(APIView):
    """Where to start: the list of councils and the schema."""

    @extend_schema(
        responses=inline_serializer(
            "ApiRoot",
            {
                "councils": serializers.URLField(),
                "schema": serializers.URLField(),
            },
        )
    )
    def get(self, request):
        return Response(
            {
                "councils": _absolute(request, reverse("api:council-list")),
                "schema": _absolute(request, reverse("api:schema")),
            }
        )
