"""No app imports an app above it.

The floors, low to high, are the team's order of apps. Two apps sit under all of them: `audit`
(every app writes its audit records through it) and `ops` (the replica router the report pages
read through); neither imports any other app, and the test holds them to that. `config` (the
wiring) and `demo` are the roof: no app imports them.

The imports read from the source with `ast` (every `import` and `from … import`, also inside
functions), not from what happens to be loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOORS: list[set[str]] = [
    {"audit", "ops"},
    {"workdays"},
    {"notifications", "integrations"},
    {"enterprises"},
    {"tickets"},
    {"dispatches", "themes"},
    {"reports"},
    {"meetings"},
    {"exchange", "open311", "api"},
    {"config", "demo"},
]
FLOOR = {app: n for n, apps in enumerate(FLOORS) for app in apps}

# Upward imports that are there today, each to go: (importing module, app it imports). The list
# only shrinks; a line whose import is gone fails the test until it is taken off.
# None is left.
KNOWN: dict[tuple[str, str], str] = {}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & FLOOR.keys()


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for app, floor in FLOOR.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = path.relative_to(ROOT).as_posix()
            for other in imported_apps(path):
                if FLOOR[other] > floor or (FLOOR[other] == floor and other != app and floor == 0):
                    found.add((module, other))
    return found


def test_every_floor_is_known():
    on_disk = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert on_disk <= FLOOR.keys(), f"apps with no floor: {sorted(on_disk - FLOOR.keys())}"


def test_no_app_imports_an_app_above_it():
    new = sorted(upward_imports() - KNOWN.keys())
    assert not new, "imports of an app above: " + ", ".join(f"{m} -> {a}" for m, a in new)


def test_the_list_of_known_upward_imports_is_current():
    gone = sorted(KNOWN.keys() - upward_imports())
    assert not gone, "no longer imported, take off KNOWN: " + ", ".join(
        f"{m} -> {a}" for m, a in gone
    )


def test_no_app_imports_the_wiring_or_the_demo_data():
    importers = [
        path.relative_to(ROOT).as_posix()
        for app in FLOOR.keys() - {"config", "demo"}
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) & {"config", "demo"}
    ]
    assert importers == []
