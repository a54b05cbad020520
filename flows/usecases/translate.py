"""The translation step of a round: the secretariat's translator uploads a version's text in one language, in which
only the paragraphs pending translation into it may have changed; the concordance checks run again and those
paragraphs are aligned (issue 15). The rules are drafting.translating's; here the version is loaded, its documents
issued and stored, and the event recorded."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from drafting import identifiers
from drafting.documents import accepted_draft, body_texts
from drafting.errors import InvalidInput
from drafting.events import SourceFile
from drafting.filing import version_file
from drafting.negotiation import Translation, Version
from drafting.redline import redline_document
from drafting.translating import (
    TRANSLATOR,
    Aligned,
    Translating,
    TranslationRequest,
    TranslatorFile,
    circulated_files,
    may_upload,
    translated_content,
    version_translated,
)
from flows.adapters.files import confine
from flows.adapters.translation import Translator
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, write_file
from flows.usecases.documents import issue_versions
from flows.usecases.texts import rules_of
from storage import UnitOfWork


@dataclass(frozen=True)
class TranslatedVersion:
    version: str
    language: str
    aligned: list[str]  # paragraph numbers
    pending: str  # what is still pending, as the headers say it ("" : every language aligned)
    warnings: list[str]
    paths: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, aligned: Aligned, label: str) -> TranslatedVersion:
        """What the upload of version ``label`` aligned (its files not yet written)."""
        return cls(label, aligned.language, aligned.numbers, aligned.note, aligned.warnings)


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
    may_upload(role)
    identifiers.language(language, where="--language")
    paragraphs = body_texts(app.read(data, filename))
    file = TranslatorFile(language, filename, data, paragraphs, accept_warnings)
    done, files = change(app, lambda uow: _translate(uow, app, slug, file, role, by))
    folder = declaration_dir(app, slug)
    written = [
        write_file(app, confine(folder, "versions", name), doc) for name, doc in files.items()
    ]
    return replace(done, paths=[str(path) for path in written])


def _translate(
    uow: UnitOfWork, app: App, slug: str, file: TranslatorFile, role: str, by: str | None
) -> tuple[TranslatedVersion, dict[str, bytes]]:
    """Align the pending paragraphs in one transaction: render, store and record the version's new documents;
    what was aligned, and the files in versions/ that follow the version."""
    now, translating = app.now(), _translating(uow, slug)
    aligned = translating.align(file, rules_of(uow, translating.declaration))
    version, translations, documents = _reissue(uow, translating, aligned, now)
    source = SourceFile(blob=uow.put_blob(file.data), filename=file.filename)
    event = version_translated(
        aligned, translations, label=version.label, blob=version.blob_sha256, source=source, by=by
    )
    uow.record(translating.declaration, event, role, now)
    files = circulated_files(version, translating.first, documents)
    return TranslatedVersion.of(aligned, version.label), files


def _translating(uow: UnitOfWork, slug: str) -> Translating:
    """The declaration's current version, with its latest round."""
    declaration = uow.repo.declaration(slug)
    version = uow.repo.current_version(declaration)
    return Translating(declaration, version, uow.repo.latest_round(declaration))


def _reissue(
    uow: UnitOfWork, translating: Translating, aligned: Aligned, at: str
) -> tuple[Version, dict[str, Translation], dict[str, bytes]]:
    """Issue the version again with the upload aligned; the version, its translations and its documents by
    language."""
    label, note = translating.version.label, aligned.note
    documents = issue_versions(
        uow, translating.declaration, aligned.texts, label=label, at=at, note=note
    )
    version, translations = _store(uow, translating, aligned, documents)
    return version, translations, documents


def _store(
    uow: UnitOfWork, translating: Translating, aligned: Aligned, documents: dict[str, bytes]
) -> tuple[Version, dict[str, Translation]]:
    """Store the version's new documents and its content with the upload aligned; the version and its
    translations."""
    first, content = translating.first, translating.version.content
    blobs = {lang: uow.put_blob(documents[lang]) for lang in content.translations}
    new_content, translations = translated_content(content, aligned, blobs)
    version = uow.repo.set_version_content(
        translating.version,
        new_content,
        blob_sha256=uow.put_blob(documents[first]),
        text_sha256=aligned.texts[first].sha256,
    )
    return version, translations


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
    service = _service(app)
    with app.store.reading() as uow:
        translating = _translating(uow, slug)
        request = translating.request(language)
        document = uow.blob(translating.blob(language))
    made = service.translate(request.said, request.source, language)
    request.check(made)
    data = _redlined(app, document, request, made, first=translating.first)
    path = write_file(app, out, data, root=out.parent)
    return TranslationDraft(request.label, language, request.numbers, str(path))


def _redlined(
    app: App, document: bytes, request: TranslationRequest, made: list[str], *, first: str
) -> bytes:
    """The version's ``document`` in the request's language with the service's texts as tracked changes."""
    name = version_file(request.label, request.language, first)
    base = accepted_draft(app.read(document, name), name=name)
    texts = request.texts(made, base)
    return redline_document(document, base, texts, author="translation service", date=app.now())


def _service(app: App) -> Translator:
    """The deployment's translation service (InvalidInput: none is configured)."""
    if app.translator is None:
        raise InvalidInput(
            "--draft: no translation service is configured (accord ships none: machine translation "
            "is out of scope); translate the pending paragraphs in Word and upload the file"
        )
    return app.translator
