"""A time limit on reading one file, so that no file, however hostile, hangs an ingest run."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from articles.ingest.parsed import ParseError

T = TypeVar("T")

# How long the parsers may take over one file before it is refused (ingest and the drop folder).
PARSE_SECONDS = 30


class FileTimeout(BaseException):
    """Raised in the reading of a file that ran over its time limit.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way (in a
    parser or the loader) swallows it; the item's transaction rolls back as it passes.
    """


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[object | None]:
    """Raise `FileTimeout` in the block if it runs longer than `seconds`; the block gets the token
    the timeout carries (None where an outer, shorter limit holds, or none can be set).

    `signal.setitimer` interrupts the main thread even inside a long regular expression or a
    sleep; elsewhere (another thread, a system without SIGALRM) there is no limit.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    outer = signal.getitimer(signal.ITIMER_REAL)[0] if usable else 0.0
    if not usable or (outer and outer <= seconds):
        yield None  # no limit can be set here, or an outer, shorter one holds
        return
    mine = object()  # the timeout this block raises, told from an outer one's

    def alarm(signum, frame):
        raise FileTimeout(mine)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield mine
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # an outer, longer limit goes on with what it has left
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))


def read_within(seconds: float | None, name: str, read: Callable[[], T]) -> T:
    """`read()`, or a ParseError naming the file when reading it runs over `seconds`."""
    try:
        with time_limit(seconds) as mine:
            return read()
    except FileTimeout as timeout:
        if mine is None or timeout.args[0] is not mine:
            raise  # an outer limit's: its owner says what ran over
        raise ParseError(
            f"{name}: reading it took longer than {seconds:g} s, so it was stopped; the file may "
            "be malformed: check it, or send the story in another format"
        ) from None
