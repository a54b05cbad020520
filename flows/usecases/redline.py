"""Redlines between two Word files or two versions of a declaration.

Comparing two files needs no database: this module imports the storage layer only inside the functions on a
declaration's versions, so `accord diff OLD.docx NEW.docx` starts without SQLAlchemy (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafting.documents import accepted_draft, body_texts
from drafting.redline import redline_document
from drafting.redline_html import redline_html
from drafting.wordml.reader import read_docx

if TYPE_CHECKING:
    from drafting.negotiation import Declaration, Version
    from drafting.text import DraftText
    from flows.bootstrap import App
    from storage import UnitOfWork

FIXED_DATE = "2000-01-01T00:00:00Z"


def redline_files(old: bytes, new: bytes, *, names: tuple[str, str], author: str) -> bytes:
    """Tracked changes that turn the first file's text into the second's (in the first file's styles)."""
    old_text = accepted_draft(read_docx(old, name=names[0]), name=names[0])
    new_texts = body_texts(read_docx(new, name=names[1]))
    return redline_document(old, old_text, new_texts, author=author, date=FIXED_DATE)


@dataclass(frozen=True)
class _Pair:
    """Two versions of a declaration compared in one of its languages (``suffix``: that language, shown after
    a title when it is not the first)."""

    declaration: Declaration
    old: Version
    new: Version
    language: str
    suffix: str
    texts: tuple[DraftText, DraftText]


def _pair(uow: UnitOfWork, slug: str, first: str, second: str, language: str | None) -> _Pair:
    """The two versions and their texts in ``language`` (refused when the declaration is not negotiated in it)."""
    from flows.usecases.texts import texts_by_language

    declaration = uow.repo.declaration(slug)
    old, new = uow.repo.version(declaration, first), uow.repo.version(declaration, second)
    languages = declaration.languages
    lang = _language(slug, languages, language)
    old_text, new_text = (texts_by_language(v, languages[0])[lang] for v in (old, new))
    suffix = "" if lang == languages[0] else f" ({lang})"
    return _Pair(declaration, old, new, lang, suffix, (old_text, new_text))


def redline_versions(
    app: App, slug: str, first: str, second: str, *, author: str, language: str | None = None
) -> bytes:
    """Tracked changes from one version of a declaration to another (their text in ``language``, default the
    first), in that language's styles."""
    from flows.usecases.texts import templates_by_language

    with app.store.reading() as uow:
        pair = _pair(uow, slug, first, second, language)
        template = templates_by_language(uow, pair.declaration)[pair.language]
    old_text, new_text = pair.texts
    return redline_document(
        template,
        old_text,
        [p.text for p in new_text.paragraphs],
        author=author,
        date=pair.new.created_at,
        title=f"{pair.declaration.title}: {pair.old.label} to {pair.new.label}{pair.suffix}",
    )


def _language(slug: str, languages: list[str], language: str | None) -> str:
    """``language`` if the declaration is negotiated in it (default: its first); else refused."""
    from drafting import identifiers
    from drafting.errors import InvalidInput

    if language is None:
        return languages[0]
    if language not in languages:
        raise InvalidInput(
            f"--language {identifiers.shown(language)}: {slug!r} is negotiated in "
            f"{', '.join(languages)}; compare its text in one of them"
        )
    return language


def redline_page_files(old: bytes, new: bytes, *, names: tuple[str, str]) -> str:
    """The first file's text to the second's as an HTML redline."""
    old_texts = body_texts(read_docx(old, name=names[0]))
    return redline_html(
        old_texts,
        body_texts(read_docx(new, name=names[1])),
        title=f"{names[0]} to {names[1]}",
        old_label=names[0],
        new_label=names[1],
    )


def redline_page_versions(
    app: App, slug: str, first: str, second: str, language: str | None = None
) -> str:
    """One version of a declaration to another as an HTML redline (their text in ``language``)."""
    with app.store.reading() as uow:
        pair = _pair(uow, slug, first, second, language)
    old_text, new_text = pair.texts
    return redline_html(
        [p.text for p in old_text.paragraphs],
        [p.text for p in new_text.paragraphs],
        title=pair.declaration.title + pair.suffix,
        old_label=pair.old.label,
        new_label=pair.new.label,
    )
