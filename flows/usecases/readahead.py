"""Read Word files in a worker process ahead of the use cases that will ask for them (replay reads 600 of them).

Reading is a pure function of the bytes, the file name and the limits, so a reading made by the worker is the one
the use case would make itself: the worker runs the same ``read_upload`` on the same bytes and hands the reading
back as JSON. A file nobody foresaw, a file the worker refused and a worker that failed are read in-process as
usual (a refusal then comes with its usual words).

The worker is a plain subprocess (``python -m flows.reader_worker JOBS.json``) writing length-prefixed frames to its
stdout: no thread in this process competes for the GIL with the use case, and no ``__main__`` is imported again as
multiprocessing's spawn would. The pipe holds less than one reading, so the worker stays one file ahead.

    with ReadAhead([(data, "MX.docx"), ...], limits, folder) as reader:
        app.reader = reader
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from drafting.wordml.gate import GateLimits
from drafting.wordml.models import Reading
from flows.bootstrap import read_upload
from flows.reader_worker import FRAME

# Below this many files the worker's start (an interpreter importing the reader, ~0.2 s) is not worth it.
MIN_FILES = 32

_ROOT = Path(__file__).resolve().parents[2]

Key = tuple[str, str]  # sha256 of the bytes, file name


class ReadAhead:
    """A ``Reader`` (see ``flows.bootstrap``) whose foreseen files are read by a worker process, in order."""

    def __init__(
        self, files: Sequence[tuple[bytes, str]], limits: GateLimits, folder: Path
    ) -> None:
        self.limits = limits
        self.keys: deque[Key] = deque()  # what the worker will answer, in order
        self.process: subprocess.Popen[bytes] | None = None
        if len(files) < MIN_FILES or (os.cpu_count() or 1) < 2:
            return
        spec = self._write_jobs(files, limits, folder)
        try:
            self.process = _start_worker(spec)
        except OSError:  # no interpreter to start (an embedded Python): everything is read here
            self.keys.clear()

    def _write_jobs(
        self, files: Sequence[tuple[bytes, str]], limits: GateLimits, folder: Path
    ) -> Path:
        """The files written to ``folder`` and listed, with the limits, in the worker's job file; its path."""
        folder.mkdir(parents=True, exist_ok=True)
        jobs = []
        for index, (data, name) in enumerate(files):
            path = folder / f"{index:05d}.docx"
            path.write_bytes(data)
            jobs.append({"path": str(path), "name": name})
            self.keys.append((hashlib.sha256(data).hexdigest(), name))
        spec = folder / "jobs.json"
        spec.write_text(json.dumps({"limits": limits.model_dump(), "jobs": jobs}), encoding="utf-8")
        return spec

    def __call__(self, data: bytes, name: str, limits: GateLimits) -> Reading:
        key = (hashlib.sha256(data).hexdigest(), name)
        if self.process is None or limits != self.limits or key not in self.keys:
            return read_upload(data, name, limits)
        # answers for files skipped on the way (a replay that diverged) are dropped
        while self.keys:
            head = self.keys.popleft()
            frame = _receive(self.process.stdout)
            if frame is None:  # the worker died: read here from now on
                self.close()
                break
            if head == key:
                return _answer(frame, data, name, limits)
        return read_upload(data, name, limits)

    def close(self) -> None:
        """Stop the worker; readings nobody asked for are dropped."""
        self.keys.clear()
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _start_worker(spec: Path) -> subprocess.Popen[bytes]:
    """The worker process reading the files listed in ``spec``, its readings on its stdout."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flows.reader_worker", str(spec)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _answer(frame: tuple[int, bytes], data: bytes, name: str, limits: GateLimits) -> Reading:
    """The worker's reading; the file read here when the worker refused it (to refuse it in the usual words)."""
    status, payload = frame
    try:
        return Reading.model_validate_json(payload) if status else read_upload(data, name, limits)
    except ValueError:  # not a reading after all: this process reads the file itself
        return read_upload(data, name, limits)


def _receive(stream: IO[bytes] | None) -> tuple[int, bytes] | None:
    """One frame from the worker, or None if it ended or wrote something else."""
    if stream is None:
        return None
    header = stream.read(FRAME.size)
    if len(header) != FRAME.size:
        return None
    status, length = FRAME.unpack(header)
    payload = stream.read(length)
    return (status, payload) if len(payload) == length and status in (0, 1) else None
