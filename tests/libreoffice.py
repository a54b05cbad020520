"""LibreOffice as a real client for tests: read a .docx through soffice and get what LibreOffice sees.

    if libreoffice_available():
        seen = libreoffice_read(path)   # {"paragraphs", "accepted", "rejected", "redlines", "comments", ...}

One headless soffice (private profile, UNO pipe) is started on first use and shared by every read of the test
session; ``tests/lo_probe.py`` runs under Debian's /usr/bin/python3 (the venv has no ``uno``) and connects to it.
``accepted``/``rejected`` are paragraph texts joined by "\\n", as accord's reader gives them.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

SOFFICE = Path("/usr/bin/soffice")
SYSTEM_PYTHON = Path("/usr/bin/python3")
PROBE = Path(__file__).with_name("lo_probe.py")
EDIT = Path(__file__).with_name("lo_edit.py")
READ_TIMEOUT = 120.0


class LibreOfficeError(RuntimeError):
    """LibreOffice could not read a file (soffice crashed, hung, or the probe failed)."""


@functools.cache
def libreoffice_available() -> bool:
    """True when soffice and a Python with the ``uno`` module are installed."""
    if not (SOFFICE.exists() and SYSTEM_PYTHON.exists()):
        return False
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


class Office:
    """One headless soffice shared by many reads; restarted once if it dies under a read."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.profile: Path | None = None
        self.pipe = f"accord_tests_{os.getpid()}"

    def start(self) -> None:
        """Start soffice with a private profile, accepting UNO connections on a named pipe."""
        self.profile = Path(tempfile.mkdtemp(prefix="accord-lo-profile-"))
        command = [
            str(SOFFICE), "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={self.profile.as_uri()}",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]  # fmt: skip
        # A session of its own, so stop() can end soffice and its oosplash parent by one group id.
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        """End soffice (its process group) and remove the profile."""
        if self.process is not None:
            _end_group(self.process)
            self.process = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    def read(self, path: Path | str) -> dict[str, Any]:
        """What LibreOffice sees in one .docx."""
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        try:
            return self._probe(Path(path))
        except LibreOfficeError:
            if self.process is not None and self.process.poll() is None:
                raise
            self.stop()  # soffice died under this file: try once more on a fresh one
            self.start()
            return self._probe(Path(path))

    def edit(self, source: Path, out: Path, additions: dict[int, str]) -> Path:
        """``source`` edited in LibreOffice with its changes recorded: ``additions`` (1-based paragraph -> words)
        added at the end of those paragraphs; saved as Word 2007-365 at ``out``."""
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        changes = [f"{number}={words}" for number, words in sorted(additions.items())]
        command = [
            str(SYSTEM_PYTHON),
            str(EDIT),
            "--connect",
            self.pipe,
            str(source),
            str(out),
            *changes,
        ]
        done = subprocess.run(command, capture_output=True, timeout=READ_TIMEOUT, check=False)
        if done.returncode != 0 or not out.is_file():
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
            raise LibreOfficeError(
                f"{source.name}: LibreOffice edit failed: {' '.join(tail) or done.returncode}"
            )
        return out

    def _probe(self, path: Path) -> dict[str, Any]:
        command = [str(SYSTEM_PYTHON), str(PROBE), "--connect", self.pipe, str(path)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=READ_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            self.stop()  # a hung soffice would hang every later read too
            raise LibreOfficeError(
                f"{path.name}: LibreOffice did not answer within {READ_TIMEOUT:.0f} s"
            ) from None
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
            raise LibreOfficeError(
                f"{path.name}: LibreOffice probe failed: {' '.join(tail) or done.returncode}"
            )
        result: dict[str, Any] = json.loads(done.stdout.decode().splitlines()[-1])
        return result


def _end_group(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


_shared: Office | None = None


def shared_office() -> Office:
    """The session's one soffice, started on first use and stopped at exit (or by the session fixture)."""
    global _shared
    if _shared is None:
        _shared = Office()
        atexit.register(_shared.stop)
    return _shared


def libreoffice_read(path: Path | str) -> dict[str, Any]:
    """Read a .docx through LibreOffice: paragraphs as shown, accepted/rejected texts, redlines and comments."""
    if not libreoffice_available():
        raise LibreOfficeError(
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui python3-uno)"
        )
    return shared_office().read(path)


def resave_with_libreoffice(source: Path, folder: Path) -> Path:
    """Open ``source`` in LibreOffice headless and save it as Word 2007-365 .docx."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    made = folder / source.name
    assert made.exists() and made.read_bytes() != source.read_bytes()
    return made
