"""Receive a party's Word file: gate, read, flag, store; idempotent, superseding, late files kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafting.canonical import sha256_hex
from drafting.errors import RefusedFile, WrongState
from drafting.events import SubmissionRefused
from drafting.intake import Drafts, Receiving, Upload, submission_received
from drafting.negotiation import Submission, SubmissionFlag
from drafting.wordml.models import Reading
from flows.bootstrap import App
from flows.usecases.common import change, log_refusal
from flows.usecases.texts import texts_by_language
from storage import UnitOfWork

READING_JSON = "application/vnd.accord.reading+json"


def stored_reading(app: App, uow: UnitOfWork, digest: str) -> Reading:
    """The reading stored under ``digest`` (see ``READING_JSON``), from the app's cache of readings if it is there."""
    readings = app.readings
    reading = readings.recall(digest)
    return (
        reading
        if reading is not None
        else readings.keep(digest, Reading.model_validate_json(uow.blob(digest)))
    )


def submission_reading(app: App, uow: UnitOfWork, submission: Submission) -> Reading:
    """The reading stored at submission (parsing again only for submissions stored before readings were kept)."""
    stored = submission.summary.reading
    if stored:
        return stored_reading(app, uow, stored)
    return app.read(uow.blob(submission.blob_sha256), submission.filename)


@dataclass(frozen=True)
class Receipt:
    submission: int
    round: int
    party: str
    sha256: str
    duplicate: bool = False
    late: bool = False
    superseded: list[int] = field(default_factory=list)
    flags: list[SubmissionFlag] = field(default_factory=list)
    language: str | None = None  # the text it was made on (None: a declaration in one language)

    @classmethod
    def of(cls, stored: Submission, superseded: list[int]) -> Receipt:
        """The receipt of a submission just stored."""
        return cls(
            stored.id,
            stored.round,
            stored.party,
            stored.blob_sha256,
            late=stored.late,
            superseded=superseded,
            flags=list(stored.flags),
            language=stored.summary.language,
        )


def submit(
    app: App,
    slug: str,
    *,
    party: str,
    data: bytes,
    filename: str,
    by: str | None = None,
    received: bool = False,
    vouch_reading: bool = True,
) -> Receipt:
    """Record a party's file for the latest round; a refused file is logged and raised with its reason.
    ``by`` names who acted for the party through the portal (``account:7``, ``token:3``): kept in the payload.
    ``received``: replay of a file the log says was received; logs older than the made-on check replay as they were.
    ``vouch_reading``: the event records the reading's sha256 (False: replay of a log from before it did)."""
    try:
        upload = _read(app, slug, party, data, filename, received=received)
    except RefusedFile as refusal:
        _log_refusal(
            app, slug, party=party, data=data, filename=filename, reason=str(refusal), by=by
        )
        raise
    return change(app, lambda uow: _record(uow, app, slug, party, upload, by, vouch_reading))


def _read(app: App, slug: str, party: str, data: bytes, filename: str, *, received: bool) -> Upload:
    """The file read and checked against the round's drafts (``received``: replayed as the log says it was)."""
    reading = app.read(data, filename)
    drafts = _drafts(app, slug, older=not received)
    if drafts is None:  # no such declaration or round: _record says so
        return Upload(filename, data, reading)
    language = drafts.check(reading, name=filename, party=party, made_on=not received)
    return Upload(filename, data, reading, language)


def _record(
    uow: UnitOfWork,
    app: App,
    slug: str,
    code: str,
    upload: Upload,
    by: str | None = None,
    vouch_reading: bool = True,
) -> Receipt:
    """Store the file and its reading and record SubmissionReceived (the same current file again: a no-op)."""
    now, digest = app.now(), upload.sha256
    receiving = _receiving(uow, slug, code)
    again = receiving.same_file(digest)  # an earlier file again becomes current (a new event)
    if again is not None:
        return Receipt(again.id, receiving.round.number, code, digest, duplicate=True)
    parsed = _store_file(uow, app, upload)
    received = receiving.receive(upload, parsed, now)
    # the repository numbers it, and marks the party's earlier submissions in the round superseded
    stored = uow.repo.add_submission(receiving.round, received)
    vouched = parsed if vouch_reading else None
    event = submission_received(stored, received.superseded, by=by, reading=vouched)
    uow.record(receiving.declaration, event, code, now)
    return Receipt.of(stored, received.superseded)


def _receiving(uow: UnitOfWork, slug: str, code: str) -> Receiving:
    """Who sends a file for which round of which declaration (WrongState before the first round)."""
    declaration = uow.repo.declaration(slug)
    party = uow.repo.party(declaration, code)
    current = uow.repo.latest_round(declaration)
    if current is None:
        raise WrongState(
            f"{slug!r} has no round yet; the secretariat opens one with `accord round open {slug}`"
        )
    return Receiving(declaration, party, current, uow.repo.party_submissions(current, code))


def _store_file(uow: UnitOfWork, app: App, upload: Upload) -> str:
    """Store the file and its reading; the reading's digest."""
    uow.put_blob(upload.data)
    # The reading is kept beside the file, so compiling 60 submissions does not parse 60 Word files again.
    parsed = uow.put_blob(upload.reading.model_dump_json().encode(), READING_JSON)
    app.readings.keep(parsed, upload.reading)
    return parsed


def _drafts(app: App, slug: str, *, older: bool) -> Drafts | None:
    """The texts a file for the latest round may be made on: its base and (``older``) every older version, in each
    of their languages (None: no such declaration or round; _record says so)."""
    with app.store.reading() as uow:
        declaration = uow.repo.find_declaration(slug)
        current = uow.repo.latest_round(declaration) if declaration is not None else None
        if declaration is None or current is None:
            return None
        first = declaration.first_language
        base = uow.repo.version(declaration, current.base_version)
        versions = uow.repo.versions(declaration) if older else [base]
        texts = {v.label: texts_by_language(v, first) for v in versions if v.number <= base.number}
        return Drafts.of(base.label, texts, first)


def _log_refusal(
    app: App,
    slug: str,
    *,
    party: str,
    data: bytes,
    filename: str,
    reason: str,
    by: str | None = None,
) -> None:
    """The hostile bytes themselves are not stored, only their hash and size."""
    refused = SubmissionRefused(
        party=party,
        filename=filename,
        sha256=sha256_hex(data),
        size=len(data),
        reason=reason,
        by=by,
    )
    log_refusal(app, slug, party, refused)
