"""A person's choice of how each kind of reminder reaches them by e-mail."""

from django import forms

from .models import REMINDER_KINDS, Mode


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in REMINDER_KINDS:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                initial=current.get(kind.value, Mode.IMMEDIATE),
                widget=forms.RadioSelect,
            )
