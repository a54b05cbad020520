"""The deadline rush in CI (issue 13: "the matrix, browser and rush tests pass in CI"): bench/portal.py, smaller,
as a whole: delegations upload concurrently through the portal's HTTP API on loopback while signed-in delegates
read their pages. What is asserted is what must hold on any machine: every upload answered without error and
every one in the log. Its timings are printed by the bench, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTIES = 40


def test_a_deadline_rush_loses_nothing_and_errs_nowhere() -> None:
    ran = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "portal.py"),
            "--parties",
            str(PARTIES),
            "--window",
            "5",
            "--sessions",
            "3",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,  # exit 1 may only mean a timing goal missed on a loaded machine: not asserted
    )
    lines = [line for line in ran.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the rush printed no figures:\n{ran.stdout}\n{ran.stderr}"
    figures = json.loads(lines[-1])
    assert figures["uploads"] == PARTIES, ran.stdout
    assert figures["errors"] == 0, ran.stdout
    assert figures["lost"] == 0, ran.stdout
