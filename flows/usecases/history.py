"""The history of a declaration from its event log: rounds, submissions, proposals, decisions and versions, with
every document they produced, as JSON and as a page a person reads."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from drafting.negotiation import Event
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import write_file
from flows.usecases.times import local_time
from storage import UnitOfWork
from storage.eventlog import read_events

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("drafting", "templates"),
                          autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
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
    p, seq = event.payload, event.seq
    if event.type == "accord.declaration.created":
        name = p["zero_draft"]["filename"]
        return [Document(f"zero-draft/{safe_name(name)}", p["zero_draft"]["original"], name, seq)]
    if event.type in ("accord.version.issued", "accord.version.edited"):
        stem = f"{p['number']:02d}-{safe_name(p['version'])}"
        docs = [Document(f"versions/{stem}.docx", p["blob"], f"{p['version']}.docx", seq)]
        if "source" in p:
            source = p["source"]["filename"]
            docs.append(Document(f"editorial/{stem}-{safe_name(source)}", p["source"]["blob"], source, seq))
        return docs
    folder = f"rounds/round-{int(p.get('round') or 0):02d}"
    if event.type == "accord.submission.received":
        name = f"{p['submission']:03d}-{safe_name(p['party'])}-{safe_name(p['filename'])}"
        return [Document(f"{folder}/submissions/{name}", p["blob"], p["filename"], seq)]
    if event.type == "accord.compilation.ready":
        return [Document(f"{folder}/compilation/{safe_name(n)}", d, n, seq) for n, d in sorted(p["documents"].items())]
    if event.type == "accord.decision.recorded":
        name = f"{seq:04d}-{safe_name(p['party'])}-{safe_name(p['filename'])}"
        return [Document(f"{folder}/decisions/{name}", p["blob"], p["filename"], seq)]
    return []


def history(app: App, slug: str) -> dict[str, Any]:
    """The declaration's history as JSON-ready data."""
    with app.store.reading() as uow:
        return history_data(uow, slug)


def history_data(uow: UnitOfWork, slug: str) -> dict[str, Any]:
    """The history inside a unit of work (the archive reads it in the same transaction as the rest)."""
    declaration = uow.repo.declaration(slug)
    events = read_events(uow.session, declaration)
    docs = documents_of(events)
    by_seq: dict[int, list[dict[str, str]]] = {}
    for doc in docs:
        by_seq.setdefault(doc.seq, []).append({"path": doc.path, "sha256": doc.sha256, "name": doc.name})
    zone = declaration.timezone
    timeline = [{"seq": e.seq, "at": e.occurred_at, "local": local_time(e.occurred_at, zone), "type": e.type,
                 "actor": e.actor, "summary": summary(e), "documents": by_seq.get(e.seq, []), "hash": e.hash}
                for e in events]
    versions = _versions(uow, declaration, events, by_seq)
    return {
        "declaration": {"slug": declaration.slug, "title": declaration.title, "timezone": zone},
        "parties": [{"code": p.code, "name": p.name, "bloc": p.bloc, "role": p.role}
                    for p in uow.repo.parties(declaration)],
        "versions": versions,
        "rounds": _rounds(uow, events, by_seq, versions, zone),
        "timeline": timeline,
        "documents": len(docs),
    }


def _versions(uow: UnitOfWork, declaration: Any, events: list[Event],
              by_seq: dict[int, list[dict[str, str]]]) -> list[dict[str, Any]]:
    rows = {v.label: v for v in uow.repo.versions(declaration)}
    out = []
    for e in events:
        if e.type not in ("accord.version.issued", "accord.version.edited") or e.payload["version"] not in rows:
            continue
        p, row = e.payload, rows[e.payload["version"]]
        meta = json.loads(row.meta)
        after = [x for x in events if x.seq > e.seq and x.payload.get("version") == p["version"]]
        out.append({
            "label": p["version"], "number": p["number"], "at": e.occurred_at, "state": row.state,
            "kind": "editorial" if e.type.endswith("edited") else "zero draft" if p["number"] == 0 else "revision",
            "round": p.get("round"), "reason": p.get("reason"), "text_sha256": p["text_sha256"],
            "paragraphs": p["paragraphs"], "bracketed": p.get("bracketed", []), "outcomes": p.get("outcomes", {}),
            "resolutions": {r["proposal"]: r for r in meta.get("resolutions", [])},
            "documents": by_seq.get(e.seq, []),
            "approvals": [{"party": x.payload["party"], "at": x.occurred_at} for x in after
                          if x.type == "accord.version.approved"],
            "milestones": [{"type": x.type, "at": x.occurred_at, "summary": summary(x)} for x in after
                           if x.type in _MILESTONES],
        })
    return out


_MILESTONES = ("accord.version.circulated", "accord.silence.started", "accord.silence.broken",
               "accord.silence.expired", "accord.version.agreed")


def _rounds(uow: UnitOfWork, events: list[Event], by_seq: dict[int, list[dict[str, str]]],
            versions: list[dict[str, Any]], zone: str) -> list[dict[str, Any]]:
    rounds: dict[int, dict[str, Any]] = {}
    for e in events:
        p = e.payload
        if e.type == "accord.round.opened":
            rounds[p["round"]] = {"number": p["round"], "version": p["version"], "opened": e.occurred_at,
                                  "deadline": p.get("deadline"), "closed": None, "reason": None, "submissions": [],
                                  "compilation": None, "proposals": [], "decisions": [], "revision": None}
        elif p.get("round") in rounds:
            _round_event(uow, rounds[p["round"]], e, by_seq.get(e.seq, []))
    for version in versions:
        if version["round"] in rounds and version["kind"] == "revision":
            current = rounds[version["round"]]
            current["revision"] = version["label"]
            current["proposals"] = [{**prop, **_resolution(version["resolutions"].get(prop["id"]))}
                                    for prop in current["proposals"]]
    return [rounds[n] for n in sorted(rounds)]


def _round_event(uow: UnitOfWork, current: dict[str, Any], e: Event, docs: list[dict[str, str]]) -> None:
    p = e.payload
    if e.type == "accord.submission.received":
        current["submissions"].append({"seq": e.seq, "party": p["party"], "at": e.occurred_at, "late": p["late"],
                                       "filename": p["filename"], "superseded": p["superseded"],
                                       "flags": p["flags"], "documents": docs})
    elif e.type == "accord.round.closed":
        current["closed"], current["reason"] = e.occurred_at, p.get("reason")
    elif e.type == "accord.compilation.ready":
        current["compilation"] = {"at": e.occurred_at, "proposals": p["proposals"], "conflicts": p["conflicts"],
                                  "documents": docs}
        current["proposals"] = _proposals(uow, p["documents"].get("proposals.json"))
    elif e.type == "accord.decision.recorded":
        votes = list(p["decisions"].values())
        current["decisions"].append({"party": p["party"], "at": e.occurred_at, "filename": p["filename"],
                                     "accepted": votes.count("accept"), "rejected": votes.count("reject"),
                                     "documents": docs})


def _proposals(uow: UnitOfWork, digest: str | None) -> list[dict[str, Any]]:
    if digest is None:
        return []
    merged = json.loads(uow.blob(digest))["merged"]
    return [{"id": p["id"], "parties": p["parties"], "paragraph": p["paragraph"], "group": p.get("group"),
             "deleted": p["deleted"].replace("\u2029", "\n"), "inserted": p["inserted"].replace("\u2029", "\n"),
             "outcome": "undecided", "decisions": {}} for p in merged["proposals"]]


def _resolution(resolution: dict[str, Any] | None) -> dict[str, Any]:
    if resolution is None:
        return {}
    return {"outcome": resolution["outcome"], "decisions": resolution.get("decisions", {})}


_SUMMARIES: dict[str, str] = {
    "accord.declaration.created": "declaration created with {n_parties} parties; zero draft {zero_draft[filename]}",
    "accord.version.issued": "{version} issued ({paragraphs} paragraphs)",
    "accord.version.edited": "{version}: editorial change of {parent} by the secretariat: {reason}",
    "accord.round.opened": "round {round} opened on {version}",
    "accord.submission.received": "{party} submitted {filename} for round {round}",
    "accord.submission.refused": "{party}'s file {filename} refused: {reason}",
    "accord.decision.refused": "{party}'s decisions {filename} refused: {reason}",
    "accord.approval.refused": "{party}'s approval refused: {reason}",
    "accord.round.closed": "round {round} closed ({reason})",
    "accord.compilation.ready": "round {round} compiled: {proposals} proposals, {conflicts} conflict groups",
    "accord.decision.recorded": "{party} decided on round {round} ({filename})",
    "accord.version.approved": "{party} approved {version}",
    "accord.version.circulated": "{version} circulated",
    "accord.version.agreed": "{version} agreed",
    "accord.silence.started": "{version} under silence until {until}",
    "accord.silence.broken": "{party} broke the silence on {version}: {reason}",
    "accord.silence.expired": "silence on {version} ended without objection",
    "accord.declaration.archived": "archived: {version}",
}


def summary(event: Event) -> str:
    """One sentence for an event."""
    template = _SUMMARIES.get(event.type)
    fields = {**event.payload, "n_parties": len(event.payload.get("parties") or [])}
    if template is not None:
        try:
            return template.format(**fields)
        except (KeyError, IndexError, TypeError):
            pass
    return event.type.removeprefix("accord.") + (f" (round {fields['round']})" if "round" in fields else "")


def history_html(data: dict[str, Any], *, prefix: str = "documents/") -> str:
    """The history as a self-contained page; document links are ``prefix`` + their bundle path."""
    names = {p["code"]: p["name"] for p in data["parties"]}
    return _ENV.get_template("history.html.j2").render(**data, prefix=prefix, local=local_time, names=names)


def write_history(app: App, slug: str, page: Path) -> list[Path]:
    """Write the page and, in ``documents/`` beside it, every document it links to; return what was written."""
    with app.store.reading() as uow:
        data = history_data(uow, slug)
        events = read_events(uow.session, uow.repo.declaration(slug))
        files = {doc.path: uow.blob(doc.sha256) for doc in documents_of(events)}
    beside = page.parent
    written = [write_file(app, confine(beside, "documents", *PurePosixPath(path).parts), blob, root=beside)
               for path, blob in sorted(files.items())]
    return [write_file(app, page, history_html(data).encode("utf-8"), root=beside), *written]
