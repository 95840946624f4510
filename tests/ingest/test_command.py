"""`manage.py ingest` as outside tools call it: arguments, JSON lines, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Source

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACT_KEYS = {
    "path", "status", "id", "guid", "url", "headline", "copyright_holder", "copyright_year",
    "usage_terms", "embargo_until", "rights_expire_at", "territories", "rights",
    "rights_settled", "bylines", "published", "refused", "error",
}  # fmt: skip
# Keys added since, beside the contract's: the rights window's start, the territories excluded,
# the zone that times given without one were read in (with the fields read that way), whether
# the item is an article or a picture, and what it brought that could not be stored.
ADDED_KEYS = {
    "rights_start_at", "excluded_territories", "zone", "zone_assumed", "type", "warnings",
}  # fmt: skip

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_json_prints_one_object_per_item_with_every_contract_field():
    code, out, _ = run("--json", str(FIXTURES / "anadolu.txt"), str(FIXTURES / "reuters.txt"))
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 2
    for line in lines:
        assert set(line) == CONTRACT_KEYS | ADDED_KEYS
    assert lines[0]["rights"] == {
        "publish": False,
        "broadcast": False,
        "rewrite": False,
        "redistribute": False,
    }
    assert lines[0]["bylines"] == [{"name": "Erdogan Cagatay Zontur", "role": "writing"}]


def test_exit_is_one_when_any_item_failed_and_the_others_are_stored():
    code, out, _ = run("--json", str(FIXTURES / "anadolu.txt"), str(FIXTURES / "xxe.xml"))
    assert code == 1
    statuses = [json.loads(line)["status"] for line in out.splitlines()]
    assert statuses == ["created", "error"]
    assert Article.objects.count() == 1


def test_publish_reports_each_refusal_with_its_reasons():
    code, out, _ = run("--json", "--publish", str(FIXTURES / "anadolu.txt"))
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert code == 0
    assert line["published"] is False
    assert "notice forbids publication" in line["refused"][0]


def test_plain_output_says_each_item_and_a_summary():
    code, out, _ = run(str(FIXTURES / "anadolu.txt"))
    assert code == 0
    assert "created" in out and "Turkish exports hit record high" in out
    assert "1 files, 1 created" in out


def test_dry_run_stores_nothing_and_says_so():
    code, out, _ = run("--dry-run", str(FIXTURES / "anadolu.txt"))
    assert code == 0
    assert "Dry run" in out
    assert not Article.objects.exists()


def test_a_named_source_is_used():
    Source.objects.create(name="Desk", slug="desk")
    run("--source", "desk", str(FIXTURES / "anadolu.txt"))
    assert Article.objects.get().source.slug == "desk"


@pytest.mark.parametrize(
    "args",
    [
        ["--source", "nope", str(FIXTURES / "anadolu.txt")],
        [str(FIXTURES / "does-not-exist.txt")],
    ],
)
def test_bad_usage_exits_two(args):
    with pytest.raises(CommandError) as raised:
        call_command("ingest", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 2


def test_an_unknown_format_is_bad_usage():
    with pytest.raises(CommandError):
        call_command("ingest", "--format", "pdf", str(FIXTURES / "anadolu.txt"))
