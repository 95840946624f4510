"""Archive generator: a migrated database filled with ten years of a newsroom's stories.

    .venv/bin/python bench/generate.py --articles 1000000
        --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench [--seed 2026]
        [--batch 5000] [--trail-share 0.1] [--fingerprints] [--toast-compression lz4|pglz]

It migrates the database the URL names (PostgreSQL or an SQLite file), which must hold no
articles yet, then writes N articles with their bylines, people, sections, sources and
licences, and history and audit rows for a share of them: COPY on PostgreSQL (psycopg 3's
`cursor.copy()`, from a thread of its own while the next batch is made), batched `executemany`
on SQLite, one transaction per batch, with a progress bar on stderr. On PostgreSQL the indexes
that back no constraint (the search vector's GIN index among them) are dropped before the COPY
and built once at the end (`--keep-indexes` keeps them), and two threads write alternate batches
(`--writers`); the search trigger stays, so each vector is the application's. At the end it
resets the sequences, runs `VACUUM (ANALYZE)` on PostgreSQL (as autovacuum soon would: the
visibility map set for index-only scans), and prints the counts, the time taken and the
rows per second.

`--fingerprints` also writes the copy detector's index (appended to its recent table, merged
once at the end, as an ingest run does). It is off by default: it is some 19 rows per wire item,
no public page reads it, and on a million items its sorted merge alone takes longer than the
rest; `manage.py reindex_copy` builds it from the stored text. On PostgreSQL the session
compresses long values with lz4 (`--toast-compression`; the server's default is pglz), which
halves the time the server spends on each body; the values read back are the same.

The rows are those the application stores: every rights field comes from the project's own
`derive_rights()` for the item's source, the terms its copy states (`CopyTerms`, stored as
`copy_terms`) and the licence the source's items rely on now; notices are read by
`parse_notice()`; wire copy keeps its original and `content_hash()`; bodies are the sanitiser's
fixed point; the fingerprints are `copycheck.shingles`'. Writing rows straight to the tables,
rather than through `save()`, is what makes a million articles take minutes instead of hours.

The mix is a deck of 200 cases (`CASES`): staff copy (all rights ours), agency copy under a
licence, copy blocked by rights (no licence in force), a suspended source, a licence that ends in
three weeks and one not yet in force, Creative Commons copy (one licence settled, one needing a
rights manager), territories and excluded territories, rights expiring soon and expired,
embargoes, scheduled items, drafts, items in review, withdrawn and killed ones. Each run of 200
items deals the deck once, shuffled by the seeded RNG, so any archive of 200 items or more holds
every case in its proportion. Bodies are 300 to 1,500 words of sentences drawn from a pool built
from a Zipf-weighted vocabulary; the lead of each body carries three words chosen by the item's
serial number, so no two bodies are alike.


The package's modules, in the order a run uses them: `words` (the vocabulary and the text's
sizes), `cases` (the sources, the deck of cases, sections and bylines), `reference` (desk users,
sections, sources, licences and people through the ORM), `text` (headlines and bodies), `rights`
(the derivation, cached), `trail` (audit and history rows), `rows` (the `Generator`: each
batch's rows), `writers` (COPY and `executemany`, and the writing thread), `progress` and
`command` (`bench/generate.py` runs its `main()`).
"""
