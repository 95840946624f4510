"""A progress bar on stderr."""

from __future__ import annotations

import sys
import time


class Progress:
    """A progress bar on stderr: done, share, rate and time left, redrawn 4 times a second."""

    WIDTH = 30

    def __init__(self, total: int, *, enabled: bool = True):
        self.total, self.done, self.enabled = total, 0, enabled
        self.started = self.drawn = time.monotonic()

    def update(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self.drawn >= 0.25 or self.done >= self.total):
            self.drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        bar = "#" * int(share * self.WIDTH)
        sys.stderr.write(
            f"\r[{bar:<{self.WIDTH}}] {share:6.1%} {self.done:,}/{self.total:,} articles "
            f"{rate:,.0f}/s {elapsed:,.0f}s elapsed, {left:,.0f}s left "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
