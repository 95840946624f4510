"""Private servers for the fault tests: a PostgreSQL, a Redis and a gunicorn of their own, each on
a free port of 127.0.0.1, in a temporary folder, started and stopped by the test that needs it.

Nothing here touches the machine's own PostgreSQL or Redis.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(ready, *, seconds: float, what: str) -> None:
    """Poll `ready()` until it is true, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if ready():
                return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start within {seconds} s")


# --- PostgreSQL ----------------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None where PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    folders = [Path(found).resolve().parent] if found else []
    folders += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in folders:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _server_user() -> str | None:
    """The user PostgreSQL runs as: none to change to unless we are root, which initdb refuses."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise AssertionError("running as root and no postgres or nobody user to run PostgreSQL as")


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1:`port` only."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        kwargs = {"user": self.user, "group": pwd.getpwnam(self.user).pw_gid} if self.user else {}
        if self.user:
            kwargs["extra_groups"] = []
        subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=self.folder,
            **kwargs,
        )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def restart(self) -> None:
        """Stop it as an operator would in a hurry (sessions cut at once), and start it again."""
        # It keeps the options it was started with; -l again, or it would write to our pipe.
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"
        )

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def execute(self, sql: str, *, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as db:
            cursor = db.execute(sql)
            return cursor.fetchall() if cursor.description else []


# --- Redis ---------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server on 127.0.0.1:`port` that keeps nothing on disk; it can be killed and
    started again on the same port."""

    def __init__(self, binary: str):
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                tempfile.gettempdir(),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, seconds=10, what="redis-server")

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


# --- gunicorn ------------------------------------------------------------------------------------


@dataclass
class Served:
    port: int
    log: Path

    def get(self, path: str, *, timeout: float = 15) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


def site_env(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like process of the site on `database_url`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="fault-tests",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no proxy in front
        DATABASE_URL=database_url,
        STATIC_ROOT=str(folder / "static"),
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def prepare_site(env: dict[str, str], *, timeout: float = 120) -> None:
    """Collect the static files (with DEBUG off, checks refuse to run without their manifest),
    migrate the database and load the demo content."""
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "-v0"], ["demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=timeout,
        )


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], folder: Path, *, workers: int = 2, threads: int = 4
) -> Iterator[Served]:
    """Serve the site with gunicorn on a free port of 127.0.0.1; stop it on the way out."""
    served = Served(port=free_port(), log=folder / f"gunicorn-{time.monotonic_ns()}.log")
    command = [
        sys.executable, "-m", "gunicorn", "newsroom.wsgi",
        "--bind", f"127.0.0.1:{served.port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--timeout", "30", "--graceful-timeout", "5",
        "--error-logfile", str(served.log), "--capture-output",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {served.log.read_text()[-2000:]}")
        return served.get("/favicon.ico", timeout=2)[0] == 200

    try:
        wait_for(answers, seconds=30, what="gunicorn")
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def settings_under(env: dict[str, str], *names: str) -> dict:
    """The named settings as a fresh process reads them from `env` (on top of this one's)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(out.stdout)
