"""Temporary folders live under the home and a killed run's are swept at the next start, with its LibreOffice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.adapters.scratch import GROUP_FILE, Scratch
from flows.usecases.archive import soffice_pdf
from tests.libreoffice import libreoffice_available

_HOLD = """
import os, sys, time
from pathlib import Path
from flows.adapters.scratch import Scratch
with Scratch(Path(sys.argv[1])).folder("pdf") as made:
    print(made, flush=True)
    time.sleep(600)
"""


def _killed_with_its_folder(root: Path) -> Path:
    """A process that made a scratch folder under ``root``, killed with -9: its folder stays."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert holder.stdout is not None
    folder = Path(holder.stdout.readline().strip())
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    holder.stdout.close()
    assert folder.is_dir() and folder.parent == root
    return folder


def test_a_killed_runs_folder_is_swept_at_the_next_start_and_a_live_ones_is_not(
    make_app: Callable[..., Any],
) -> None:
    app = make_app()
    left = _killed_with_its_folder(app.scratch.root)
    with app.scratch.folder("replay") as live:
        assert app.home in live.parents, "scratch lives under the home"
        make_app()  # the next start
        assert not left.exists(), "the killed run's folder is swept"
        assert live.is_dir(), "a folder of a run still going is left alone"
    assert list(app.scratch.root.iterdir()) == []


def test_a_folder_not_made_by_accord_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "tmp"
    (root / "notes").mkdir(parents=True)
    (root / "pdf-otherhost-1-abc").mkdir()
    assert Scratch(root).sweep() == [] and len(list(root.iterdir())) == 2


def _group_gone(group: int, patience: float = 30.0) -> bool:
    """Whether every live process of the group has ended (a killed child is reaped by init a moment later)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        states = subprocess.run(
            ["ps", "-o", "stat=", "-g", str(group)], capture_output=True, text=True, check=False
        ).stdout.split()
        if all(state.startswith("Z") for state in states):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.libreoffice
def test_the_libreoffice_of_a_killed_run_is_killed_at_the_next_start(tmp_path: Path) -> None:
    if not libreoffice_available():
        pytest.skip("LibreOffice headless is absent")
    left = _killed_with_its_folder(tmp_path / "tmp")
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={(left / 'profile').as_uri()}",
            "--headless",
            "--norestore",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    (left / GROUP_FILE).write_text(str(office.pid))
    time.sleep(1.0)  # let it fork soffice.bin
    Scratch(tmp_path / "tmp").sweep()
    office.wait(timeout=30)
    assert not left.exists()
    assert _group_gone(office.pid), "LibreOffice still runs"


@pytest.mark.libreoffice
def test_a_conversion_leaves_no_libreoffice_and_no_folder(tmp_path: Path) -> None:
    if not libreoffice_available():
        pytest.skip("LibreOffice headless is absent")
    from tests.docxbuild import build_docx

    scratch = Scratch(tmp_path / "tmp")
    pdf = soffice_pdf(build_docx("<w:p><w:r><w:t>One paragraph.</w:t></w:r></w:p>"), scratch)
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert list(scratch.root.iterdir()) == []
    office = subprocess.run(
        ["pgrep", "-f", str(tmp_path)], capture_output=True, text=True, check=False
    ).stdout
    assert office == "", "no LibreOffice started for it still runs"


def test_a_helper_that_outlives_its_timeout_is_killed_with_everything_it_started(
    tmp_path: Path,
) -> None:
    from flows.adapters.scratch import run_killed as _run_killed

    record = tmp_path / GROUP_FILE
    # a parent that forks a child and both hang: as soffice (a script) starting soffice.bin does
    finished = _run_killed(["sh", "-c", "sleep 300 & sleep 300"], record, timeout=0.5)
    assert finished is False
    assert _group_gone(int(record.read_text())), "the helper's children were killed too"
