"""A closed round's compilation as values: every language's merged proposals, the Word files, the synopsis and the
stored proposals, from the texts and contributions a use case loaded (it records them; nothing here touches a log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting.bilingual import combined, side_by_side, tagged
from drafting.brackets import COVER_PAGE, STABLE_IDS
from drafting.canonical import canonical_json
from drafting.compilation import Received, compilation_document, cover_lines
from drafting.documents import STAMP_DECLARATION, STAMP_LANGUAGE, STAMP_ROUND, STAMP_VERSION
from drafting.merge import Merged, merge
from drafting.proposals import PartyProposals
from drafting.synopsis import resolved_brackets, synopsis, synopsis_html
from drafting.text import DraftText
from drafting.wordml.writer import OutIdentity

JSON, HTML = "application/json", "text/html; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_KINDS = {
    "compilation.docx": "compilation",
    "synopsis.json": "synopsis-json",
    "synopsis.html": "synopsis-html",
    "proposals.json": "proposals",
}


@dataclass(frozen=True)
class RoundToCompile:
    """What a round's compilation is made of, as the use case loaded it (``bases``: the first language first)."""

    declaration: str
    title: str
    round_number: int
    version: str
    bases: dict[str, DraftText]
    contributions: dict[str, list[PartyProposals]]
    names: dict[str, str]
    templates: dict[str, bytes]
    date: str
    identity: OutIdentity | None
    brackets: list[dict[str, Any]]
    rules: int
    deadline: str | None
    received: Received

    @property
    def first(self) -> str:
        """The declaration's first language."""
        return next(iter(self.bases))


@dataclass(frozen=True)
class CompiledDocuments:
    """A compilation's files (Word, synopsis JSON and HTML, in the order they are stored), its stored proposals and
    every language's amendments in one set, to decide on."""

    files: dict[str, bytes]
    stored: dict[str, Any]
    merged: Merged
    contributions: list[PartyProposals]


def artifact_kind(name: str) -> str:
    """The artifact kind a compilation file is recorded as."""
    return "compilation" if name.startswith("compilation.") else _KINDS[name]


def media_type(name: str) -> str:
    """The media type a compilation file is stored with."""
    return HTML if name.endswith(".html") else JSON if name.endswith(".json") else DOCX


def compile_documents(task: RoundToCompile) -> CompiledDocuments:
    """Merge each language's proposals and write the compilation(s), the synopsis and the stored proposals."""
    first = task.first
    merged = merge(task.contributions[first])
    others = {
        lang: tagged(merge(task.contributions[lang]), lang) for lang in task.bases if lang != first
    }
    data = _synopsis(task, first, merged, brackets=task.brackets)
    resolves = resolved_brackets(data) if task.rules >= STABLE_IDS else None
    files: dict[str, bytes] = {}
    if not others:
        files["compilation.docx"] = _document(task, first, merged, resolves, stamp_language=False)
    else:  # one compilation per language, one synopsis with each paragraph's amendments in every language
        for lang, on in [(first, merged), *others.items()]:
            files[f"compilation.{lang}.docx"] = _document(
                task, lang, on, resolves if lang == first else None, stamp_language=True
            )
        synopses = {lang: _synopsis(task, lang, on) for lang, on in others.items()}
        data = side_by_side(data, synopses, languages=list(task.bases))
    stored = _stored(merged, task.contributions[first])
    if others:
        stored["languages"] = {
            lang: _stored(on, task.contributions[lang]) for lang, on in others.items()
        }
        merged = combined(merged, others)
    files["synopsis.json"] = canonical_json(data).encode()
    files["synopsis.html"] = synopsis_html(data).encode()
    every = [c for found in task.contributions.values() for c in found]
    return CompiledDocuments(files, stored, merged, every)


def _synopsis(
    task: RoundToCompile,
    lang: str,
    merged: Merged,
    brackets: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The synopsis of one language's amendments on its own text."""
    return synopsis(
        task.bases[lang],
        merged,
        task.contributions[lang],
        names=task.names,
        declaration=task.declaration,
        title=task.title,
        round_number=task.round_number,
        version=task.version,
        brackets=brackets,
    )


def _document(
    task: RoundToCompile,
    lang: str,
    merged: Merged,
    resolves: dict[str, str] | None,
    *,
    stamp_language: bool,
) -> bytes:
    """One language's compilation.docx (a declaration created before cover pages: no first page, as it was)."""
    stamp = {
        STAMP_DECLARATION: task.declaration,
        STAMP_VERSION: task.version,
        STAMP_ROUND: str(task.round_number),
    }
    return compilation_document(
        task.templates[lang],
        task.bases[lang],
        merged,
        names=task.names,
        date=task.date,
        stamp=stamp | {STAMP_LANGUAGE: lang} if stamp_language else stamp,
        title=f"Compilation of proposals, round {task.round_number} on {task.version}",
        identity=task.identity,
        resolves=resolves,
        cover=_cover(task, merged) if task.rules >= COVER_PAGE else None,
    )


def _cover(task: RoundToCompile, merged: Merged) -> list[str]:
    """The compilation's first page."""
    return cover_lines(
        merged,
        task.names,
        round_number=task.round_number,
        version=task.version,
        deadline=task.deadline,
        received=task.received,
    )


def _stored(merged: Merged, contributions: list[PartyProposals]) -> dict[str, Any]:
    """The proposals a compilation stores: merged, and each party's as derived."""
    return {
        "merged": merged.model_dump(mode="json"),
        "contributions": [c.model_dump(mode="json") for c in contributions],
    }
