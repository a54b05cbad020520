"""A negotiation's log as accord wrote it at a given commit, kept as a test fixture: the hash-chained events and the
original documents fed into them (zero draft, submissions, decision files). Derived documents (versions,
compilations) are not kept: replay recomputes them and their sha256 is inside the events' payloads.

The format: ``events.jsonl`` (one stored event a line, its payload as the canonical JSON that was hashed) and
``originals/<sha256>`` (the documents). ``load`` puts them into an empty database as a log-only record (the
declaration, its parties, the blobs and the events, no derived rows), from which ``replay.rebuild`` re-runs them.

    python -m tests.logfixture FOLDER   # write a fixture with today's code, into a new folder (keep the old ones)
    python -m tests.logfixture --bilingual FOLDER   # the same of the bilingual demo (issue 15)
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.canonical import sha256_hex
from flows.bootstrap import App, bootstrap
from flows.publish import NullPublisher
from storage.schema import Blob, DeclarationRow, EventRow, PartyRow

SLUG = "fixture"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOLDER = (
    FIXTURES / "log-2026-12-06-pages"
)  # written after h14pages (blame and history pages anew): replays
DEC06 = (
    FIXTURES / "log-2026-12-06"
)  # written after main's h11: replays up to its seal, whose pages h14pages rewrote
BILINGUAL = (
    FIXTURES / "log-2026-12-07-bilingual"
)  # issue 15: the demo in English and Spanish (make_bilingual)
BA8D25A = (
    FIXTURES / "log-ba8d25a"
)  # written at ba8d25a: verifies; its replay diverges at the first compilation
# Where each event type names an original document (a file from outside that replay feeds back in).
ORIGINALS: dict[
    str, tuple[tuple[str, ...], ...]
] = {  # "*": every value of a mapping (e.g. each language)
    "accord.declaration.created": (("zero_draft", "original"), ("translations", "*", "original")),
    "accord.version.translated": (("source", "blob"),),
    "accord.submission.received": (("blob",),),
    "accord.decision.recorded": (("blob",),),
    "accord.version.edited": (("source", "blob"),),
    "accord.declaration.archived": (
        ("pdf",),
        ("files", "verify.py"),
    ),  # the verifier shipped: replay ships it again
}


def originals(type: str, payload: dict[str, Any]) -> list[str]:
    """The sha256 of every original document an event names."""
    found = []
    for path in ORIGINALS.get(type, ()):
        values: list[Any] = [payload]
        for key in path:
            values = [
                v
                for value in values
                if isinstance(value, dict)
                for v in (list(value.values()) if key == "*" else [value.get(key)])
            ]
        found.extend(value for value in values if isinstance(value, str))
    return found


def export(app: App, slug: str, folder: Path) -> None:
    """Write the declaration's stored events and original documents to ``folder``."""
    (folder / "originals").mkdir(parents=True, exist_ok=True)
    with Session(app.store.engine) as session:
        declaration = session.scalars(
            select(DeclarationRow).where(DeclarationRow.slug == slug)
        ).one()
        rows = session.scalars(
            select(EventRow).where(EventRow.declaration_id == declaration.id).order_by(EventRow.seq)
        ).all()
        lines = []
        for row in rows:
            lines.append(
                json.dumps(
                    {
                        "seq": row.seq,
                        "type": row.type,
                        "actor": row.actor,
                        "payload": row.payload,
                        "occurred_at": row.occurred_at,
                        "prev_hash": row.prev_hash,
                        "hash": row.hash,
                    },
                    sort_keys=True,
                )
            )
            for digest in originals(row.type, json.loads(row.payload)):
                blob = session.get(Blob, digest)
                assert blob is not None, digest
                (folder / "originals" / digest).write_bytes(blob.data)
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_log(folder: Path) -> list[dict[str, Any]]:
    """The fixture's events as stored (payload left as the canonical JSON text that was hashed)."""
    return [
        json.loads(line)
        for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def load(app: App, folder: Path) -> str:
    """Put the fixture into ``app``'s empty database as a log-only record; return the declaration's slug."""
    events = read_log(folder)
    created = json.loads(events[0]["payload"])
    with Session(app.store.engine) as session, session.begin():
        declaration = DeclarationRow(
            slug=created["slug"],
            title=created["title"],
            languages=",".join(created["languages"]),
            timezone=created["timezone"],
            created_at=events[0]["occurred_at"],
        )
        session.add(declaration)
        session.flush()
        session.add_all(
            PartyRow(
                declaration_id=declaration.id,
                code=p["code"],
                name=p["name"],
                bloc=p["bloc"],
                role=p["role"],
                email=None,
            )
            for p in created["parties"]
        )
        for path in sorted((folder / "originals").iterdir()):
            data = path.read_bytes()
            session.add(
                Blob(
                    sha256=sha256_hex(data),
                    size=len(data),
                    media_type="application/octet-stream",
                    data=data,
                )
            )
        session.add_all(EventRow(declaration_id=declaration.id, **event) for event in events)
    return str(created["slug"])


def make(folder: Path) -> None:
    """Run the fixture's negotiation with today's code and export it."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        from tests.audit_scenario import StepClock

        clock = StepClock()
        app = bootstrap(
            Path(scratch) / "home",
            url=f"sqlite:///{scratch}/accord.db",
            clock=clock,
            publisher=NullPublisher(),
        )
        try:
            negotiation(app, clock, Path(scratch))
            export(app, SLUG, folder)
        finally:
            app.store.engine.dispose()


def negotiation(app: App, clock: Any, folder: Path) -> None:
    """Two rounds among four parties (a conflict, brackets, then resolved), a refused file, a delivery to the
    outbox, an editorial change approved by both co-presidencies, a silence broken by an objection, a second
    silence that expires (the text is adopted), an archive bundle."""
    from drafting.errors import RefusedFile
    from flows.usecases import archive, decide, routing, silence, submissions
    from tests.audit_scenario import negotiate

    negotiate(app, clock, slug=SLUG, parties=4, rounds=2, agree=False)
    clock.step()
    try:
        submissions.submit(app, SLUG, party="AT", data=b"not a word file", filename="notes.txt")
    except RefusedFile:
        pass
    clock.step()
    routing.circulate_version(app, SLUG)
    _edit(app, clock)
    for party in ("ES", "BO"):
        clock.step()
        decide.approve(app, SLUG, party=party)
    clock.step(hours=1)
    silence.start_silence(app, SLUG, (clock.moment + timedelta(days=1)).isoformat())
    clock.step(hours=2)
    silence.object_to(app, SLUG, party="AT", reason="Paragraph 3 needs another reading.")
    clock.step(hours=1)
    silence.start_silence(app, SLUG, (clock.moment + timedelta(days=1)).isoformat())
    clock.step(days=2)
    silence.end_silence(app, SLUG)
    clock.step()
    archive.archive(app, SLUG, folder / "bundle.zip", convert=None)


def _edit(app: App, clock: Any) -> None:
    """The secretariat's editorial change: "cooperation" spelt "co-operation" throughout."""
    from drafting.documents import render_version
    from drafting.text import DraftText
    from flows.usecases.editorial import edit
    from tests import factories
    from tests.audit_scenario import current_text

    clock.step()
    _, text = current_text(app, SLUG)
    changed = [
        p.model_copy(update={"text": p.text.replace("cooperation", "co-operation")})
        for p in text.paragraphs
    ]
    data = render_version(
        factories.zero_draft(), DraftText(paragraphs=changed), title="t", stamp={}
    )
    edit(app, SLUG, data=data, filename="edited.docx", reason="house style: co-operation")


def make_bilingual(folder: Path) -> None:
    """Run the demo in English and Spanish (six delegations, archived without a PDF) and export its log."""
    import tempfile

    from flows.demo import SLUG as DEMO
    from flows.demo import run_demo

    def runner_for(_home: Path) -> Any:
        def run(step: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
            return fn(*args, **({**kwargs, "convert": None} if step == "archive" else kwargs))

        return run

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        run_demo(
            home,
            parties=6,
            fresh=False,
            say=lambda _line: None,
            runner_for=runner_for,
            bilingual=True,
        )
        app = bootstrap(home, publisher=NullPublisher())
        try:
            export(app, DEMO, folder)
        finally:
            app.store.engine.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bilingual"]:
        make_bilingual(Path(sys.argv[2]) if len(sys.argv) > 2 else BILINGUAL)
    else:
        make(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
