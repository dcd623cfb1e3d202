"""The apps depend one way: ``briefs`` is the core the others build on and imports none of
them; ``related`` builds on ``search`` (never the reverse); ``formats`` reads and writes
archives and knows nothing of HTTP. Checked on the source, with ``ast``, so that a cycle is
caught where it is written rather than when an import order happens to trip over it."""

import ast
from pathlib import Path

import pytest

import newsbrief

PACKAGE = Path(newsbrief.__file__).resolve().parent

FOLLOWERS = (
    "api",
    "feeds",
    "digest",
    "desk",
    "ingest",
    "search",
    "related",
    "pages",
    "formats",
    "worker",
    "entities",
    "phorum",
)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports (relative imports resolved, ``from a import b`` giving
    both ``a`` and ``a.b``), wherever in the file the import is."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def imports_of(app: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE.parent)): imported_modules(path)
        for path in sorted((PACKAGE / app).rglob("*.py"))
    }


def offending(app: str, forbidden) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in imports_of(app).items()
        for name in sorted(names)
        if forbidden(name)
    ]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_scan_sees_relative_and_nested_imports():
    assert (
        "newsbrief.briefs.dates" in imports_of("briefs")["newsbrief/briefs/templatetags/board.py"]
    )
    assert (
        "newsbrief.pages.store"
        in imports_of("pages")["newsbrief/pages/management/commands/serve.py"]
    )


@pytest.mark.parametrize("follower", FOLLOWERS)
def test_briefs_imports_none_of_its_followers(follower):
    assert offending("briefs", lambda name: within(name, f"newsbrief.{follower}")) == []


def test_search_never_imports_related():
    assert offending("search", lambda name: within(name, "newsbrief.related")) == []


def test_formats_knows_nothing_of_http():
    def http(name):
        return within(name, "django.http") or name.split(".")[-1] == "views"

    assert offending("formats", http) == []
