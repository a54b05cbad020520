"""The read-ahead worker (see ``flows.usecases.readahead``): ``python -m flows.reader_worker JOBS.json``.

JOBS.json holds the gate's limits and the files to read, in order. For each file the worker writes one frame to
stdout: a status byte (1: the reading as JSON follows; 0: the gate refused the file) and the payload's length. It
imports only the Word reader, so it starts in about 0.2 s.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

FRAME = struct.Struct("<BQ")  # status, payload length


def serve(spec_path: str) -> None:
    """Read every job's file in order and write one frame per file to stdout."""
    from drafting.errors import RefusedFile
    from drafting.wordml.gate import GateLimits
    from drafting.wordml.reader import read_docx

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    limits = GateLimits(**spec["limits"])
    out = sys.stdout.buffer
    for job in spec["jobs"]:
        try:
            reading = read_docx(Path(job["path"]).read_bytes(), name=job["name"], limits=limits)
            status, payload = 1, reading.model_dump_json().encode()
        except RefusedFile:
            status, payload = 0, b""
        try:
            out.write(FRAME.pack(status, len(payload)) + payload)
            out.flush()
        except BrokenPipeError:  # the replay stopped or finished early
            return


if __name__ == "__main__":
    serve(sys.argv[1])
