from django.apps import AppConfig


class CopycheckConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "copycheck"
    verbose_name = "Copied-text detector"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from articles.models import Article
        from articles.signals import text_check
        from copycheck import checks  # noqa: F401  (registers the threshold checks)
        from copycheck.check import check_text
        from copycheck.index import index_article

        post_save.connect(index_article, sender=Article, dispatch_uid="copycheck-index")
        text_check.connect(check_text, sender=Article, dispatch_uid="copycheck-text")
