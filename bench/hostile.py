"""Time every hostile upload of the gate's catalogue and measure its memory, each case in a fresh subprocess.

    .venv/bin/python bench/hostile.py            # all cases, about a minute
    .venv/bin/python bench/hostile.py -k zip     # only cases whose id contains "zip"

The cases are ``HOSTILE`` from tests/hostile.py (one catalogue, so the bench and the tests cannot drift),
plus a few near-limit cases that are too slow for unit tests. Each file is built in memory by this process and
written to a temporary directory; a child process reads it, then runs ``open_package`` once for time and peak RSS
(VmHWM, the whole interpreter included) and once under tracemalloc (Python allocations only).
Exit status 1 if a case is not refused as expected or misses a target: refusal under 2 s and 300 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIME_TARGET_S = 2.0
MEMORY_TARGET_MB = 300.0
MIB = 1024 * 1024


def load_catalogue() -> SimpleNamespace:
    """The catalogue and its builders, as one namespace (the catalogue is in tests/, which is not installed)."""
    from drafting.errors import UnsafeXml
    from tests import gatebuild, hostile

    builders = {name: value for name, value in vars(gatebuild).items() if not name.startswith("__")}
    return SimpleNamespace(
        **builders, Case=hostile.Case, HOSTILE=hostile.HOSTILE, UnsafeXml=UnsafeXml
    )


def near_limit_expansion(t: SimpleNamespace) -> bytes:
    """~199 MiB that honestly declares its size at ~60:1, then a DOCTYPE: the most memory a refusal can cost."""
    buffer = io.BytesIO()
    chunk = os.urandom(1024) + bytes(63 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(3):
            with archive.open(f"word/media/big{index}.bin", "w") as out:
                for _ in range(66 * 16):
                    out.write(chunk)
        parts = t.docx_parts(extra={"word/styles.xml": b'<!DOCTYPE s [<!ENTITY a "b">]><s/>'})
        for part, data in parts.items():
            archive.writestr(part, data)
    return buffer.getvalue()


def near_limit_xml(t: SimpleNamespace) -> bytes:
    """Six 32 MiB text-heavy XML parts (192 MiB, ~9:1) that lxml must parse, then one nested too deep:
    the most memory a parse-time refusal can cost (all parts held, plus the largest tree)."""
    vocabulary = [os.urandom(3).hex() for _ in range(8)]
    block = " ".join(vocabulary[byte % 8] for byte in os.urandom(150_000)).encode()[: MIB - 64]
    text = b"<t>" + block + b"</t>"
    part = b"<r>" + text * ((32 * MIB - 64) // len(text)) + b"</r>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(6):
            archive.writestr(f"customXml/item{index}.xml", part)
        for name, data in t.docx_parts(extra={"word/zz.xml": t.nested(230)}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def big_document(paragraphs: int) -> bytes:
    """A passing document.xml of ``paragraphs`` paragraphs, with varied text so it compresses ~8:1."""
    words = [os.urandom(4).hex() for _ in range(5000)]
    body = b"".join(
        f"<w:p><w:r><w:t>{words[i % 5000]} {words[(i * 7) % 5000]} {i}</w:t></w:r></w:p>".encode()
        for i in range(paragraphs)
    )
    return body


def extra_cases(t: SimpleNamespace) -> list[object]:
    case = t.Case
    start = f"<w:document {t.W}><w:body>".encode()
    cases = [
        case(
            "near-limit-199mib-then-doctype",
            lambda: near_limit_expansion(t),
            t.UnsafeXml,
            "DOCTYPE",
        ),
        case(
            "near-limit-192mib-xml-then-deep",
            lambda: near_limit_xml(t),
            t.UnsafeXml,
            "nests elements",
        ),
        case(
            "pass:10k-paragraphs",  # the gate's max_paragraphs (160,000 passed before issue 12)
            lambda: t.docx(document=start + big_document(10_000) + b"</w:body></w:document>"),
            None,
            "",
        ),
    ]
    corpus = sorted(t.CORPUS.glob("*.docx"), key=lambda path: path.stat().st_size)
    if corpus:
        cases.append(case(f"pass:{corpus[-1].name}", corpus[-1].read_bytes, None, ""))
    return cases


def measure(path: str, limits_json: str) -> None:
    """Child side: one timed run for RSS and time, one under tracemalloc; print a JSON line."""
    from drafting.errors import RefusedFile
    from drafting.wordml.gate import GateLimits, open_package

    data = Path(path).read_bytes()
    limits = GateLimits.model_validate_json(limits_json) if limits_json else None

    def run() -> tuple[str, str]:
        try:
            open_package(data, name="bench.docx", limits=limits)
        except RefusedFile as exc:
            return type(exc).__name__, str(exc)
        return "passed", ""

    before = _maxrss_mb()
    started = time.perf_counter()
    outcome, message = run()
    elapsed = time.perf_counter() - started
    peak = _maxrss_mb()
    tracemalloc.start()
    run()
    traced = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    row = {
        "outcome": outcome,
        "message": message,
        "seconds": elapsed,
        "rss_mb": peak,
        "rss_before_mb": before,
    }
    print(json.dumps(row | {"traced_mb": traced}))


def _maxrss_mb() -> float:
    """Peak resident memory of this process. ru_maxrss survives execve on Linux (it would count the parent's
    peak), so read VmHWM, which starts afresh with the new program."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only cases whose id contains this")
    parser.add_argument(
        "--measure", nargs=2, metavar=("FILE", "LIMITS_JSON"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return 0
    t = load_catalogue()
    cases = [case for case in [*t.HOSTILE, *extra_cases(t)] if args.k in case.id]
    header = f"{'case':34} {'expected':18} {'got':18} {'size':>9} {'time ms':>8} {'RSS MB':>7} {'+RSS':>6} {'traced':>7}"
    print(header)
    print("-" * len(header))
    failures, rows = 0, []
    with tempfile.TemporaryDirectory() as scratch:
        for case in cases:
            path = Path(scratch) / "upload.docx"
            path.write_bytes(case.build())
            limits = case.limits.model_dump_json() if case.limits else ""
            child = [sys.executable, __file__, "--measure", str(path), limits]
            row = json.loads(
                subprocess.run(child, check=True, capture_output=True, text=True).stdout
            )
            expected = case.refused.__name__ if case.refused else "passed"
            ok = row["outcome"] == expected and case.fragment in row["message"]
            refusal = expected != "passed"
            ok = ok and (
                not refusal or (row["seconds"] < TIME_TARGET_S and row["rss_mb"] < MEMORY_TARGET_MB)
            )
            failures += not ok
            rows.append((case.id, row, refusal))
            print(
                f"{case.id[:34]:34} {expected:18} {row['outcome']:18} {path.stat().st_size / 1024:8.0f}K "
                f"{row['seconds'] * 1000:8.1f} {row['rss_mb']:7.1f} {row['rss_mb'] - row['rss_before_mb']:6.1f} "
                f"{row['traced_mb']:7.1f}{'' if ok else '  <-- FAIL'}"
            )
    refusals = [(case_id, row) for case_id, row, refusal in rows if refusal]
    slowest = max(refusals, key=lambda item: item[1]["seconds"])
    biggest = max(refusals, key=lambda item: item[1]["rss_mb"])
    print(
        f"\n{len(refusals)} refusals; worst time {slowest[1]['seconds'] * 1000:.1f} ms ({slowest[0]}), "
        f"worst peak RSS {biggest[1]['rss_mb']:.1f} MB ({biggest[0]}); "
        f"targets {TIME_TARGET_S:g} s and {MEMORY_TARGET_MB:g} MB; {failures} failure(s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
