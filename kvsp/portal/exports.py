"""The open data of a consultation, beside its public page: the published concerns as CSV and JSON
(concerns.csv, concerns.json). Published concerns only, in their published wording: no code, no
contact, no original.

concerns.json keeps codes (``category``, ``priority``, ``outcome``: the values of the API) beside
the category's name; concerns.csv is for people: its column names and its values are words in the
active language (Albanian by default): the category's, the priority's and the outcome's names."""

import csv
import io
import json

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

from consultations import selectors as consultation_selectors
from consultations.models import Concern, Consultation, Problem
from kvsp.core.exports import safe_cell

CSV_HEADERS = (
    pgettext_lazy("concerns CSV column", "Received"),
    pgettext_lazy("concerns CSV column", "Category"),
    pgettext_lazy("concerns CSV column", "Administrative unit"),
    pgettext_lazy("concerns CSV column", "Neighbourhood"),
    pgettext_lazy("concerns CSV column", "Concern"),
    pgettext_lazy("concerns CSV column", "Problem"),
    pgettext_lazy("concerns CSV column", "Risk intensity"),
    pgettext_lazy("concerns CSV column", "Outcome"),
    pgettext_lazy("concerns CSV column", "Note on the outcome"),
)


def _published(consultation: Consultation) -> list[tuple[Problem | None, Concern]]:
    """Each published concern with the problem it was heard under, grouped by problem (then those
    not grouped yet)."""
    heard = consultation_selectors.heard(consultation, published_only=True)
    return [
        (problem, concern)
        for problem in [*heard.problems, None]
        for concern in (problem.heard if problem else heard.ungrouped)
    ]


def open_data_rows(consultation: Consultation) -> list[dict]:
    """One dict per published concern, grouped by the problem it was heard under (then those not
    grouped yet)."""
    rows = []
    for problem, concern in _published(consultation):
        rows.append(
            {
                "received": timezone.localdate(concern.created_at).isoformat(),
                "category": concern.category,
                "category_label": concern.get_category_display(),
                "administrative_unit": concern.unit.name if concern.unit else "",
                "neighbourhood": concern.public_neighbourhood,
                "text": concern.public_text,
                "problem": problem.title if problem else "",
                "priority": problem.intensity if problem else "",
                "outcome": problem.outcome if problem else "pending",
                "outcome_note": problem.outcome_note if problem else "",
            }
        )
    return rows


def concerns_csv(consultation: Consultation) -> str:
    """The open data as CSV, starting with a byte-order mark (spreadsheet programs then read the
    Albanian letters as UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([safe_cell(header) for header in CSV_HEADERS])
    for problem, concern in _published(consultation):
        cells = (
            date_format(timezone.localdate(concern.created_at), "SHORT_DATE_FORMAT"),
            concern.get_category_display(),
            concern.unit.name if concern.unit else "",
            concern.public_neighbourhood,
            concern.public_text,
            problem.title if problem else "",
            problem.get_intensity_display() if problem else "",
            problem.get_outcome_display() if problem else Problem.Outcome.PENDING.label,
            problem.outcome_note if problem else "",
        )
        writer.writerow([safe_cell(value) for value in cells])
    return out.getvalue()


def concerns_json(consultation: Consultation) -> str:
    """The open data as JSON, with the consultation's council, date, place and status."""
    body = {
        "council": consultation.council.slug,
        "consultation": consultation.pk,
        "date": timezone.localtime(consultation.starts_at).isoformat(),
        "place": consultation.place,
        "status": consultation.status,
        "concerns": open_data_rows(consultation),
    }
    return json.dumps(body, ensure_ascii=False, indent=1)
