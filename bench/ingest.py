"""Ingest time and peak memory over the 40 real Word files, against python-docx merely opening them.

Run: .venv/bin/python bench/ingest.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "real-word"


def _best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    import docx

    from drafting.wordml.reader import read_docx

    manifest = json.loads((CORPUS / "manifest.json").read_text())
    rows = []
    for entry in manifest:
        data = (CORPUS / entry["file"]).read_bytes()
        ours = _best_of(lambda: read_docx(data, name=entry["file"]))
        theirs = _best_of(lambda: docx.Document(str(CORPUS / entry["file"])))
        tracemalloc.start()
        read_docx(data, name=entry["file"])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((entry["file"], len(data), ours, theirs, peak))
        print(
            f"{entry['file'][:52]:<52} {len(data) / 1024:8.1f} KiB  accord {ours * 1000:7.2f} ms  "
            f"python-docx open {theirs * 1000:7.2f} ms  ratio {ours / theirs:5.2f}  peak {peak / 2**20:6.1f} MiB"
        )
    ours_all = [r[2] for r in rows]
    theirs_all = [r[3] for r in rows]
    print(f"\nfiles: {len(rows)}")
    print(
        f"accord read: median {statistics.median(ours_all) * 1000:.2f} ms, max {max(ours_all) * 1000:.2f} ms, "
        f"total {sum(ours_all) * 1000:.1f} ms"
    )
    print(
        f"python-docx open: median {statistics.median(theirs_all) * 1000:.2f} ms, "
        f"total {sum(theirs_all) * 1000:.1f} ms"
    )
    print(f"ratio accord / python-docx open (total): {sum(ours_all) / sum(theirs_all):.2f}")
    print(f"peak traced memory of one read: max {max(r[4] for r in rows) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
