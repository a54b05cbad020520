"""`accord diff OLD NEW [--out FILE]` runs without typer (flows.cli._diff), as `accord inspect FILE` does: the same
stdout, stderr, exit code and redline bytes as the typer command, on success and on every kind of refusal; other
forms still go through typer. Its speed is printed by bench/coldstart.py, not asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows import samples
from flows.cli._diff import plain_form

ROOT = Path(__file__).resolve().parents[2]
EN, ES = str(samples.docx_path("en")), str(samples.docx_path("es"))


def _run(code: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


FAST = "import sys; sys.argv = ['accord', *sys.argv[1:]]; from flows.cli import main; main()"
TYPED = "from flows.cli._app import full_app; full_app()()"  # every form through typer, as before


@pytest.mark.parametrize(
    "case", ["default-out", "out", "out-equals", "out-first", "missing", "pdf", "not-docx-out"]
)
def test_diff_without_typer_says_and_writes_what_the_typer_command_does(
    case: str, tmp_path: Path
) -> None:
    (tmp_path / "MX.docx").write_bytes(b"%PDF-1.7\n...")
    args = {
        "default-out": ["diff", EN, ES],
        "out": ["diff", EN, ES, "--out", "r.docx"],
        "out-equals": ["diff", EN, ES, "--out=r.docx"],
        "out-first": ["diff", "--out", "r.docx", EN, ES],
        "missing": ["diff", EN, str(tmp_path / "nothing.docx"), "--out", "r.docx"],
        "pdf": ["diff", str(tmp_path / "MX.docx"), ES, "--out", "r.docx"],
        "not-docx-out": ["diff", EN, ES, "--out", "r.pdf"],
    }[case]
    assert plain_form(args) is not None
    fast_dir, typed_dir = tmp_path / "fast", tmp_path / "typed"
    fast_dir.mkdir(), typed_dir.mkdir()
    fast, typed = _run(FAST, args, fast_dir), _run(TYPED, args, typed_dir)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        typed.returncode,
        typed.stdout,
        typed.stderr,
    )
    assert sorted(p.name for p in fast_dir.iterdir()) == sorted(p.name for p in typed_dir.iterdir())
    for written in fast_dir.iterdir():
        assert written.read_bytes() == (typed_dir / written.name).read_bytes()
    succeeded = case in ("default-out", "out", "out-equals", "out-first")
    assert fast.returncode == (0 if succeeded else 2), fast.stderr
    assert any(fast_dir.iterdir()) == succeeded


@pytest.mark.parametrize(
    "args",
    [
        ["diff", EN],
        ["diff", EN, ES, "--html", "r.html"],
        ["diff", EN, ES, "--author", "Spain"],
        ["diff", "eu-celac", "Zero draft", "Rev.1"],
        ["diff", EN, ES, "--out"],
        ["diff", EN, ES, "--out", "a.docx", "--out", "b.docx"],
        ["diff", EN, "-x.docx"],
        ["diff", "--help"],
        ["inspect", EN],
    ],
)
def test_other_forms_are_left_to_typer(args: list[str]) -> None:
    assert plain_form(args) is None
