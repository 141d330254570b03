"""Where an import lands (``import_target``: the year's open draft, or why there is none now), and
``plan_import``, the service that writes the checked rows through ``plans.services``: in one
transaction, every row or none.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from councils.models import Council

from .. import services
from ..models import Plan, PlanVersion
from .rows import ImportResult


@dataclass
class ImportTarget:
    """Where an import of the year's plan lands: the open draft (or a new first draft), or why it
    cannot land anywhere now."""

    version: PlanVersion | None
    blocked: str = ""


def import_target(council: Council, year: int) -> ImportTarget:
    plan = Plan.objects.filter(council=council, year=year).first()
    if plan is None:
        return ImportTarget(None)
    versions = list(plan.versions.order_by("-number"))
    open_version = next((v for v in versions if v.status in PlanVersion.OPEN_STATUSES), None)
    if open_version is None:
        if versions:
            return ImportTarget(
                versions[0],
                _(
                    "The %(year)d plan is approved and has no draft. Revise the approved version first; "
                    "the import then adds its rows to the new draft."
                )
                % {"year": year},
            )
        return ImportTarget(None)
    if open_version.status != PlanVersion.Status.DRAFT:
        return ImportTarget(
            open_version,
            _(
                "Version %(version)d is with the chair for approval. Rows can be imported once the "
                "chair returns it as a draft."
            )
            % {"version": open_version.number},
        )
    return ImportTarget(open_version)


@transaction.atomic
def plan_import(*, council: Council, year: int, result: ImportResult) -> PlanVersion:
    """Write the checked rows into the year's open draft (started if there is none), through the
    services: every row or none. A ValidationError names the line it failed on."""
    if not result.problems:
        raise ValidationError(_("There is nothing to import."))
    version = services.plan_start(council=council, year=year)
    if version.status != PlanVersion.Status.DRAFT:
        raise ValidationError(import_target(council, year).blocked or _("Only a draft can be edited."))
    for problem in result.problems:
        with _at_line(problem.line):
            row = services.problem_add(
                version=version,
                **problem.service_fields(),
                institutions=problem.institutions,
                new_actors=problem.actors,  # an existing actor whatever its case, else a new one
                **problem.deadline_fields(),
            )
        for activity in problem.activities:
            with _at_line(activity.line):
                added = services.activity_add(
                    problem=row,
                    text=activity.text,
                    lead=activity.lead,
                    partners=activity.institutions,
                    new_actors=activity.actors,
                    **activity.deadline_fields(),
                )
            for indicator in activity.indicators:
                with _at_line(indicator.line):
                    services.indicator_add(
                        activity=added,
                        name=indicator.name,
                        unit=indicator.unit,
                        baseline=indicator.baseline,
                        target=indicator.target,
                        frequency=indicator.frequency,
                    )
    return version


class _at_line:
    """Re-raise a service's ValidationError with the spreadsheet line it came from."""

    def __init__(self, line: int):
        self.line = line

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, ValidationError) and not isinstance(error, services.VersionLocked):
            raise ValidationError(
                _("Line %(line)d: %(problem)s") % {"line": self.line, "problem": " ".join(error.messages)}
            ) from error
        return False
