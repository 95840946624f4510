"""The drop folder (`ingest --watch`): settled files only, each filed once with its report, a
restart that finishes rather than repeats, and no file that can stall the folder."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import articles.ingest.loader as loader
from articles.ingest import MAX_BYTES, watch
from articles.ingest.loader import Ingest
from articles.ingest.watch import Watcher, WatchError
from articles.models import Article, AuditEntry, Source

pytestmark = pytest.mark.django_db


def ninjs(n: int = 1, **fields) -> bytes:
    item = {
        "uri": f"urn:example:story-{n}",
        "version": "1",
        "headline": f"Harbour bridge reopens, part {n}",
        "body_html": f"<p>The bridge reopened on Monday after repairs, part {n}.</p>",
        "copyrightholder": "Example Wire",
        "copyrightnotice": "Copyright 2030 Example Wire. All rights reserved.",
        **fields,
    }
    return json.dumps(item).encode()


def drop(folder: Path, name: str, data: bytes, *, age: float = 10.0) -> Path:
    """Put a complete file in the folder, its mtime `age` seconds old (settled, if seen twice)."""
    path = folder / name
    path.write_bytes(data)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def watcher(folder: Path, **options) -> Watcher:
    options.setdefault("interval", 0.01)
    options.setdefault("settle", 0.5)
    return Watcher(folder, make_run=Ingest, **options)


def filed(folder: Path, where: str) -> list[str]:
    return sorted(p.name for p in (folder / where).iterdir()) if (folder / where).exists() else []


def report(folder: Path, moved_to: str) -> dict:
    return json.loads((folder / f"{moved_to}.report.json").read_text())


class Crash(BaseException):
    """The process stopping dead: nothing after it runs (as a kill, not an error to handle)."""


# --- which files are read, and when -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [".story.json", "story.json.part", "story.json.tmp", "story.json~", "a.crdownload"]
)
def test_a_file_under_a_temporary_name_is_never_read(tmp_path, name):
    drop(tmp_path, name, ninjs())
    watcher(tmp_path).run(once=True)
    assert (tmp_path / name).exists()
    assert not Article.objects.exists()


@pytest.mark.parametrize("name", ["story.json", "story.part.json", "tmp.xml", "report.txt"])
def test_ordinary_names_are_not_temporary(name):
    assert not watch.temporary(name)


def test_a_file_is_read_once_two_scans_agree_and_its_mtime_has_settled(tmp_path):
    clock = [0.0]
    w = watcher(tmp_path, settle=1.0, wall=lambda: clock[0])
    for sub in ("processing", "done", "failed"):
        (tmp_path / sub).mkdir()
    path = drop(tmp_path, "story.json", ninjs(), age=0)
    mtime = path.stat().st_mtime
    clock[0] = mtime + 0.5
    assert w.scan() == 1  # seen once: not yet
    assert w.scan() == 1  # seen twice, but written only 0.5 s ago
    with path.open("ab") as out:  # still being written
        out.write(b" ")
    os.utime(path, (mtime, mtime))  # even at the same mtime, the size moved
    clock[0] = mtime + 1.0
    assert w.scan() == 1 and not Article.objects.exists()
    assert w.scan() == 0  # unchanged across two scans, and 1 s old: read
    assert filed(tmp_path, "done") == ["story.json", "story.json.report.json"]
    # Complete at `mtime`, read on the scan after it is a second old: within 2 s of intervals.
    assert watch.SETTLE + watch.INTERVAL <= 2


def test_once_reads_what_is_there_and_files_it_with_its_report(tmp_path):
    drop(tmp_path, "good.json", ninjs())
    drop(tmp_path, "bad.xml", b"<html><body>not wire copy</body></html>")
    out = StringIO()
    call_command("ingest", "--watch", str(tmp_path), "--once", "--json", stdout=out, stderr=out)
    assert filed(tmp_path, "done") == ["good.json", "good.json.report.json"]
    assert filed(tmp_path, "failed") == ["bad.xml", "bad.xml.report.json"]
    assert filed(tmp_path, "processing") == []
    good = report(tmp_path, "done/good.json")
    assert good["outcome"] == "done" and good["items"][0]["status"] == "created"
    assert good["items"][0]["headline"] == "Harbour bridge reopens, part 1"
    bad = report(tmp_path, "failed/bad.xml")
    assert "unrecognised XML" in bad["items"][0]["error"] and bad["reason"]
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    assert {line["moved_to"] for line in lines} == {"done/good.json", "failed/bad.xml"}
    assert Article.objects.count() == 1


def test_the_watch_options_apply_to_each_file(tmp_path):
    Source.objects.create(name="Desk", slug="desk", kind="staff")
    drop(tmp_path, "story.json", ninjs())
    out = StringIO()
    call_command(
        "ingest", "--watch", str(tmp_path), "--once", "--source", "desk", "--publish", stdout=out
    )
    article = Article.objects.get()
    assert article.source.slug == "desk" and article.status == "published"
    assert "done   done/story.json  (1 items)" in out.getvalue()


def test_watch_takes_one_folder(tmp_path):
    drop(tmp_path, "story.json", ninjs())
    with pytest.raises(CommandError, match="one folder"):
        call_command("ingest", "--watch", str(tmp_path / "story.json"), "--once")
    with pytest.raises(CommandError, match="goes with --watch"):
        call_command("ingest", str(tmp_path / "story.json"), "--once")


def test_a_file_dropped_again_under_the_same_name_never_overwrites_the_first(tmp_path):
    drop(tmp_path, "story.json", ninjs(1))
    watcher(tmp_path).run(once=True)
    drop(tmp_path, "story.json", ninjs(2))
    watcher(tmp_path).run(once=True)
    drop(tmp_path, "story.json", ninjs(1))  # the first again: unchanged, filed apart
    watcher(tmp_path).run(once=True)
    assert filed(tmp_path, "done") == [
        "story-2.json",
        "story-2.json.report.json",
        "story-3.json",
        "story-3.json.report.json",
        "story.json",
        "story.json.report.json",
    ]
    assert json.loads((tmp_path / "done/story.json").read_text())["uri"] == "urn:example:story-1"
    assert report(tmp_path, "done/story-3.json")["items"][0]["status"] == "unchanged"
    assert Article.objects.count() == 2


def test_two_watchers_never_watch_one_folder(tmp_path):
    first = watcher(tmp_path)
    with first.locked(), pytest.raises(WatchError, match="Another watcher"):
        watcher(tmp_path).run(once=True)


# --- a bad file never stalls the folder ---------------------------------------------------------


def test_bad_files_fail_with_their_reason_and_the_next_files_are_read(tmp_path):
    with (tmp_path / "huge.txt").open("wb") as huge:
        huge.truncate(MAX_BYTES + 1)
    drop(tmp_path, "huge.txt", (tmp_path / "huge.txt").read_bytes())
    drop(tmp_path, "binary.bin", bytes(range(256)) * 4)
    drop(tmp_path, "empty.txt", b"")
    drop(tmp_path, "deep.json", b"[" * 100_000 + b"]" * 100_000)
    (tmp_path / "link.json").symlink_to("/etc/passwd")
    drop(tmp_path, "zgood.json", ninjs())
    watcher(tmp_path).run(once=True)
    reasons = {
        name: report(tmp_path, f"failed/{name}")["reason"]
        for name in ("huge.txt", "binary.bin", "empty.txt", "deep.json", "link.json")
    }
    assert "larger than 5 MiB" in reasons["huge.txt"]
    assert all(reasons.values())
    assert "not a regular file" in reasons["link.json"]
    assert (tmp_path / "failed/link.json").is_symlink()  # moved, never followed
    assert filed(tmp_path, "done") == ["zgood.json", "zgood.json.report.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_fails_and_the_next_is_read(tmp_path):
    locked = drop(tmp_path, "locked.json", ninjs(1))
    locked.chmod(0)
    drop(tmp_path, "open.json", ninjs(2))
    watcher(tmp_path).run(once=True)
    assert "cannot read" in report(tmp_path, "failed/locked.json")["reason"]
    assert report(tmp_path, "done/open.json")["items"][0]["status"] == "created"


def test_a_parse_that_runs_too_long_is_stopped_and_the_next_file_is_read(tmp_path, monkeypatch):
    original = loader.parse

    def parse(data, **options):
        if b"slow" in data:
            time.sleep(30)
        return original(data, **options)

    monkeypatch.setattr(loader, "parse", parse)
    drop(tmp_path, "a-slow.json", ninjs(1, headline="slow"))
    drop(tmp_path, "b-quick.json", ninjs(2))
    started = time.monotonic()
    watcher(tmp_path, limit=0.5).run(once=True)
    assert time.monotonic() - started < 20  # stopped, not slept through
    reason = report(tmp_path, "failed/a-slow.json")["reason"]
    assert "longer than the limit of 0.5 s" in reason and "nothing of it was stored" in reason
    assert report(tmp_path, "done/b-quick.json")["items"][0]["status"] == "created"
    assert list(Article.objects.values_list("guid", flat=True)) == ["urn:example:story-2"]
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def test_the_time_limit_leaves_a_quick_block_alone():
    with watch.time_limit(5):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with pytest.raises(watch.FileTimeout), watch.time_limit(0.05):
        time.sleep(5)


# --- a restart never stores a file twice --------------------------------------------------------

STEPS = ["claimed", "read", "reported", "moved", "filed"]


@pytest.mark.parametrize("step", STEPS)
def test_a_stop_at_any_step_is_finished_on_restart_and_the_file_is_stored_once(
    tmp_path, monkeypatch, step
):
    drop(tmp_path, "story.json", ninjs())

    def stop_at(reached):
        if reached == step:
            raise Crash(step)

    monkeypatch.setattr(watch, "checkpoint", stop_at)
    with pytest.raises(Crash):
        watcher(tmp_path).run(once=True)
    monkeypatch.setattr(watch, "checkpoint", lambda reached: None)
    heard = []
    watcher(tmp_path, on_file=heard.append).run(once=True)
    assert filed(tmp_path, "done") == ["story.json", "story.json.report.json"]
    assert filed(tmp_path, "processing") == [] and filed(tmp_path, "failed") == []
    assert Article.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.INGEST).count() == 1
    status = report(tmp_path, "done/story.json")["items"][0]["status"]
    # Stopped after storing it and before writing its report, it was read again and found
    # stored already; stopped before reading it, it was read once, on the restart.
    assert status == ("unchanged" if step == "read" else "created")
    assert [o.moved_to for o in heard] == ([] if step == "filed" else ["done/story.json"])


def test_a_stop_inside_the_store_stores_nothing_and_the_restart_stores_it(tmp_path, monkeypatch):
    drop(tmp_path, "story.json", ninjs())
    original = Ingest._store

    def store(self, *args, **kwargs):
        original(self, *args, **kwargs)
        raise Crash("before the commit")

    monkeypatch.setattr(Ingest, "_store", store)
    with pytest.raises(Crash):
        watcher(tmp_path).run(once=True)
    assert not Article.objects.exists()
    monkeypatch.setattr(Ingest, "_store", original)
    watcher(tmp_path).run(once=True)
    assert report(tmp_path, "done/story.json")["items"][0]["status"] == "created"
    assert report(tmp_path, "done/story.json")["recovered"] is True
    assert Article.objects.count() == 1


def test_a_file_that_stops_the_watcher_each_time_is_failed_unread_and_the_rest_go_on(
    tmp_path, monkeypatch
):
    drop(tmp_path, "a-deadly.json", ninjs(1), age=20)
    drop(tmp_path, "b-fine.json", ninjs(2))
    original = Ingest.data

    def data(self, content, *, name):
        if name == "a-deadly.json":
            raise Crash("the process died reading it")
        return original(self, content, name=name)

    monkeypatch.setattr(Ingest, "data", data)
    for _ in range(watch.MAX_ATTEMPTS):
        with pytest.raises(Crash):
            watcher(tmp_path).run(once=True)
    watcher(tmp_path).run(once=True)
    failed = report(tmp_path, "failed/a-deadly.json")
    assert f"stopped {watch.MAX_ATTEMPTS} times" in failed["reason"]
    assert failed["attempts"] == watch.MAX_ATTEMPTS
    assert report(tmp_path, "done/b-fine.json")["items"][0]["status"] == "created"
    assert filed(tmp_path, "processing") == []


# --- stopping ----------------------------------------------------------------------------------


def test_sigterm_stops_the_watcher_after_the_current_file(tmp_path, monkeypatch):
    drop(tmp_path, "a.json", ninjs(1), age=20)
    drop(tmp_path, "b.json", ninjs(2))

    def terminate_once(reached):
        if reached == "read" and not Article.objects.filter(guid="urn:example:story-2").exists():
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(watch, "checkpoint", terminate_once)
    before = signal.getsignal(signal.SIGTERM)
    watcher(tmp_path).run()  # not --once: only the signal ends it
    assert filed(tmp_path, "done") == ["a.json", "a.json.report.json"]  # finished, then stopped
    assert (tmp_path / "b.json").exists()  # not begun
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_watcher_reads_a_file_soon_after_it_is_renamed_into_the_folder(tmp_path):
    w = Watcher(tmp_path, make_run=Ingest)  # the real interval and settle time

    def run():
        try:
            w.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        (tmp_path / ".story.json.part").write_bytes(ninjs())
        os.rename(tmp_path / ".story.json.part", tmp_path / "story.json")
        deadline = time.monotonic() + 15
        while (
            time.monotonic() < deadline and not (tmp_path / "done/story.json.report.json").exists()
        ):
            time.sleep(0.05)
        assert report(tmp_path, "done/story.json")["items"][0]["status"] == "created"
    finally:
        w.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_limit_inside_a_shorter_one_leaves_it_alone_and_inside_a_longer_one_restores_it():
    with pytest.raises(watch.FileTimeout), watch.time_limit(0.1), watch.time_limit(30):
        time.sleep(5)  # the outer 0.1 s holds, not the inner 30 s
    with watch.time_limit(30):
        with watch.time_limit(1):
            pass
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 25 < left <= 30  # the outer limit goes on
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.django_db
def test_ingest_of_named_files_stops_a_parse_that_runs_too_long(tmp_path, monkeypatch):
    original = loader.parse

    def parse(data, **options):
        if b"slow" in data:
            time.sleep(30)
        return original(data, **options)

    monkeypatch.setattr(loader, "parse", parse)
    (tmp_path / "a-slow.json").write_bytes(ninjs(1, headline="slow"))
    (tmp_path / "b-quick.json").write_bytes(ninjs(2))
    reports = {Path(r.path).name: r for r in loader.Ingest(parse_limit=0.5).paths([tmp_path])}
    slow, quick = reports["a-slow.json"], reports["b-quick.json"]
    assert slow.status == "error" and "took longer than 0.5 s" in slow.error
    assert "a-slow.json" in slow.error
    assert quick.status == "created"
