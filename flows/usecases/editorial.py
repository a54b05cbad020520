"""Editorial changes: the secretariat edits the text openly, as a new draft version the co-presidencies approve.

The edit is recorded like a revision, with lineage operations marked editorial and the reason given, so that
blame shows it as ``editorial`` rather than ``untraceable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting import lifecycle
from drafting.bilingual import in_step, pending_note
from drafting.canonical import canonical_json, sha256_hex
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.events import SourceFile, VersionEdited
from drafting.negotiation import (
    SECRETARIAT,
    Declaration,
    EditorialNote,
    Translation,
    Version,
    VersionContent,
    VersionState,
    version_label,
)
from drafting.provenance import editorial_operations, history_fields, kept_in_step, mark_editorial
from drafting.revising import issued_translations
from drafting.revision import lineage, next_revision
from drafting.text import DraftText
from flows.bootstrap import App
from flows.usecases.common import change
from flows.usecases.documents import issue_version
from flows.usecases.texts import version_text
from storage import UnitOfWork


@dataclass(frozen=True)
class EditedVersion:
    version: str
    parent: str
    operations: int
    text_sha256: str


def edit(
    app: App, slug: str, *, data: bytes, filename: str, reason: str, actor: str = SECRETARIAT
) -> EditedVersion:
    """Record the secretariat's editorial change: the file's text becomes a new draft version of the declaration."""
    if actor != SECRETARIAT:
        raise Forbidden(
            f"{actor} may not make editorial changes: only the secretariat does, and it says why"
        )
    if not reason.strip():
        raise InvalidInput(
            "--reason is empty; say why the text changes (it goes into the record and into blame)"
        )
    reading = app.read(data, filename)
    texts = [p.text_accepted for p in reading.paragraphs if p.container == "body"]
    return change(app, lambda uow: _edit(uow, app, slug, data, filename, texts, reason.strip()))


def _edit(
    uow: UnitOfWork, app: App, slug: str, data: bytes, filename: str, texts: list[str], reason: str
) -> EditedVersion:
    now = app.now()
    declaration = uow.repo.declaration(slug)
    current = uow.repo.current_version(declaration)
    _check_state(uow.repo.latest_round(declaration), uow.repo.get_version(declaration, current))
    base = version_text(current)
    ops = editorial_operations(base, texts)
    if not ops:
        raise InvalidInput(
            f"{filename}: its text is the text of {current.label}; there is no change to record"
        )
    revised, placed = next_revision(base, ops)
    text = _keep_statuses(base, revised)
    label = version_label(current.number + 1)
    translations, pending, note = _in_step(uow, declaration, current, base, text, label, now)
    document = issue_version(uow, declaration, text, label=label, at=now, note=note)
    digest, source = uow.put_blob(document), uow.put_blob(data)
    record = mark_editorial(lineage(placed), reason)
    several: dict[str, Any] = (
        {"translations": translations, "pending": pending} if translations else {}
    )
    uow.repo.add_version(
        declaration,
        number=current.number + 1,
        label=label,
        parent=current,
        blob_sha256=digest,
        text_sha256=text.sha256,
        state=VersionState.DRAFT,
        created_at=now,
        content=VersionContent(
            text=text,
            lineage=record,
            round=None,
            editorial=EditorialNote(reason=reason, source=source, filename=filename),
            **several,
        ),
    )
    edited = VersionEdited(
        version=label,
        number=current.number + 1,
        parent=current.label,
        blob=digest,
        text_sha256=text.sha256,
        paragraphs=len(text.paragraphs),
        reason=reason,
        source=SourceFile(blob=source, filename=filename),
        operations=len(record),
        lineage_sha256=sha256_hex(canonical_json(record)),
        translations=issued_translations(translations) or None,
        pending=tuple(pending) if translations else None,
    )
    uow.record(declaration, edited, SECRETARIAT, now)
    return EditedVersion(label, current.label, len(record), text.sha256)


def _in_step(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Version,
    base: DraftText,
    text: DraftText,
    label: str,
    now: str,
) -> tuple[dict[str, Translation], list[str], str]:
    """In several languages, the edited version's texts in the others: the paragraphs the secretariat changed
    become pending translation there (with its own text until translated); nothing in one language."""
    content = current.content
    if not content.translations:
        return {}, [], ""
    first = declaration.first_language
    old = {first: base} | {lang: t.text for lang, t in content.translations.items()}
    new = {first: text} | {lang: t.text for lang, t in content.translations.items()}
    texts, pending = in_step(
        old, new, {first: content.pending} | {k: t.pending for k, t in content.translations.items()}
    )
    note = pending_note(text, {k: v for k, v in pending.items() if v})
    translations = {
        lang: Translation(
            text=texts[lang],
            template=t.template,
            pending=pending[lang],
            blob=uow.put_blob(
                issue_version(
                    uow, declaration, texts[lang], label=label, at=now, language=lang, note=note
                )
            ),
            **history_fields([], kept_in_step(t.text, texts[lang], first)),
        )  # the edit's words, until translated
        for lang, t in content.translations.items()
    }
    return translations, pending[first], note


def _check_state(latest: lifecycle.Round | None, version: lifecycle.Version) -> None:
    slug = version.declaration
    if latest is not None and (latest.is_open or latest.awaiting_decisions()):
        raise WrongState(
            f"round {latest.number} of {slug!r} is {latest.state} and not yet decided; "
            "edit between rounds, once its revision is issued"
        )
    if version.state in (VersionState.SILENCE, VersionState.AGREED):
        raise WrongState(
            f"{version.label} of {slug!r} is {version.state}; its text is bound to its hash and cannot "
            "be edited"
        )


def _keep_statuses(base: DraftText, revised: DraftText) -> DraftText:
    """An editorial change does not change a paragraph's negotiation status (bracketed stays bracketed)."""
    prior = {p.key: p.status for p in base.paragraphs}
    return DraftText(
        paragraphs=[
            p.model_copy(update={"status": prior.get(p.key, p.status)}) for p in revised.paragraphs
        ]
    )
