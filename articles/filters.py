"""FilterSets for the public lists, search and the API: they narrow a permitted queryset, never
widen it.

The pages and the API always hand them `Article.objects.for_channel(...)`; what may be shown is
decided there. Both rooms narrow alike, so this belongs to neither.
"""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from articles.models import Article, Byline
from articles.search import search


class ArticleFilter(django_filters.FilterSet):
    section = django_filters.CharFilter(field_name="section__slug")
    source = django_filters.CharFilter(field_name="source__slug")
    person = django_filters.CharFilter(method="filter_person")
    day = django_filters.DateFilter(method="filter_day")
    q = django_filters.CharFilter(method="filter_terms")

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A subquery rather than a join: one person in two roles must not list the story twice.
        credited = Byline.objects.filter(article=OuterRef("pk"), person__slug=value)
        return queryset.filter(Exists(credited))

    def filter_day(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        # A range on the indexed column, in the site's time zone, rather than a cast to a date.
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.filter(
            published_at__gte=start, published_at__lt=start + datetime.timedelta(days=1)
        )

    def filter_terms(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)
