"""How replay re-runs each event type: the use case that appended it, fed with the stored originals.

A rule runs one use case on the scratch app (whose clock reads the event's recorded time); the use case may
append several events (a decision that completes the set issues the revision in the same transaction), and
replay compares them all. ``record`` appends an event as it was, for facts accord cannot recompute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from drafting.canonical import sha256_hex
from drafting.errors import IntegrityError, NotFound
from drafting.negotiation import Event
from flows.bootstrap import App
from flows.publish import RecordingPublisher
from flows.usecases.common import change
from storage.eventlog import read_events
from storage.schema import Blob


@dataclass
class Context:
    """The original app (read only), the scratch app being rebuilt (whose publisher records every event it
    committed), and a cache of original documents."""

    original: App
    scratch: App
    slug: str
    folder: Path
    published: RecordingPublisher
    blobs: dict[str, bytes] = field(default_factory=dict)
    preloaded: dict[str, bytes] = field(default_factory=dict)
    taken: int = 0

    def blob(self, digest: str) -> bytes:
        """An original document, checked against its sha256."""
        if digest not in self.blobs:
            data = self.preloaded.pop(digest, None)
            if data is None:
                with self.original.store.reading() as uow:
                    try:
                        data = uow.blob(digest)
                    except NotFound as error:
                        raise IntegrityError(str(error)) from None
            elif sha256_hex(data) != digest:
                raise IntegrityError(f"blob {digest[:12]} does not match its hash: the stored document was altered")
            self.blobs[digest] = data
        return self.blobs[digest]

    def preload(self, digests: Iterable[str]) -> None:
        """Fetch these originals in a few queries rather than one each; ``blob`` checks each hash when it is used."""
        wanted = sorted(set(digests) - set(self.blobs) - set(self.preloaded))
        with self.original.store.reading() as uow:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = uow.session.execute(select(Blob.sha256, Blob.data).where(Blob.sha256.in_(chunk)))
                self.preloaded.update((digest, data) for digest, data in rows)

    def submitted_files(self, events: list[Event]) -> list[tuple[bytes, str]]:
        """The files the replay will submit, in order (for reading ahead; unchecked until ``blob`` is asked)."""
        submitted = [e.payload for e in events if e.type == "accord.submission.received"]
        self.preload(p["blob"] for p in submitted)
        return [(self.preloaded[p["blob"]], p["filename"]) for p in submitted if p["blob"] in self.preloaded]

    def replayed_events(self) -> list[Event]:
        """The events the scratch app committed since the last call (``check_log`` proves the log holds them)."""
        events = self.published.events[self.taken:]
        self.taken = len(self.published.events)
        return events

    def check_log(self) -> None:
        """The scratch database's log is exactly the events committed one by one during the replay."""
        with self.scratch.store.reading() as uow:
            stored = read_events(uow.session, uow.repo.declaration(self.slug))
        if [(e.seq, e.hash) for e in stored] != [(e.seq, e.hash) for e in self.published.events]:
            raise IntegrityError("the replayed log differs from the events its use cases committed")


def created(context: Context, event: Event) -> None:
    """accord.declaration.created: the same zero draft and parties (the version.issued follows from it)."""
    from flows.usecases.declarations import create_declaration

    payload = event.payload
    parties = payload["parties"]
    create_declaration(
        context.scratch, slug=payload["slug"], title=payload["title"],
        zero_draft=context.blob(payload["zero_draft"]["original"]), zero_draft_name=payload["zero_draft"]["filename"],
        parties_csv=_parties_csv(context, parties), parties_name="parties.csv",
        co_presidencies=[p["code"] for p in parties if p["role"] == "co-presidency"],
        timezone=payload["timezone"], languages=tuple(payload["languages"]), symbol=payload.get("symbol", ""),
    )


def _parties_csv(context: Context, parties: list[dict[str, str]]) -> str:
    """The parties file as the secretariat gave it (e-mail addresses are not in the log: taken from the store)."""
    with context.original.store.reading() as uow:
        emails = {p.code: p.email or "" for p in uow.repo.parties(uow.repo.declaration(context.slug))}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "bloc", "email"])  # roles: the co-presidencies, given apart as at create
    for p in parties:
        writer.writerow([p["code"], p["name"], p["bloc"], emails.get(p["code"], "")])
    return out.getvalue()


def opened(context: Context, event: Event) -> None:
    """accord.round.opened."""
    from flows.usecases.rounds import open_round

    open_round(context.scratch, context.slug, deadline=event.payload.get("deadline"))


def submitted(context: Context, event: Event) -> None:
    """accord.submission.received: the party's file as received."""
    from flows.usecases.submissions import submit

    payload = event.payload
    submit(context.scratch, context.slug, party=payload["party"], data=context.blob(payload["blob"]),
           filename=payload["filename"], by=payload.get("by"))


def closed(context: Context, event: Event) -> None:
    """accord.round.closed, by whoever closed it and why."""
    from flows.usecases.rounds import close_round

    close_round(context.scratch, context.slug, actor=event.actor, reason=event.payload.get("reason", "closed"))


def compiled(context: Context, event: Event) -> None:
    """accord.compilation.ready: proposals, compilation.docx and the synopsis, recomputed."""
    from flows.usecases.compile import compile_round

    compile_round(context.scratch, context.slug)


def decided(context: Context, event: Event) -> None:
    """accord.decision.recorded: the co-presidency's file as received (the revision may follow)."""
    from flows.usecases.decide import decide

    payload = event.payload
    decide(context.scratch, context.slug, party=payload["party"], data=context.blob(payload["blob"]),
           filename=payload["filename"], by=payload.get("by"))


def revised(context: Context, event: Event) -> None:
    """accord.version.issued on its own: the secretariat issued the revision without every decision."""
    from flows.usecases.decide import revise

    revise(context.scratch, context.slug)


def approved(context: Context, event: Event) -> None:
    """accord.version.approved (the circulation may follow)."""
    from flows.usecases.decide import approve

    approve(context.scratch, context.slug, party=event.payload["party"])


def edited(context: Context, event: Event) -> None:
    """accord.version.edited: the secretariat's file and reason."""
    from flows.usecases.editorial import edit

    payload = event.payload
    edit(context.scratch, context.slug, data=context.blob(payload["source"]["blob"]),
         filename=payload["source"]["filename"], reason=payload["reason"], actor=event.actor)


def archived(context: Context, event: Event) -> None:
    """accord.declaration.archived: the seal and its pages rebuilt (the PDF, made by LibreOffice, and the signature,
    made with a key replay does not hold, are taken as recorded: verify --key checks the signature). A seal from
    before accord recorded the pages is appended as it was, with its PDF."""
    from flows.usecases.archive import archive

    pdf, signature = event.payload.get("pdf"), event.payload.get("signature")
    if not isinstance(event.payload.get("files"), dict):  # before seals recorded pages, "files" was a count
        _old_seal(context, event)
        return
    archive(context.scratch, context.slug, context.folder / f"bundle-{event.seq}.zip",
            convert=lambda _docx: context.blob(pdf) if pdf else None,
            signer=(lambda _message: signature) if signature else None)


def _old_seal(context: Context, event: Event) -> None:
    from flows.usecases.history import safe_name

    def work(uow):  # type: ignore[no-untyped-def]
        declaration = uow.repo.declaration(context.slug)
        label, pdf = event.payload["version"], event.payload.get("pdf")
        if pdf:
            uow.repo.add_artifact(declaration, version_id=uow.repo.version(declaration, label).id, kind="archive-pdf",
                                  name=f"{safe_name(context.slug)}-{safe_name(label)}.pdf",
                                  blob_sha256=uow.put_blob(context.blob(pdf), "application/pdf"),
                                  created_at=event.occurred_at)
        uow.append(declaration, event.type, event.actor, event.payload, event.occurred_at)

    change(context.scratch, work)


def deadline_reached(context: Context, event: Event) -> None:
    """accord.round.deadline-reached."""
    from flows.usecases.deadlines import reach_deadline

    reach_deadline(context.scratch, context.slug, int(event.payload["round"]))


def silence_started(context: Context, event: Event) -> None:
    """accord.silence.started."""
    from flows.usecases.silence import start_silence

    start_silence(context.scratch, context.slug, event.payload["until"])


def silence_broken(context: Context, event: Event) -> None:
    """accord.silence.broken."""
    from flows.usecases.silence import object_to

    object_to(context.scratch, context.slug, party=event.payload["party"], reason=event.payload["reason"])


def silence_expired(context: Context, event: Event) -> None:
    """accord.silence.expired."""
    from flows.usecases.silence import expire

    expire(context.scratch, context.slug)


def agreed(context: Context, event: Event) -> None:
    """accord.version.agreed, at the end of a silence or by `accord agree`."""
    from flows.usecases.silence import adopt, agree

    if event.payload.get("via") == "silence":
        adopt(context.scratch, context.slug)
    else:
        agree(context.scratch, context.slug)


def record(context: Context, event: Event) -> None:
    """Append the event as recorded: a fact from outside (refused bytes were never kept; mail was sent)."""

    def work(uow):  # type: ignore[no-untyped-def]
        declaration = uow.repo.declaration(context.slug)
        uow.append(declaration, event.type, event.actor, event.payload, event.occurred_at)

    change(context.scratch, work)


RULES: dict[str, Callable[[Context, Event], None]] = {
    "accord.declaration.created": created,
    "accord.round.opened": opened,
    "accord.submission.received": submitted,
    "accord.submission.refused": record,
    "accord.decision.refused": record,
    "accord.approval.refused": record,
    "accord.round.closed": closed,
    "accord.compilation.ready": compiled,
    "accord.decision.recorded": decided,
    "accord.version.issued": revised,
    "accord.version.approved": approved,
    "accord.version.edited": edited,
    "accord.declaration.archived": archived,
    "accord.round.deadline-reached": deadline_reached,
    "accord.silence.started": silence_started,
    "accord.silence.broken": silence_broken,
    "accord.silence.expired": silence_expired,
    "accord.version.agreed": agreed,
    # deliveries: what the outbox and the mail server did is a fact of that day, not recomputable
    "accord.submission.filed": record,
    "accord.version.routed": record,
    "accord.version.distributed": record,
    "accord.round.distributed": record,
    "accord.round.reminder-sent": record,
}
