"""A drop folder: wire files put in it are ingested by themselves, then filed with a report.

Layout of a watched folder::

    FOLDER/                 files are dropped here (write under a temporary name, then rename)
    FOLDER/processing/      the file being read, claimed by an atomic rename
    FOLDER/done/NAME        files whose every item was stored, each beside NAME.report.json
    FOLDER/failed/NAME      files with an item (or the whole file) that could not be stored

**Settled files only.** The folder is polled with `os.scandir` every `INTERVAL` seconds (inotify
is not portable). A file is read once two scans in a row find the same size, mtime and inode,
and its mtime is `SETTLE` seconds old; names a writer uses while still writing (a leading dot,
`.part`, `.tmp`, `.crdownload`, a trailing `~`) are never read. A file complete at time t is
claimed by t + SETTLE + INTERVAL: 1.5 s with the defaults, within the 2 s promised.

**A report per file**, `done/NAME.report.json` (or under `failed/`), rather than one appended
`reports.jsonl`: a report travels with its file, is written whole by an atomic rename (an append
cut short by a crash leaves a broken line that every reader must skip), and a file that is
dropped again simply gets a report of its own.

**A restart never stores a file twice.** Each step leaves the folder in a state the next start
finishes, never repeats:

1. claim: rename `FOLDER/NAME` to `processing/NAME` (atomic; a crash before it leaves the file
   to be read next time), and note the attempt in `processing/.NAME.claim`;
2. read and store (the loader commits; a crash before the commit stores nothing);
3. write the report, `processing/.NAME.report`, naming where the file goes;
4. move the file there, then its report, then drop the claim.

On start, a file in `processing/` with its report is moved where the report says (it is not
read again); one without a report is read again, and the loader, idempotent by content hash,
finds every item it stored already "unchanged" rather than storing it twice; a report whose
file has gone follows its file. A file that stopped the watcher `MAX_ATTEMPTS` times (a crash
while reading it) goes to `failed/` instead of being read again, so it cannot stall the folder.

**A bad file never stalls the folder**: one that cannot be read, is too large, is no regular
file, or makes the parser raise goes to `failed/` with its reason; a parse that runs longer
than the time limit is stopped (`signal.setitimer`, in the main thread on Unix) and fails.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from articles.ingest.files import read
from articles.ingest.limits import FileTimeout, time_limit
from articles.ingest.loader import Ingest, ItemReport

try:
    import fcntl
except ImportError:  # pragma: no cover - not Unix: one watcher per folder is the operator's care
    fcntl = None

PROCESSING, DONE, FAILED = "processing", "done", "failed"
INTERVAL = 0.5  # seconds between scans
SETTLE = 1.0  # seconds a file's mtime must be old, besides two scans agreeing on it
TIME_LIMIT = 60.0  # seconds one file may take to read and store
MAX_ATTEMPTS = 2  # reads of one file that stopped the watcher before it is failed unread
LOCK = ".watch.lock"
REPORT_SUFFIX = ".report.json"

_TEMPORARY = re.compile(r"^\.|~$|\.(part|partial|tmp|temp|crdownload|filepart|swp)$", re.I)


def temporary(name: str) -> bool:
    """Whether `name` is one a writer uses while the file is still being written."""
    return bool(_TEMPORARY.search(name))


class WatchError(Exception):
    """The folder cannot be watched (missing, not writable, or watched already)."""


def checkpoint(step: str) -> None:
    """A step of a file's way through the folder is done. (Tests stop the watcher here.)"""


@dataclass
class Outcome:
    """What became of one dropped file: its report, as written beside it."""

    name: str
    outcome: str  # done, failed
    moved_to: str  # relative to the watched folder: done/NAME
    reason: str = ""
    attempts: int = 1
    recovered: bool = False  # found in processing/ when the watcher started
    read_at: str = ""
    items: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return dict(self.__dict__)


class Watcher:
    """Watch `folder`: claim each settled file, ingest it with a run from `make_run`, file it.

    `make_run` builds a fresh `Ingest` for each file, so a source's settings changed while the
    watcher runs apply from the next file. `on_file` hears of each file filed.
    """

    def __init__(
        self,
        folder: str | os.PathLike,
        *,
        make_run: Callable[[], Ingest],
        on_file: Callable[[Outcome], None] = lambda outcome: None,
        interval: float = INTERVAL,
        settle: float = SETTLE,
        limit: float | None = TIME_LIMIT,
        wall: Callable[[], float] = time.time,
    ):
        self.folder = Path(folder)
        self.make_run = make_run
        self.on_file = on_file
        self.interval = interval
        self.settle = settle
        self.limit = limit
        self.wall = wall
        self.stopping = False
        self._previous: dict[str, tuple[int, int, int]] = {}
        self._lock = None

    # --- running -------------------------------------------------------------------------------

    def run(self, *, once: bool = False) -> None:
        """Finish what a stopped run left, then read files as they settle until stopped.

        `once`: read what is there (waiting only for it to settle) and return. SIGTERM and
        SIGINT stop it after the current file (handled only when run in the main thread).
        """
        with self.locked(), self.stop_on_signals():
            self.recover()
            deadline = time.monotonic() + self.settle + 2 * self.interval
            while not self.stopping:
                unsettled = self.scan()
                if once and (not unsettled or time.monotonic() > deadline):
                    break
                if not self.stopping:
                    time.sleep(self.interval)

    def stop(self, *args) -> None:
        self.stopping = True

    @contextlib.contextmanager
    def stop_on_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder for this watcher alone: two would claim each other's files."""
        if not self.folder.is_dir():
            raise WatchError(f"No such folder: {self.folder}")
        for sub in (PROCESSING, DONE, FAILED):
            (self.folder / sub).mkdir(exist_ok=True)
        with open(self.folder / LOCK, "a") as lock:
            if fcntl is not None:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise WatchError(f"Another watcher is watching {self.folder}.") from None
            yield

    # --- finding settled files -----------------------------------------------------------------

    def scan(self) -> int:
        """Read every file that has settled since the last scan; return how many have not."""
        seen: dict[str, tuple[int, int, int]] = {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if temporary(entry.name) or entry.is_dir(follow_symlinks=False):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                seen[entry.name] = (st.st_size, st.st_mtime_ns, st.st_ino)
        now = self.wall()
        ready = sorted(
            (
                name
                for name, sig in seen.items()
                if self._previous.get(name) == sig and now - sig[1] / 1e9 >= self.settle
            ),
            key=lambda name: (seen[name][1], name),
        )
        self._previous = {name: sig for name, sig in seen.items() if name not in ready}
        for name in ready:
            if self.stopping:
                break
            self.take(name)
        return len(seen) - len(ready)

    # --- one file ------------------------------------------------------------------------------

    def take(self, name: str) -> Outcome | None:
        """Claim the dropped file `name` and read it; None if it went before it was claimed."""
        claimed = self.folder / PROCESSING / free_name(self.folder / PROCESSING, name)
        try:
            os.rename(self.folder / name, claimed)
        except FileNotFoundError:
            return None
        self._note_attempt(claimed, name=name, attempts=1)
        checkpoint("claimed")
        return self.process(claimed, name=name, attempts=1)

    def process(self, claimed: Path, *, name: str, attempts: int, recovered=False) -> Outcome:
        reports, reason = self._read(claimed, name=name)
        return self.file(
            claimed,
            name=name,
            reports=reports,
            reason=reason,
            attempts=attempts,
            recovered=recovered,
        )

    def _read(self, claimed: Path, *, name: str) -> tuple[list[ItemReport], str]:
        """Read and store the file's items; the reason it failed as a whole, if it did."""
        try:
            if not stat.S_ISREG(os.lstat(claimed).st_mode):
                return [], "not a regular file (a link, a folder or a device); it was not read"
            data = read(claimed)
            if isinstance(data, ItemReport):  # too large, or unreadable
                return [], data.error.replace(str(claimed), name)
            with time_limit(self.limit):
                return list(self.make_run().data(data, name=name)), ""
        except FileTimeout:
            return [], (
                f"reading it took longer than the limit of {self.limit:g} s and was stopped; "
                "nothing of it was stored"
            )
        except Exception as exc:  # a bad file must not stop the folder
            return [], f"could not be read: {type(exc).__name__}: {exc}"

    def file(
        self,
        claimed: Path,
        *,
        name: str,
        reports: list[ItemReport],
        reason: str,
        attempts: int,
        recovered: bool,
    ) -> Outcome:
        """Write the file's report, then move the file and the report to done/ or failed/."""
        checkpoint("read")
        errors = [r for r in reports if r.status == "error"]
        if not reason and errors:
            reason = f"{len(errors)} of {len(reports)} items could not be stored"
        if not reason and not reports:
            reason = "no items"
        where = FAILED if reason else DONE
        outcome = Outcome(
            name=name,
            outcome=where,
            moved_to=f"{where}/{free_name(self.folder / where, name)}",
            reason=reason,
            attempts=attempts,
            recovered=recovered,
            read_at=datetime.datetime.now(datetime.UTC).isoformat(),
            items=[report.as_json() for report in reports],
        )
        write_atomically(report_of(claimed), json.dumps(outcome.as_json(), ensure_ascii=False))
        checkpoint("reported")
        return self.finish(claimed, outcome)

    def finish(self, claimed: Path, outcome: Outcome) -> Outcome:
        """Move the claimed file where its report says, then the report beside it."""
        target = self.folder / outcome.moved_to
        if claimed.exists() and not move_no_clobber(claimed, target):
            # Taken since the report chose it (only by hand): choose again, and say so.
            outcome.moved_to = f"{target.parent.name}/{free_name(target.parent, outcome.name)}"
            write_atomically(report_of(claimed), json.dumps(outcome.as_json(), ensure_ascii=False))
            return self.finish(claimed, outcome)
        checkpoint("moved")
        report = report_of(claimed)
        if report.exists():
            os.replace(report, target.with_name(target.name + REPORT_SUFFIX))
        checkpoint("filed")
        claim_of(claimed).unlink(missing_ok=True)
        self.on_file(outcome)
        return outcome

    # --- finishing what a stopped run left -----------------------------------------------------

    def recover(self) -> list[Outcome]:
        """Finish each file left in processing/ by a run that stopped (see the module's doc)."""
        processing = self.folder / PROCESSING
        outcomes = []
        for entry in sorted(os.listdir(processing)):
            claimed = processing / entry
            if entry.startswith(".") or not os.path.lexists(claimed):
                continue
            report = report_of(claimed)
            if report.exists():  # read and reported: only the moves were left
                outcome = Outcome(**json.loads(report.read_text()))
                outcomes.append(self.finish(claimed, outcome))
                continue
            claim = self._claim(claimed)
            name, attempts = claim.get("name", entry), claim.get("attempts", 1)
            if attempts >= MAX_ATTEMPTS:
                reason = (
                    f"the watcher stopped {attempts} times while reading it; it was not read "
                    "again (look at it, then drop it again to retry)"
                )
                outcomes.append(
                    self.file(
                        claimed,
                        name=name,
                        reports=[],
                        reason=reason,
                        attempts=attempts,
                        recovered=True,
                    )
                )
                continue
            self._note_attempt(claimed, name=name, attempts=attempts + 1)
            outcomes.append(self.process(claimed, name=name, attempts=attempts + 1, recovered=True))
        for entry in sorted(os.listdir(processing)):  # what a file left behind it
            path = processing / entry
            if not entry.startswith(".") or os.path.lexists(processing / owner(entry)):
                continue
            if entry.endswith(".report"):  # the file was moved already: its report follows it
                outcome = Outcome(**json.loads(path.read_text()))
                target = self.folder / outcome.moved_to
                os.replace(path, target.with_name(target.name + REPORT_SUFFIX))
                self.on_file(outcome)
                outcomes.append(outcome)
            else:  # a claim whose file was filed, or a report never written whole
                path.unlink(missing_ok=True)
        return outcomes

    def _claim(self, claimed: Path) -> dict:
        try:
            return json.loads(claim_of(claimed).read_text())
        except (OSError, ValueError):
            return {}  # claimed, then stopped before the claim was noted: the first attempt

    def _note_attempt(self, claimed: Path, *, name: str, attempts: int) -> None:
        write_atomically(claim_of(claimed), json.dumps({"name": name, "attempts": attempts}))


def report_of(claimed: Path) -> Path:
    return claimed.with_name(f".{claimed.name}.report")


def claim_of(claimed: Path) -> Path:
    return claimed.with_name(f".{claimed.name}.claim")


def owner(entry: str) -> str:
    """The claimed file a dot-file of processing/ (`.NAME.report`, `.NAME.claim.tmp`) is of."""
    name = entry[1:]
    for suffix in (".tmp", ".report", ".claim"):
        name = name.removesuffix(suffix)
    return name


def free_name(folder: Path, name: str) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`…: the first that neither it nor its report takes
    in `folder`, so a file dropped again never overwrites the first one filed."""
    path = Path(name)
    candidate, n = name, 1
    while (folder / candidate).exists() or (folder / (candidate + REPORT_SUFFIX)).exists():
        n += 1
        candidate = f"{path.stem}-{n}{path.suffix}"
    return candidate


def move_no_clobber(source: Path, target: Path) -> bool:
    """Move `source` to `target` unless `target` exists; False if it does.

    A hard link then an unlink never overwrites (a rename would); if a stop came between the
    two, the target is the same file, and only the unlink is left to do.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        if not os.path.samefile(source, target):
            return False
    except OSError:  # a file system without hard links
        if os.path.lexists(target):
            return False
        os.rename(source, target)
        return True
    source.unlink()
    return True


def write_atomically(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a temporary file, flushed, then renamed over it."""
    temporary_path = path.with_name(path.name + ".tmp")
    with open(temporary_path, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary_path, path)
