"""Builders for tests and benches: the 60 EU-CELAC parties, a declaration home, and party submissions.

Submissions are real Word files: ``redline_document`` writes each party's amendments to the EU-CELAC sample as
tracked changes with a comment, stamped (docx custom properties) like the outbox copy the party received.

Also a worker for tests that need other processes (``python -m tests.factories submit ...``): it submits files,
printing one JSON line per committed receipt; ``--go FILE`` makes it wait for that file before the first submission
(so several workers start together); ``--sleep-in-transaction S`` monkeypatches the event log so that the worker
sleeps inside the transaction, after the submission and its event are written and before the commit, touching
``--marker FILE`` first (the crash test kills it there). The hook exists only in this worker, never in accord.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flows import demo_parties, samples

ROOT = Path(__file__).resolve().parents[1]


SHARED = Path(
    os.environ.get("ACCORD_SHARED_DIR") or ROOT.parent / "shared"
)  # CI has it; a user's clone may not
SAMPLE_ZERO_DRAFT = samples.docx_path(
    "en"
)  # the repository's own sample: every test declaration starts from it
SLUG = "eu-celac"


def shared_path(relative: str) -> Path:
    """A file or folder of ../shared; the test skips, saying why, where ../shared is absent (a user's clone)."""
    import pytest

    path = SHARED / relative
    if not path.exists():
        pytest.skip(
            f"{path} is absent: this test needs ../shared beside the clone (CI always has it; "
            "or set ACCORD_SHARED_DIR)"
        )
    return path


TITLE = "EU-CELAC High-Level Meeting on Drugs: Political Declaration"
CO_PRESIDENCIES = demo_parties.CO_PRESIDENCIES
REDLINE_DATE = "2026-11-29T10:00:00Z"

EU, CELAC = (
    demo_parties.EU,
    demo_parties.CELAC,
)  # the 27 + 33 states, one list for the demo and the tests


@dataclass(frozen=True)
class PartyRow:
    code: str
    name: str
    bloc: str


PARTIES = [PartyRow(c, n, "EU") for c, n in EU] + [PartyRow(c, n, "CELAC") for c, n in CELAC]
NAMES = {p.code: p.name for p in PARTIES}


def parties(n: int = 60) -> list[PartyRow]:
    """The first ``n`` parties, always including the two co-presidencies (Spain and Bolivia)."""
    if not 2 <= n <= len(PARTIES):
        raise ValueError(f"n must be between 2 and {len(PARTIES)}")
    chairs = [p for p in PARTIES if p.code in CO_PRESIDENCIES]
    others = [p for p in PARTIES if p.code not in CO_PRESIDENCIES]
    return chairs + others[: n - 2]


def parties_csv(n: int = 60) -> str:
    """The parties file as the secretariat gives it: header ``code,name,bloc``."""
    return "code,name,bloc\n" + "".join(f"{p.code},{p.name},{p.bloc}\n" for p in parties(n))


def delegations(n: int = 60) -> list[str]:
    """Codes of the parties that are delegations (not co-presidencies), in file order."""
    return [p.code for p in parties(n) if p.code not in CO_PRESIDENCIES]


class Clock:
    """A test clock: starts at ``start`` and advances ``step`` on every reading (thread-safe)."""

    def __init__(
        self, start: datetime = datetime(2026, 11, 28, 9, 0, tzinfo=UTC), step: float = 1.0
    ) -> None:
        self.moment = start
        self.step = timedelta(seconds=step)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self.moment += self.step
            return self.moment

    def advance(self, **delta: float) -> None:
        """Jump forward, e.g. ``clock.advance(days=2)``."""
        with self._lock:
            self.moment += timedelta(**delta)


@functools.cache
def zero_draft() -> bytes:
    """The EU-CELAC sample's bytes."""
    return SAMPLE_ZERO_DRAFT.read_bytes()


@functools.cache
def base_text() -> Any:
    """The zero draft's text as accord stores it (a ``DraftText``)."""
    from drafting.documents import zero_draft_from_reading
    from drafting.wordml.reader import read_docx

    return zero_draft_from_reading(
        read_docx(zero_draft(), name=SAMPLE_ZERO_DRAFT.name), name=SAMPLE_ZERO_DRAFT.name
    )


def amended_texts(code: str, variant: int = 0) -> tuple[list[str], int]:
    """The party's version of the zero draft: one paragraph loses a word and gains a clause; returns (texts, index)."""
    texts = [p.text for p in base_text().paragraphs]
    candidates = [i for i, t in enumerate(texts) if len(t.split()) >= 6]
    index = candidates[(_party_index(code) + variant) % len(candidates)]
    words = texts[index].split(" ")
    del words[1]
    name = NAMES.get(code, code)
    texts[index] = " ".join(words) + f" {name} proposes this clause (draft {variant + 1})."
    return texts, index


def _party_index(code: str) -> int:
    codes = [p.code for p in PARTIES]
    return codes.index(code) if code in codes else sum(map(ord, code))


def stamp(
    code: str, *, slug: str = SLUG, version: str = "Zero draft", round_number: int = 1
) -> dict[str, str]:
    """The custom properties accord writes into the copy sent to ``code``."""
    from drafting.documents import STAMP_DECLARATION, STAMP_PARTY, STAMP_ROUND, STAMP_VERSION

    return {
        STAMP_DECLARATION: slug,
        STAMP_VERSION: version,
        STAMP_ROUND: str(round_number),
        STAMP_PARTY: code,
    }


def party_submission(
    code: str,
    variant: int = 0,
    *,
    stamped_for: str | None = None,
    slug: str = SLUG,
    version: str = "Zero draft",
    author: str | None = None,
) -> bytes:
    """A party's Word file: tracked changes and a comment by the party, stamped for ``stamped_for`` (or itself)."""
    return _party_submission(
        code, variant, stamped_for or code, slug, version, author or NAMES.get(code, code)
    )


@functools.cache  # one key per distinct file, however the caller spelled the arguments
def _party_submission(
    code: str, variant: int, stamped_for: str, slug: str, version: str, author: str
) -> bytes:
    from drafting.redline import redline_document

    texts, index = amended_texts(code, variant)
    return redline_document(
        zero_draft(),
        base_text(),
        texts,
        author=author,
        date=REDLINE_DATE,
        comments={index: f"{author}: this reflects our national position (draft {variant + 1})."},
        stamp=stamp(stamped_for, slug=slug, version=version),
    )


def write_inputs(folder: Path, n: int = 60) -> tuple[Path, Path]:
    """Write the zero draft and the parties CSV into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    zero, csv = folder / "zero-draft.docx", folder / "parties.csv"
    zero.write_bytes(zero_draft())
    csv.write_text(parties_csv(n), encoding="utf-8")
    return zero, csv


def create_declaration(app: Any, *, slug: str = SLUG, n: int = 60) -> Any:
    """Create the EU-CELAC declaration with ``n`` parties through the use case."""
    from flows.usecases.declarations import create_declaration as create

    return create(
        app,
        slug=slug,
        title=TITLE,
        zero_draft=zero_draft(),
        zero_draft_name="zero-draft.docx",
        parties_csv=parties_csv(n),
        parties_name="parties.csv",
        co_presidencies=list(CO_PRESIDENCIES),
    )


def open_declaration(
    app: Any, *, slug: str = SLUG, n: int = 60, deadline: str | None = None
) -> Any:
    """A declaration with ``n`` parties and round 1 open on the zero draft."""
    from flows.usecases.rounds import open_round

    create_declaration(app, slug=slug, n=n)
    return open_round(app, slug, deadline=deadline)


def submit(app: Any, code: str, variant: int = 0, *, slug: str = SLUG, **options: Any) -> Any:
    """Submit the party's file through the use case."""
    from flows.usecases.submissions import submit as submit_file

    data = party_submission(code, variant, slug=slug, **options)
    return submit_file(app, slug, party=code, data=data, filename=f"{code}-{variant + 1}.docx")


def sha256_of(data: bytes) -> str:
    """The key accord stores a file under."""
    from drafting.canonical import sha256_hex

    return sha256_hex(data)


def spawn_worker(
    home: Path,
    url: str,
    files: list[str],
    *,
    slug: str = SLUG,
    go: Path | None = None,
    sleep_in_transaction: float = 0.0,
    marker: Path | None = None,
) -> subprocess.Popen[str]:
    """Start ``python -m tests.factories submit`` on ``files`` (``CODE=PATH``); read its JSON lines from stdout."""
    command = [
        sys.executable,
        "-m",
        "tests.factories",
        "submit",
        "--home",
        str(home),
        "--url",
        url,
        "--slug",
        slug,
    ]
    if go is not None:
        command += ["--go", str(go)]
    if sleep_in_transaction:
        command += ["--sleep-in-transaction", str(sleep_in_transaction)]
    if marker is not None:
        command += ["--marker", str(marker)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("PREFECT_API_URL", None)
    return subprocess.Popen(
        [*command, *files],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(worker: subprocess.Popen[str]) -> dict[str, Any]:
    """The worker's next JSON line; if it ended instead, fail with what it printed on stderr."""
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if not line:
        worker.wait(timeout=30)
        stderr = worker.stderr.read() if worker.stderr else ""
        raise AssertionError(
            f"the worker ended (exit {worker.returncode}) without answering:\n{stderr}"
        )
    return dict(json.loads(line))


# --- the worker run in other processes -------------------------------------------------------------------------


def _sleep_inside_transactions(seconds: float, marker: Path | None) -> None:
    """Make every event append pause before its transaction commits (used only by this worker)."""
    import storage.eventlog

    original: Callable[..., Any] = storage.eventlog.append_event

    def slow_append(*args: Any, **kwargs: Any) -> Any:
        event = original(*args, **kwargs)
        if (
            marker is not None
        ):  # written whole, then renamed: the test waiting for it never reads it half-written
            partial = marker.with_name(marker.name + ".partial")
            partial.write_text(json.dumps({"pid": os.getpid(), "seq": event.seq}))
            partial.replace(marker)
        time.sleep(seconds)
        return event

    storage.eventlog.append_event = slow_append  # type: ignore[assignment]


def _worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.factories submit")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--slug", default=SLUG)
    parser.add_argument("--go", type=Path, help="wait for this file before submitting")
    parser.add_argument("--sleep-in-transaction", type=float, default=0.0)
    parser.add_argument("--marker", type=Path)
    parser.add_argument("files", nargs="+", help="CODE=PATH, submitted in order")
    args = parser.parse_args(argv)
    if args.sleep_in_transaction:
        _sleep_inside_transactions(args.sleep_in_transaction, args.marker)
    from flows.bootstrap import bootstrap
    from flows.usecases.submissions import submit as submit_file

    app = bootstrap(args.home, url=args.url)
    jobs = [(code, Path(path)) for code, path in (item.split("=", 1) for item in args.files)]
    payloads = [(code, path.name, path.read_bytes()) for code, path in jobs]
    print(json.dumps({"ready": os.getpid()}), flush=True)
    while args.go and not args.go.exists():
        time.sleep(0.005)
    for code, name, data in payloads:
        receipt = submit_file(app, args.slug, party=code, data=data, filename=name)
        print(
            json.dumps(
                {
                    "party": code,
                    "submission": receipt.submission,
                    "sha256": receipt.sha256,
                    "duplicate": receipt.duplicate,
                }
            ),
            flush=True,
        )
    app.store.engine.dispose()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["submit"]:
        sys.exit(
            "usage: python -m tests.factories submit --home DIR --url URL [--go FILE] CODE=PATH ..."
        )
    sys.exit(_worker(sys.argv[2:]))
