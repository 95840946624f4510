"""What the project's admins share."""

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """An admin for records that tell what happened: they are read, never added, changed or
    deleted by hand, whoever asks (superusers included)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
