"""Forms of the invitation step, the move of a meeting and the draft agenda's changes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvsp.core.forms import in_calendar_range

from .forms import DateTimeField, DateTimeInput
from .invitations import RECORDED_REACH
from .models import Reach


class MoveForm(forms.Form):
    starts_at = DateTimeField(label=_("New date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)

    def clean_starts_at(self):
        return in_calendar_range(self.cleaned_data["starts_at"])


class ReachForm(forms.Form):
    """For each invited person without an e-mail address: how they were reached and when."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        choices = [("", _("not yet reached")), *[(r.value, r.label) for r in Reach if r in RECORDED_REACH]]
        for invitation in invitations:
            how_key, when_key = f"how_{invitation.pk}", f"when_{invitation.pk}"
            recorded = invitation.reached_by in RECORDED_REACH
            self.fields[how_key] = forms.ChoiceField(
                label=_("How %(person)s was reached") % {"person": invitation.person.full_name},
                choices=choices,
                required=False,
                initial=invitation.reached_by if recorded else "",
            )
            self.fields[when_key] = DateTimeField(
                label=_("When"),
                required=False,
                widget=DateTimeInput(),
                initial=timezone.localtime(invitation.reached_at)
                if recorded and invitation.reached_at
                else None,
                help_text=_("Empty: now."),
            )
            self.rows.append((invitation, how_key, when_key))

    def entries(self):
        return [(i, self.cleaned_data[how], self.cleaned_data[when]) for i, how, when in self.rows]


class MoveItemForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])
