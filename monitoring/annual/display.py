"""An annual report's content (live or frozen, monitoring/annual/data.py) laid out for the pages and
the PDF: codes turned into labels in the reader's language, amounts formatted, each check's
sentence in the reader's language (the other one where a frozen report lacks it)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations.models import Concern, Intensity, ParticipantGroup, Problem

from ..compliance.records import Code, State
from ..models import ActivityStatus
from ..spending import spending_section


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _groups(groups: list[dict]) -> list[dict]:
    statuses = list(ActivityStatus)
    return [
        group
        | {
            "name": group["label"]
            or (_label(Intensity, group["key"]) if group["key"] else _("No lead named")),
            "cells": [group["counts"].get(str(status), 0) for status in statuses],
        }
        for group in groups
    ]


def _outcome(code: str) -> str:
    return _label(Problem.Outcome, code) if code else _("not yet grouped into a problem")


def view(content: dict) -> dict:
    """What the templates read of a report's content."""
    language = (get_language() or "sq")[:2]
    consultations = content["consultations"]
    checks = []
    for check in content["compliance"]["checks"]:
        summary = check["summary"]
        checks.append(
            {
                "label": _label(Code, check["code"]),
                "state": check["state"],
                "state_label": _label(State, check["state"]),
                "summary": summary.get(language) or next(iter(summary.values()), ""),
            }
        )
    return {
        "statuses": [status.label for status in ActivityStatus],
        "by_priority": _groups(content.get("by_priority", [])) if content.get("plan") else [],
        "by_institution": _groups(content.get("by_institution", [])) if content.get("plan") else [],
        "totals": content.get("totals"),
        "groups": [
            line | {"name": _label(ParticipantGroup, line["group"])} for line in consultations["by_group"]
        ],
        "outcomes": [
            line | {"name": _outcome(line["outcome"])} for line in content["concerns"]["by_outcome"]
        ],
        "categories": [
            line | {"name": _label(Concern.Category, line["category"])}
            for line in content["concerns"]["by_category"]
        ],
        "spending": spending_section(content) if content.get("plan") else None,
        "checks": checks,
        "narrative": [
            {"name": name, "heading": heading, "text": content.get("narrative", {}).get(name, "")}
            for name, heading in (
                ("summary", _("Summary")),
                ("achievements", _("Achievements")),
                ("difficulties", _("Difficulties")),
                ("priorities", _("Priorities for next year")),
            )
        ],
    }
