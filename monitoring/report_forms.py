"""Forms of the monthly report's workflow."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import TextField
from kvsp.core.uploads import validate_pdf

from .progress import month_label


def month_choices(today=None) -> list[tuple[str, str]]:
    """The twelve months up to this one, newest first, as "YYYY-MM"."""
    today = today or timezone.localdate()
    choices = []
    year, month = today.year, today.month
    for _step in range(12):
        choices.append((f"{year}-{month:02d}", month_label(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices


class ReportStartForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices()

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)


class ReportNarrativeForm(forms.Form):
    summary = TextField(
        label=_("Summary"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the SKN found this month: the main results and the state of the plan."),
    )
    difficulties = TextField(
        label=_("Difficulties"), max_length=6000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposals = TextField(
        label=_("Proposals"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: measures to propose to the council, or changes to the plan."),
    )
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, layout: list[dict] | None = None, **kwargs):
        """``layout``: the report template's sections (monitoring/report_layout.py); the form keeps
        the text sections it holds, in its order, under its headings."""
        super().__init__(*args, **kwargs)
        if layout is None:
            return
        headings = {section["kind"]: section["heading"] for section in layout}
        for name in ("summary", "difficulties", "proposals"):
            if name in headings:
                self.fields[name].label = headings[name]
            else:
                del self.fields[name]
        order = [section["kind"] for section in layout if section["kind"] in self.fields]
        self.order_fields([*order, "revision"])


class ReportReturnForm(forms.Form):
    comment = TextField(
        label=_("What needs to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The SKN and the technical secretary read this on the report."),
        error_messages={"required": _("Say what needs to change.")},
    )


class ReportApproveForm(forms.Form):
    signed_scan = forms.FileField(
        label=_("Signed and stamped report (PDF)"),
        required=False,
        validators=[validate_pdf],
        help_text=_("Optional: it can also be attached later."),
    )


class ReportScanForm(forms.Form):
    signed_scan = forms.FileField(label=_("Signed and stamped report (PDF)"), validators=[validate_pdf])
