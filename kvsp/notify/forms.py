"""A person's choice of how each kind of reminder and hand-off notice reaches them by e-mail."""

from django import forms

from . import kinds
from .models import Mode


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in [*kinds.reminders(), *kinds.handoffs()]:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                initial=current.get(kind.code, kind.default_mode),
                widget=forms.RadioSelect,
            )
