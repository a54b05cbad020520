"""Replay and verify a long negotiation: 10 rounds among 60 parties on the EU-CELAC sample (target < 5 s).

Run: .venv/bin/python bench/replay.py [--parties 60] [--rounds 10] [--submitters N]

Builds the negotiation once (every delegation submits a Word file with tracked changes in every round unless
--submitters says how many do), then times `accord replay`, `accord verify`, blame of the last version, and
sealing and verifying the archive bundle; prints the replay's time per event type.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(label: str, work: Callable[[], Any], rows: list[tuple[str, float, str]], note: str = "") -> Any:
    """Run ``work``, keep its wall time."""
    started = time.perf_counter()
    result = work()
    rows.append((label, time.perf_counter() - started, note))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--submitters", type=int, default=None, help="delegations submitting per round (default all)")
    args = parser.parse_args(argv)

    from flows.bootstrap import bootstrap
    from flows.publish import NullPublisher
    from flows.usecases.archive import archive, verify_bundle
    from flows.usecases.blame import blame
    from flows.usecases.replay import replay
    from flows.usecases.status import event_log, verify
    from tests.audit_scenario import StepClock, negotiate

    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        clock = StepClock()
        app = bootstrap(Path(tmp) / "home", url=f"sqlite:///{Path(tmp) / 'accord.db'}", clock=clock,
                        publisher=NullPublisher())
        done = timed("build the negotiation (use cases)", lambda: negotiate(
            app, clock, slug="bench", parties=args.parties, rounds=args.rounds, submitters=args.submitters,
            agree=False), rows)
        events = len(event_log(app, "bench"))
        report = timed("replay (scratch database)", lambda: replay(app, "bench"), rows, f"{events} events")
        timed("verify (hash chain and blobs)", lambda: verify(app, "bench"), rows)
        spans = timed("blame of the last version", lambda: blame(app, "bench"), rows)
        bundle = Path(tmp) / "bench.zip"
        timed("archive (build, self-check, seal)", lambda: archive(app, "bench", bundle, convert=None), rows)
        timed("verify the bundle (verify.py checks)", lambda: verify_bundle(bundle), rows,
              f"{bundle.stat().st_size // 1024} KiB")
        app.store.engine.dispose()
    print(f"{args.rounds} rounds, {args.parties} parties: {done.submissions} submissions, {done.proposals} proposals, "
          f"{events} events, versions {done.versions[0]}..{done.versions[-1]}; blame {len(spans.spans)} spans")
    for label, seconds, note in rows:
        print(f"  {label:<40} {seconds:8.2f} s  {note}")
    replay_and_verify = sum(s for label, s, _ in rows if label.startswith(("replay", "verify")))
    print(f"  {'replay + verify':<40} {replay_and_verify:8.2f} s  (target < 5 s)")
    print("replay, seconds by event type:")
    for kind, seconds in sorted(report.by_type.items(), key=lambda item: -item[1]):
        print(f"  {kind:<40} {seconds:8.2f} s")


if __name__ == "__main__":
    main()
