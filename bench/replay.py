"""Replay and verify a long negotiation: 10 rounds among 60 parties on the EU-CELAC sample (target < 5 s).

Run: .venv/bin/python bench/replay.py [--parties 60] [--rounds 10] [--submitters N] [--keep DIR]

Builds the negotiation (every delegation submits a Word file with tracked changes in every round unless
--submitters says how many do; --keep DIR builds it once in DIR and reuses it on later runs), then times
`accord replay`, `accord verify`, blame of the last version, and sealing and verifying the archive bundle; prints
wall and CPU seconds (CPU: less sensitive to a busy machine; it includes the replay's read-ahead worker, so it can
exceed the wall time on two cores) and the replay's time per event type.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


Row = tuple[str, float, float, str]  # label, wall seconds, CPU seconds, note


def timed(label: str, work: Callable[[], Any], rows: list[Row], note: str = "") -> Any:
    """Run ``work``, keep its wall and CPU time (this process's and its finished workers')."""
    wall, cpu = time.perf_counter(), _cpu()
    result = work()
    rows.append((label, time.perf_counter() - wall, _cpu() - cpu, note))
    return result


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--submitters",
        type=int,
        default=None,
        help="delegations submitting per round (default all)",
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the negotiation here once and reuse it"
    )
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep)
        return
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        run(args, Path(tmp))


def run(args: argparse.Namespace, folder: Path) -> None:
    """Build (unless already built in ``folder``), then time replay and verification."""
    from flows.bootstrap import bootstrap
    from flows.publish import NullPublisher
    from flows.usecases.archive import archive, verify_bundle
    from flows.usecases.blame import blame
    from flows.usecases.replay import replay
    from flows.usecases.status import event_log, verify
    from tests.audit_scenario import StepClock, negotiate

    rows: list[Row] = []
    built = (folder / "accord.db").exists()
    clock = StepClock()
    app = bootstrap(
        folder / "home",
        url=f"sqlite:///{folder / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    try:
        if not built:
            timed(
                "build the negotiation (use cases)",
                lambda: negotiate(
                    app,
                    clock,
                    slug="bench",
                    parties=args.parties,
                    rounds=args.rounds,
                    submitters=args.submitters,
                    agree=False,
                ),
                rows,
            )
        events = len(event_log(app, "bench"))
        report = timed(
            "replay (scratch database)", lambda: replay(app, "bench"), rows, f"{events} events"
        )
        timed("verify (hash chain and blobs)", lambda: verify(app, "bench"), rows)
        spans = timed("blame of the last version", lambda: blame(app, "bench"), rows)
        bundle = folder / "bench.zip"
        if not bundle.exists():  # archived by an earlier run in --keep DIR
            timed(
                "archive (build, self-check, seal)",
                lambda: archive(app, "bench", bundle, convert=None),
                rows,
            )
        timed(
            "verify the bundle (verify.py checks)",
            lambda: verify_bundle(bundle),
            rows,
            f"{bundle.stat().st_size // 1024} KiB",
        )
    finally:
        app.store.engine.dispose()
    print(
        f"{args.rounds} rounds, {args.parties} parties: {_counts(folder)}, {events} events; "
        f"blame {len(spans.spans)} spans"
    )
    print(f"  {'':<40} {'wall':>8}    {'CPU':>8}")
    for label, wall, cpu, note in rows:
        print(f"  {label:<40} {wall:8.2f} s  {cpu:8.2f} s  {note}")
    measured = [r for r in rows if r[0].startswith(("replay", "verify"))]
    print(
        f"  {'replay + verify':<40} {sum(r[1] for r in measured):8.2f} s  {sum(r[2] for r in measured):8.2f} s"
        "  (target < 5 s)"
    )
    print("replay, wall seconds by event type:")
    for kind, seconds in sorted(report.by_type.items(), key=lambda item: -item[1]):
        print(f"  {kind:<40} {seconds:8.2f} s")


def _counts(folder: Path) -> str:
    import sqlite3

    connection = sqlite3.connect(folder / "accord.db")
    submissions = connection.execute("SELECT count(*) FROM submissions").fetchone()[0]
    versions = connection.execute("SELECT count(*) FROM versions").fetchone()[0]
    connection.close()
    return f"{submissions} submissions, {versions} versions"


if __name__ == "__main__":
    main()
