"""The house's layout holds: no import circle among the project's own modules, function-level
imports included; each floor imports only its own floor and those below; the rooms never import
each other; no module grows past what one person reads at a sitting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "copycheck", "newsletter", "newsroom", "pictures", "security")

# The floors of the README's "who may import whom", lowest first.
FLOORS = {
    "articles.vocabulary": 1,
    "articles.addresses": 1,
    "articles.fields": 1,
    "articles.sanitise": 1,
    "articles.permissions": 1,
    "articles.signals": 1,
    "articles.search": 1,
    "articles.surrogates": 1,
    "articles.cdn": 1,
    "articles.prepared": 1,
    "articles.notices": 2,
    "articles.rights": 2,
    "articles.errors": 2,
    "articles.audit": 3,
    "articles.intake": 3,
    "articles.override_requests": 3,
    "articles.pins": 3,
    "articles.generation": 3,
    "articles.querysets": 3,
    "articles.actions": 3,
    "articles.models": 3,
    "articles.itemrights": 3,
    "pictures.hashes": 1,
    "pictures.models": 3,
    "articles.presentation": 4,
    "articles.reservations": 4,
    "articles.previews": 4,
    "articles.filters": 4,
    "articles.caching": 4,
    "articles.public_writes": 4,
    "articles.workflow": 4,
    "articles.desks": 4,
    "articles.uploads": 4,
    "articles.ingest": 4,
    "copycheck": 4,
    "pictures.copies": 4,
    "pictures.ingest": 4,
    "pictures.renditions": 4,
    "pictures.showing": 4,
    "pictures.placing": 4,
    "pictures.demo": 4,
}
ROOMS = (
    "articles.pages", "articles.syndication", "articles.admin", "newsletter", "security",
    "pictures.views", "pictures.admin",
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports, wherever in the file the import stands."""
    found = set()
    own = module_name(path)
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from articles import actions` imports the module articles.actions; `from
            # articles.rights import decide` imports articles.rights.
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in known
                else node.module
                for alias in node.names
            ]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != own:
                found.add(name)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports(path, set(modules)) for name, path in modules.items()}


def floor(module: str) -> int | None:
    for prefix, level in FLOORS.items():
        if module == prefix or module.startswith(prefix + "."):
            return level
    return None


def room(module: str) -> str | None:
    return next((r for r in ROOMS if module == r or module.startswith(r + ".")), None)


def test_no_import_circle_among_the_projects_modules(graph):
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError(" -> ".join([*trail[trail.index(module) :], module]))
        if module in done:
            return
        for imported in graph.get(module, ()):
            if not module.startswith(imported + "."):  # a package importing its own parts
                visit(imported, [*trail, module])
        done.add(module)

    for module in graph:
        visit(module, [])


def test_each_floor_imports_only_its_own_floor_and_below(graph):
    wrong = [
        f"{module} (floor {floor(module)}) imports {imported} (floor {floor(imported)})"
        for module, imported_set in graph.items()
        if floor(module) is not None
        for imported in imported_set
        if floor(imported) is None or floor(imported) > floor(module)
    ]
    # The models import the actions for their thin methods; the actions never import the models.
    assert wrong == []
    actions = [name for name in graph if room(name) is None and name.startswith("articles.actions")]
    assert [name for name in actions if "articles.models" in graph[name]] == []


def test_the_rooms_never_import_each_other(graph):
    crossing = [
        f"{module} imports {imported}"
        for module, imported_set in graph.items()
        for imported in imported_set
        if room(module) and room(imported) and room(module) != room(imported)
    ]
    assert crossing == []


def test_no_module_is_over_600_lines_and_no_desk_module_over_400():
    long = []
    for name, path in project_modules().items():
        lines = len(path.read_text().splitlines())
        limit = 400 if room(name) == "articles.admin" else 600
        if lines > limit:
            long.append(f"{name}: {lines} lines")
    assert long == []


def test_ingest_never_imports_pictures(graph):
    """The loader hands picture files to the store `pictures.apps` registers
    (`articles.ingest.stores`): ingest stays below the app that keeps pictures."""
    upward = [
        f"{module} imports {imported}"
        for module, imported_set in graph.items()
        if module == "articles.ingest" or module.startswith("articles.ingest.")
        for imported in imported_set
        if imported.split(".")[0] == "pictures"
    ]
    assert upward == []
