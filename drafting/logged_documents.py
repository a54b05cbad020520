"""The documents an event log names (zero drafts, versions, translations, submissions, compilations, decisions),
each with the path it takes in an archive bundle or beside the history page: read from the typed events."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafting import events as ev
from drafting.negotiation import Event

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Document:
    """A document the log names: where it goes in a bundle or beside the history page, and what it is."""

    path: str
    sha256: str
    name: str
    seq: int


def safe_name(name: str) -> str:
    """A file name that stays inside its folder on every system (party file names are not trusted)."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).lstrip("._")
    return cleaned[-100:] or "file"


def documents_of(events: list[Event]) -> list[Document]:
    """Every document the event log names, once per role, in log order."""
    found: list[Document] = []
    for event in events:
        found.extend(_documents(event))
    return found


def _documents(event: Event) -> list[Document]:
    kind = ev.EVENTS.get(event.type)
    named = _NAMED.get(kind) if kind is not None else None
    return (
        [] if named is None or kind is None else named(kind.from_payload(event.payload), event.seq)
    )


def _created(e: ev.DeclarationCreated, seq: int) -> list[Document]:
    name = e.zero_draft.filename
    return [Document(f"zero-draft/{safe_name(name)}", e.zero_draft.original, name, seq)] + [
        Document(f"zero-draft/{lang}/{safe_name(f.filename)}", f.original, f.filename, seq)
        for lang, f in (e.translations or {}).items()
    ]


def _translated(e: ev.VersionTranslated, seq: int) -> list[Document]:
    """Every language's document again, and the translator's file."""
    stem = f"{safe_name(e.version)}-translated-{seq:04d}"
    source = f"translations/{stem}-{e.language}-{safe_name(e.source.filename)}"
    return [
        Document(f"versions/{stem}.docx", e.blob, f"{e.version}.docx", seq),
        *_translations(e.translations, stem, e.version, seq),
        Document(source, e.source.blob, e.source.filename, seq),
    ]


def _issued(e: ev.VersionIssued, seq: int) -> list[Document]:
    stem = _version_stem(e.number, e.version)
    return [
        Document(f"versions/{stem}.docx", e.blob, f"{e.version}.docx", seq),
        *_translations(e.translations or {}, stem, e.version, seq),
    ]


def _edited(e: ev.VersionEdited, seq: int) -> list[Document]:
    stem, source = _version_stem(e.number, e.version), e.source.filename
    return [
        Document(f"versions/{stem}.docx", e.blob, f"{e.version}.docx", seq),
        Document(f"editorial/{stem}-{safe_name(source)}", e.source.blob, source, seq),
    ]


def _submitted(e: ev.SubmissionReceived, seq: int) -> list[Document]:
    name = f"{e.submission:03d}-{safe_name(e.party)}-{safe_name(e.filename)}"
    return [Document(f"{_round_folder(e.round)}/submissions/{name}", e.blob, e.filename, seq)]


def _compiled(e: ev.CompilationReady, seq: int) -> list[Document]:
    folder = _round_folder(e.round)
    return [
        Document(f"{folder}/compilation/{safe_name(n)}", d, n, seq)
        for n, d in sorted(e.documents.items())
    ]


def _decided(e: ev.DecisionRecorded, seq: int) -> list[Document]:
    name = f"{seq:04d}-{safe_name(e.party)}-{safe_name(e.filename)}"
    return [Document(f"{_round_folder(e.round)}/decisions/{name}", e.blob, e.filename, seq)]


def _translations(
    translations: dict[str, ev.IssuedTranslation], stem: str, version: str, seq: int
) -> list[Document]:
    return [
        Document(f"versions/{stem}.{lang}.docx", t.blob, f"{version}.{lang}.docx", seq)
        for lang, t in translations.items()
    ]


def _version_stem(number: int, version: str) -> str:
    return f"{number:02d}-{safe_name(version)}"


def _round_folder(number: int) -> str:
    return f"rounds/round-{number:02d}"


# the events that name documents, and how (each function takes its own event class)
_NAMED: Mapping[type[ev.DomainEvent], Callable[[Any, int], list[Document]]] = {
    ev.DeclarationCreated: _created,
    ev.VersionIssued: _issued,
    ev.VersionEdited: _edited,
    ev.VersionTranslated: _translated,
    ev.SubmissionReceived: _submitted,
    ev.CompilationReady: _compiled,
    ev.DecisionRecorded: _decided,
}
