"""Platform administration of user accounts."""

from contextlib import suppress
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import AdminPasswordChangeForm, AdminUserChangeForm, AdminUserCreationForm
from .history_admin import KVSPHistoryAdmin
from .models import User
from .twofactor import services as twofactor_services
from .views import safe_next


def admin_login(request, extra_context=None):
    """The admin has no login of its own: the site's login (password, then the second factor)."""
    target = safe_next(request, reverse("admin:index"))
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": target}))
    if not request.user.is_staff:
        raise PermissionDenied
    return redirect(target)


admin.site.login = admin_login

# Devices hold the people's secrets: the admin never sees or edits them, only resets a person's
# second factor as a whole (the action on users below).
for _model in (TOTPDevice, StaticDevice):
    with suppress(NotRegistered):
        admin.site.unregister(_model)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, KVSPHistoryAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    change_password_form = AdminPasswordChangeForm
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_national_observer", "is_staff", "is_superuser", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["full_name", "language"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_national_observer",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["send_invitation", "reset_two_factor"]

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_two_factor(self, request, queryset):
        count = 0
        for user in queryset:
            twofactor_services.two_factor_reset(user=user, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d person; they set it up again at "
                "their next sign-in.",
                "Two-factor authentication reset for %(count)d people; they set it up again at "
                "their next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send an invitation to set a password"))
    def send_invitation(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                services.user_invite(
                    email=user.email,
                    full_name=user.full_name,
                    invited_by=request.user,
                    language=user.language,
                )
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent) % {"count": sent},
                messages.SUCCESS,
            )
