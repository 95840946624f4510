from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        # A source's format is checked against the formats ingest reads. The model stands below
        # ingest and does not import it; ingest lends it the list here, as the copy detector
        # connects its text check.
        from articles import public_writes
        from articles.ingest import FORMATS
        from articles.models import Source

        Source.formats = ("auto", *FORMATS)
        # Every write that changes what a public channel shows moves the rights generation on.
        public_writes.connect()
