"""Receive a party's Word file: gate, read, flag, store; idempotent, superseding, late files kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafting.canonical import sha256_hex
from drafting.errors import RefusedFile, WrongState
from drafting.events import SubmissionReceived, SubmissionRefused
from drafting.intake import check_work, received_flags, same_file, submission_summary
from drafting.languages import base_language
from drafting.negotiation import Submission, SubmissionFlag
from drafting.resemblance import check_made_on
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
        reading = app.read(data, filename)
        drafts = _drafts(app, slug, older=not received)
        language = None
        if drafts is not None:
            label, texts, languages = drafts
            check_work(reading, base_paragraphs=len(texts[label]), name=filename)
            if len(languages) > 1:  # which language's text the file was made on: by alignment
                made_on = [p.text_rejected for p in reading.paragraphs if p.container == "body"]
                language = base_language(made_on, languages, name=filename, party=party)
            if not received:
                check_made_on(
                    [p.text_rejected for p in reading.paragraphs], texts, base=label, name=filename
                )
    except RefusedFile as refusal:
        _log_refusal(
            app, slug, party=party, data=data, filename=filename, reason=str(refusal), by=by
        )
        raise
    return change(
        app,
        lambda uow: _record(
            uow, app, slug, party, data, filename, reading, by, language, vouch_reading
        ),
    )


def _record(
    uow: UnitOfWork,
    app: App,
    slug: str,
    code: str,
    data: bytes,
    filename: str,
    reading: Reading,
    by: str | None = None,
    language: str | None = None,
    vouch_reading: bool = True,
) -> Receipt:
    """Store the file and its reading and record SubmissionReceived (the same current file again: a no-op)."""
    now = app.now()
    declaration = uow.repo.declaration(slug)
    party = uow.repo.party(declaration, code)
    current = uow.repo.latest_round(declaration)
    if current is None:
        raise WrongState(
            f"{slug!r} has no round yet; the secretariat opens one with `accord round open {slug}`"
        )
    digest = sha256_hex(data)
    previous = uow.repo.party_submissions(current, code)
    again = same_file(previous, digest)  # an earlier file again becomes current (a new event)
    if again is not None:
        return Receipt(again.id, current.number, code, digest, duplicate=True)
    late = current.is_late(now)
    flags = received_flags(
        reading,
        declaration=slug,
        version=uow.repo.version(declaration, current.base_version).label,
        party=party,
        works_in=party.language or declaration.first_language,
        language=language,
        late=(now, current.deadline or current.closed_at) if late else None,
    )
    superseded = [row.id for row in previous if row.status == "current"]
    parsed = _store_file(uow, app, data, reading)
    row = uow.repo.add_submission(  # supersedes the party's earlier ones in the round
        current,
        code,
        blob_sha256=digest,
        filename=filename,
        received_at=now,
        late=late,
        flags=flags,
        summary=submission_summary(reading, parsed, language),
    )
    received = SubmissionReceived(
        round=current.number,
        party=code,
        submission=row.id,
        blob=digest,
        filename=filename,
        late=late,
        superseded=tuple(superseded),
        flags=tuple(f.code for f in flags),
        by=by,
        language=language,
        reading=parsed if vouch_reading else None,
    )
    uow.record(declaration, received, code, now)
    return Receipt(row.id, current.number, code, digest, False, late, superseded, flags, language)


def _store_file(uow: UnitOfWork, app: App, data: bytes, reading: Reading) -> str:
    """Store the file and its reading; the reading's digest."""
    uow.put_blob(data)
    # The reading is kept beside the file, so compiling 60 submissions does not parse 60 Word files again.
    parsed = uow.put_blob(reading.model_dump_json().encode(), READING_JSON)
    app.readings.keep(parsed, reading)
    return parsed


def _drafts(
    app: App, slug: str, *, older: bool
) -> tuple[str, dict[str, list[str]], dict[str, list[str]]] | None:
    """The latest round's base label; the paragraph texts of it and (``older``) of every older version a file may
    be made on, in each of their languages ("Rev.1 (es)" for a further one); and the base's texts by language, the
    first first (None: no such declaration or round; _record says so)."""
    with app.store.reading() as uow:
        declaration = uow.repo.find_declaration(slug)
        current = uow.repo.latest_round(declaration) if declaration is not None else None
        if declaration is None or current is None:
            return None
        first = declaration.first_language
        base = uow.repo.version(declaration, current.base_version)
        versions = uow.repo.versions(declaration) if older else [base]
        texts: dict[str, list[str]] = {}
        for v in versions:
            if v.number <= base.number:
                for lang, text in texts_by_language(v, first).items():
                    texts[v.label if lang == first else f"{v.label} ({lang})"] = [
                        p.text for p in text.paragraphs
                    ]
        return (
            base.label,
            texts,
            {
                lang: [p.text for p in t.paragraphs]
                for lang, t in texts_by_language(base, first).items()
            },
        )


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
