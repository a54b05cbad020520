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

from drafting import events as ev
from drafting.canonical import sha256_hex
from drafting.errors import IntegrityError, NotFound
from drafting.negotiation import Artifact, Event, Role
from drafting.wordml.gate import GateLimits
from drafting.wordml.models import Reading
from flows.bootstrap import App, Reader, read_upload
from flows.publish import RecordingPublisher
from flows.usecases.common import change
from storage import UnitOfWork


@dataclass
class Context:
    """The original app (read only), the scratch app being rebuilt (whose publisher records every event it
    committed), and a cache of original documents."""

    original: App
    scratch: App
    slug: str
    folder: Path
    published: RecordingPublisher
    # parse every Word file again rather than take the reading the log vouches for
    reread: bool = False
    blobs: dict[str, bytes] = field(default_factory=dict)
    preloaded: dict[str, bytes] = field(default_factory=dict)
    taken: int = 0
    # reads the files without a vouched reading (rebuild puts its read-ahead here)
    reader: Reader = read_upload
    recalled: dict[tuple[str, str], Reading] = field(default_factory=dict)

    def read(self, data: bytes, name: str, limits: GateLimits) -> Reading:
        """The scratch app's reader: the reading the log vouches for when ``recall`` gave it, else a parse."""
        reading = self.recalled.pop((sha256_hex(data), name), None)
        return reading if reading is not None else self.reader(data, name, limits)

    def recall(self, received: ev.SubmissionReceived) -> None:
        """Let the next read of this submission's file take its stored reading, whose sha256 the event records
        (checked as every original is: a reading altered in the database fails the replay here)."""
        if received.reading is None or self.reread:
            return
        try:
            reading = Reading.model_validate_json(self.blob(received.reading))
        except ValueError:
            raise IntegrityError(
                f"the stored reading {received.reading[:12]} of {received.filename} is not a reading"
            ) from None
        self.recalled[(received.blob, received.filename)] = reading

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
                raise IntegrityError(
                    f"blob {digest[:12]} does not match its hash: the stored document was altered"
                )
            self.blobs[digest] = data
        return self.blobs[digest]

    def preload(self, digests: Iterable[str]) -> None:
        """Fetch these originals in a few queries rather than one each; ``blob`` checks each hash when it is used."""
        wanted = sorted(set(digests) - set(self.blobs) - set(self.preloaded))
        with self.original.store.reading() as uow:
            self.preloaded.update(uow.blobs(wanted))

    def submitted_files(self, events: list[Event]) -> list[tuple[bytes, str]]:
        """The files the replay will submit, in order, that it will parse (for reading ahead; unchecked until
        ``blob`` is asked): those whose reading the log does not vouch for, or all of them with ``reread``."""
        received = ev.SubmissionReceived
        submitted = [received.from_payload(e.payload) for e in events if e.type == received.TYPE]
        self.preload(
            [s.blob for s in submitted] + [s.reading for s in submitted if s.reading is not None]
        )
        parsed = [s for s in submitted if s.reading is None or self.reread]
        return [(self.preloaded[s.blob], s.filename) for s in parsed if s.blob in self.preloaded]

    def replayed_events(self) -> list[Event]:
        """The events the scratch app committed since the last call (``check_log`` proves the log holds them)."""
        events = self.published.events[self.taken :]
        self.taken = len(self.published.events)
        return events

    def check_log(self) -> None:
        """The scratch database's log is exactly the events committed one by one during the replay."""
        with self.scratch.store.reading() as uow:
            stored = uow.log(uow.repo.declaration(self.slug))
        if [(e.seq, e.hash) for e in stored] != [(e.seq, e.hash) for e in self.published.events]:
            raise IntegrityError("the replayed log differs from the events its use cases committed")


def created(context: Context, event: Event) -> None:
    """accord.declaration.created: the same zero draft and parties (the version.issued follows from it)."""
    from flows.usecases.declarations import create_declaration

    created = ev.DeclarationCreated.from_payload(event.payload)
    parties = created.parties
    create_declaration(
        context.scratch,
        slug=created.slug,
        title=created.title,
        zero_draft=context.blob(created.zero_draft.original),
        zero_draft_name=created.zero_draft.filename,
        parties_csv=_parties_csv(context, parties, created.party_languages),
        parties_name="parties.csv",
        co_presidencies=[p.code for p in parties if p.role == Role.CO_PRESIDENCY],
        timezone=created.timezone,
        languages=created.languages,
        symbol=created.symbol,  # None (a log from before symbols): documents written without identity, as then
        rules=created.rules,  # None (a log from before rules): brackets numbered per revision, as then
        # the warnings accepted then are accepted again; the recomputed event must record the same ones
        translations={
            lang: (context.blob(file.original), file.filename)
            for lang, file in (created.translations or {}).items()
        },
        accept_warnings=True,
        by=created.by,
    )


def _parties_csv(
    context: Context, parties: tuple[ev.PartyEntry, ...], languages: dict[str, str] | None
) -> str:
    """The parties file as the secretariat gave it (e-mail addresses are not in the log: taken from the store)."""
    with context.original.store.reading() as uow:
        emails = {
            p.code: p.email or "" for p in uow.repo.parties(uow.repo.declaration(context.slug))
        }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # roles: the co-presidencies, given apart as at create
    writer.writerow(["code", "name", "bloc", "email", *(["language"] if languages else [])])
    for p in parties:
        language = [languages.get(p.code, "")] if languages else []
        writer.writerow([p.code, p.name, p.bloc, emails.get(p.code, ""), *language])
    return out.getvalue()


def opened(context: Context, event: Event) -> None:
    """accord.round.opened."""
    from flows.usecases.rounds import open_round

    opened = ev.RoundOpened.from_payload(event.payload)
    open_round(context.scratch, context.slug, deadline=opened.deadline, by=opened.by)


def submitted(context: Context, event: Event) -> None:
    """accord.submission.received: the party's file as received."""
    from flows.usecases.submissions import submit

    received = ev.SubmissionReceived.from_payload(event.payload)
    context.recall(received)
    submit(
        context.scratch,
        context.slug,
        party=received.party,
        data=context.blob(received.blob),
        filename=received.filename,
        by=received.by,
        received=True,
        vouch_reading=received.reading is not None,
    )


def extended(context: Context, event: Event) -> None:
    """accord.round.deadline-extended."""
    from flows.usecases.rounds import extend_deadline

    moved = ev.DeadlineExtended.from_payload(event.payload)
    extend_deadline(context.scratch, context.slug, moved.deadline, by=moved.by)


def closed(context: Context, event: Event) -> None:
    """accord.round.closed, by whoever closed it and why."""
    from flows.usecases.rounds import close_round

    closed = ev.RoundClosed.from_payload(event.payload)
    close_round(
        context.scratch, context.slug, actor=event.actor, reason=closed.reason, by=closed.by
    )


def compiled(context: Context, event: Event) -> None:
    """accord.compilation.ready: proposals, compilation.docx and the synopsis, recomputed."""
    from flows.usecases.compile import compile_round

    compile_round(context.scratch, context.slug)


def decided(context: Context, event: Event) -> None:
    """accord.decision.recorded: the co-presidency's file as received (the revision may follow)."""
    from flows.usecases.decide import decide

    recorded = ev.DecisionRecorded.from_payload(event.payload)
    decide(
        context.scratch,
        context.slug,
        party=recorded.party,
        data=context.blob(recorded.blob),
        filename=recorded.filename,
        by=recorded.by,
    )


def revised(context: Context, event: Event) -> None:
    """accord.version.issued on its own: the secretariat issued the revision without every decision."""
    from flows.usecases.decide import revise

    revise(context.scratch, context.slug)


def approved(context: Context, event: Event) -> None:
    """accord.version.approved (the circulation may follow)."""
    from flows.usecases.decide import approve

    approved = ev.VersionApproved.from_payload(event.payload)
    approve(
        context.scratch,
        context.slug,
        party=approved.party,
        pending_translation=bool(approved.pending_translation),
        by=approved.by,
    )


def translated(context: Context, event: Event) -> None:
    """accord.version.translated: the translator's file (the warnings accepted then are accepted again)."""
    from flows.usecases.translate import translate

    done = ev.VersionTranslated.from_payload(event.payload)
    translate(
        context.scratch,
        context.slug,
        language=done.language,
        data=context.blob(done.source.blob),
        filename=done.source.filename,
        accept_warnings=True,
        role=event.actor,
        by=done.by,
    )


def edited(context: Context, event: Event) -> None:
    """accord.version.edited: the secretariat's file and reason."""
    from flows.usecases.editorial import edit

    edited = ev.VersionEdited.from_payload(event.payload)
    edit(
        context.scratch,
        context.slug,
        data=context.blob(edited.source.blob),
        filename=edited.source.filename,
        reason=edited.reason,
        actor=event.actor,
    )


def archived(context: Context, event: Event) -> None:
    """accord.declaration.archived: the seal and its pages rebuilt (the PDF, made by LibreOffice, and the signature,
    made with a key replay does not hold, are taken as recorded: verify --key checks the signature; so is the
    verify.py shipped, which is accord's code of that day, not made from the records). A seal from before accord
    recorded the pages is appended as it was, with its PDF."""
    from flows.usecases.archive import archive

    pages = event.payload.get("files")
    if not isinstance(pages, dict):  # before seals recorded pages, "files" was a count
        _old_seal(context, event)
        return
    sealed = ev.DeclarationArchived.from_payload(event.payload)
    pdf, signature = sealed.pdf, sealed.signature
    shipped = pages.get("verify.py")
    archive(
        context.scratch,
        context.slug,
        context.folder / f"bundle-{event.seq}.zip",
        convert=lambda _docx: context.blob(pdf) if pdf else None,
        signer=(lambda _message: signature) if signature else None,
        verifier=context.blob(shipped) if shipped else None,
        by=sealed.by,
        convert_in=lambda language, _docx: _recorded_pdf(context, pages, language),
    )


def _recorded_pdf(context: Context, pages: dict[str, str], language: str) -> bytes | None:
    """The PDF of the agreed text in ``language`` as the seal recorded it (None: none recorded)."""
    found = (digest for name, digest in pages.items() if name.endswith(f".{language}.pdf"))
    digest = next(found, None)
    return None if digest is None else context.blob(digest)


def _old_seal(context: Context, event: Event) -> None:
    """A seal from before pages were recorded, appended as it was, with its PDF kept as then."""
    change(context.scratch, lambda uow: _append_old_seal(uow, context, event))


def _append_old_seal(uow: UnitOfWork, context: Context, event: Event) -> None:
    from flows.usecases.history import safe_name

    declaration = uow.repo.declaration(context.slug)
    label, pdf = event.payload["version"], event.payload.get("pdf")
    if pdf:
        uow.repo.add_artifact(
            declaration,
            Artifact(
                kind="archive-pdf",
                name=f"{safe_name(context.slug)}-{safe_name(label)}.pdf",
                blob_sha256=uow.put_blob(context.blob(pdf), "application/pdf"),
                created_at=event.occurred_at,
                version=uow.repo.version(declaration, label).number,
            ),
        )
    uow.append(declaration, event.type, event.actor, event.payload, event.occurred_at)


def deadline_reached(context: Context, event: Event) -> None:
    """accord.round.deadline-reached."""
    from flows.usecases.deadlines import reach_deadline

    reach_deadline(
        context.scratch, context.slug, ev.DeadlineReached.from_payload(event.payload).round
    )


def silence_started(context: Context, event: Event) -> None:
    """accord.silence.started."""
    from flows.usecases.silence import start_silence

    started = ev.SilenceStarted.from_payload(event.payload)
    start_silence(context.scratch, context.slug, started.until, by=started.by)


def silence_broken(context: Context, event: Event) -> None:
    """accord.silence.broken."""
    from flows.usecases.silence import object_to

    broken = ev.SilenceBroken.from_payload(event.payload)
    object_to(context.scratch, context.slug, party=broken.party, reason=broken.reason, by=broken.by)


def silence_expired(context: Context, event: Event) -> None:
    """accord.silence.expired."""
    from flows.usecases.silence import expire

    expire(context.scratch, context.slug)


def agreed(context: Context, event: Event) -> None:
    """accord.version.agreed, at the end of a silence or by `accord agree`."""
    from flows.usecases.silence import adopt, agree

    agreement = ev.VersionAgreed.from_payload(event.payload)
    if agreement.via == "silence":
        adopt(context.scratch, context.slug)
    else:
        agree(context.scratch, context.slug, by=agreement.by)


def record(context: Context, event: Event) -> None:
    """Append the event as recorded: a fact from outside (refused bytes were never kept; mail was sent)."""

    def work(uow: UnitOfWork) -> None:
        declaration = uow.repo.declaration(context.slug)
        uow.append_as_recorded(declaration, event)

    change(context.scratch, work)


def only_with_its_cause(context: Context, event: Event) -> None:
    """An event a use case appends only after another in the same transaction (a circulation after the approval
    that completes it): met on its own, the log lost its cause."""
    raise IntegrityError("no event before it appends it; the log lost the event that caused it")


Rule = Callable[[Context, Event], None]

RULES: dict[type[ev.DomainEvent], Rule] = {
    ev.DeclarationCreated: created,
    ev.RoundOpened: opened,
    ev.SubmissionReceived: submitted,
    ev.SubmissionRefused: record,
    ev.DecisionRefused: record,
    ev.ApprovalRefused: record,
    ev.DeadlineExtended: extended,
    ev.RoundClosed: closed,
    ev.CompilationReady: compiled,
    ev.DecisionRecorded: decided,
    ev.VersionIssued: revised,
    ev.VersionApproved: approved,
    ev.VersionEdited: edited,
    ev.VersionTranslated: translated,
    ev.DeclarationArchived: archived,
    ev.DeadlineReached: deadline_reached,
    ev.SilenceStarted: silence_started,
    ev.SilenceBroken: silence_broken,
    ev.SilenceExpired: silence_expired,
    ev.VersionAgreed: agreed,
    # What follows is never re-derived: a circulation comes with the approval that completes it, and deliveries
    # (what the outbox and the mail server did) are facts of that day, not recomputable.
    ev.VersionCirculated: only_with_its_cause,
    ev.SubmissionFiled: record,
    ev.VersionRouted: record,
    ev.VersionDistributed: record,
    ev.RoundDistributed: record,
    ev.ReminderSent: record,
}


def rule(event: Event) -> Rule | None:
    """The rule that re-runs a stored event, or None for a type accord never wrote."""
    kind = ev.EVENTS.get(event.type)
    return RULES.get(kind) if kind else None
