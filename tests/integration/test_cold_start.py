"""Commands that need no database start without it: `accord inspect`, `accord diff FILE FILE`, `accord align --files`
and `--help` import neither SQLAlchemy nor Prefect (each run in a fresh interpreter, as the console script runs it).
Their speed is printed by bench/coldstart.py, not asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows import samples

HEAVY = ("sqlalchemy", "prefect", "alembic", "psycopg")
PROBE = (
    "import json, sys\n"
    "sys.argv = ['accord', *sys.argv[1:]]\n"
    "from flows.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exit:\n"
    "    code = exit.code\n"
    "else:\n"
    "    code = 0\n"
    "sys.stderr.write(json.dumps([code, sorted({name.split('.')[0] for name in sys.modules})]))\n"
)


def _modules_after(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    code, modules = json.loads(done.stderr.splitlines()[-1])
    assert code in (0, None), done.stderr
    return set(modules)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("inspect", "--help"),
        ("diff", "--help"),
        ("inspect", str(samples.docx_path("en"))),
        ("inspect", str(samples.docx_path("es")), "--json"),
        ("diff", str(samples.docx_path("en")), str(samples.docx_path("es")), "--out", "{out}"),
        (
            "align",
            "--files",
            f"en={samples.docx_path('en')}",
            f"es={samples.docx_path('es')}",
            "--json",
        ),
    ],
    ids=["help", "inspect-help", "diff-help", "inspect", "inspect-json", "diff", "align"],
)
def test_commands_without_a_database_import_neither_sqlalchemy_nor_prefect(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    modules = _modules_after(
        *(arg.replace("{out}", str(tmp_path / "redline.docx")) for arg in args)
    )
    assert "drafting" in modules or args[-1] == "--help"  # the probe ran accord
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    if args[0] == "diff" and args[-1] != "--help":
        assert (tmp_path / "redline.docx").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("inspect", str(samples.docx_path("en"))),
        ("inspect", "--json", str(samples.docx_path("es"))),
    ],
    ids=["inspect", "inspect-json"],
)
def test_inspect_runs_without_typer(args: tuple[str, ...]) -> None:
    """The usual forms of `accord inspect` do not even import typer (or click): the console script runs them
    directly (flows.cli._inspect), as bench/coldstart.py times them."""
    modules = _modules_after(*args)
    assert "drafting" in modules
    assert not modules & {"typer", "click"}, sorted(modules & {"typer", "click"})


def test_diff_of_two_files_runs_without_typer(tmp_path: Path) -> None:
    """`accord diff OLD NEW --out FILE` does not import typer (or click) either (flows.cli._diff)."""
    out = tmp_path / "redline.docx"
    modules = _modules_after(
        "diff", str(samples.docx_path("en")), str(samples.docx_path("es")), "--out", str(out)
    )
    assert "drafting" in modules and out.exists()
    assert not modules & {"typer", "click"}, sorted(modules & {"typer", "click"})


def test_the_probe_sees_sqlalchemy_where_a_command_needs_the_database(tmp_path: Path) -> None:
    """The check above can fail: `accord declaration list` does load SQLAlchemy (on a home with a database)."""
    from flows.bootstrap import bootstrap

    bootstrap(tmp_path / "home").store.engine.dispose()  # an empty, migrated database
    modules = _modules_after("declaration", "list", "--home", str(tmp_path / "home"))
    assert "sqlalchemy" in modules
