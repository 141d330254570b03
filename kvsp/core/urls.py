"""Account addresses, under /accounts/ (a reserved word, never a municipality)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .twofactor import views as twofactor_views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password-change-done")),
        name="password-change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(success_url=reverse_lazy("accounts:password-reset-done")),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password-reset-complete"), post_reset_login=False
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("language/<str:code>/", views.language_switch, name="language"),
    path("logout/everywhere/", twofactor_views.logout_everywhere, name="logout-everywhere"),
    path("two-factor/", twofactor_views.two_factor_status, name="two-factor"),
    path("two-factor/setup/", twofactor_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", twofactor_views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/backup-codes/", twofactor_views.two_factor_backup_codes, name="two-factor-backup-codes"),
    path(
        "two-factor/backup-codes/new/",
        twofactor_views.two_factor_backup_regenerate,
        name="two-factor-backup-regenerate",
    ),
]
