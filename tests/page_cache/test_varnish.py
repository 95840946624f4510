"""Varnish with the house's VCL in front of the site: a story is served from Varnish's cache,
and once a kill commits, Varnish answers with the refusal within a second."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import need_service
from tests.faults.services import free_port, wait_for

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "newsroom.vcl"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


@pytest.fixture
def varnish(live_server) -> Iterator[int]:
    """A varnishd of the test's own, with the VCL's backend pointed at the live server."""
    binary = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    need_service(binary is not None, "needs Debian's varnish (varnishd)", service="varnish")
    backend = live_server.url.rsplit(":", 1)[1]
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    vcl = folder / "newsroom.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend}";'))
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "-F",
            "-j",
            "none",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(folder / "work"),
            "-s",
            "malloc,32m",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError("varnishd exited")
        return get(port, "/favicon.ico")[0] == 200

    try:
        wait_for(answers, seconds=30, what="varnishd")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_killed_story_leaves_varnish_within_a_second(varnish, settings, make_article, boss):
    settings.CDN_PURGE_URLS = [f"http://127.0.0.1:{varnish}/"]
    story = make_article(headline="Harbour reopens")
    other = make_article(headline="Another story")
    url = story.get_absolute_url()
    first = get(varnish, url)
    assert first[0] == 200 and first[1]["X-Cache"] == "MISS"
    second = get(varnish, url)
    assert second[0] == 200 and second[1]["X-Cache"] == "HIT"
    assert b"Harbour reopens" in second[2]
    assert f"article-{story.pk}" in second[1]["Surrogate-Key"].split()
    assert get(varnish, other.get_absolute_url())[0] == 200
    assert get(varnish, other.get_absolute_url())[1]["X-Cache"] == "HIT"

    story.kill(by=boss, reason="Legal")
    committed = time.monotonic()
    while True:
        status, headers, body = get(varnish, url)
        if status != 200 or time.monotonic() - committed > 1.0:
            break
        time.sleep(0.05)
    assert status == 410, "Varnish still served the killed story a second after the kill"
    assert b"Harbour reopens" not in body
    # The ban named the one story's key as a whole word: the other is still kept.
    assert get(varnish, other.get_absolute_url())[1]["X-Cache"] == "HIT"


def test_a_ban_from_another_address_than_127_0_0_1_is_refused(varnish, make_article):
    story = make_article()
    get(varnish, story.get_absolute_url())
    assert get(varnish, story.get_absolute_url())[1]["X-Cache"] == "HIT"
    conn = http.client.HTTPConnection(
        "127.0.0.1", varnish, timeout=5, source_address=("127.0.0.2", 0)
    )
    try:
        conn.request("BAN", "/", headers={"Surrogate-Key": f"article-{story.pk}"})
        assert conn.getresponse().status == 405
    finally:
        conn.close()
    assert get(varnish, story.get_absolute_url())[1]["X-Cache"] == "HIT"
