"""Account forms: sign-in by e-mail, and password-reset mail through kvsp/notify."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
        notify.send(
            recipients=[context["user"]],
            template="password_reset",
            context={"user": context["user"], "link": settings.SITE_URL + path},
        )


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = auth_forms.get_user_model()
        fields = ("email", "full_name", "language")


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = auth_forms.get_user_model()
        fields = "__all__"
