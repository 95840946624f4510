"""The reference rows, through the ORM: desk users, sections, sources with their licences, and
the people bylines name."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.archive.cases import DESK, SECTIONS, SOURCES, SourceSpec
from bench.archive.words import FIRST_NAMES, SURNAMES


@dataclass
class Reference:
    """What the articles point at: ids by desk role, section and source, and the sources'
    rows, specs and the licence each source's items rely on now."""

    users: dict[str, list[int]]  # desk role ("editor", …): user ids
    sections: list[int]  # in the order of SECTIONS
    section_cum: list[float]  # SECTIONS' cumulative weights
    sources: dict[str, Any]  # slug: Source
    licences: dict[str, Any]  # slug: the Licence in force, or None
    specs: dict[str, SourceSpec]
    people: dict[str, list[int]]  # source slug: ids of the people affiliated to it


def write_reference(rng: random.Random, now: datetime.datetime, tables: Counter) -> Reference:
    """Write the reference rows, counting them in `tables`, and return their ids."""
    from django.contrib.auth.models import Group, User
    from django.utils.text import slugify

    from articles.models import Licence, Person, Section, Source

    users: dict[str, list[int]] = {}
    for prefix, group_name, count in DESK:
        group = Group.objects.get(name=group_name)
        ids = []
        for n in range(1, count + 1):
            user = User.objects.create_user(
                f"bench-{prefix}-{n}", email=f"{prefix}{n}@newsroom.example", is_staff=True
            )
            user.groups.add(group)
            ids.append(user.pk)
        users[prefix] = ids
    tables["auth_user"] += sum(len(v) for v in users.values())

    sections = Section.objects.bulk_create(
        Section(name=name, slug=slugify(name), position=10 * (n + 1))
        for n, (name, _) in enumerate(SECTIONS)
    )
    tables["articles_section"] += len(sections)

    sources: dict[str, Source] = {}
    licences: dict[str, Licence | None] = {}
    for spec in SOURCES:
        source = Source.objects.create(
            name=spec.name,
            slug=spec.slug,
            kind=spec.kind,
            credit_line=spec.credit_line,
            suspended=spec.suspended,
        )
        sources[spec.slug] = source
        if spec.licence:
            terms = spec.licence
            Licence.objects.create(
                source=source,
                reference=terms["reference"],
                valid_from=now + datetime.timedelta(days=terms["valid_from"]),
                valid_until=(
                    now + datetime.timedelta(days=terms["valid_until"])
                    if "valid_until" in terms
                    else None
                ),
                territories=terms.get("territories", ""),
                **{f"grants_{right}": True for right in terms["grants"]},
            )
            tables["articles_licence"] += 1
        # The licence the source's items rely on now, as ingest and a licence change ask.
        licences[spec.slug] = source.active_licence(at=now)
    tables["articles_source"] += len(sources)

    by_source: dict[str, list[int]] = {}
    taken: set[str] = set()
    people = []
    for spec in SOURCES:
        affiliation = None if spec.kind == "staff" else sources[spec.slug]
        for _ in range(spec.people):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            slug, k = slugify(name), 1
            while slug in taken:
                k += 1
                slug = f"{slugify(name)}-{k}"
            taken.add(slug)
            people.append((spec.slug, Person(name=name, slug=slug, affiliation=affiliation)))
    made = Person.objects.bulk_create(person for _, person in people)
    for (source_slug, _), person in zip(people, made, strict=True):
        by_source.setdefault(source_slug, []).append(person.pk)
    tables["articles_person"] += len(made)

    return Reference(
        users=users,
        sections=[s.pk for s in sections],
        section_cum=list(_cumulate(weight for _, weight in SECTIONS)),
        sources=sources,
        licences=licences,
        specs={spec.slug: spec for spec in SOURCES},
        people=by_source,
    )


def _cumulate(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total
