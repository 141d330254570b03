"""Forms of public comment on a plan (plans/comments.py): the citizen's comment, with the concern
form's trap for robots, and the staff's forms (open a period, moderate, answer). Errors come back
in the user's language with what they typed still in the form."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.forms import ConcernForm, PublishForm, RejectForm
from kvsp.core.forms import TextField
from kvsp.core.widgets import DateField, DateInput

from .comment_models import COMMENT_MAX_CHARS, PERIOD_MIN_DAYS, CommentPeriod, PlanComment


class CommentForm(forms.Form):
    """A citizen's comment on the plan or on one of its rows: no account needed, an e-mail only if
    they want the code and the answer. ``website`` is the concern form's trap for robots."""

    row = forms.ChoiceField(label=_("Your comment is about"), required=False)
    text = TextField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you would add, change or remove, and why. Do not name people."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail (optional, never published)"),
        required=False,
        help_text=_("We send you the reference code and the SKN's answer."),
    )
    website = forms.CharField(label=ConcernForm.base_fields["website"].label, required=False)

    clean_website = ConcernForm.clean_website

    def __init__(self, *args, period: CommentPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["row"].choices = [("", _("The whole plan"))] + [
            (row["lineage"], f"{row['number']} {row['title']}") for row in period.snapshot
        ]
        self.fields["row"].error_messages["invalid_choice"] = _(
            "Choose a row of this plan, or the whole plan."
        )
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write your comment."))
        return text

    def service_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("row", "text", "contact_email")}


class PeriodForm(forms.Form):
    closes_on = DateField(
        label=_("Last day for comments"),
        widget=DateInput(),
        help_text=_(
            "Between 7 and 60 days from today. The draft is public from now until the end of that day."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=max(PERIOD_MIN_DAYS, 21))


class CommentPublishForm(PublishForm):
    """The concern's publish form, without the place (a comment has none)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["public_neighbourhood"]


class CommentRejectForm(RejectForm):
    pass


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("The SKN's answer"), choices=PlanComment.Answer.choices, widget=forms.RadioSelect
    )
    reason = TextField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published with the comment: what the plan now says, or why it does not."),
    )
