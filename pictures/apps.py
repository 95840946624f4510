from django.apps import AppConfig


class PicturesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pictures"

    def ready(self) -> None:
        from articles.ingest import stores
        from articles.signals import picture_check
        from pictures.copies import check_picture
        from pictures.ingest import store_picture
        from pictures.models import Picture

        picture_check.connect(check_picture, sender=Picture, dispatch_uid="pictures-copy-check")
        # Ingest reads picture files (alone, or brought by a wire item) and stores them here.
        stores.register("picture", store_picture)
