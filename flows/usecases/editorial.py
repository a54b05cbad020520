"""Editorial changes: the secretariat edits the text openly, as a new draft version the co-presidencies approve.

The edit is recorded like a revision, with lineage operations marked editorial and the reason given, so that
blame shows it as ``editorial`` rather than ``untraceable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from drafting.documents import body_texts
from drafting.editing import (
    Edit,
    check_editable,
    check_editor,
    edited_content,
    edited_text,
    kept_in_step_with,
    kept_translations,
    version_edited,
)
from drafting.negotiation import SECRETARIAT, Declaration, Translation, Version, version_label
from drafting.text import DraftText
from flows.bootstrap import App
from flows.usecases.common import change
from flows.usecases.documents import add_draft, issue_version
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
    check_editor(actor, reason)
    given = Edit(data, filename, body_texts(app.read(data, filename)), reason.strip())
    return change(app, lambda uow: _edit(uow, app, slug, given))


def _edit(uow: UnitOfWork, app: App, slug: str, given: Edit) -> EditedVersion:
    """The edited text, its documents rendered and stored, the draft version added and VersionEdited recorded."""
    now = app.now()
    declaration = uow.repo.declaration(slug)
    current = _editable(uow, declaration)
    edited = edited_text(current.content.text, given, current.label)
    number, label = current.number + 1, version_label(current.number + 1)
    translations, pending, note = _in_step(uow, declaration, current, edited.text, label, now)
    document = issue_version(uow, declaration, edited.text, label=label, at=now, note=note)
    digest, source = uow.put_blob(document), uow.put_blob(given.data)
    content = edited_content(edited, given, source, translations, pending)
    add_draft(uow, declaration, current, number=number, blob=digest, content=content, at=now)
    event = version_edited(content, number=number, parent=current.label, blob=digest)
    uow.record(declaration, event, SECRETARIAT, now)
    return EditedVersion(label, current.label, event.operations, event.text_sha256)


def _editable(uow: UnitOfWork, declaration: Declaration) -> Version:
    """The current version, once its text may be edited (between rounds, not bound to its hash)."""
    current = uow.repo.current_version(declaration)
    check_editable(uow.repo.latest_round(declaration), uow.repo.get_version(declaration, current))
    return current


def _in_step(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Version,
    text: DraftText,
    label: str,
    now: str,
) -> tuple[dict[str, Translation], list[str], str]:
    """In several languages, the edited version's texts in the others, their documents stored: the paragraphs the
    secretariat changed become pending translation there (with its own text until translated); nothing in one
    language."""
    content, first = current.content, declaration.first_language
    if not content.translations:
        return {}, [], ""
    kept = kept_in_step_with(content, first, text)
    issue = partial(issue_version, uow, declaration, label=label, at=now)
    blobs = {
        lang: uow.put_blob(issue(kept.texts[lang], language=lang, note=kept.note))
        for lang in content.translations
    }
    return kept_translations(content, first, kept, blobs), kept.pending[first], kept.note
