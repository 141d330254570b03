"""Consultations as files to download: the concerns of a consultation as CSV, for its moderators
(the wording as written and as published, never the citizen's contact)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from kvsp.core.exports import safe_cell

from .models import Concern, Consultation


def concerns_filename(consultation: Consultation) -> str:
    return f"shqetesimet-{consultation.council.slug}-{consultation.pk}.csv"


def concerns_csv(consultation: Consultation) -> str:
    """The consultation's concerns, oldest first, one row each. Starts with a byte-order mark:
    Excel opens UTF-8 with ë and ç only with one."""
    concerns = (
        Concern.objects.filter(consultation=consultation)
        .select_related("unit", "problem", "merged_into__problem")
        .order_by("created_at")
    )
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Code"),
            _("Received"),
            _("How it was raised"),
            _("Category"),
            _("Administrative unit"),
            _("Neighbourhood"),
            _("Status"),
            _("Original text"),
            _("Published text"),
            _("Problem"),
            _("Outcome"),
        ]
    )
    for concern in concerns:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    concern.code,
                    timezone.localtime(concern.created_at).strftime("%d.%m.%Y %H:%M"),
                    concern.get_source_display(),
                    concern.get_category_display(),
                    concern.unit.name if concern.unit else "",
                    concern.neighbourhood,
                    concern.get_status_display(),
                    concern.text,
                    concern.public_text,
                    concern.problem.title if concern.problem else "",
                    concern.get_outcome_display(),
                )
            ]
        )
    return out.getvalue()
