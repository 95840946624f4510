"""FilterSets for the public lists, search and the API: they narrow a permitted queryset, never
widen it.

The pages and the API always hand them `Article.objects.for_channel(...)`; what may be shown is
decided there. Both rooms narrow alike, so this belongs to neither.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django_filters.fields import IsoDateTimeField

from articles.models import Article, Byline, Person, Section, Source
from articles.search import MAX_TERMS_LENGTH, search

# The deepest page a list or the API serves. Past it a page number is no page of ours: no offset
# beyond MAX_PAGE pages is ever sent to the database (SQLite reads a 20-digit one as a real and
# refuses it), and no crawler walks further back than 200,000 stories this way.
MAX_PAGE = 10_000
# ASCII digits only: int() would also read " 2", "1_000" and Arabic-Indic or full-width digits.
_PAGE_NUMBER = re.compile(r"[0-9]{1,5}")


def page_number(raw: str | None) -> int | None:
    """The page `raw` asks for, 1 when it asks none, or None when it is no page we serve."""
    if raw is None:
        return 1
    if not _PAGE_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_PAGE else None


def day_span(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime | None]:
    """When `day` starts in the site's time zone, and when the next does: None after the last day
    of the calendar (9999-12-31), which has no next."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    try:
        return start, start + datetime.timedelta(days=1)
    except OverflowError:
        return start, None


def _id_of(model, slug: str) -> Subquery:
    """The id of the `model` row with `slug`, as a subquery (NULL where there is none)."""
    return Subquery(model.objects.filter(slug=slug).values("pk")[:1])


class MomentField(IsoDateTimeField):
    """An ISO 8601 time, in UTC. One with no place in UTC (0001-01-01T00:00+14:00 is before the
    calendar's first moment, 9999-12-31T23:59-14:00 after its last) stands for that end of it:
    asking for items since before the first moment asks for them all."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            end = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
            return end.replace(tzinfo=datetime.UTC)


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class ArticleFilter(django_filters.FilterSet):
    section = django_filters.CharFilter(method="filter_section")
    source = django_filters.CharFilter(method="filter_source")
    person = django_filters.CharFilter(method="filter_person")
    day = django_filters.DateFilter(method="filter_day")
    q = django_filters.CharFilter(method="filter_terms", max_length=MAX_TERMS_LENGTH)

    class Meta:
        model = Article
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The search last, whatever a subclass adds: on PostgreSQL it ranks a bounded number of
        # the newest matches, which must be taken from what every other filter leaves.
        self.filters["q"] = self.filters.pop("q")

    # Each narrowing compares the article's own column with the id its slug names, found first
    # by a lookup of its own: the database then knows the one value and walks that section's
    # or source's index in the list's order, stopping at the page's last row.

    def filter_section(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(section=_id_of(Section, value))

    def filter_source(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(source=_id_of(Source, value))

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The person's bylines walked along `byline_person_order_idx`, newest first, each
        # joined to its story: a byline carries its story's publication time (kept by the
        # database, migration 0019), so the walk is the list's order and stops at the page's
        # last row, where an EXISTS read every byline of the person and sorted the stories.
        # Only the person's first byline on a story counts: one person in two roles must not
        # list the story twice. (One filter() call, so that both conditions name one join.)
        earlier = Byline.objects.filter(
            article=OuterRef("pk"),
            person=OuterRef("bylines__person"),
            order__lt=OuterRef("bylines__order"),
        )
        return queryset.filter(~Exists(earlier), bylines__person=_id_of(Person, value)).order_by(
            "-bylines__published_at", "-bylines__article_id"
        )

    def filter_day(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        # A range on the indexed column, in the site's time zone, rather than a cast to a date.
        start, end = day_span(value)
        queryset = queryset.filter(published_at__gte=start)
        return queryset.filter(published_at__lt=end) if end else queryset

    def filter_terms(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)
