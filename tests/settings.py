"""The suite's settings: the project's own (newsroom/settings.py), read from an environment
fixed here, so that what the caller exported (DEBUG=0, ALLOWED_HOSTS, SECRET_KEY, a mail host,
a lockout limit…) changes nothing. Only the services a run chooses pass through."""

from __future__ import annotations

import ast
import atexit
import importlib
import os
import shutil
import tempfile
from pathlib import Path

SETTINGS = Path(__file__).resolve().parent.parent / "newsroom" / "settings.py"
# Which database and cache a run uses: CI runs the suite on SQLite, then on PostgreSQL and Redis.
PASSED_THROUGH = {"DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"}


def environment_names(path: Path = SETTINGS) -> set[str]:
    """Return the environment variables the settings module reads: the first argument of every
    `os.environ.get(...)`, `os.getenv(...)`, `os.environ[...]` and `env_…(...)` call in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args:
            func = ast.unparse(node.func)
            reads = func in ("os.environ.get", "os.getenv") or func.startswith("env_")
            argument = node.args[0]
        elif isinstance(node, ast.Subscript):
            reads, argument = ast.unparse(node.value) == "os.environ", node.slice
        else:
            continue
        if reads and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
    return names


for _name in environment_names() - PASSED_THROUGH:
    os.environ.pop(_name, None)

_project = importlib.import_module("newsroom.settings")
globals().update({name: value for name, value in vars(_project).items() if name.isupper()})

# Each page's own queries are what the suite counts; the page cache's tests turn it on
# (the `page_cache` fixture), against a cache emptied for each of them.
PAGE_CACHE = False

# Pictures and renditions the suite stores go to a folder of the run's own, removed at exit.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
