"""Account forms (sign-in by e-mail, password-reset mail through kvsp/notify), and the form fields
and helpers every app's forms share."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kvsp.notify import kinds
from kvsp.notify import services as notify


class EmailAuthenticationForm(auth_forms.AuthenticationForm):
    """The stock sign-in form with an e-mail field; its error never says which part was wrong."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct."),
        "inactive": _("The e-mail address or the password is not correct."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form (same answer whether or not the address is known), mailed through
    the notification service with a link on the site's public address."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        # Through the outbox, in the request's transaction: the page answers when the mail server
        # is down, the worker sends it later (the link holds for PASSWORD_RESET_TIMEOUT). The same
        # token (the same request twice within a second) is one message.
        token = hashlib.sha256(context["token"].encode()).hexdigest()[:16]
        notify.enqueue(
            recipients=[context["user"]],
            kind=kinds.PASSWORD_RESET,
            key=f"{kinds.PASSWORD_RESET}:{context['user'].pk}:{token}",
            template="password_reset",
            context={"user": context["user"], "link": settings.SITE_URL + path},
        )


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = auth_forms.get_user_model()
        fields = ("email", "full_name", "language")


class ReadOnlyPasswordHashWidget(auth_forms.ReadOnlyPasswordHashWidget):
    """Django's, without the ``disabled`` its read-only field gives it: the widget is a <div>,
    which has no such attribute."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = auth_forms.get_user_model()
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if password := self.fields.get("password"):
            password.widget = ReadOnlyPasswordHashWidget()


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django's, with the warning shown while "Disabled" is chosen inside the help text's sentence:
    the admin's template puts the help text in a <p>, which cannot hold Django's <ul>. The help
    text is also translated when shown (Django's is in the language active at import)."""

    usable_password_help_text = format_lazy(
        '{} <strong id="id_unusable_warning" class="messagelist">{}</strong>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


# --- shared by the apps' forms -------------------------------------------------------------------


class BoundField(forms.BoundField):
    """Django's, without aria-describedby on the hidden input that carries a field's initial value
    (show_hidden_initial, e.g. django-celery-beat's time zone): Django gives it the visible
    widget's help text, but a hidden input takes no aria-* attribute."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            attrs.pop("aria-describedby", None)
        return attrs


class FormRenderer(TemplatesSetting):
    """Every form (FORM_RENDERER): its templates through TEMPLATES, so that templates/ can
    override Django's widget templates (the admin's among them), and the BoundField above."""

    bound_field_class = BoundField


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class TextField(forms.CharField):
    """Free text counted as the server stores it: a line break is one character (browsers send
    two), and the browser is not told the maximum, so it never cuts a pasted text silently: a
    text over the limit comes back with a message and nothing lost."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _valid_ids(values) -> bool:
    """Primary keys as the database can hold them (a huge number is a wrong choice, not a 500)."""
    return all(str(value).isdecimal() and len(str(value)) <= 18 for value in values)


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _valid_ids([value]):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if not _valid_ids(value):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return super()._check_values(value)


def in_calendar_range(value):
    """A date or a moment the calendar can hold: the years 2000 to 2100 (a typo such as 20256 is
    refused with a message, never saved). None passes; the value is returned."""
    if value is not None and not 2000 <= value.year <= 2100:
        raise forms.ValidationError(_("Give a date between the years 2000 and 2100."))
    return value
