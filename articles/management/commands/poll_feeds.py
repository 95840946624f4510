"""`manage.py poll_feeds`: poll the sources' feeds that are due, once (for cron) or every N
seconds (for a service manager), storing what they send through the one ingest."""

from __future__ import annotations

import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from articles.ingest.poll import poll_due
from articles.models import Feed


class Command(BaseCommand):
    help = (
        "Poll every active feed that is due, once, and exit: 0 when every poll succeeded, 1 "
        "when any failed. --every SECONDS polls again and again until SIGTERM or SIGINT, which "
        "stop it after the feed being polled."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="Keep polling, this often, until stopped."
        )
        parser.add_argument(
            "--feed", type=int, metavar="ID", help="Poll this feed now, due or not, active or not."
        )

    def handle(self, *args, **options):
        every, feed_id = options["every"], options["feed"]
        if every is not None and every < 1:
            raise CommandError("--every needs a number of seconds, 1 or more.", returncode=2)
        feeds = None
        if feed_id is not None:
            feeds = list(Feed.objects.select_related("source").filter(pk=feed_id))
            if not feeds:
                raise CommandError(f"No feed with id {feed_id}.", returncode=2)
        stopping = threading.Event()
        previous = {}
        if every is not None:
            for number in (signal.SIGTERM, signal.SIGINT):
                previous[number] = signal.signal(number, lambda *_: stopping.set())
        try:
            failed = self._round(feeds, stopping)
            while every is not None and not stopping.wait(every):
                close_old_connections()  # a long-lived process: no connection outlives its use
                failed = self._round(feeds, stopping)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        if stopping.is_set():
            self.stdout.write("Stopped.")
            return  # a clean stop, not a failure: each poll's outcome is recorded
        if failed:
            sys.exit(1)

    def _round(self, feeds, stopping: threading.Event) -> int:
        """Poll what is due once; return how many polls failed."""
        failed = polled = 0
        for feed, poll in poll_due(feeds=feeds, stop=stopping.is_set):
            polled += 1
            line = f"{feed} ({feed.source}): {poll.described()}"
            if poll.succeeded:
                self.stdout.write(line)
                for error in filter(None, poll.error.splitlines()):
                    self.stdout.write(self.style.WARNING(f"  refused: {error}"))
            else:
                failed += 1
                self.stdout.write(self.style.ERROR(line))
        if not polled:
            self.stdout.write("No feed is due.")
        return failed
