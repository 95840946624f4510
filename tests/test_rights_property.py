"""Both faces of the policy agree: `decide()` in Python and `permitting()` in the database.

Hypothesis generates batches of articles over every combination the rules distinguish (workflow
state, schedule, embargo, the rights window's start and its expiry on and around the second,
suspension, settlement, each right, territories limited to and excluded) and readers from inside,
outside, an excluded country and nowhere. Runs on whatever database is configured.
"""

from __future__ import annotations

import datetime
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.models import Article, Source
from articles.rights import Right, clearance, clearance_q, decide

AT = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)
OFFSETS = [None, -3600, -1, 0, 1, 3600]
COUNTRIES = [None, "GB", "ie", "US", "FR", "XX", ""]
RIGHT_SETS = [(r,) for r in Right] + [
    (Right.PUBLISH, Right.REDISTRIBUTE),
    (Right.PUBLISH, Right.BROADCAST),
]
BATCHES = 120
generated = itertools.count()


def moment(offset: int | None) -> datetime.datetime | None:
    return None if offset is None else AT + datetime.timedelta(seconds=offset)


article_specs = st.fixed_dictionaries(
    {
        "status": st.sampled_from([s.value for s in Article.Status]),
        "published_at": st.sampled_from(OFFSETS),
        "embargo_until": st.sampled_from(OFFSETS),
        "rights_start_at": st.sampled_from(OFFSETS),
        "rights_expire_at": st.sampled_from(OFFSETS),
        "source": st.sampled_from(["staff", "agency", "suspended"]),
        "rights_settled": st.booleans(),
        "may_publish": st.booleans(),
        "may_broadcast": st.booleans(),
        "may_rewrite": st.booleans(),
        "may_redistribute": st.booleans(),
        "territories": st.frozensets(st.sampled_from(["GB", "IE", "US", "BE"]), max_size=3),
        "excluded_territories": st.frozensets(st.sampled_from(["GB", "IE", "FR"]), max_size=2),
    }
)


class DecideAndPermittingAgree(TestCase):
    @settings(
        max_examples=BATCHES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
    )
    @given(specs=st.lists(article_specs, min_size=18, max_size=24))
    def test_both_faces_agree_for_every_right_and_reader(self, specs):
        sources = {
            "staff": Source.objects.create(name="Staff", slug="staff", kind="staff"),
            "agency": Source.objects.create(name="Agency", slug="agency"),
            "suspended": Source.objects.create(name="Gone", slug="gone", suspended=True),
        }
        articles = []
        for n, spec in enumerate(specs):
            spec = dict(spec)
            for field in ("published_at", "embargo_until", "rights_start_at", "rights_expire_at"):
                spec[field] = moment(spec[field])
            if spec["status"] in ("published", "scheduled") and spec["published_at"] is None:
                spec["published_at"] = AT  # the database requires a time for these states
            spec["source"] = sources[spec["source"]]
            articles.append(Article(guid=f"g{n}", slug=f"s{n}", headline=f"H{n}", **spec))
        Article.objects.bulk_create(articles)
        stored = list(Article.objects.select_related("source").order_by("pk"))
        for _ in stored:
            next(generated)
        for rights, country in itertools.product(RIGHT_SETS, COUNTRIES):
            permitted = set(
                Article.objects.permitting(*rights, at=AT, country=country).values_list(
                    "pk", flat=True
                )
            )
            for article in stored:
                decisions = [decide(article, r, at=AT, country=country) for r in rights]
                assert all(decisions) == (article.pk in permitted), (rights, country, decisions)

        for right in Right:
            cleared = set(
                Article.objects.filter(clearance_q(right, at=AT)).values_list("pk", flat=True)
            )
            for article in stored:
                assert clearance(article, right, at=AT).allowed == (article.pk in cleared), right

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        count = next(generated)
        print(f"\nproperty test: {count} generated articles checked on both faces")
        assert count >= 2000, f"only {count} generated articles: raise BATCHES"
