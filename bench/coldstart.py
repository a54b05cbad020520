"""Cold start: commands that need no database, timed as whole processes (what a user waits for).

    .venv/bin/python bench/coldstart.py            # about half a minute
    .venv/bin/python bench/coldstart.py --runs 3

1. `accord diff OLD.docx NEW.docx` on the Doha pair: the 169-paragraph UN GA Doha political declaration (2025)
   from ../shared/samples and a revision of it written by accord (words replaced and added in every seventh
   paragraph, one paragraph deleted, one added), against python-redlines' Docxodus engine on the same pair, also as
   a whole process (`python -c` that imports python_redlines and runs one redline). Target: accord >= 3x faster.
   python-redlines is a benchmark-only dependency: `uv pip install -e '.[bench]'`.
2. `accord inspect FILE` on the median-sized file of ../shared/corpus/real-word. Target: < 0.2 s.
3. `accord --help`, for reference.

Times are the median of ``--runs`` processes (the best is shown beside it); the load average is printed with them,
since the machine may be shared. Needs ../shared (or ACCORD_SHARED_DIR); without it, says so and exits 2.
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("ACCORD_SHARED_DIR") or ROOT.parent / "shared")
DOHA = SHARED / "samples/declarations/un-ga-doha-political-declaration-2025.en.docx"
CORPUS = SHARED / "corpus/real-word"
ACCORD = Path(sys.executable).with_name("accord")
SPEEDUP_TARGET, INSPECT_TARGET_S = 3.0, 0.2
DOCXODUS = (
    "import sys\n"
    "from python_redlines import DocxodusEngine\n"
    "old, new, out = sys.argv[1:4]\n"
    "data = DocxodusEngine().run_redline('accord', open(old, 'rb').read(), open(new, 'rb').read())[0]\n"
    "open(out, 'wb').write(data)\n"
)


def doha_revision(old: bytes) -> bytes:
    """The Doha declaration as a co-presidency might revise it, written by accord in the original's styles."""
    from drafting.documents import render_version, zero_draft_from_reading
    from drafting.text import DraftParagraph, DraftText
    from drafting.wordml.reader import read_docx

    base = zero_draft_from_reading(read_docx(old), name=DOHA.name)
    paragraphs = []
    for i, p in enumerate(base.paragraphs):
        words = p.text.split(" ")
        if i == 40:
            continue  # deleted
        if i % 7 == 3 and len(words) > 6:
            words[2] = words[2].upper() if words[2].isalpha() else words[2]
            words.insert(5, "effectively")
        paragraphs.append(p.model_copy(update={"text": " ".join(words)}))
        if i == 90:
            paragraphs.append(
                DraftParagraph(
                    key="new",
                    text="Welcome the contributions of civil society;",
                    template_index=p.template_index,
                )
            )
    return render_version(old, DraftText(paragraphs=paragraphs), title="Doha revision", stamp={})


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """Median and best wall time of ``runs`` processes (each must succeed)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def median_file() -> Path:
    """The corpus file of median size."""
    files = sorted(CORPUS.glob("*.docx"), key=lambda path: (path.stat().st_size, path.name))
    return files[len(files) // 2]


def docxodus_available() -> str:
    """ "" if python-redlines' Docxodus engine runs here, else why not."""
    try:
        import python_redlines  # noqa: F401
    except ImportError:
        return "python-redlines is not installed (uv pip install -e '.[bench]')"
    return ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if not DOHA.exists() or not CORPUS.is_dir():
        print(
            f"error: {SHARED} is missing the Doha declaration or the corpus; put ../shared beside the clone or set "
            "ACCORD_SHARED_DIR",
            file=sys.stderr,
        )
        return 2
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs} processes"
    )
    missed = []
    with tempfile.TemporaryDirectory(prefix="accord-coldstart-") as tmp:
        old, new, out = (
            Path(tmp) / "doha.docx",
            Path(tmp) / "doha-revised.docx",
            Path(tmp) / "redline.docx",
        )
        old.write_bytes(DOHA.read_bytes())
        new.write_bytes(doha_revision(old.read_bytes()))
        ours, ours_best = timed(
            [str(ACCORD), "diff", str(old), str(new), "--out", str(out)], args.runs
        )
        print(
            f"accord diff (Doha pair)        {ours * 1000:6.0f} ms  (best {ours_best * 1000:.0f} ms)"
        )
        why_not = docxodus_available()
        if why_not:
            print(f"python-redlines Docxodus       not measured: {why_not}")
        else:
            theirs, theirs_best = timed(
                [sys.executable, "-c", DOCXODUS, str(old), str(new), str(out)], args.runs
            )
            speedup = theirs / ours
            print(
                f"python-redlines Docxodus       {theirs * 1000:6.0f} ms  (best {theirs_best * 1000:.0f} ms): "
                f"accord {speedup:.1f}x faster (target >= {SPEEDUP_TARGET:.0f}x)"
            )
            if speedup < SPEEDUP_TARGET:
                missed.append("diff speed-up")
    sample = median_file()
    inspect, inspect_best = timed([str(ACCORD), "inspect", str(sample)], args.runs)
    print(
        f"accord inspect (median file)   {inspect * 1000:6.0f} ms  (best {inspect_best * 1000:.0f} ms) on "
        f"{sample.name}, {sample.stat().st_size // 1024} KiB (target < {INSPECT_TARGET_S * 1000:.0f} ms)"
    )
    if inspect >= INSPECT_TARGET_S:
        missed.append("inspect time")
    help_time, help_best = timed([str(ACCORD), "--help"], args.runs)
    print(
        f"accord --help                  {help_time * 1000:6.0f} ms  (best {help_best * 1000:.0f} ms)"
    )
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
