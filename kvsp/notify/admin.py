"""The outbox and the sent-log, for the platform admin to read: what is waiting, what was sent,
what failed and why. Nothing here is edited or deleted by hand (that would send twice or never)."""

from django.contrib import admin

from .models import OutboxMessage, SentLog
from .services import SIGN_IN_LINK_KINDS


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field read-only, nothing added or deleted by hand."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "email", "status", "digest", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "digest"]
    search_fields = ["key", "email"]

    def get_readonly_fields(self, request, obj=None):
        # an invitation's .ics is named (attachment_name), not shown as bytes; the text of an
        # e-mail that waits with a sign-in link is not shown at all (removed once it is sent)
        hidden = {"attachment"}
        if obj is not None and obj.kind in SIGN_IN_LINK_KINDS:
            hidden |= {"text", "html"}
        return [name for name in super().get_readonly_fields(request, obj) if name not in hidden]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)


@admin.register(SentLog)
class SentLogAdmin(ReadOnlyAdmin):
    list_display = ["key", "claimed_at", "sent_at", "claims"]
    search_fields = ["key"]
