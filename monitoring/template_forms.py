"""Forms of the council's monthly report template: one row per section a report can hold (include
it or not, its place, its heading), and the chair's return."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import TextField

from .models import ReportSection, ReportTemplate
from .report_layout import DESCRIPTIONS


class TemplateForm(forms.Form):
    """Every section of ReportSection as three fields: ``<kind>-include``, ``<kind>-position``,
    ``<kind>-heading``. ``sections`` starts from a list of ``{"kind", "heading"}`` (the version in
    the making, else the template in force)."""

    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sections: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        sections = sections or []
        order = {section["kind"]: index for index, section in enumerate(sections)}
        headings = {section["kind"]: section["heading"] for section in sections}
        # The sections the template holds first, in its order; the others after, in the standard one.
        kinds = sorted(ReportSection, key=lambda kind: (kind not in order, order.get(kind, 0)))
        self.rows = []
        for place, kind in enumerate(kinds, start=1):
            self.fields[f"{kind}-include"] = forms.BooleanField(
                label=_("Include"), required=False, initial=kind in order
            )
            self.fields[f"{kind}-position"] = forms.IntegerField(
                label=_("Order"),
                min_value=1,
                max_value=99,
                initial=place,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"{kind}-heading"] = TextField(
                label=_("Heading"),
                max_length=ReportTemplate.HEADING_LENGTH,
                required=False,
                initial=headings.get(kind) or kind.label,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.rows.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "description": DESCRIPTIONS[kind],
                    "include": self[f"{kind}-include"],
                    "position": self[f"{kind}-position"],
                    "heading": self[f"{kind}-heading"],
                }
            )

    def clean(self):
        data = super().clean()
        chosen = []
        for index, kind in enumerate(ReportSection):
            if data.get(f"{kind}-include"):
                position = data.get(f"{kind}-position") or 99
                heading = (data.get(f"{kind}-heading") or "").strip()
                # The standard heading as offered stays the standard one, read in each reader's language.
                if heading == str(kind.label):
                    heading = ""
                chosen.append((position, index, {"kind": kind.value, "heading": heading}))
        if not chosen and not self.errors:
            raise forms.ValidationError(
                _("A report template needs at least one section: include one or more sections.")
            )
        data["sections"] = [section for _position, _index, section in sorted(chosen, key=lambda c: c[:2])]
        return data


class TemplateReturnForm(forms.Form):
    comment = TextField(
        label=_("What needs to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The SKN and the technical secretary read this on the template page."),
        error_messages={"required": _("Say what needs to change.")},
    )
