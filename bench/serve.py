"""Serving benchmark: requests a second for the site's pages behind gunicorn, against a floor.

    .venv/bin/python bench/serve.py [--articles 300 | --database-url URL] [--rounds 5]
        [--seconds 3] [--connections 16] [--python-client] [--no-wagtail]
        [--json bench/results/serve.json]

Every server is gunicorn with 2 sync workers on a free port of 127.0.0.1, DEBUG off:

- the floor (`bench/floor/`): a bare Django view returning a page of exactly the article page's
  size from memory, with no apps, no middleware and no database: what any Django page costs;
- Wagtail 8 serving the same story (headline, standfirst, body, bylines) in a simple template,
  from a project `wagtail start` generates in a temporary folder (SQLite, one page, Wagtail's
  own settings and middleware as it ships them, DEBUG off), in a virtualenv of its own
  (bench/.venv-wagtail, made on the first run; never one of the project's requirements);
- the project (`newsroom.wsgi`, NEWSROOM_SERVING=1) on the database the URL names, or on a fresh
  SQLite archive of `--articles` items from `bench/generate.py`: a story's page, the front page,
  the API's list and RSS; where `settings.PAGE_CACHE` exists, one server with PAGE_CACHE=off
  (the uncached figures) and one as configured (the story with the page cache).

Each page is loaded by wrk (`apt-get install wrk`; else a Python client of threads, bounded in
requests and time) with 16 connections for a few seconds, in rounds that go through every page
in turn, so a busy moment on a shared machine falls on all of them; the median of the rounds is
reported, with its ratio to the floor's. Then 10,000 requests of a mix of the project's pages,
and the resident memory (VmRSS) of each worker of every server.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL_VENV = ROOT / "bench" / ".venv-wagtail"
WAGTAIL = "8.0.1"  # the version asked for; the newest 8.x where it is not to be had
WORKERS = 2
MIX_REQUESTS = 10_000
LIMIT_PER_ROUND = 200_000  # the Python client's bound on one round's requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    def workers(self) -> list[int]:
        """The master's children, from /proc: gunicorn's workers."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    found.append(int(stat.parent.name))
        return sorted(found)

    def rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            kib = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))
            sizes.append(round(kib / 1024, 1))
        return sizes


@contextlib.contextmanager
def gunicorn(
    name: str, python: Path, app: str, *, env: dict, cwd: Path, ready: str, log: Path
) -> Iterator[Server]:
    """gunicorn serving `app` with WORKERS sync workers, until `ready` answers 200."""
    port = free_port()
    command = [
        str(python), "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "30",
        "--access-logfile", "/dev/null", "--error-logfile", str(log),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=cwd, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if fetch(port, ready, timeout=5)[0] == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name}: gunicorn did not start; see {log}:\n{log.read_text()}")
            time.sleep(0.2)
        yield Server(name, port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- load ----------------------------------------------------------------------------------------


def with_wrk(port: int, path: str, *, connections: int, seconds: float) -> dict:
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, os.cpu_count() or 1)), "-c", str(connections),
         "-d", f"{seconds}s", "--timeout", "10s", f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    took = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return {"requests": int(done.group(1)), "seconds": took, "errors": errors}


def with_threads(
    port: int,
    paths: list[str],
    *,
    connections: int,
    seconds: float,
    requests: int,
    timeout: float = 10,
) -> dict:
    """Up to `requests` GETs of `paths` in turn from `connections` threads, for up to `seconds`.

    Each thread keeps its connection while the server does (sync workers close each one;
    http.client opens the next). An error is any answer but 200, or none within `timeout` s.
    """
    statuses: Counter = Counter()
    lock = threading.Lock()
    turn = itertools.count()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine: Counter = Counter()
        while time.monotonic() < stop and (n := next(turn)) < requests:
            try:
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                mine[response.status] += 1
            except (OSError, http.client.HTTPException):
                conn.close()
                mine["no answer"] += 1
        conn.close()
        with lock:
            statuses.update(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answered = sum(statuses.values())
    return {
        "requests": answered,
        "seconds": time.monotonic() - started,
        "errors": answered - statuses[200],
        "statuses": {str(k): v for k, v in statuses.items()},
    }


# --- what is served ------------------------------------------------------------------------------


def archive(scratch: Path, articles: int) -> str:
    url = f"sqlite:///{scratch / 'archive.sqlite3'}"
    subprocess.run(
        [sys.executable, "bench/generate.py", "--articles", str(articles), "--database-url", url],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return url


def project_env(database_url: str, scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PAGE_CACHE"}}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_SERVING="1",
        DEBUG="false",
        SECRET_KEY="bench-serve-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no proxy in front
        STATIC_ROOT=str(scratch / "static"),
    )
    return env


def story_fields(env: dict[str, str], slug: str) -> dict:
    """The story's headline, standfirst, body and bylines, and whether PAGE_CACHE exists."""
    script = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "from articles.models import Article\n"
        f"a = Article.objects.get(slug={slug!r})\n"
        "print(json.dumps({'slug': a.slug, 'headline': a.headline, 'standfirst': a.standfirst,"
        " 'dateline': a.dateline, 'body': a.body, 'bylines': '; '.join(str(b) for b in"
        " a.bylines.select_related('person').order_by('order')),"
        " 'page_cache': hasattr(settings, 'PAGE_CACHE')}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return json.loads(out.stdout)


def wagtail_python() -> tuple[Path, str]:
    """The Wagtail virtualenv's python, made on the first run, and Wagtail's version in it."""
    python = WAGTAIL_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(WAGTAIL_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    if subprocess.run([*pip, f"wagtail=={WAGTAIL}", "gunicorn"]).returncode != 0:
        subprocess.run([*pip, "wagtail>=8,<9", "gunicorn"], check=True)
    version = subprocess.run(
        [str(python), "-c", "import wagtail; print(wagtail.__version__)"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return python, version


WAGTAIL_SETTINGS = """\
from .production import *  # noqa: F403

SECRET_KEY = {key!r}
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["newsarticle", *INSTALLED_APPS]  # noqa: F405
"""


def wagtail_site(python: Path, scratch: Path, story: dict) -> tuple[Path, dict, str]:
    """A Wagtail project with the story as its one ArticlePage: its folder, env and path."""
    site = scratch / "wagtail"
    site.mkdir()
    wagtail = python.parent / "wagtail"
    subprocess.run([str(wagtail), "start", "benchsite", str(site)], check=True, capture_output=True)
    shutil.copytree(ROOT / "bench" / "wagtail_app", site / "newsarticle")
    settings = site / "benchsite" / "settings" / "bench.py"
    settings.write_text(WAGTAIL_SETTINGS.format(key="bench-wagtail-" + uuid.uuid4().hex))
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "benchsite.settings.bench"}
    (scratch / "story.json").write_text(json.dumps(story))
    for args in (
        ["makemigrations", "newsarticle", "-v0"],
        ["migrate", "-v0"],
        ["bench_article", str(scratch / "story.json")],
    ):
        out = subprocess.run(
            [str(python), "manage.py", *args], cwd=site, env=env, capture_output=True, text=True
        )
        if out.returncode:
            raise SystemExit(f"wagtail {' '.join(args)}:\n{out.stderr}")
    return site, env, out.stdout.strip()


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    server: Server
    path: str
    size: int = 0
    rounds: list[float] = field(default_factory=list)
    errors: int = 0

    def median(self) -> float:
        return statistics.median(self.rounds)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [float(n) for n in Path("/proc/loadavg").read_text().split()[:3]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="for the generated archive")
    parser.add_argument("--database-url", help="an archive to serve (else one is generated)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3, help="a page's time in each round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--python-client", action="store_true", help="even where wrk exists")
    parser.add_argument("--no-wagtail", action="store_true", help="leave Wagtail out")
    parser.add_argument(
        "--mix", type=int, default=MIX_REQUESTS, help="requests before memory is read"
    )
    parser.add_argument("--json", type=Path, help="write the figures there")
    args = parser.parse_args(argv)
    use_wrk = bool(shutil.which("wrk")) and not args.python_client

    def one_round(page: Page) -> None:
        if use_wrk:
            got = with_wrk(
                page.server.port, page.path, connections=args.connections, seconds=args.seconds
            )
        else:
            got = with_threads(
                page.server.port, [page.path], connections=args.connections,
                seconds=args.seconds, requests=LIMIT_PER_ROUND,
            )  # fmt: skip
        page.rounds.append(got["requests"] / got["seconds"])
        page.errors += got["errors"]

    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, contextlib.ExitStack() as up:
        scratch = Path(tmp)
        if not args.database_url:
            say(f"generating an archive of {args.articles:,} items on SQLite")
        database_url = args.database_url or archive(scratch, args.articles)
        env = project_env(database_url, scratch)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip

        def project(name: str, **extra: str) -> Server:
            return up.enter_context(
                gunicorn(name, Path(sys.executable), "newsroom.wsgi", env={**env, **extra},
                         cwd=ROOT, ready="/healthz",
                         log=scratch / (re.sub(r"\W+", "-", name) + ".log"))
            )  # fmt: skip

        newsroom = project("newsroom")
        status, front = fetch(newsroom.port, "/")
        slugs = list(dict.fromkeys(re.findall(rb'href="/news/([\w-]+)/"', front)))
        if status != 200 or not slugs:
            raise SystemExit(f"the front page answered {status} with no story linked")
        slug = slugs[0].decode()
        story = story_fields(env, slug)
        # With a page cache, the uncached figures come from a server that has it off.
        has_page_cache = story.pop("page_cache")
        uncached = (
            project("newsroom, PAGE_CACHE=off", PAGE_CACHE="off") if has_page_cache else newsroom
        )
        article = f"/news/{slug}/"
        status, body = fetch(uncached.port, article)
        if status != 200:
            raise SystemExit(f"{article} answered {status}")
        size = len(body)

        floor = up.enter_context(
            gunicorn("floor", Path(sys.executable), "bench.floor.wsgi",
                     env={"PATH": os.environ.get("PATH", ""), "ALLOWED_HOSTS": "127.0.0.1"},
                     cwd=ROOT, ready="/bytes/1/", log=scratch / "floor.log")
        )  # fmt: skip
        pages = [Page("bare Django view (the floor)", floor, f"/bytes/{size}/")]
        wagtail_version = None
        if not args.no_wagtail:
            say("the Wagtail project: its virtualenv, `wagtail start`, migrate, the story")
            python, wagtail_version = wagtail_python()
            site, wagtail_env, wagtail_path = wagtail_site(python, scratch, story)
            wagtail = up.enter_context(
                gunicorn("wagtail", python, "benchsite.wsgi", env=wagtail_env, cwd=site,
                         ready=wagtail_path, log=scratch / "wagtail.log")
            )  # fmt: skip
            pages.append(Page(f"Wagtail {wagtail_version}: the same story", wagtail, wagtail_path))
        off = " (PAGE_CACHE=off)" if uncached is not newsroom else ""
        pages += [
            Page(f"article page, uncached{off}", uncached, article),
            Page(f"front page{off}", uncached, "/"),
            Page(f"API list{off}", uncached, "/api/items/"),
            Page(f"RSS{off}", uncached, "/feeds/rss/"),
        ]
        if uncached is not newsroom:
            pages.append(Page("article page, page cache on", newsroom, article))

        for page in pages:
            status, body = fetch(page.server.port, page.path)
            if status != 200:
                raise SystemExit(f"{page.name}: {page.path} answered {status}")
            page.size = len(body)
            # Warm each worker: its first requests load templates and open connections.
            with_threads(page.server.port, [page.path], connections=4, seconds=1, requests=50)
        for number in range(1, args.rounds + 1):
            for page in pages:
                one_round(page)
            say(f"round {number}/{args.rounds} done")

        say(f"{args.mix:,} requests of a mix of pages, then the workers' memory")
        mix = [f"/news/{s.decode()}/" for s in slugs[:20]] + ["/", "/api/items/", "/feeds/rss/"]
        mixed = with_threads(newsroom.port, mix, connections=4, seconds=900, requests=args.mix)
        servers = {page.server.name: page.server for page in pages}
        memory = {name: server.rss_mb() for name, server in servers.items()}
    load_after = load_average()

    floor_rps = pages[0].median()
    print(
        f"\n{WORKERS} sync workers each, {args.connections} connections, "
        f"{'wrk' if use_wrk else 'Python client'}, {args.rounds} rounds of {args.seconds:g} s; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after\n"
    )
    print(f"{'page':44} {'bytes':>8} {'req/s':>8} {'range':>15} {'× floor':>8} {'errors':>6}")
    for page in pages:
        spread = f"{min(page.rounds):,.0f}–{max(page.rounds):,.0f}"
        print(
            f"{page.name:44} {page.size:>8,} {page.median():>8,.1f} {spread:>15} "
            f"{page.median() / floor_rps:>8.3f} {page.errors:>6}"
        )
    print(
        f"\nworker memory (VmRSS, MB), the project's ({newsroom.name}) after {mixed['requests']:,} "
        f"more requests of {len(mix)} pages ({mixed['errors']} not 200), the others' after "
        "their rounds:"
    )
    for name, sizes in memory.items():
        print(f"  {name:40} {', '.join(f'{mb:.1f}' for mb in sizes)}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        results = {
            "workers": WORKERS,
            "connections": args.connections,
            "client": "wrk" if use_wrk else "python threads",
            "rounds": args.rounds,
            "seconds_per_round": args.seconds,
            "database": "generated SQLite" if not args.database_url else "given",
            "articles": None if args.database_url else args.articles,
            "wagtail": wagtail_version,
            "load_average": {"before": load_before, "after": load_after},
            "cpus": os.cpu_count(),
            "pages": [
                {
                    "name": p.name,
                    "path": p.path,
                    "bytes": p.size,
                    "rounds": p.rounds,
                    "median": p.median(),
                    "ratio_to_floor": p.median() / floor_rps,
                    "errors": p.errors,
                }
                for p in pages
            ],  # fmt: skip
            "mix": {"paths": mix, **mixed},
            "worker_rss_mb": memory,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
