"""Scratch folders under the home (``HOME/tmp``), not the system's temporary folder: a process killed with -9
leaves its folder behind, and the next start of accord on that home sweeps it away, with any LibreOffice it had
started.

A folder is named ``PREFIX-HOST-PID-RANDOM``: the sweep removes only folders of this host whose process is gone,
so a sweep never takes the folder of a run still going (a `tick` beside `serve`, two submitters).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

GROUP_FILE = (
    "process-group"  # a helper's process group, written by whoever starts one in the folder
)


class Scratch:
    """Scratch folders under one root (``HOME/tmp``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextlib.contextmanager
    def folder(self, prefix: str) -> Iterator[Path]:
        """A fresh folder, removed when the block ends (or at the next start, if the process is killed)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(
            prefix=f"{prefix}-{_host()}-{os.getpid()}-", dir=self.root
        ) as made:
            yield Path(made)

    def sweep(self) -> list[Path]:
        """Remove the folders left by processes of this host that are gone (killing their helpers first)."""
        if not self.root.is_dir():
            return []
        swept = []
        for folder in sorted(self.root.iterdir()):
            owner = _owner(folder.name)
            if owner is None or _alive(owner):
                continue
            kill_group(folder / GROUP_FILE)
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder)
        return swept


def _host() -> str:
    return socket.gethostname().replace("-", "_")[:40] or "host"


def _owner(name: str) -> int | None:
    """The pid in a folder name made on this host, else None (another host's, or not ours)."""
    parts = name.split("-")
    if len(parts) < 4 or parts[-3] != _host() or not parts[-2].isdigit():
        return None
    return int(parts[-2])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def run_killed(command: list[str], record: Path, timeout: float) -> bool:
    """Run a helper (LibreOffice) in a process group of its own, its number written at ``record``, and kill the
    whole group when it ends, however it ends (LibreOffice forks: a timeout killing the first process only left
    soffice.bin running); False when it could not start or finish in time."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError:
        return False
    record.write_text(str(process.pid))
    try:
        process.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        return False
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def kill_group(record: Path) -> None:
    """Kill the process group written in ``record`` if a LibreOffice still runs in it (a number may be reused)."""
    try:
        group = int(record.read_text().strip())
    except (OSError, ValueError):
        return
    if any(b"office" in command for command in _members(group)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


def _members(group: int) -> Iterator[bytes]:
    """The command lines of the processes in a process group (Linux /proc; nothing elsewhere)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                yield (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
