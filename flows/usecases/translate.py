"""The translation step of a round: the secretariat's translator uploads a version's text in one language, in which
only the paragraphs pending translation into it may have changed; the concordance checks run again and those
paragraphs are aligned (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafting import identifiers
from drafting.access import TRANSLATING_ROLES, AccountRole
from drafting.bilingual import pending_by_language
from drafting.documents import accepted_draft, body_texts
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.events import SourceFile
from drafting.negotiation import Declaration, Version, VersionState
from drafting.redline import redline_document
from drafting.text import DraftText
from drafting.translating import (
    Upload,
    align,
    numbers,
    translated_content,
    version_texts,
    version_translated,
)
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, write_file
from flows.usecases.documents import issue_versions
from flows.usecases.texts import rules_of
from storage import UnitOfWork

TRANSLATOR = (
    AccountRole.TRANSLATOR.value
)  # the actor of a translation in the log: the secretariat's translator
ROLES = tuple(
    sorted(role.value for role in TRANSLATING_ROLES)
)  # who may upload one (drafting.access)


@dataclass(frozen=True)
class TranslatedVersion:
    version: str
    language: str
    aligned: list[str]  # paragraph numbers
    pending: str  # what is still pending, as the headers say it ("" : every language aligned)
    warnings: list[str]
    paths: list[str]


def translate(
    app: App,
    slug: str,
    *,
    language: str,
    data: bytes,
    filename: str,
    accept_warnings: bool = False,
    role: str = TRANSLATOR,
    by: str | None = None,
) -> TranslatedVersion:
    """Take the translator's file as the current version's text in ``language``: only paragraphs pending
    translation into it may differ; the concordance is checked again; those paragraphs become aligned."""
    if role not in ROLES:
        raise Forbidden(
            f"--role {identifiers.shown(role)} may not upload a translation: the secretariat's "
            f"translator does (--role {TRANSLATOR})"
        )
    identifiers.language(language, where="--language")
    texts = body_texts(app.read(data, filename))
    files: dict[str, bytes] = {}
    result = change(
        app,
        lambda uow: _translate(
            uow, app, slug, language, data, filename, texts, accept_warnings, files, role, by
        ),
    )
    folder = declaration_dir(app, slug)
    paths = [
        str(write_file(app, confine(folder, "versions", name), document))
        for name, document in files.items()
    ]
    return TranslatedVersion(**{**result.__dict__, "paths": paths})


def _translate(
    uow: UnitOfWork,
    app: App,
    slug: str,
    language: str,
    data: bytes,
    filename: str,
    uploaded: list[str],
    accept_warnings: bool,
    files: dict[str, bytes],
    role: str,
    by: str | None,
) -> TranslatedVersion:
    """Align the pending paragraphs in one transaction: render, store and record the version's new documents."""
    now = app.now()
    declaration = uow.repo.declaration(slug)
    row = uow.repo.current_version(declaration)
    first, content = declaration.first_language, row.content
    _check(row, declaration, language, version_texts(content, first), uow)
    rules = rules_of(uow, declaration)
    upload = Upload(slug, row.label, language, filename, uploaded, accept_warnings, rules)
    aligned = align(content, first, upload)
    documents = issue_versions(
        uow, declaration, aligned.texts, label=row.label, at=now, note=aligned.note
    )
    blobs = {lang: uow.put_blob(documents[lang]) for lang in content.translations}
    new_content, translations = translated_content(content, aligned, blobs)
    row = uow.repo.set_version_content(
        row,
        new_content,
        blob_sha256=uow.put_blob(documents[first]),
        text_sha256=aligned.texts[first].sha256,
    )
    source = SourceFile(blob=uow.put_blob(data), filename=filename)
    event = version_translated(
        aligned, translations, label=row.label, blob=row.blob_sha256, source=source, by=by
    )
    uow.record(declaration, event, role, now)
    if row.state != VersionState.DRAFT.value:  # a circulated version's files in versions/ follow it
        files.update(
            {
                f"{row.label}.docx" if lang == first else f"{row.label}.{lang}.docx": document
                for lang, document in documents.items()
            }
        )
    return TranslatedVersion(
        version=row.label,
        language=language,
        aligned=aligned.numbers,
        pending=aligned.note,
        warnings=aligned.warnings,
        paths=[],
    )


def _check(
    row: Version,
    declaration: Declaration,
    language: str,
    texts: dict[str, DraftText],
    uow: UnitOfWork,
) -> None:
    if language not in texts:
        raise InvalidInput(
            f"--language {language}: {declaration.slug!r} is negotiated in "
            f"{', '.join(texts)}; translate into one of them"
        )
    if row.state not in (VersionState.DRAFT.value, VersionState.CIRCULATED.value):
        raise WrongState(
            f"{row.label} of {declaration.slug!r} is {row.state}; its text no longer changes"
        )
    latest = uow.repo.latest_round(declaration)
    if latest is not None and latest.is_open:
        raise WrongState(
            f"round {latest.number} of {declaration.slug!r} is open on {row.label}; translate before "
            "a round opens, or after it closes"
        )


@dataclass(frozen=True)
class TranslationDraft:
    version: str
    language: str
    paragraphs: list[str]  # paragraph numbers the service translated
    path: str


def draft_translation(app: App, slug: str, *, language: str, out: Path) -> TranslationDraft:
    """Ask the deployment's translation service (none is shipped) for the paragraphs of the current version
    pending translation into ``language``; write them as tracked changes on its document there, for the
    secretariat's translator to review and upload with `accord translate`. Records nothing."""
    identifiers.language(language, where="--language")
    if app.translator is None:
        raise InvalidInput(
            "--draft: no translation service is configured (accord ships none: machine translation "
            "is out of scope); translate the pending paragraphs in Word and upload the file"
        )
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        row = uow.repo.current_version(declaration)
        first, content = declaration.first_language, row.content
        texts = {first: content.text} | {lang: t.text for lang, t in content.translations.items()}
        _check(row, declaration, language, texts, uow)
        waiting = set(pending_by_language(first, content).get(language, []))
        document = uow.blob(
            row.blob_sha256 if language == first else content.translations[language].blob
        )
        label = row.label
    if not waiting:
        raise WrongState(
            f"{label} of {slug!r} has no paragraph pending translation into {language}; "
            "there is nothing to translate"
        )
    source = next(lang for lang in texts if lang != language)
    keys = [p.key for p in texts[language].paragraphs if p.key in waiting]
    said = {p.key: p.text for p in texts[source].paragraphs}
    made = app.translator.translate([said[k] for k in keys], source, language)
    if len(made) != len(keys) or not all(isinstance(t, str) for t in made):
        raise InvalidInput(
            f"--draft: the translation service gave {len(made)} texts for {len(keys)} paragraphs; "
            "nothing was written"
        )
    name = f"{label}.{language}.docx"
    base = accepted_draft(app.read(document, name), name=name)
    new = dict(zip(keys, made, strict=True))
    texts_out = [
        new.get(own.key, p.text)
        for own, p in zip(texts[language].paragraphs, base.paragraphs, strict=True)
    ]
    data = redline_document(document, base, texts_out, author="translation service", date=app.now())
    path = write_file(app, out, data, root=out.parent)
    return TranslationDraft(
        label,
        language,
        numbers([p.key for p in texts[language].paragraphs], waiting).split(", "),
        str(path),
    )
