"""A story as a Wagtail page: the headline is the page's title; standfirst, body and bylines."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ArticlePage(Page):
    standfirst = models.TextField(blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    bylines = models.CharField(max_length=500, blank=True)
    body = RichTextField()

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldPanel("dateline"),
        FieldPanel("bylines"),
        FieldPanel("body"),
    ]
