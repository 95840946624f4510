"""What restore and backup refuse, each with an error naming the file, the item and the field,
and each leaving the database as it was: a database not empty or not migrated, a file of another
schema, a file that is no backup or is cut short, a value its column cannot take."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from newsroom.backup import BackupError, backup, restore
from tests.backup.conftest import edited, first_row, manage
from tests.factories import LATEST_ARTICLES_MIGRATION

pytestmark = pytest.mark.django_db


def assert_still_empty() -> None:
    """Nothing restored, and the groups the migrations made are there as they were."""
    assert not Article.objects.exists()
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Editor",
        "Reporter",
        "Rights manager",
    ]


def test_restore_refuses_a_database_that_is_not_empty(taken):
    path, _ = taken
    Section.objects.create(name="Already here", slug="here")
    with pytest.raises(BackupError, match=r"not empty: articles_section \(1 row\)\. Restore only"):
        restore(path)
    assert list(Section.objects.values_list("slug", flat=True)) == ["here"]
    assert not Article.objects.exists()


def test_the_restore_command_says_why_it_refuses(taken):
    Section.objects.create(name="Already here", slug="here")
    with pytest.raises(CommandError, match="This database is not empty"):
        call_command("restore", str(taken[0]))


def test_restore_refuses_a_file_written_at_another_schema(taken):
    def older(lines):
        manifest = json.loads(lines[0])
        manifest["schema"]["articles"] = "0006_copy_terms"
        return [json.dumps(manifest), *lines[1:]]

    path = edited(taken[0], older)
    with pytest.raises(BackupError) as error:
        restore(path)
    assert str(error.value).startswith(f"{path} was written at another schema (articles: file ")
    assert f"file 0006_copy_terms, this version {LATEST_ARTICLES_MIGRATION})" in str(error.value)
    assert_still_empty()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"id,headline\n1,Not a backup\n", "not a Newsroom backup"),
        (gzip.compress(b'{"tables": []}\n'), "not a Newsroom backup"),
        (gzip.compress(b"[1, 2]\n"), "not a Newsroom backup"),
        (gzip.compress(b"{not json\n"), "line 1: not JSON"),
        (
            gzip.compress(b'{"format": "newsroom-backup", "version": 3}\n'),
            "field version: format version 3; this Newsroom reads versions 1, 2",
        ),
    ],
)
def test_restore_refuses_what_is_not_a_backup_it_can_read(tmp_path, content, says):
    path = tmp_path / "file.gz"
    path.write_bytes(content)
    with pytest.raises(BackupError, match=re.escape(says)) as error:
        restore(path)
    assert str(error.value).startswith(str(path))
    assert_still_empty()


def test_restore_names_a_file_it_cannot_open(tmp_path):
    with pytest.raises(BackupError, match=r"missing\.gz: cannot be read \(No such file"):
        restore(tmp_path / "missing.gz")


def test_a_manifest_entry_without_its_count_is_named(taken):
    def uncounted(lines):
        manifest = json.loads(lines[0])
        (source,) = [t for t in manifest["tables"] if t["table"] == "articles_source"]
        source["rows"] = -1
        return [json.dumps(manifest), *lines[1:]]

    with pytest.raises(BackupError, match=r"manifest: table articles_source: field rows: missing"):
        restore(edited(taken[0], uncounted))
    assert_still_empty()


def test_a_file_cut_short_restores_nothing(taken):
    path = taken[0]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(BackupError, match="damaged or cut short after line"):
        restore(path)
    assert_still_empty()


def test_a_value_its_column_cannot_take_is_named_by_line_table_row_and_field(taken):
    lines_of = {}

    def bad_time(lines):
        at = first_row(lines, "articles_article")
        row = json.loads(lines[at])
        columns = next(
            t["columns"] for t in json.loads(lines[0])["tables"] if t["table"] == "articles_article"
        )
        row[columns.index("published_at")] = "yesterday"
        lines_of.update(line=at + 1, id=row[0])
        return [*lines[:at], json.dumps(row), *lines[at + 1 :]]

    path = edited(taken[0], bad_time)
    with pytest.raises(BackupError) as error:
        restore(path)
    assert str(error.value).startswith(
        f"{path}, line {lines_of['line']}: table articles_article, row 1 (id {lines_of['id']}): "
        "field published_at: “yesterday” value has an invalid format."
    )
    assert_still_empty()


def test_a_permission_this_database_lacks_is_named(taken):
    def unknown_permission(lines):
        at = first_row(lines, "auth_group_permissions")
        row = json.loads(lines[at])
        row[2] = ["fly", "articles", "article"]
        return [*lines[:at], json.dumps(row), *lines[at + 1 :]]

    with pytest.raises(
        BackupError,
        match=r"auth_group_permissions, row 1 \(id \d+\): field permission_id: no permission "
        r"\['fly', 'articles', 'article'\] in this database",
    ):
        restore(edited(taken[0], unknown_permission))
    assert_still_empty()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda lines, at: [*lines[:at], *lines[at + 1 :]], "7 values, found the next table"),
        (lambda lines, at: [*lines[: at + 1], *lines[at:]], "more rows than the manifest's"),
        (lambda lines, at: [*lines[:at], "[1, 2]", *lines[at + 1 :]], "7 values, found 2 values"),
    ],
    ids=["a row missing", "a row too many", "a short row"],
)
def test_rows_that_do_not_match_the_manifest_are_refused(taken, change, says):
    def changed(lines):
        after = lines.index(json.dumps({"table": "articles_byline"}), 1)
        last = next(n for n in range(after + 1, len(lines)) if lines[n].startswith("{")) - 1
        return change(lines, last)

    with pytest.raises(BackupError, match=re.escape(says)):
        restore(edited(taken[0], changed))
    assert_still_empty()


def test_restore_refuses_a_database_not_yet_migrated(taken, tmp_path):
    result = manage(f"sqlite:///{tmp_path / 'bare.sqlite3'}", "restore", str(taken[0]))
    assert result.returncode == 1
    assert "This database lacks migrations (" in result.stderr
    assert "Run `manage.py migrate` first." in result.stderr


def test_a_backup_that_fails_leaves_what_was_at_its_path(tmp_path, monkeypatch):
    path = tmp_path / "newsroom.jsonl.gz"
    path.write_text("yesterday's backup")
    monkeypatch.setattr("newsroom.backup.dump.unapplied", lambda: ["articles.0099_next"])
    with pytest.raises(BackupError, match=r"lacks migrations \(articles\.0099_next\): run"):
        backup(path)
    assert path.read_text() == "yesterday's backup"
    assert list(tmp_path.iterdir()) == [path]


def test_a_backup_to_a_folder_that_is_not_there_says_so(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere/newsroom\.jsonl\.gz: cannot be written"):
        call_command("backup", str(tmp_path / "nowhere" / "newsroom.jsonl.gz"))
