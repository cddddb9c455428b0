"""The outbox in the Django admin: read-only, so a system administrator sees what failed and why.

Rows change only through the outbox's services; a repair (sending a failed email again) is a new
email queued under a new key, not an edit here.
"""

from django.contrib import admin

from sro_program.admin_support import ReadOnlyAdmin

from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["key", "status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["key", "subject"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
