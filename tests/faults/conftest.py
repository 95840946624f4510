"""Fixtures for the fault tests: private servers that each test starts, breaks and always stops."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import need_service
from tests.faults.services import (
    PrivatePostgres,
    PrivateRedis,
    postgres_bin,
    prepare_site,
    site_env,
)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    """A redis-server of the test's own, running; killed at the end whatever happened."""
    binary = shutil.which("redis-server")
    need_service(binary is not None, "needs Redis: redis-server on the PATH", service="redis")
    redis = PrivateRedis(binary)
    try:
        redis.start()
        yield redis
    finally:
        redis.kill()


@dataclass
class PrivateSite:
    postgres: PrivatePostgres
    env: dict[str, str]
    folder: Path


@pytest.fixture(scope="module")
def private_site() -> Iterator[PrivateSite]:
    """The site's database on a PostgreSQL of the module's own: migrated, with the demo content
    and the static files collected, ready for gunicorn. Stopped and removed at the end."""
    bin_dir = postgres_bin()
    need_service(
        bin_dir is not None,
        "needs PostgreSQL's initdb and pg_ctl (Debian's postgresql package)",
        service="postgresql",
    )
    postgres = PrivatePostgres(bin_dir)
    try:
        postgres.start()
        postgres.execute("CREATE DATABASE newsroom")
        env = site_env(postgres.url("newsroom"), postgres.folder)
        prepare_site(env)
        yield PrivateSite(postgres, env, postgres.folder)
    finally:
        postgres.stop()
