"""A system check of deployment: with DEBUG off, pages link their static files through the
manifest `collectstatic` writes; without it every such page fails with a server error."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.files.storage import storages
from django.utils.module_loading import import_string

HINT = (
    "Run “python manage.py collectstatic --noinput” with the same STATIC_ROOT before the server "
    "starts."
)


@register()
def static_manifest(app_configs, **kwargs) -> list[Error]:
    options = settings.STORAGES["staticfiles"]
    storage_class = import_string(options["BACKEND"])
    if settings.DEBUG or not issubclass(storage_class, ManifestFilesMixin):
        return []
    try:
        storage = storages.create_storage(options)  # reads the manifest, as serving will
    except ValueError:
        problem = "cannot be read"
    else:
        if storage.read_manifest() is not None:
            return []
        problem = "is missing"
    return [
        Error(
            f"The static files manifest {settings.STATIC_ROOT}/{storage_class.manifest_name} "
            f"{problem}: with DEBUG off, every page that links a stylesheet or script fails "
            "with a server error.",
            hint=HINT,
            id="newsroom.E001",
        )
    ]
