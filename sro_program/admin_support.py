"""What the apps' admin pages share: the read-only admin for records that are kept, never edited."""

from django.contrib import admin


class ReadOnlyMixin:
    """Viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass
