"""Publish the story a JSON file holds as an ArticlePage under the site's home page."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from newsarticle.models import ArticlePage
from wagtail.models import Site


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("story", type=Path)

    def handle(self, *args, story: Path, **options):
        fields = json.loads(story.read_text())
        home = Site.objects.get(is_default_site=True).root_page
        page = ArticlePage(
            title=fields["headline"],
            slug=fields["slug"],
            standfirst=fields["standfirst"],
            dateline=fields["dateline"],
            bylines=fields["bylines"],
            body=fields["body"],
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(page.url)
