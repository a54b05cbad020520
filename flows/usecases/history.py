"""The history of a declaration from its event log: rounds, submissions, proposals, decisions and versions, with
every document they produced, as JSON and as a page a person reads."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from drafting import events as ev
from drafting.brackets import FIRST_RULES, STABLE_IDS
from drafting.negotiation import Event
from drafting.synopsis import resolved_brackets
from drafting.wording import Teller, count, say
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import write_file
from flows.usecases.times import local_time
from storage import UnitOfWork

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("drafting", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["counted"] = count
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# the events that issue a version (a translation puts a version's text again: a milestone of the version it aligns)
_ISSUING = tuple(kind.TYPE for kind in ev.ISSUING if kind is not ev.VersionTranslated)


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


_WITH_DOCUMENTS = (
    ev.DeclarationCreated,
    ev.VersionIssued,
    ev.VersionEdited,
    ev.VersionTranslated,
    ev.SubmissionReceived,
    ev.CompilationReady,
    ev.DecisionRecorded,
)


def _documents(event: Event) -> list[Document]:
    kind = ev.EVENTS.get(event.type)
    if kind is None or kind not in _WITH_DOCUMENTS:
        return []
    return _named(kind.from_payload(event.payload), event.seq)


def _named(e: ev.DomainEvent, seq: int) -> list[Document]:
    if isinstance(e, ev.DeclarationCreated):
        name = e.zero_draft.filename
        return [Document(f"zero-draft/{safe_name(name)}", e.zero_draft.original, name, seq)] + [
            Document(f"zero-draft/{lang}/{safe_name(f.filename)}", f.original, f.filename, seq)
            for lang, f in (e.translations or {}).items()
        ]
    if isinstance(
        e, ev.VersionTranslated
    ):  # every language's document again, and the translator's file
        stem = f"{safe_name(e.version)}-translated-{seq:04d}"
        return [
            Document(f"versions/{stem}.docx", e.blob, f"{e.version}.docx", seq),
            *_translations(e.translations, stem, e.version, seq),
            Document(
                f"translations/{stem}-{e.language}-{safe_name(e.source.filename)}",
                e.source.blob,
                e.source.filename,
                seq,
            ),
        ]
    if isinstance(e, ev.VersionIssued | ev.VersionEdited):
        stem = f"{e.number:02d}-{safe_name(e.version)}"
        docs = [Document(f"versions/{stem}.docx", e.blob, f"{e.version}.docx", seq)]
        if isinstance(e, ev.VersionIssued):
            docs += _translations(e.translations or {}, stem, e.version, seq)
        if isinstance(e, ev.VersionEdited):
            source = e.source.filename
            docs.append(
                Document(f"editorial/{stem}-{safe_name(source)}", e.source.blob, source, seq)
            )
        return docs
    if isinstance(e, ev.SubmissionReceived):
        name = f"{e.submission:03d}-{safe_name(e.party)}-{safe_name(e.filename)}"
        return [Document(f"{_round_folder(e.round)}/submissions/{name}", e.blob, e.filename, seq)]
    if isinstance(e, ev.CompilationReady):
        folder = _round_folder(e.round)
        return [
            Document(f"{folder}/compilation/{safe_name(n)}", d, n, seq)
            for n, d in sorted(e.documents.items())
        ]
    if isinstance(e, ev.DecisionRecorded):
        name = f"{seq:04d}-{safe_name(e.party)}-{safe_name(e.filename)}"
        return [Document(f"{_round_folder(e.round)}/decisions/{name}", e.blob, e.filename, seq)]
    return []


def _translations(
    translations: dict[str, ev.IssuedTranslation], stem: str, version: str, seq: int
) -> list[Document]:
    return [
        Document(f"versions/{stem}.{lang}.docx", t.blob, f"{version}.{lang}.docx", seq)
        for lang, t in translations.items()
    ]


def _round_folder(number: int) -> str:
    return f"rounds/round-{number:02d}"


def history(app: App, slug: str) -> dict[str, Any]:
    """The declaration's history as JSON-ready data."""
    with app.store.reading() as uow:
        return history_data(uow, slug)


def history_data(uow: UnitOfWork, slug: str) -> dict[str, Any]:
    """The history inside a unit of work (the archive reads it in the same transaction as the rest)."""
    declaration = uow.repo.declaration(slug)
    events = uow.log(declaration)
    docs = documents_of(events)
    by_seq: dict[int, list[dict[str, str]]] = {}
    for doc in docs:
        by_seq.setdefault(doc.seq, []).append(
            {"path": doc.path, "sha256": doc.sha256, "name": doc.name}
        )
    zone = declaration.timezone
    parties = uow.repo.parties(declaration)
    teller = Teller(zone, {p.code: p.name for p in parties})
    timeline = [
        {
            "seq": e.seq,
            "at": e.occurred_at,
            "local": local_time(e.occurred_at, zone),
            "type": e.type,
            "actor": e.actor,
            "summary": say(e, teller),
            "documents": by_seq.get(e.seq, []),
            "hash": e.hash,
        }
        | ({"by": e.payload["by"]} if e.payload.get("by") else {})  # the portal's account
        for e in events
    ]
    versions = _versions(uow, declaration, events, by_seq, teller)
    return {
        "declaration": {"slug": declaration.slug, "title": declaration.title, "timezone": zone},
        "parties": [
            {"code": p.code, "name": p.name, "bloc": p.bloc, "role": p.role} for p in parties
        ],
        "versions": versions,
        "rounds": _rounds(
            uow,
            events,
            by_seq,
            versions,
            zone,
            stable=int(events[0].payload.get("rules") or FIRST_RULES) >= STABLE_IDS,
        ),
        "timeline": timeline,
        "documents": len(docs),
    }


def _versions(
    uow: UnitOfWork,
    declaration: Any,
    events: list[Event],
    by_seq: dict[int, list[dict[str, str]]],
    teller: Teller,
) -> list[dict[str, Any]]:
    rows = {v.label: v for v in uow.repo.versions(declaration)}
    out = []
    for e in events:
        if e.type not in _ISSUING or e.payload["version"] not in rows:
            continue
        p, row = e.payload, rows[e.payload["version"]]
        after = [x for x in events if x.seq > e.seq and x.payload.get("version") == p["version"]]
        out.append(
            {
                "label": p["version"],
                "number": p["number"],
                "at": e.occurred_at,
                "state": row.state,
                "kind": _kind(e, p["number"]),
                "round": p.get("round"),
                "reason": p.get("reason"),
                "text_sha256": p["text_sha256"],
                "paragraphs": p["paragraphs"],
                "bracketed": p.get("bracketed", []),
                "outcomes": p.get("outcomes", {}),
                "resolutions": {r["proposal"]: r for r in row.content.resolutions},
                "documents": by_seq.get(e.seq, []),
                "approvals": [
                    {"party": x.payload["party"], "at": x.occurred_at}
                    for x in after
                    if x.type == ev.VersionApproved.TYPE
                ],
                "milestones": [
                    {"type": x.type, "at": x.occurred_at, "summary": say(x, teller)}
                    for x in after
                    if x.type in _MILESTONES
                ],
            }
        )
    return out


_MILESTONES = tuple(
    kind.TYPE
    for kind in (
        ev.VersionTranslated,
        ev.VersionCirculated,
        ev.SilenceStarted,
        ev.SilenceBroken,
        ev.SilenceExpired,
        ev.VersionAgreed,
    )
)


def _kind(issued: Event, number: int) -> str:
    if issued.type == ev.VersionEdited.TYPE:
        return "editorial"
    return "zero draft" if number == 0 else "revision"


def _rounds(
    uow: UnitOfWork,
    events: list[Event],
    by_seq: dict[int, list[dict[str, str]]],
    versions: list[dict[str, Any]],
    zone: str,
    *,
    stable: bool,
) -> list[dict[str, Any]]:
    """Each round: submissions, compilation, proposals with their outcome and decisions; ``stable`` (a declaration
    with stable bracket ids) adds what a proposal resolving a bracket group does to it, "B3 resolved: ..."."""
    rounds: dict[int, dict[str, Any]] = {}
    for e in events:
        p = e.payload
        if e.type == ev.RoundOpened.TYPE:
            rounds[p["round"]] = {
                "number": p["round"],
                "version": p["version"],
                "opened": e.occurred_at,
                "deadline": p.get("deadline"),
                "closed": None,
                "reason": None,
                "submissions": [],
                "compilation": None,
                "proposals": [],
                "decisions": [],
                "revision": None,
            }
        elif p.get("round") in rounds:
            _round_event(uow, rounds[p["round"]], e, by_seq.get(e.seq, []), stable)
    for version in versions:
        if version["round"] in rounds and version["kind"] == "revision":
            current = rounds[version["round"]]
            current["revision"] = version["label"]
            current["proposals"] = [
                {**prop, **_resolution(version["resolutions"].get(prop["id"]))}
                for prop in current["proposals"]
            ]
    return [rounds[n] for n in sorted(rounds)]


def _round_event(
    uow: UnitOfWork, current: dict[str, Any], e: Event, docs: list[dict[str, str]], stable: bool
) -> None:
    p = e.payload
    if e.type == ev.SubmissionReceived.TYPE:
        current["submissions"].append(
            {
                "seq": e.seq,
                "party": p["party"],
                "at": e.occurred_at,
                "late": p["late"],
                "filename": p["filename"],
                "superseded": p["superseded"],
                "flags": p["flags"],
                "documents": docs,
            }
        )
    elif e.type == ev.RoundClosed.TYPE:
        current["closed"], current["reason"] = e.occurred_at, p.get("reason")
    elif e.type == ev.DeadlineExtended.TYPE:
        current["deadline"] = p["deadline"]
    elif e.type == ev.CompilationReady.TYPE:
        current["compilation"] = {
            "at": e.occurred_at,
            "proposals": p["proposals"],
            "conflicts": p["conflicts"],
            "documents": docs,
        }
        current["proposals"] = _proposals(
            uow,
            p["documents"].get("proposals.json"),
            p["documents"].get("synopsis.json") if stable else None,
        )
    elif e.type == ev.DecisionRecorded.TYPE:
        votes = list(p["decisions"].values())
        current["decisions"].append(
            {
                "party": p["party"],
                "at": e.occurred_at,
                "filename": p["filename"],
                "accepted": votes.count("accept"),
                "rejected": votes.count("reject"),
                "documents": docs,
            }
        )


def _proposals(uow: UnitOfWork, digest: str | None, synopsis: str | None) -> list[dict[str, Any]]:
    """The round's proposals; with ``synopsis`` (stable bracket ids), what each one resolving a group does to it."""
    if digest is None:
        return []
    merged = json.loads(uow.blob(digest))["merged"]
    resolves = resolved_brackets(json.loads(uow.blob(synopsis))) if synopsis else {}
    return [
        {
            "id": p["id"],
            "parties": p["parties"],
            "paragraph": p["paragraph"],
            "group": p.get("group"),
            "deleted": p["deleted"].replace("\u2029", "\n"),
            "inserted": p["inserted"].replace("\u2029", "\n"),
            "outcome": "undecided",
            "decisions": {},
        }
        | ({"resolves": resolves[p["id"]]} if p["id"] in resolves else {})
        for p in merged["proposals"]
    ]


def _resolution(resolution: dict[str, Any] | None) -> dict[str, Any]:
    if resolution is None:
        return {}
    return {"outcome": resolution["outcome"], "decisions": resolution.get("decisions", {})}


def history_html(data: dict[str, Any], *, prefix: str = "documents/") -> str:
    """The history as a self-contained page; document links are ``prefix`` + their bundle path."""
    names = {p["code"]: p["name"] for p in data["parties"]}
    return _ENV.get_template("history.html.j2").render(
        **data, prefix=prefix, local=local_time, names=names
    )


def write_history(app: App, slug: str, page: Path) -> list[Path]:
    """Write the page and, in ``documents/`` beside it, every document it links to; return what was written."""
    with app.store.reading() as uow:
        data = history_data(uow, slug)
        events = uow.log(uow.repo.declaration(slug))
        files = {doc.path: uow.blob(doc.sha256) for doc in documents_of(events)}
    beside = page.parent
    written = [
        write_file(app, confine(beside, "documents", *PurePosixPath(path).parts), blob, root=beside)
        for path, blob in sorted(files.items())
    ]
    return [write_file(app, page, history_html(data).encode("utf-8"), root=beside), *written]
