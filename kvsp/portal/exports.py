"""The open data of a consultation, beside its public page: the published concerns as CSV and JSON
(concerns.csv, concerns.json). Published concerns only, in their published wording: no code, no
contact, no original."""

import csv
import io
import json

from django.utils import timezone

from consultations import selectors as consultation_selectors
from consultations.models import Consultation
from kvsp.core.exports import safe_cell

OPEN_DATA_FIELDS = (
    "received",
    "category",
    "category_label",
    "administrative_unit",
    "neighbourhood",
    "text",
    "problem",
    "priority",
    "outcome",
    "outcome_note",
)


def open_data_rows(consultation: Consultation) -> list[dict]:
    """One dict per published concern, grouped by the problem it was heard under (then those not
    grouped yet)."""
    heard = consultation_selectors.heard(consultation, published_only=True)
    rows = []
    for problem in [*heard.problems, None]:
        for concern in problem.heard if problem else heard.ungrouped:
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
    writer.writerow(OPEN_DATA_FIELDS)
    for row in open_data_rows(consultation):
        writer.writerow([safe_cell(row[key]) for key in OPEN_DATA_FIELDS])
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
