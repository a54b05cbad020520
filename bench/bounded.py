"""Work bounded by the base (issue 12, finding 7): what the submission limits leave a round to compile and replay.

    .venv/bin/python bench/bounded.py                  # 60 parties, every file at the limits (a few minutes)
    .venv/bin/python bench/bounded.py --parties 12     # quicker
    .venv/bin/python bench/bounded.py --fill 0.5       # every file at half the limits

1. The two files of the finding (within the upload limits: 20,000 paragraphs; 5,000 comments): the time a submission
   takes to be refused (read, then ``check_work``), and the reason given.
2. A round on the 47-paragraph EU-CELAC sample in which every delegation's file passed, each as large as the limits
   of ``drafting.intake.WorkLimits`` allow (``--fill`` of them): new paragraphs up to the paragraph limit, a comment
   on as many paragraphs as the comment limit allows. Then `round close` (compilation and synopsis) and `replay`
   (the whole log again, in a scratch database) are timed; memory is this process's peak RSS (ru_maxrss, imports
   included) after each step. Target (issue 12): compile and replay < 2 s and < 300 MB. For comparison, a replay
   with ``reread`` (every Word file parsed again, not taken from the reading the log vouches for) is timed last;
   it is not held to the target.

Times on a shared machine vary: the load average is printed with them. Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIME_TARGET_S, MEMORY_TARGET_MB = 2.0, 300.0


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU: list[
    float
] = []  # CPU seconds of each timed step, this process's and its ended workers' (the readers of
# files): on a shared machine, what the load does not inflate


def cpu_seconds() -> float:
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start, cpu = time.perf_counter(), cpu_seconds()
    result = work()
    CPU.append(cpu_seconds() - cpu)
    return result, time.perf_counter() - start


def party_file(code: str, extra: int, comments: int) -> bytes:
    """The sample with ``extra`` new paragraphs and a comment on each of the first ``comments`` paragraphs."""
    from drafting.redline import redline_document
    from tests import factories

    base = factories.base_text()
    texts = [p.text for p in base.paragraphs]
    texts += [
        f"{code} proposes paragraph {i}: cooperation on item {i * 7 % 97}." for i in range(extra)
    ]
    return redline_document(
        factories.zero_draft(),
        base,
        texts,
        author=factories.NAMES[code],
        date=factories.REDLINE_DATE,
        comments={i: f"{code} note {i}" for i in range(comments)},
        stamp=factories.stamp(code),
    )


def refusals(app: Any, code: str) -> None:
    """The finding's two files, refused at submission."""
    from drafting.errors import RefusedFile
    from flows.usecases.submissions import submit
    from tests import factories

    for label, extra, comments in (
        ("20,000 paragraphs", 20_000 - 47, 0),
        ("5,000 comments", 5_000 - 47, 5_000),
    ):
        data = party_file(code, extra, comments)
        began = time.perf_counter()
        try:
            submit(app, factories.SLUG, party=code, data=data, filename=f"{code}.docx")
            outcome = "ACCEPTED: the limit did not hold"
        except RefusedFile as refused:
            outcome = "refused: " + str(refused).split("refused, ")[1].split(";")[0]
        print(
            f"  {label:<18} {len(data) // 1024:>5} KiB  {time.perf_counter() - began:5.2f} s  {outcome}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=60)
    parser.add_argument(
        "--fill", type=float, default=1.0, help="how full of the limits each file is (0-1)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="accord-bounded-") as tmp:
        return run(Path(tmp), args.parties, args.fill)


def run(folder: Path, parties: int, fill: float) -> int:
    from drafting.intake import WorkLimits
    from flows.bootstrap import bootstrap
    from flows.publish import NullPublisher
    from flows.usecases.compile import close_and_compile
    from flows.usecases.replay import replay
    from flows.usecases.submissions import submit
    from tests import factories

    app = bootstrap(folder / "home", clock=factories.Clock(), publisher=NullPublisher())
    factories.open_declaration(app, n=parties)
    print(f"load average {os.getloadavg()[0]:.1f}; limits {WorkLimits()}")
    print("1. the finding's files:")
    refusals(app, factories.delegations(parties)[0])
    limits, base = WorkLimits(), 47
    paragraphs = limits.paragraphs_per_base * base + limits.paragraphs_slack
    comments = min(limits.max_comments, limits.comments_per_paragraph * base, paragraphs)
    extra, notes = int((paragraphs - base) * fill), int(comments * fill)
    codes = factories.delegations(parties)
    print(f"2. {len(codes)} delegations, each file {base + extra} paragraphs and {notes} comments:")
    sizes = 0
    for code in codes:
        data = party_file(code, extra, notes)
        sizes += len(data)
        submit(app, factories.SLUG, party=code, data=data, filename=f"{code}.docx")
    print(f"  submitted {sizes // 1024} KiB; peak RSS so far {rss_mb():.0f} MiB")
    compiled, compile_s = timed(lambda: close_and_compile(app, factories.SLUG))
    compile_mb = rss_mb()
    print(
        f"  round close (compile): {compile_s:6.2f} s  (cpu {CPU[-1]:5.2f} s)  peak RSS {compile_mb:5.0f} MiB  "
        f"({compiled.proposals} proposals, {compiled.conflicts} conflict groups)"
    )
    report, replay_s = timed(lambda: replay(app, factories.SLUG))
    replay_mb = rss_mb()
    slowest = sorted(report.by_type.items(), key=lambda item: -item[1])[:3]
    print(
        f"  replay (whole log):    {replay_s:6.2f} s  (cpu {CPU[-1]:5.2f} s)  peak RSS {replay_mb:5.0f} MiB  ("
        + ", ".join(f"{kind} {seconds:.2f} s" for kind, seconds in slowest)
        + ")"
    )
    _, reread_s = timed(lambda: replay(app, factories.SLUG, reread=True))
    print(
        f"  replay --reread:       {reread_s:6.2f} s  (cpu {CPU[-1]:5.2f} s)  peak RSS {rss_mb():5.0f} MiB  "
        "(every Word file parsed again)"
    )
    app.store.engine.dispose()
    missed = [
        what
        for what, ok in (
            ("compile time", compile_s < TIME_TARGET_S),
            ("replay time", replay_s < TIME_TARGET_S),
            ("memory", max(compile_mb, replay_mb) < MEMORY_TARGET_MB),
        )
        if not ok
    ]
    print(
        f"target < {TIME_TARGET_S} s and < {MEMORY_TARGET_MB:.0f} MiB: "
        + (f"MISSED ({', '.join(missed)})" if missed else "met")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
