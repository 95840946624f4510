"""Public reads on a real streaming replica: a private primary, a replica made from it with
pg_basebackup, and gunicorn serving the site on both (DATABASE_REPLICA_URL).

Routing is proved by pausing the replica's replay: a change committed on the primary is then
missing from the replica only, so a page shows which of the two it was read from.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.factories import need_service
from tests.faults.services import (
    ROOT,
    PrivatePostgres,
    Served,
    free_port,
    gunicorn,
    postgres_bin,
    prepare_site,
    site_env,
    wait_for,
)

pytestmark = pytest.mark.postgres

PASSWORD = "replica-test-password-41"
RETRY_AFTER = 1  # DATABASE_REPLICA_RETRY_AFTER for the served site, so a returning replica is used
SERVER = "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"


class Cluster:
    """A primary streaming to one hot standby, both in one temporary folder."""

    def __init__(self, bin_dir: Path):
        self.primary = PrivatePostgres(bin_dir)  # its folder holds both clusters
        self.folder = self.primary.folder
        self.replica_data = self.folder / "replica"
        self.replica_port = free_port()

    def url(self, *, replica: bool = False) -> str:
        port = self.replica_port if replica else self.primary.port
        return f"postgres://postgres@127.0.0.1:{port}/newsroom"

    def start(self) -> None:
        primary = self.primary
        primary._run("initdb", "-D", str(primary.data), "-A", "trust", "-U", "postgres", "-N")
        with (primary.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        options = f"-p {primary.port} -k {self.folder} {SERVER} -c wal_level=replica "
        options += "-c max_wal_senders=4"
        primary._run(
            "pg_ctl", "-D", str(primary.data), "-l", str(primary.log), "-o", options, "-w", "start"
        )
        primary.execute("CREATE DATABASE newsroom")
        primary._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.replica_data),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self.start_replica()

    def start_replica(self) -> None:
        options = f"-p {self.replica_port} -k {self.folder} {SERVER} -c hot_standby=on"
        log = str(self.folder / "replica.log")
        self.primary._run(
            "pg_ctl", "-D", str(self.replica_data), "-l", log, "-o", options, "-w", "start"
        )
        wait_for(
            lambda: self.replica_sql("SELECT pg_is_in_recovery()") == [(True,)],
            seconds=30,
            what="the replica, in recovery",
        )

    def stop_replica(self) -> None:
        if (self.replica_data / "postmaster.pid").exists():
            self.primary._run("pg_ctl", "-D", str(self.replica_data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        try:
            self.stop_replica()
        finally:
            try:
                if (self.primary.data / "postmaster.pid").exists():
                    self.primary._run(
                        "pg_ctl", "-D", str(self.primary.data), "-m", "fast", "-w", "stop"
                    )
            finally:
                shutil.rmtree(self.folder, ignore_errors=True)

    def primary_sql(self, sql: str, *params) -> list[tuple]:
        return run_sql(self.url(), sql, params)

    def replica_sql(self, sql: str, *params) -> list[tuple]:
        return run_sql(self.url(replica=True), sql, params)

    def pause(self) -> None:
        self.replica_sql("SELECT pg_wal_replay_pause()")
        wait_for(
            lambda: self.replica_sql("SELECT pg_get_wal_replay_pause_state()") == [("paused",)],
            seconds=10,
            what="the replica's pause",
        )

    def resume(self) -> None:
        """Replay again, and wait until the replica has everything the primary committed."""
        self.replica_sql("SELECT pg_wal_replay_resume()")
        (target,) = self.primary_sql("SELECT pg_current_wal_lsn()")[0]
        wait_for(
            lambda: self.replica_sql("SELECT pg_last_wal_replay_lsn() >= %s", target) == [(True,)],
            seconds=30,
            what="the replica's replay",
        )

    def generations(self) -> tuple[int, int]:
        sql = "SELECT value FROM articles_rightsgeneration WHERE id = 1"
        return self.primary_sql(sql)[0][0], self.replica_sql(sql)[0][0]


def run_sql(url: str, sql: str, params: tuple) -> list[tuple]:
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as db:
        cursor = db.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


@dataclass
class Site:
    cluster: Cluster
    served: Served
    slugs: list[tuple[int, str, str]]  # id, slug, headline of stories answering 200

    def page(self, path: str, *, cookies: dict[str, str] | None = None) -> tuple[int, str]:
        status, _, body = request(self.served, "GET", path, cookies=cookies)
        return status, body.decode()

    def logged(self, text: str) -> int:
        return self.served.log.read_text().count(text)


def request(
    served: Served,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=15)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def set_cookies(headers: http.client.HTTPMessage) -> SimpleCookie:
    jar = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        jar.load(line)
    return jar


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    bin_dir = postgres_bin()
    need_service(
        bin_dir is not None and (bin_dir / "pg_basebackup").exists(),
        "needs PostgreSQL's initdb, pg_ctl and pg_basebackup (Debian's postgresql package)",
        service="postgresql",
    )
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
        env = site_env(
            cluster.url(),
            cluster.folder,
            DATABASE_REPLICA_URL=cluster.url(replica=True),
            DATABASE_REPLICA_RETRY_AFTER=str(RETRY_AFTER),
            DEMO_ADMIN_PASSWORD=PASSWORD,
            PAGE_CACHE="off",
        )
        prepare_site(env)
        subprocess.run(
            [sys.executable, "manage.py", "demo_admin"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        cluster.resume()  # the replica has the migrated, filled database
        # One worker, so "logged once" is one process's count.
        with gunicorn(env, cluster.folder, workers=1, threads=2) as served:
            rows = cluster.primary_sql("SELECT id, slug, headline FROM articles_article")
            site = Site(cluster, served, [])
            site.slugs = [row for row in rows if site.page(f"/news/{row[1]}/")[0] == 200]
            assert len(site.slugs) >= 2, rows
            yield site
    finally:
        cluster.stop()


def set_headline(site: Site, article_id: int, headline: str) -> None:
    """A change that is not about rights: the generation stays where it was."""
    site.cluster.primary_sql(
        "UPDATE articles_article SET headline = %s WHERE id = %s", headline, article_id
    )


def kill(site: Site, article_id: int) -> None:
    """A rights change as every such write makes it: the change and the generation's bump in
    one transaction."""
    with psycopg.connect(site.cluster.url(), connect_timeout=5) as db, db.transaction():
        db.execute("UPDATE articles_article SET status = 'killed' WHERE id = %s", [article_id])
        db.execute("UPDATE articles_rightsgeneration SET value = value + 1 WHERE id = 1")


def test_public_pages_read_the_replica_until_a_rights_change_it_has_not_replayed(site):
    (first, slug, headline), (second, second_slug, _) = site.slugs[:2]
    cluster = site.cluster
    cluster.pause()
    try:
        set_headline(site, first, "A headline only the primary has")
        status, body = site.page(f"/news/{slug}/")
        assert status == 200
        assert headline in body  # read from the paused replica
        assert "A headline only the primary has" not in body

        kill(site, second)
        primary, replica = cluster.generations()
        assert replica < primary
        # The replica has not replayed the kill: every public read goes to the primary.
        assert site.page(f"/news/{second_slug}/")[0] == 410
        status, body = site.page(f"/news/{slug}/")
        assert "A headline only the primary has" in body
        assert second_slug not in site.page("/")[1]
        assert second_slug not in site.page("/feeds/rss/")[1]
    finally:
        cluster.resume()

    # Caught up, the replica serves again: paused once more, it shows its older headline.
    assert cluster.generations()[0] == cluster.generations()[1]
    cluster.pause()
    try:
        set_headline(site, first, "A second headline only the primary has")
        status, body = site.page(f"/news/{slug}/")
        assert "A headline only the primary has" in body
        assert "A second headline" not in body
        assert site.page(f"/news/{second_slug}/")[0] == 410  # the replica has the kill now
    finally:
        cluster.resume()


def test_reading_a_public_page_writes_nothing_so_it_pins_no_one_to_the_primary(site):
    # A pin cookie on a public page would keep it out of the CDN, and its reader off the replica.
    slug = site.slugs[0][1]
    for path in ("/", f"/news/{slug}/", "/feeds/rss/", "/api/items/", "/sitemap.xml"):
        status, headers, _ = request(site.served, "GET", path)
        assert status == 200, path
        assert "newsroom_primary" not in set_cookies(headers), path


def test_the_desk_and_a_client_that_just_wrote_read_the_primary(site):
    article, slug, _ = site.slugs[0]
    cluster = site.cluster
    # Signing in (a POST that writes the session) answers with the short-lived pin cookie.
    status, headers, body = request(site.served, "GET", "/admin/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    csrf = set_cookies(headers)["csrftoken"].value
    status, headers, _ = request(
        site.served,
        "POST",
        "/admin/login/?next=/admin/",
        cookies={"csrftoken": csrf},
        form={"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    jar = set_cookies(headers)
    assert status == 302, jar
    assert jar["newsroom_primary"]["max-age"] == "10"
    assert jar["newsroom_primary"]["httponly"]
    session = {"sessionid": jar["sessionid"].value}

    cluster.pause()
    try:
        set_headline(site, article, "Edited on the desk a moment ago")
        assert "Edited on the desk" not in site.page(f"/news/{slug}/")[1]  # anonymous: replica
        status, body = site.page(f"/admin/articles/article/{article}/change/", cookies=session)
        assert status == 200
        assert "Edited on the desk a moment ago" in body
        assert "Edited on the desk a moment ago" in site.page(f"/news/{slug}/", cookies=session)[1]
        pinned = {"newsroom_primary": "1"}
        assert "Edited on the desk a moment ago" in site.page(f"/news/{slug}/", cookies=pinned)[1]
    finally:
        cluster.resume()


def test_a_stopped_replica_falls_back_to_the_primary_logged_once_and_is_used_again(site):
    article, slug, _ = site.slugs[0]
    cluster = site.cluster
    set_headline(site, article, "Written while the replica is down")
    before = site.logged("Replica unavailable")
    cluster.stop_replica()
    try:
        answers = [site.page(f"/news/{slug}/") for _ in range(5)]
        answers += [site.page(path) for path in ("/", "/feeds/rss/", "/api/items/")]
        time.sleep(RETRY_AFTER + 0.2)  # the replica is asked again, and fails again
        answers.append(site.page(f"/news/{slug}/"))
    finally:
        cluster.start_replica()
    assert [status for status, _ in answers] == [200] * len(answers)
    assert all("Written while the replica is down" in body for _, body in answers[:5])
    assert site.logged("Replica unavailable") == before + 1
    assert "Traceback" not in site.served.log.read_text()

    cluster.resume()
    time.sleep(RETRY_AFTER + 0.2)
    cluster.pause()
    try:
        set_headline(site, article, "Written after the replica came back")
        body = site.page(f"/news/{slug}/")[1]
        assert "Written while the replica is down" in body  # the replica's, serving again
        assert site.logged("Replica answers again") == 1
    finally:
        cluster.resume()
