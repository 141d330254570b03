"""What the history page may show: an explicit allow-list of kinds of objects, each with the
models whose django-simple-history rows join its page, and how those rows read.

A kind names its model, how to find the object inside the URL's council, who may read that
object (on top of ``councils.view_history``) and its parts: the object itself and the records that
belong to it (a meeting's agenda, minutes, decisions and documents; a plan version's rows,
activities and indicators...), found in the history tables so that deleted records show too.

Only fields that the historical model keeps are shown (a model's ``excluded_fields`` never reach
the page) and never one whose name speaks of a contact or a secret. Values are plain text, escaped
by the template, and long texts are cut short.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import rules
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import Consultation, Participation
from councils.meetings.models import AgendaItem, Decision, Document, Meeting, Minutes
from councils.models import Council, CouncilInstitution, Membership
from monitoring.models import MonthlyReport
from plans.models import Activity, Indicator, PlanProblem, PlanVersion

# Never shown, whatever the model: bookkeeping, derived copies, and anything that looks like a
# contact or a secret (DESIGN.md "Visibility": citizens' contacts never appear in a history view).
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "council", "lineage", "search_text", "body"})
HIDDEN_WORDS = ("email", "phone", "password", "token", "secret", "contact")
TEXT_LIMIT = 200

CHANGE_TYPES = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


@dataclass(frozen=True)
class Part:
    """One model of a kind's page. ``owner`` is the field of its historical rows that points at
    the object (``parent`` None) or at a record of the part ``parent`` (its index)."""

    model: type[models.Model]
    owner: str = "id"
    parent: int | None = None
    # The field that names a record in the list (e.g. a decision's number).
    label_field: str = ""
    # Shown only to whoever passes this test on the kind's object.
    visible: Callable | None = None
    # Who fails this test on the kind's object sees only the records the model's ``for_user``
    # gives them (live ones: what its own pages show them), never a deleted or hidden one.
    all_rows: Callable | None = None


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    # The lookup from the model to its council's id, e.g. "plan__council_id".
    council_lookup: str
    # Who may read the object itself (on top of councils.view_history).
    readable: Callable
    parts: tuple[Part, ...]
    # The object's own page, where its "Historiku" link is.
    page: Callable
    select_related: tuple[str, ...] = field(default_factory=tuple)


def _perm(name: str) -> Callable:
    return lambda user, obj: user.has_perm(name, obj)


def _version_readable(user, version) -> bool:
    council = version.plan.council
    return user.has_perm("plans.view_plans", council) and (
        version.is_published or user.has_perm("plans.view_drafts", council)
    )


def _report_readable(user, report) -> bool:
    return user.has_perm("monitoring.view_monitoring", report.council) and (
        report.is_frozen or user.has_perm("monitoring.view_internal", report.council)
    )


# Draft minutes: the council's own people (meetings.view_drafts), never the national observer;
# the history shows every earlier text of the minutes. Decisions and documents: the council's own
# people see every record; anyone else (the observer) only what the meeting's page shows them —
# decisions once the minutes are approved, documents as each is marked (DESIGN.md "Visibility").
_meeting_drafts = _perm("meetings.view_drafts")

KINDS: dict[str, Kind] = {
    # The council's details and its composition: member institutions and roles.
    "council": Kind(
        Council,
        "pk",  # the council itself
        lambda user, council: True,
        (
            Part(Council),
            Part(CouncilInstitution, "council_id", label_field="institution"),
            Part(Membership, "council_id", label_field="person"),
        ),
        lambda council: reverse("councils:council-detail", args=[council.slug]),
        ("municipality",),
    ),
    "meeting": Kind(
        Meeting,
        "council_id",
        _perm("meetings.view_meeting"),
        (
            Part(Meeting),
            Part(AgendaItem, "meeting_id", label_field="title"),
            Part(Minutes, "meeting_id", visible=_meeting_drafts),
            Part(Decision, "meeting_id", label_field="number", all_rows=_meeting_drafts),
            Part(Document, "meeting_id", label_field="title", all_rows=_meeting_drafts),
        ),
        lambda meeting: reverse("meetings:meeting-detail", args=[meeting.council.slug, meeting.pk]),
        ("council__municipality",),
    ),
    "plan-version": Kind(
        PlanVersion,
        "plan__council_id",
        _version_readable,
        (
            Part(PlanVersion),
            Part(PlanProblem, "version_id", label_field="number"),
            Part(Activity, "problem_id", parent=1, label_field="text"),
            Part(Indicator, "activity_id", parent=2, label_field="name"),
        ),
        lambda version: reverse(
            "plans:version", args=[version.plan.council.slug, version.plan.year, version.number]
        ),
        ("plan__council__municipality",),
    ),
    "consultation": Kind(
        Consultation,
        "council_id",
        _perm("consultations.view_consultation"),
        (Part(Consultation), Part(Participation, "consultation_id", label_field="group")),
        lambda consultation: reverse(
            "consultations:detail", args=[consultation.council.slug, consultation.pk]
        ),
        ("council__municipality",),
    ),
    "report": Kind(
        MonthlyReport,
        "council_id",
        _report_readable,
        (Part(MonthlyReport),),
        lambda report: reverse("monitoring:report", args=[report.council.slug, report.year, report.month]),
        ("council__municipality",),
    ),
}


@rules.predicate
def can_read_object(user, obj) -> bool:
    """The object's own read rule, by its kind (on top of ``councils.view_history``)."""
    kind = next((kind for kind in KINDS.values() if isinstance(obj, kind.model)), None)
    return kind is not None and kind.readable(user, obj)


rules.set_rule("audit.read_object", can_read_object)


def _shown(name: str) -> bool:
    return name not in HIDDEN_FIELDS and not any(word in name for word in HIDDEN_WORDS)


def shown_fields(part: Part) -> list[models.Field]:
    """The fields of a part's historical rows that the page may show, in the model's order:
    editable, kept by the history (excluded fields are not), not many-to-many, not hidden."""
    history_model = part.model.history.model
    return [
        f
        for f in history_model.tracked_fields
        if f.editable and not f.many_to_many and _shown(f.name) and f.name != part.owner.removesuffix("_id")
    ]


@dataclass
class Change:
    label: str
    old: str | None
    new: str | None


@dataclass
class Entry:
    when: object
    who: str
    change_type: str
    # "+" created, "~" changed, "-" deleted (django-simple-history's history_type).
    code: str
    what: str
    changes: list[Change]


def _records(kind: Kind, obj, user) -> list[tuple[Part, list]]:
    """The historical rows of each visible part, oldest first (one query a part)."""
    found: list[tuple[Part, list]] = []
    for part in kind.parts:
        if part.visible is not None and not part.visible(user, obj):
            found.append((part, []))
            continue
        if part.parent is None:
            lookup = {part.owner: obj.pk}
        else:
            lookup = {f"{part.owner}__in": {r.id for r in found[part.parent][1]}}
        history = part.model.history.filter(**lookup)
        if part.all_rows is not None and not part.all_rows(user, obj):
            history = history.filter(id__in=part.model._default_manager.for_user(user).values("id"))
        rows = list(history.select_related("history_user").order_by("history_date", "history_id"))
        found.append((part, rows))
    return found


def _foreign_labels(parts: list[tuple[Part, list]]) -> dict[tuple[type, object], str]:
    """Names of every object a shown foreign key points at: one query per related model."""
    wanted: dict[type, set] = {}
    for part, rows in parts:
        for f in shown_fields(part):
            if isinstance(f, models.ForeignKey):
                ids = {getattr(r, f.attname) for r in rows} - {None}
                wanted.setdefault(f.related_model, set()).update(ids)
    labels = {}
    for related, ids in wanted.items():
        if not ids:
            continue
        for pk, target in related._default_manager.in_bulk(ids).items():
            labels[(related, pk)] = _name(target)
    return labels


def _name(target) -> str:
    """A person or account by full name (never an e-mail address); a plan version by its number
    (its full name would need three more queries); anything else as it reads."""
    full_name = getattr(target, "full_name", None)
    if full_name is not None:
        return full_name or _("a person without a name")
    if isinstance(target, PlanVersion):
        return f"v{target.number}"
    return str(target)


def display(f: models.Field, value, labels) -> str | None:
    """One stored value as the page shows it, or None for empty."""
    if value is None or value == "":
        return None
    if isinstance(f, models.ForeignKey):
        return labels.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(f, models.DateField):
        return formats.date_format(value, "d.m.Y")
    if isinstance(f, models.FileField):
        return PurePosixPath(str(value)).name or None
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _raw(record, f: models.Field):
    return getattr(record, f.attname)


def entries(kind: Kind, obj, user) -> list[Entry]:
    """Every change of the object and its parts, newest first: when, who, what and how."""
    parts = _records(kind, obj, user)
    labels = _foreign_labels(parts)
    result: list[Entry] = []
    for part, rows in parts:
        fields = shown_fields(part)
        by_name = {f.name: f for f in fields}
        names = [f.name for f in fields]
        previous: dict[object, object] = {}
        for record in rows:
            before = previous.get(record.id)
            changes: list[Change] = []
            if record.history_type == "+" or before is None:
                for f in fields:
                    new = display(f, _raw(record, f), labels)
                    if new is not None:
                        changes.append(Change(capfirst(f.verbose_name), None, new))
            elif record.history_type == "~":
                delta = record.diff_against(before, included_fields=names)
                changed = {change.field for change in delta.changes}
                for name in names:  # the model's order, not the diff's alphabetical one
                    if name in changed:
                        f = by_name[name]
                        changes.append(
                            Change(
                                capfirst(f.verbose_name),
                                display(f, _raw(before, f), labels),
                                display(f, _raw(record, f), labels),
                            )
                        )
            previous[record.id] = record
            if record.history_type == "~" and not changes:
                continue  # a save that changed nothing the page shows
            result.append(
                Entry(
                    when=record.history_date,
                    who=_who(record),
                    change_type=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                    code=record.history_type,
                    what=_what(part, record, labels),
                    changes=changes,
                )
            )
    result.sort(key=lambda entry: entry.when, reverse=True)
    return result


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("the system")
    return user.full_name or _("a person without a name")


def _what(part: Part, record, labels) -> str:
    name = capfirst(part.model._meta.verbose_name)
    if not part.label_field:
        return str(name)
    f = part.model.history.model._meta.get_field(part.label_field)
    value = display(f, _raw(record, f), labels)
    return f"{name}: {Truncator(value).chars(60)}" if value else str(name)
