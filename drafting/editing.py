"""The secretariat's editorial change as values: who may make one and when, the edited text (its operations marked
editorial with the reason; no paragraph's negotiation status changed), in several languages the other texts kept
in step with it, and what the new draft version records (its content and VersionEdited). The edit use case loads
the current version and renders, stores and records; nothing here touches a log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting.bilingual import in_step, pending_note
from drafting.canonical import canonical_json, sha256_hex
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.events import SourceFile, VersionEdited
from drafting.lifecycle import Round, Version
from drafting.negotiation import (
    SECRETARIAT,
    EditorialNote,
    Translation,
    VersionContent,
    VersionState,
    version_label,
)
from drafting.provenance import editorial_operations, history_fields, kept_in_step, mark_editorial
from drafting.revising import issued_translations
from drafting.revision import lineage, next_revision
from drafting.text import DraftText


@dataclass(frozen=True)
class Edit:
    """The secretariat's editorial change: the file given, its body paragraphs (tracked changes accepted), why."""

    data: bytes
    filename: str
    paragraphs: list[str]
    reason: str


@dataclass(frozen=True)
class Edited:
    """The edited text in the first language and its lineage record (each operation editorial, with the reason)."""

    text: DraftText
    record: list[dict[str, Any]]


@dataclass(frozen=True)
class KeptInStep:
    """In several languages, each text after the edit (the paragraphs the secretariat changed hold its words in
    the others until translated), the paragraphs pending translation in each, and the note documents carry."""

    texts: dict[str, DraftText]
    pending: dict[str, list[str]]
    note: str


def check_editor(actor: str, reason: str) -> None:
    """Only the secretariat makes editorial changes, and it says why."""
    if actor != SECRETARIAT:
        raise Forbidden(
            f"{actor} may not make editorial changes: only the secretariat does, and it says why"
        )
    if not reason.strip():
        raise InvalidInput(
            "--reason is empty; say why the text changes (it goes into the record and into blame)"
        )


def check_editable(latest: Round | None, version: Version) -> None:
    """The text is edited between rounds, and never once its text is bound to its hash (silence, agreed)."""
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


def edited_text(base: DraftText, edit: Edit, label: str) -> Edited:
    """Version ``label``'s text (``base``) as the edit changes it; InvalidInput when it changes nothing."""
    ops = editorial_operations(base, edit.paragraphs)
    if not ops:
        raise InvalidInput(
            f"{edit.filename}: its text is the text of {label}; there is no change to record"
        )
    revised, placed = next_revision(base, ops)
    return Edited(keep_statuses(base, revised), mark_editorial(lineage(placed), edit.reason))


def keep_statuses(base: DraftText, revised: DraftText) -> DraftText:
    """An editorial change does not change a paragraph's negotiation status (bracketed stays bracketed)."""
    prior = {p.key: p.status for p in base.paragraphs}
    return DraftText(
        paragraphs=[
            p.model_copy(update={"status": prior.get(p.key, p.status)}) for p in revised.paragraphs
        ]
    )


def kept_in_step_with(content: VersionContent, first: str, text: DraftText) -> KeptInStep:
    """The version's texts in every language once the first is edited into ``text``: what the secretariat changed
    becomes pending translation in the others (``content``: the edited version's, in several languages)."""
    others = {lang: t.text for lang, t in content.translations.items()}
    texts, pending = in_step(
        {first: content.text} | others,
        {first: text} | others,
        {first: content.pending} | {k: t.pending for k, t in content.translations.items()},
    )
    return KeptInStep(texts, pending, pending_note(text, {k: v for k, v in pending.items() if v}))


def kept_translations(
    content: VersionContent, first: str, kept: KeptInStep, blobs: dict[str, str]
) -> dict[str, Translation]:
    """The languages after the first as the edited version stores them (``blobs``: their new documents); each
    owes the edit's words, until translated, to keeping in step."""
    return {
        lang: Translation(
            text=kept.texts[lang],
            template=t.template,
            pending=kept.pending[lang],
            blob=blobs[lang],
            **history_fields([], kept_in_step(t.text, kept.texts[lang], first)),
        )
        for lang, t in content.translations.items()
    }


def edited_content(
    edited: Edited,
    edit: Edit,
    source: str,
    translations: dict[str, Translation],
    pending: list[str],
) -> VersionContent:
    """What the edited version records: its text, its editorial lineage, why and from which file (``source``: its
    sha256), and in several languages its translations and what is pending in the first."""
    several: dict[str, Any] = (
        {"translations": translations, "pending": pending} if translations else {}
    )
    return VersionContent(
        text=edited.text,
        lineage=edited.record,
        round=None,
        editorial=EditorialNote(reason=edit.reason, source=source, filename=edit.filename),
        **several,
    )


def version_edited(
    content: VersionContent, *, number: int, parent: str, blob: str
) -> VersionEdited:
    """The event that records the edited version ``number`` made from ``parent`` (``content``: as
    ``edited_content`` made it; ``blob``: its document in the first language)."""
    note, text = content.editorial, content.text
    assert note is not None, "an edited version records its editorial note"
    return VersionEdited(
        version=version_label(number),
        number=number,
        parent=parent,
        blob=blob,
        text_sha256=text.sha256,
        paragraphs=len(text.paragraphs),
        reason=note.reason,
        source=SourceFile(blob=note.source, filename=note.filename),
        operations=len(content.lineage),
        lineage_sha256=sha256_hex(canonical_json(content.lineage)),
        translations=issued_translations(content.translations) or None,
        pending=tuple(content.pending) if content.translations else None,
    )
