"""Invitations and access changes in the Django admin: a record of what happened, read-only."""

from django.contrib import admin

from .models import AccessChange, Invitation


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(_ReadOnly):
    list_display = ["email", "first_name", "last_name", "status", "invited_by", "created_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["invited_by"]
    search_fields = ["email", "last_name"]
    exclude = ["token_hash"]


@admin.register(AccessChange)
class AccessChangeAdmin(_ReadOnly):
    list_display = ["at", "action", "user", "actor"]
    list_filter = ["action"]
    list_select_related = ["user", "actor"]
    search_fields = ["user__username", "user__email"]
