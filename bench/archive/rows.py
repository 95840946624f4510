"""The articles, batch by batch: each item's fields, bylines, trail and fingerprints, with ids
counted on as the writer will store them."""

from __future__ import annotations

import bisect
import datetime
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from bench.archive.cases import BYLINES, ROLES, UNSECTIONED, Case, deck, moment
from bench.archive.progress import Progress
from bench.archive.reference import write_reference
from bench.archive.rights import Judged, Rights
from bench.archive.text import Text
from bench.archive.trail import trail
from bench.archive.words import MONTHS, SENTENCE_POOL, SLUG_MAX
from bench.archive.writers import Behind, Writer


@dataclass
class Counts:
    """What a run wrote, table by table, and the cases and statuses it dealt."""

    tables: Counter = field(default_factory=Counter)
    cases: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)


class Generator:
    """Writes the archive: reference rows through the ORM, then articles batch by batch."""

    def __init__(
        self,
        *,
        articles: int,
        seed: int,
        batch: int,
        trail_share: float,
        prints: bool,
        defer_indexes: bool = True,
        writers: int = 2,
    ):
        from django.db import connection
        from django.utils import timezone

        self.n = articles
        self.seed = seed
        self.batch = batch
        self.trail_share = trail_share
        self.prints = prints
        self.defer_indexes = defer_indexes
        self.writers = writers
        self.connection = connection
        self.now = timezone.now().replace(microsecond=0)
        self.rng = random.Random(seed)
        self.counts = Counts()
        self._slugs: set[str] = set()

    def reference(self) -> None:
        """Users, sections, sources with their licences, and people, through the ORM."""
        self.ref = write_reference(self.rng, self.now, self.counts.tables)
        self.rights = Rights(self.ref, self.now)

    # --- one item ----------------------------------------------------------------------------

    def slug(self, headline: str) -> str:
        """The headline's slug, at most SLUG_MAX characters, with "-2", "-3"… when taken."""
        from django.utils.text import slugify

        base = slugify(headline)[: SLUG_MAX - 8].strip("-") or "story"
        slug, k = base, 1
        while slug in self._slugs:
            k += 1
            slug = f"{base}-{k}"
        self._slugs.add(slug)
        return slug

    def article(self, serial: int, case: Case, came_in: datetime.datetime, text: Text) -> dict:
        """One article's fields (by attribute name), with its bylines, trail and history."""
        from articles.ingest.loader import content_hash

        rng = self.rng
        now = self.now
        spec = self.ref.specs[case.source]
        staff = spec.kind == "staff"
        published_at: datetime.datetime | None = came_in + datetime.timedelta(
            minutes=rng.randint(5, 90)
        )
        embargo_until = None
        status = case.status
        if status in ("draft", "review"):
            published_at = None
        elif status == "scheduled":
            published_at = now + datetime.timedelta(hours=rng.randint(2, 24 * 6))
        elif case.embargo:
            published_at = min(published_at, now - datetime.timedelta(minutes=1))
            embargo_until = now + datetime.timedelta(hours=rng.randint(1, 48))
        expire_at = start_at = None
        if case.expires == "soon":
            expire_at = now + datetime.timedelta(days=rng.randint(1, 14))
        elif case.expires == "past":
            lasts = datetime.timedelta(days=rng.randint(30, 365))
            expire_at = min(came_in + lasts, now - datetime.timedelta(hours=1))
        if case.opens:
            start_at = now + datetime.timedelta(days=rng.randint(1, 10))
        notice_text = spec.notice.format(year=came_in.year)
        if case.extra_notice:
            notice_text = f"{notice_text} {case.extra_notice}"
        rights, source = self.rights.derive(
            case.source,
            notice_text,
            expire_at=expire_at,
            start_at=start_at,
            territories=case.territories,
        )

        place = rng.choice(text.places)
        stamp = f"{MONTHS[came_in.month - 1]} {came_in.day}"
        credit = spec.credit_line or spec.name
        lead = f"{place.upper()}, {stamp} ({credit}) -" if not staff else f"{place.upper()} -"
        headline = text.headline()
        standfirst = text.pool[rng.randrange(len(text.pool))]
        body = text.body(serial, lead=lead)
        if staff:
            guid = f"urn:newsroom:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        else:
            guid = f"urn:{spec.slug}:{came_in.year}:{serial:08d}"
        section = None
        if staff or rng.random() > UNSECTIONED:
            section = self.ref.sections[
                bisect.bisect(self.ref.section_cum, rng.random() * self.ref.section_cum[-1])
            ]
        keywords = sorted(set(text.pick(text.nouns, text.noun_cum, rng.randint(2, 4))))
        created_at = came_in
        updated_at = published_at if published_at and published_at < now else came_in
        fields = {
            "guid": guid,
            "slug": self.slug(headline),
            "headline": headline,
            "headline_is_working": False,
            "standfirst": standfirst,
            "body": body,
            "dateline": place.upper(),
            "language": "en",
            "editor_note": "",
            "source_id": source.pk,
            "section_id": section,
            "keywords": keywords,
            "status": status,
            "published_at": published_at,
            "embargo_until": embargo_until,
            **rights,
            "wire_format": "",
            "wire_original": "",
            "wire_version": None,
            "wire_hash": "",
            "ingested_version": None,
            "version": 1,
            "created_at": created_at,
            "updated_at": updated_at,
        }
        fields["copy_terms"] = rights["copy_terms"]
        bylines = self.bylines(case.source, place)
        if not staff:
            names = "; ".join(f"person {p}" for p, _, _ in bylines)
            original = "\n\n".join(
                [headline, *_paragraphs(body), f"By {names}", spec.name, notice_text]
            )
            fields.update(
                wire_format="text",
                wire_original=original,
                wire_version=1,
                wire_hash=content_hash(original),
                ingested_version=1,
            )
        return {"fields": fields, "bylines": bylines, "case": case}

    def bylines(self, source_slug: str, place: str) -> list[tuple[int, str, str]]:
        """One to four (person, role, place): the first writes, the others report or edit."""
        rng = self.rng
        people = self.ref.people[source_slug]
        count = rng.choices([n for n, _ in BYLINES], weights=[w for _, w in BYLINES])[0]
        chosen = rng.sample(people, min(count, len(people)))
        return [
            (
                person,
                "writing" if order == 0 else rng.choice(ROLES),
                place.upper() if rng.random() < 0.3 else "",
            )
            for order, person in enumerate(chosen)
        ]

    # --- the run -------------------------------------------------------------------------------

    def run(self, *, fingerprints: bool = False, toast_compression: str = "") -> Counts:
        """Write the reference rows, then the articles in batches, each batch one transaction.

        On PostgreSQL a thread of its own, with its own connection, writes each batch while
        the next is made: the server's work (indexes, TOAST, foreign keys) overlaps Python's.
        """
        started = time.monotonic()
        self.reference()
        # A small archive needs no large pool; its bodies are still unlike (see `code_words`).
        text = Text(self.rng, pool=min(SENTENCE_POOL, max(2_000, 20 * self.n)))
        cases = deck(self.rng, self.n)
        times = [moment(self.rng, case, self.now) for case in cases]
        order = sorted(range(self.n), key=times.__getitem__)  # ids ascend with time, as ingest
        writer = Writer(self.connection.alias, toast_compression=toast_compression)
        ids = writer.next_ids()
        progress = Progress(self.n, enabled=self.prints)
        if self.defer_indexes:
            writer.prepare()
        # Inside a transaction (a test's), another connection would not see its rows.
        threaded = writer.postgresql and not self.connection.in_atomic_block
        sink = Behind(writer, threads=self.writers) if threaded else writer
        try:
            for start in range(0, self.n, self.batch):
                chunk = order[start : start + self.batch]
                tables = self.batch_rows(chunk, cases, times, text, ids, fingerprints=fingerprints)
                for table, rows in tables.items():
                    self.counts.tables[table] += len(rows)
                sink.put(tables)
                progress.update(len(chunk))
        finally:
            if sink is not writer:
                sink.close()
        progress.close()
        finishing = time.monotonic()
        writer.finish()
        writer.seconds["indexes, sequences and ANALYZE"] += time.monotonic() - finishing
        self.writing = writer.seconds
        self.seconds = time.monotonic() - started
        return self.counts

    def batch_rows(
        self,
        chunk: list[int],
        cases: list[Case],
        times: list[datetime.datetime],
        text: Text,
        ids: dict[str, int],
        *,
        fingerprints: bool,
    ) -> dict[str, list]:
        """One batch's rows, table by table, with ids counted on from `ids`."""
        from articles.rights import text_reusable_for_good
        from copycheck.shingles import fingerprints as shingle_fingerprints
        from copycheck.shingles import words

        articles, bylines, audit, history, prints = [], [], [], [], []
        for serial in chunk:
            case = cases[serial]
            item = self.article(serial, case, times[serial], text)
            ids["article"] += 1
            article_id = ids["article"]
            fields = item["fields"]
            fields["id"] = article_id
            # Every withdrawal and kill is on the record, and so is the refusal that keeps
            # blocked copy in draft; other items keep theirs in the share asked.
            refused = case.status == "draft" and not fields["may_publish"]
            keep_trail = (
                case.status in ("withdrawn", "killed")
                or refused
                or self.rng.random() < self.trail_share
            )
            if keep_trail:
                entries, revisions = trail(self.rng, self.ref, article_id, item)
                for row in entries:
                    ids["audit"] += 1
                    audit.append({**row, "id": ids["audit"]})
                for row in revisions:
                    ids["history"] += 1
                    history.append({**row, "history_id": ids["history"]})
            for place_in_line, (person, role, place) in enumerate(item["bylines"]):
                ids["byline"] += 1
                bylines.append(
                    {
                        "id": ids["byline"],
                        "article_id": article_id,
                        "person_id": person,
                        "role": role,
                        "place": place,
                        "order": place_in_line,
                        "published_at": fields["published_at"],
                    }
                )
            source = self.ref.sources[case.source]
            # The copy detector indexes every item whose text the policy may come to protect.
            if fingerprints and not text_reusable_for_good(Judged(**fields, source=source)):
                text_words = words(
                    " ".join([fields["headline"], fields["standfirst"], fields["body"]])
                )
                prints.extend(
                    (article_id, value, position)
                    for value, position in shingle_fingerprints(text_words)
                )
            articles.append(fields)
            self.counts.cases[case.name] += 1
            self.counts.statuses[fields["status"]] += 1
        return {
            "articles_article": articles,
            "articles_byline": bylines,
            "articles_historicalarticle": history,
            "articles_auditentry": audit,
            "copycheck_fingerprint": prints,
        }


def _paragraphs(body: str) -> list[str]:
    return [p.removeprefix("<p>") for p in body.removesuffix("</p>").split("</p>")]
