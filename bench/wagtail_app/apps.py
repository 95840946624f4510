from django.apps import AppConfig


class NewsArticleConfig(AppConfig):
    name = "newsarticle"
    default_auto_field = "django.db.models.BigAutoField"
