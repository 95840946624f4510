"""What the project's admins share."""

from collections.abc import Callable

from django.contrib import admin
from django.urls import URLPattern, path


class RecordAdmin(admin.ModelAdmin):
    """An admin for records that tell what happened: they are read, never added, changed or
    deleted by hand, whoever asks (superusers included)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def view_url(self, name: str, view: Callable) -> URLPattern:
        """Route `name/` to `view` behind the admin's login, named as Django names its own views:
        `admin:<app>_<model>_<name>`."""
        url_name = f"{self.opts.app_label}_{self.opts.model_name}_{name}"
        return path(f"{name}/", self.admin_site.admin_view(view), name=url_name)
