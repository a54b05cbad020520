"""A closed round's compilation as values: every language's merged proposals, the Word files, the synopsis and the
stored proposals, from the texts and contributions a use case loaded (it records them; nothing here touches a log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting.across import across_languages, also_amended, with_across
from drafting.bilingual import combined, side_by_side, tagged
from drafting.brackets import ACROSS, COVER_PAGE, STABLE_IDS
from drafting.canonical import canonical_json
from drafting.compilation import Received, compilation_document, cover_lines
from drafting.documents import STAMP_DECLARATION, STAMP_LANGUAGE, STAMP_ROUND, STAMP_VERSION
from drafting.events import CompilationReady
from drafting.merge import AcrossGroup, Merged, merge
from drafting.negotiation import Artifact
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
    across: int = 0  # paragraphs amended in several languages (drafting.across)

    @property
    def conflicts(self) -> int:
        """The conflict groups the round's summary counts: in each language, and across languages."""
        return len(self.merged.conflicts) + self.across

    def stored_files(self) -> dict[str, bytes]:
        """Every file kept of the compilation, in the order stored: the proposals first, then ``files``."""
        return {"proposals.json": canonical_json(self.stored).encode(), **self.files}

    def artifacts(self, blobs: dict[str, str], *, round_number: int, at: str) -> list[Artifact]:
        """The stored files (``blobs``: name -> sha256) as artifacts of the round, by name."""
        return [
            Artifact(
                kind=artifact_kind(name),
                name=name,
                blob_sha256=digest,
                created_at=at,
                round=round_number,
            )
            for name, digest in sorted(blobs.items())
        ]

    def ready(self, round_number: int, version: str, blobs: dict[str, str]) -> CompilationReady:
        """The event recording the compilation of a round on ``version``, its files stored under ``blobs``."""
        return CompilationReady(
            round=round_number,
            version=version,
            documents=blobs,
            submissions=tuple(c.submission for c in self.contributions),
            proposals=len(self.merged.proposals),
            conflicts=self.conflicts,
        )


def artifact_kind(name: str) -> str:
    """The artifact kind a compilation file is recorded as."""
    return "compilation" if name.startswith("compilation.") else _KINDS[name]


def media_type(name: str) -> str:
    """The media type a compilation file is stored with."""
    return HTML if name.endswith(".html") else JSON if name.endswith(".json") else DOCX


def compile_documents(task: RoundToCompile) -> CompiledDocuments:
    """Merge each language's proposals and write the compilation(s), the synopsis and the stored proposals."""
    first = task.first
    on = {first: merge(task.contributions[first])} | {
        lang: tagged(merge(task.contributions[lang]), lang) for lang in task.bases if lang != first
    }
    across = across_languages(on) if len(on) > 1 and task.rules >= ACROSS else []
    data = _synopsis(task, first, on[first], brackets=task.brackets)
    resolves = resolved_brackets(data) if task.rules >= STABLE_IDS else None
    files = _documents(task, on, resolves, across)
    if len(on) > 1:  # one synopsis with each paragraph's amendments in every language
        synopses = {lang: _synopsis(task, lang, m) for lang, m in on.items() if lang != first}
        data = side_by_side(data, synopses, languages=list(task.bases))
        data = with_across(data, across) if task.rules >= ACROSS else data
    files["synopsis.json"] = canonical_json(data).encode()
    files["synopsis.html"] = synopsis_html(data).encode()
    every = [c for found in task.contributions.values() for c in found]
    merged = combined(on[first], {k: v for k, v in on.items() if k != first})
    return CompiledDocuments(files, _stored_all(task, on, across), merged, every, len(across))


def _documents(
    task: RoundToCompile,
    on: dict[str, Merged],
    resolves: dict[str, str] | None,
    across: list[AcrossGroup],
) -> dict[str, bytes]:
    """The compilation.docx, or one per language (each stamped with its language)."""
    if len(on) == 1:
        return {"compilation.docx": _document(task, task.first, on[task.first], resolves)}
    return {
        f"compilation.{lang}.docx": _document(
            task,
            lang,
            m,
            resolves if lang == task.first else None,
            stamp_language=True,
            also=also_amended(across, on, lang),
        )
        for lang, m in on.items()
    }


def _stored_all(
    task: RoundToCompile, on: dict[str, Merged], across: list[AcrossGroup]
) -> dict[str, Any]:
    """The stored proposals: the first language's, each further language's, the groups across languages."""
    stored = _stored(on[task.first], task.contributions[task.first])
    if len(on) > 1:
        stored["languages"] = {
            lang: _stored(m, task.contributions[lang])
            for lang, m in on.items()
            if lang != task.first
        }
    if across:
        stored["across"] = [g.model_dump(mode="json") for g in across]
    return stored


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
    stamp_language: bool = False,
    also: dict[str, str] | None = None,
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
        also=also,
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
