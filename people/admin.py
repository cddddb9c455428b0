"""Invitations and access changes in the Django admin: a record of what happened, read-only."""

from django.contrib import admin

from sro_program.admin_support import ReadOnlyAdmin

from .models import AccessChange, Invitation


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "first_name", "last_name", "status", "invited_by", "created_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["invited_by"]
    search_fields = ["email", "last_name"]
    exclude = ["token_hash"]


@admin.register(AccessChange)
class AccessChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "user", "actor"]
    list_filter = ["action"]
    list_select_related = ["user", "actor"]
    search_fields = ["user__username", "user__email"]
