"""The layout shows the architecture: dependencies point one way, flows -> storage -> drafting.

Checked on the source (AST), not by importing: a forbidden import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("drafting", "storage", "flows")
FORBIDDEN = {
    "drafting": {"prefect", "sqlalchemy", "alembic", "psycopg", "flows", "storage"},
    "storage": {"prefect", "flows"},
}


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (absolute names; relative imports resolved against its package)."""
    return _imports_in(
        path.read_text(encoding="utf-8"), path.relative_to(ROOT).with_suffix("").parts[:-1]
    )


def _imports_in(source: str, package: tuple[str, ...]) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found += [
                (node.lineno, f"{base}.{alias.name}" if base else alias.name)
                for alias in node.names
            ]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )
    return name in {"import_module", "__import__"}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_point_one_way(package: str) -> None:
    modules = _modules(package)
    assert modules, f"{package}/ has no modules"
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert not offences, f"{package}/ must not import {sorted(FORBIDDEN[package])}:\n" + "\n".join(
        offences
    )


def test_the_import_walker_sees_every_form() -> None:
    """The checker itself: plain, from, relative and dynamic imports are all seen."""
    source = (
        "import prefect.flows\nfrom sqlalchemy import select\nfrom .. import negotiation\n"
        "from .models import Reading\ndef f():\n    import importlib\n    importlib.import_module('storage.db')\n"
    )
    names = [name for _, name in _imports_in(source, ("drafting", "wordml"))]
    assert names == [
        "prefect.flows",
        "sqlalchemy.select",
        "drafting.negotiation",
        "drafting.wordml.models.Reading",
        "importlib",
        "storage.db",
    ]


def test_lxml_stays_inside_wordml() -> None:
    """All raw WordprocessingML lives in drafting/wordml/."""
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _modules("drafting")
        if "wordml" not in path.relative_to(ROOT).parts
        for line, name in _imports(path)
        if name.split(".")[0] == "lxml"
    ]
    assert not offences, "\n".join(offences)


def _init_files() -> list[Path]:
    """Each package's __init__.py that defines __all__."""
    inits = sorted(
        p
        for package in PACKAGES
        for p in (ROOT / package).rglob("__init__.py")
        if "__pycache__" not in p.parts
    )
    return [p for p in inits if _dunder_all(ast.parse(p.read_text(encoding="utf-8"))) is not None]


def test_storage_exports_a_sorted_all() -> None:
    """At least the storage package re-exports its API (so the next test checks something)."""
    assert ROOT / "storage" / "__init__.py" in _init_files()


def _dunder_all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = node.value
            assert isinstance(value, ast.List | ast.Tuple), "__all__ must be a literal list"
            return [e.value for e in value.elts if isinstance(e, ast.Constant)]
    return None


def _bound_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


@pytest.mark.parametrize("init", _init_files(), ids=lambda p: str(p.parent.relative_to(ROOT)))
def test_exported_names_are_sorted_and_defined(init: Path) -> None:
    tree = ast.parse(init.read_text(encoding="utf-8"))
    exported = _dunder_all(tree) or []
    assert exported == sorted(exported), f"{init.relative_to(ROOT)}: __all__ is not sorted"
    assert len(set(exported)) == len(exported), (
        f"{init.relative_to(ROOT)}: a name appears twice in __all__"
    )
    missing = set(exported) - _bound_names(tree)
    assert not missing, (
        f"{init.relative_to(ROOT)}: __all__ names {sorted(missing)} that the module does not define"
    )


def _reaches_past_the_repository(source: str, package: tuple[str, ...]) -> list[str]:
    """What in a file goes around the repository: imports of storage.schema or of SQLAlchemy's ORM (a Session made
    by hand), and uses of a ``.session``."""
    found = [
        f"{line}: imports {name}"
        for line, name in _imports_in(source, package)
        if name.split(".")[:2] in (["storage", "schema"], ["sqlalchemy", "orm"])
    ]
    found += [
        f"{node.lineno}: uses .session"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]
    return sorted(found, key=lambda where: int(where.split(":")[0]))


def _offenders() -> dict[str, list[str]]:
    offenders: dict[str, list[str]] = {}
    for path in _modules("flows"):
        relative = path.relative_to(ROOT)
        found = _reaches_past_the_repository(
            path.read_text(encoding="utf-8"), relative.with_suffix("").parts[:-1]
        )
        if found:
            offenders[relative.as_posix()] = found
    return offenders


def test_nothing_in_flows_reaches_past_the_repository() -> None:
    """Issue 10: nothing outside storage/ imports storage.schema or touches a session; flows/ goes through the
    repository (uow.repo), the accounts (uow.accounts) and the unit of work."""
    offenders = _offenders()
    assert not offenders, (
        "go through uow.repo / uow.accounts instead of rows and sessions:\n"
        + "\n".join(
            f"{path}:{where}" for path, found in sorted(offenders.items()) for where in found
        )
    )


def test_the_repository_checker_sees_schema_imports_and_sessions() -> None:
    """The checker itself: each form is seen, and a docstring or a name that merely mentions a session is not."""
    source = (
        '"""A web session; uow.session in prose."""\nfrom storage.schema import AccountRow\n'
        "from storage import schema\nimport storage.schema as rows\nfrom sqlalchemy.orm import Session\n"
        "def f(uow, session):\n    return uow.session.get(AccountRow, 1), session, uow.sessions\n"
    )
    assert _reaches_past_the_repository(source, ("flows", "portal")) == [
        "2: imports storage.schema.AccountRow",
        "3: imports storage.schema",
        "4: imports storage.schema",
        "5: imports sqlalchemy.orm.Session",
        "7: uses .session",
    ]


def _methods_with_rows(source: str, cls: str) -> dict[str, list[str]]:
    """Public methods of the classes named ``cls`` or ``...cls`` (the Repository and its parts) whose
    annotations (parameters or return) name a ``*Row`` class."""
    tree = ast.parse(source)
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name.endswith(cls)):
            continue
        for method in node.body:
            if not isinstance(method, ast.FunctionDef) or method.name.startswith("_"):
                continue
            annotations = [a.annotation for a in method.args.args + method.args.kwonlyargs]
            rows = sorted(
                {
                    name.id
                    for annotation in [*annotations, method.returns]
                    if annotation is not None
                    for name in ast.walk(annotation)
                    if isinstance(name, ast.Name) and name.id.endswith("Row")
                }
            )
            if rows:
                found[method.name] = rows
    return found


def test_the_repository_hands_out_values_not_rows() -> None:
    """Issue 10: no public Repository method takes or returns a row; it hands out domain values and aggregates
    (its private helpers work on rows). Its parts, one per aggregate, are in storage/repo_*.py."""
    parts = [ROOT / "storage" / "repository.py", *sorted((ROOT / "storage").glob("repo_*.py"))]
    assert len(parts) > 1, "the Repository's parts are in storage/repo_*.py"
    found = {
        name: rows
        for part in parts
        for name, rows in _methods_with_rows(part.read_text(encoding="utf-8"), "Repository").items()
    }
    assert not found, (
        f"these Repository methods take or return rows: {found}; hand out domain values"
    )


def test_the_row_checker_sees_parameters_and_returns() -> None:
    source = (
        "class Repository:\n"
        "    def a(self, x: VersionRow | None) -> int: ...\n"
        "    def b(self) -> list[PartyRow]: ...\n"
        "    def c(self, d: Declaration) -> Declaration: ...\n"
        "    def _d(self) -> PartyRow: ...\n"
        "class RoundsRepository(Repository):\n"
        "    def e(self) -> RoundRow: ...\n"
    )
    assert _methods_with_rows(source, "Repository") == {
        "a": ["VersionRow"],
        "b": ["PartyRow"],
        "e": ["RoundRow"],
    }
