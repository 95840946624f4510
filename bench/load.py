"""Load benchmark: the site served by gunicorn on PostgreSQL, 64 concurrent clients for 60 s.

    .venv/bin/python bench/load.py [--clients 64] [--duration 60] [--articles 300]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--workers 5] [--threads 4]
        [--worker-class gthread|sync] [--keep-alive 5] [--python-client]

It creates a database on that server (dropped at the end), migrates it, loads the demo content
and N generated staff stories (through `manage.py ingest --publish`, spread over the demo's
sections), collects the static files, and serves the site with gunicorn on a free port of
127.0.0.1 with DEBUG off, as in production. Clients ask for a mix of public addresses (MIX: the
front page, stories, section and source lists, search, feeds, sitemaps and the API), after each
kind is timed alone. wrk drives the load where it is installed (`apt-get install wrk`), else a
Python client of threads. It reports the requests, the errors (any answer but 200, and socket
errors and timeouts), and p50 and p99 latency.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# Words for generated stories and searches.
VOCABULARY = (
    "council budget river harbour ferry library school hospital station market bridge festival "
    "museum court police report vote plan road rail bus price wage rent water energy storm "
    "flood farm shop factory port strike union mayor minister hearing inquiry survey residents "
    "workers officials engineers teachers nurses drivers owners families visitors said told "
    "warned agreed opened closed delayed approved rejected announced promised expected "
)
WORDS = VOCABULARY.split()
URLS_PER_KIND = 40  # stories (and searches) in the mix


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def story(n: int, rng: random.Random) -> str:
    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
        return " ".join(words).capitalize() + "."

    paragraphs = [" ".join(sentence() for _ in range(3)) for _ in range(6)]
    headline = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f", report {n}"
    return "\n\n".join(
        [headline, *paragraphs, f"*Writing by Reporter {n % 40}; Editing by Editor {n % 7}"]
    )


@contextlib.contextmanager
def database(server_url: str) -> Iterator[str]:
    """A database of the benchmark's own on the server `server_url` names, dropped afterwards."""
    name = f"newsroom_load_{uuid.uuid4().hex[:8]}"
    admin = server_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def prepare(env: dict[str, str], url: str, scratch: Path, *, articles: int) -> None:
    rng = random.Random(2026)
    wire = scratch / "stories"
    wire.mkdir()
    for n in range(articles):
        (wire / f"{n:05}.txt").write_text(story(n, rng))
    manage(env, "collectstatic", "--noinput", "-v0")  # with DEBUG off, checks need its manifest
    manage(env, "migrate", "-v0")
    manage(env, "demo")
    manage(env, "ingest", "--source", "the-newsroom", "--publish", str(wire))
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "UPDATE articles_article SET section_id = (SELECT id FROM articles_section "
            "ORDER BY id OFFSET articles_article.id % 6 LIMIT 1) WHERE section_id IS NULL"
        )
        db.execute("VACUUM ANALYZE")


# The mix, in requests out of 100: roughly what a news site's readers and partners ask for.
MIX = {"story": 50, "front": 15, "list": 12, "search": 3, "feed": 8, "sitemap": 4, "api": 8}


def public_urls(url: str) -> dict[str, list[str]]:
    """The addresses of each kind in the mix (some demo stories among them are refused)."""
    with psycopg.connect(url) as db:
        stories = [row[0] for row in db.execute("SELECT slug FROM articles_article ORDER BY id")]
        sections = [row[0] for row in db.execute("SELECT slug FROM articles_section")]
        sources = [row[0] for row in db.execute("SELECT slug FROM articles_source")]
    rng = random.Random(7)
    return {
        "story": [f"/news/{slug}/" for slug in stories],
        "front": ["/"],
        "list": [f"/section/{s}/" for s in sections] + [f"/source/{s}/" for s in sources],
        "search": [f"/search/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}" for _ in range(20)],
        "feed": ["/feeds/rss/", "/feeds/atom/"] + [f"/feeds/section/{s}/rss/" for s in sections],
        "sitemap": ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml"],
        "api": ["/api/items/", "/api/items/?page=2", "/api/items/?page_size=50"],
    }


def weighted(kinds: dict[str, list[str]]) -> list[str]:
    """1,000 addresses in the proportions of MIX: a client picking one at random follows it."""
    rng = random.Random(11)
    return [rng.choice(kinds[kind]) for kind, share in MIX.items() for _ in range(share * 10)]


def alone(port: int, kinds: dict[str, list[str]]) -> dict[str, float]:
    """The median milliseconds of each kind of address with no other load, for comparison."""
    medians = {}
    for kind, urls in kinds.items():
        times = []
        for path in (urls * 10)[:10]:
            began = time.perf_counter()
            get(port, path)
            times.append((time.perf_counter() - began) * 1000)
        medians[kind] = round(sorted(times)[len(times) // 2], 1)
    return medians


def get(port: int, path: str, timeout: float = 10) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, threads: int, kind: str, keep_alive: int
) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", kind,
        "--keep-alive", str(keep_alive), "--timeout", "30", "--access-logfile", "/dev/null",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if get(port, "/favicon.ico", timeout=2) == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


WRK_SCRIPT = """
local paths = {%s}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "status_errors": %%d, "socket_errors": %%d, ' ..
    '"p50_ms": %%f, "p99_ms": %%f, "max_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def with_wrk(port: int, urls: list[str], *, clients: int, duration: int, scratch: Path) -> dict:
    script = scratch / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(u) for u in urls))
    threads = min(clients, os.cpu_count() or 1)
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(clients),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],  # fmt: skip
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["errors"] = figures["status_errors"] + figures["socket_errors"]
    return {"client": "wrk", **figures}


def with_threads(port: int, urls: list[str], *, clients: int, duration: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                conn.request("GET", rng.choice(urls))
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            mine.append(time.perf_counter() - began)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    return {
        "client": "python threads",
        "requests": len(latencies),
        "seconds": time.monotonic() - started,
        "errors": errors[0],
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "max_ms": latencies[-1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--articles", type=int, default=300, help="generated stories")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--keep-alive", type=int, default=5, help="seconds; 0 closes each")
    parser.add_argument("--python-client", action="store_true", help="even where wrk exists")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, database(args.database_url) as url:
        scratch = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
        env.update(
            DATABASE_URL=url,
            DEBUG="false",
            SECRET_KEY="bench",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no proxy in front
            STATIC_ROOT=str(scratch / "static"),
        )
        prepare(env, url, scratch, articles=args.articles)
        candidates = public_urls(url)
        with gunicorn(
            env,
            workers=args.workers,
            threads=args.threads,
            kind=args.worker_class,
            keep_alive=args.keep_alive,
        ) as port:
            kinds = {k: [u for u in urls if get(port, u) == 200] for k, urls in candidates.items()}
            # Only the demo's agency copy that its rights keep off the site may be refused.
            refused = {u for urls in candidates.values() for u in urls} - {
                u for urls in kinds.values() for u in urls
            }
            if len(kinds["story"]) < args.articles or len(refused) > 6:
                raise SystemExit(f"not 200 before the load: {sorted(refused)}")
            urls = weighted(kinds)
            single = alone(port, kinds)
            if shutil.which("wrk") and not args.python_client:
                figures = with_wrk(
                    port, urls, clients=args.clients, duration=args.duration, scratch=scratch
                )
            else:
                figures = with_threads(port, urls, clients=args.clients, duration=args.duration)
    figures.update(
        clients=args.clients,
        workers=args.workers,
        threads=args.threads,
        articles=args.articles,
        addresses=len(set(urls)),
        requests_per_s=round(figures["requests"] / figures["seconds"], 1),
        alone_median_ms=single,
    )
    print(json.dumps(figures))
    print(
        f"{args.clients} clients for {figures['seconds']:.0f} s ({figures['client']}), gunicorn "
        f"{args.workers}x{args.threads} on PostgreSQL, {len(set(urls))} public addresses: "
        f"{figures['requests']} requests ({figures['requests_per_s']}/s), "
        f"{figures['errors']} errors, p50 {figures['p50_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms"
    )
    print("alone, median ms: " + ", ".join(f"{k} {v}" for k, v in single.items()))


if __name__ == "__main__":
    main()
