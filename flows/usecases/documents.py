"""The documents accord issues for a declaration, each saying on every page what it is (symbol, version, date,
status, page X of Y), written from the log's times so that a replay writes the same bytes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from drafting.documents import (
    Anchored,
    render_version,
    version_identity,
    version_stamp,
)

# the stated texts' artifact kinds, re-exported: the dashboard reads them here
from drafting.filing import AD_REFERENDUM_KIND as AD_REFERENDUM_KIND
from drafting.filing import AGREED_KIND as AGREED_KIND
from drafting.filing import StatedText
from drafting.negotiation import (
    Declaration,
    Version,
    VersionContent,
    VersionState,
    version_label,
)
from drafting.text import DraftText
from drafting.wordml.writer import OutIdentity
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import declaration_dir, write_file
from flows.usecases.texts import template_of, templates_by_language, version_text
from storage import UnitOfWork


def identity_of(declaration: Declaration, name: str, *, state: str, at: str) -> OutIdentity | None:
    """What a document of ``declaration`` says of itself (``at``: the recorded time of the action that made it).

    None for a declaration whose creation recorded no symbol (made before documents carried their identity): its
    documents are written as they were then, so that its log replays byte for byte."""
    if not declaration.identified:
        return None
    return version_identity(declaration, name, state=state, at=at)


def issue_version(
    uow: UnitOfWork,
    declaration: Declaration,
    text: DraftText,
    *,
    label: str,
    at: str,
    state: str = "draft",
    name: str | None = None,
    comments: Sequence[Anchored] = (),
    language: str | None = None,
    note: str = "",
) -> bytes:
    """A version as a Word file in the zero draft's styles, stamped and with its identity on every page;
    ``comments`` (who holds each bracket) are dated ``at``; ``language``: a text in a language after the first,
    in the styles of that language's zero draft; ``note``: one more line in the header (what is still pending
    translation)."""
    if language is None:
        template = template_of(uow, declaration)
    else:
        template = templates_by_language(uow, declaration)[language]
    return render_version(
        template,
        text,
        title=declaration.title,
        stamp=version_stamp(declaration.slug, label, language),
        identity=_noted(identity_of(declaration, name or label, state=state, at=at), note),
        comments=comments,
        date=at,
    )


def issue_versions(
    uow: UnitOfWork,
    declaration: Declaration,
    texts: Mapping[str, DraftText],
    *,
    label: str,
    at: str,
    note: str,
    comments: Mapping[str, Sequence[Anchored]] | None = None,
) -> dict[str, bytes]:
    """A version's Word file in each of its languages (``texts``: the first first), each header saying ``note``."""
    first = declaration.first_language
    return {
        lang: issue_version(
            uow,
            declaration,
            text,
            label=label,
            at=at,
            comments=comments[lang] if comments is not None else (),
            language=None if lang == first else lang,
            note=note,
        )
        for lang, text in texts.items()
    }


def add_draft(
    uow: UnitOfWork,
    declaration: Declaration,
    parent: Version,
    *,
    number: int,
    blob: str,
    content: VersionContent,
    at: str,
) -> None:
    """Store the draft version made from ``parent``: its number (its label follows), its document in the first
    language (``blob``) and what it records."""
    uow.repo.add_version(
        declaration,
        content,
        number=number,
        label=version_label(number),
        parent=parent,
        blob_sha256=blob,
        text_sha256=content.text.sha256,
        state=VersionState.DRAFT,
        created_at=at,
    )


def _noted(identity: OutIdentity | None, note: str) -> OutIdentity | None:
    if identity is None or not note:
        return identity
    return identity.model_copy(update={"header": [*identity.header, note]})


def issue_stated_text(
    uow: UnitOfWork, declaration: Declaration, label: str, state: VersionState, at: str
) -> str | None:
    """Write version ``label`` as ``state`` makes it: under silence "Agreed ad referendum", agreed the "Agreed
    text", dated ``at``, in every language; store each as an artifact and return the sha256 of the first. None
    (nothing written) for a declaration whose documents carry no identity (see ``identity_of``): its log records
    no such document."""
    if not declaration.identified:
        return None
    version = uow.repo.version(declaration, label)
    stated = StatedText.of(label, state)
    texts: dict[str | None, DraftText] = {None: version_text(version)} | {
        lang: t.text for lang, t in version.content.translations.items()
    }
    issue = partial(
        issue_version, uow, declaration, label=label, at=at, state=state.value, name=stated.name
    )
    blobs = {lang: uow.put_blob(issue(text, language=lang)) for lang, text in texts.items()}
    for lang, blob in blobs.items():
        uow.repo.add_artifact(declaration, stated.artifact(lang, blob, at, version.number))
    return blobs[None]


def agreed_text(
    uow: UnitOfWork, declaration: Declaration, version: Version, language: str | None = None
) -> bytes:
    """The agreed text as a document, or the version as issued when it has none (not agreed, or agreed before);
    ``language``: in a language after the first."""
    kind = AGREED_KIND if language is None else f"{AGREED_KIND}.{language}"
    made = [a for a in uow.repo.artifacts(declaration, kind=kind) if a.version == version.number]
    if made:
        return uow.blob(made[-1].blob_sha256)
    return uow.blob(
        version.blob_sha256 if language is None else version.content.translations[language].blob
    )


def stated_texts(uow: UnitOfWork, declaration: Declaration) -> dict[str, bytes]:
    """The texts written as agreed ad referendum or agreed (in every language), by file name."""
    languages = declaration.languages[1:]
    kinds = [
        f"{kind}{suffix}"
        for kind in (AD_REFERENDUM_KIND, AGREED_KIND)
        for suffix in ["", *(f".{lang}" for lang in languages)]
    ]
    return {
        a.name: uow.blob(a.blob_sha256)
        for kind in kinds
        for a in uow.repo.artifacts(declaration, kind=kind)
    }


def write_stated_texts(app: App, slug: str) -> None:
    """Put the texts agreed ad referendum or agreed in the declaration's versions folder, beside the versions."""
    with app.store.reading() as uow:
        texts = stated_texts(uow, uow.repo.declaration(slug))
    for name, data in texts.items():
        write_file(app, confine(declaration_dir(app, slug), "versions", name), data)
    from flows.usecases.dashboard import (
        publish_dashboard,  # here: the dashboard reads this module's kinds
    )

    publish_dashboard(app, slug)
