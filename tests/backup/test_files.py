"""A backup carries the files its rows name (pictures' originals), and a restore puts them back
byte for byte, or refuses, naming the file, and writes none: a damaged file, a name outside the
media folder, a different file already under the name. Files missing at backup are named."""

from __future__ import annotations

import gzip
import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from newsroom.backup import BackupError, backup, files, restore
from pictures.models import Picture
from tests.backup.conftest import edited, fill

pytestmark = pytest.mark.django_db


def originals() -> dict[str, str]:
    """Each picture's file name and the SHA-256 of its bytes, as the media folder holds them."""
    found = {}
    for name in Picture.objects.values_list("image", flat=True):
        with default_storage.open(name, "rb") as file:
            found[name] = hashlib.sha256(file.read()).hexdigest()
    return found


@pytest.fixture
def with_files(db, tmp_path):
    """A backup of a filled newsroom with pictures, their files' hashes, and the database and
    the media folder emptied of them."""
    path = tmp_path / "newsroom.jsonl.gz"
    with transaction.atomic():
        fill()
        held = originals()
        manifest = backup(path)
        transaction.set_rollback(True)
    for name in held:
        default_storage.delete(name)
    return path, held, manifest


def file_lines(path):
    with gzip.open(path, "rt") as file:
        lines = file.read().splitlines()
    return lines, lines.index(next(line for line in lines if line.startswith('{"files":')))


def test_a_restore_puts_back_every_picture_file_byte_for_byte(with_files):
    path, held, manifest = with_files
    assert len(held) >= 2  # the demo's pictures and the fill's own
    assert manifest["files"]["count"] == len(held)
    assert manifest["files"]["missing"] == []
    assert not any(default_storage.exists(name) for name in held)

    done = restore(path)

    assert done.files == len(held)
    assert originals() == held


def test_files_travel_in_bounded_lines(with_files, monkeypatch, tmp_path):
    path, held, _ = with_files
    lines, start = file_lines(path)
    # Each chunk line is at most CHUNK bytes once decoded; a picture of the demo spans several
    # when the chunk is small.
    assert all(len(line) <= files.CHUNK * 4 // 3 + 4 for line in lines[start:])
    monkeypatch.setattr(files, "CHUNK", 1024)
    restore(path)  # a file written with large chunks reads whatever the chunk now is
    small = tmp_path / "small.jsonl.gz"
    with transaction.atomic():
        backup(small)
        transaction.set_rollback(True)
    lines, start = file_lines(small)
    chunks = [line for line in lines[start:] if line.startswith('"')]
    assert len(chunks) > len(held)
    assert max(len(json.loads(line)) for line in chunks) <= 1368  # 1,024 bytes as base64


def test_a_damaged_file_is_refused_by_name_and_nothing_is_restored(with_files):
    path, held, _ = with_files

    def damage(lines):
        _, start = file_lines(path)
        at = start + 2  # the first file's first chunk
        lines[at] = json.dumps("AAAA" + json.loads(lines[at])[4:])
        return lines

    first = json.loads(file_lines(path)[0][file_lines(path)[1] + 1])["file"]
    with pytest.raises(BackupError, match=rf"file {first}: damaged"):
        restore(edited(path, damage))
    assert not Article.objects.exists()
    assert not any(default_storage.exists(name) for name in held)


def test_a_failure_after_the_files_deletes_the_files_written(with_files):
    path, held, _ = with_files

    def trailing(lines):
        return [*lines, json.dumps(["one", "more"])]

    with pytest.raises(BackupError, match="more lines than the manifest counts"):
        restore(edited(path, trailing))
    assert not Article.objects.exists()
    assert not any(default_storage.exists(name) for name in held)


@pytest.mark.parametrize("name", ["../outside.jpg", "/etc/passwd", "pictures/../../x.jpg"])
def test_a_name_outside_the_media_folder_is_refused(with_files, name):
    path, held, _ = with_files

    def elsewhere(lines):
        _, start = file_lines(path)
        header = json.loads(lines[start + 1])
        lines[start + 1] = json.dumps({**header, "file": name})
        return lines

    with pytest.raises(BackupError, match=rf"file {name}: a name outside the media folder"):
        restore(edited(path, elsewhere))
    assert not Article.objects.exists()


def test_the_same_file_already_there_is_kept_and_a_different_one_refused(with_files):
    path, held, _ = with_files
    name = next(iter(held))
    with default_storage.open(name, "wb") as file:
        file.write(b"another picture under the same name")
    with pytest.raises(BackupError, match=rf"file {name}: the media folder already holds a diff"):
        restore(path)
    assert not Article.objects.exists()
    assert [n for n in held if default_storage.exists(n)] == [name]  # only the one that was
    default_storage.delete(name)

    restore(path)  # once the other file is moved away, every file is written
    assert originals() == held


def test_a_picture_whose_file_is_gone_is_named_at_backup(db, tmp_path):
    path = tmp_path / "b.jsonl.gz"
    with transaction.atomic():
        fill()
        gone = Picture.objects.order_by("pk").first().image.name
        default_storage.delete(gone)
        out, err = io.StringIO(), io.StringIO()
        call_command("backup", str(path), "--quiet", stdout=out, stderr=err)
        transaction.set_rollback(True)
    with gzip.open(path, "rt") as file:
        manifest = json.loads(file.readline())
    assert manifest["files"]["missing"] == [gone]
    assert f"missing from the media folder: {gone}" in err.getvalue()
    assert "files (" in out.getvalue()


def test_a_backup_of_the_first_version_without_files_still_restores(with_files):
    path, _, _ = with_files

    def first_version(lines):
        manifest = json.loads(lines[0])
        manifest["version"] = 1
        del manifest["files"]
        _, start = file_lines(path)
        return [json.dumps(manifest), *lines[1:start]]

    done = restore(edited(path, first_version))
    assert done.files == 0
    assert Picture.objects.exists()
