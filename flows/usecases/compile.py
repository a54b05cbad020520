"""Close a round and compile: proposals from every submission, merged, as compilation.docx and the synopsis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafting.bilingual import combined, side_by_side, tagged
from drafting.brackets import COVER_PAGE, STABLE_IDS
from drafting.canonical import canonical_json
from drafting.compilation import Received, compilation_document, cover_lines
from drafting.documents import STAMP_DECLARATION, STAMP_LANGUAGE, STAMP_ROUND, STAMP_VERSION
from drafting.events import CompilationReady
from drafting.lifecycle import Round
from drafting.merge import Merged, merge
from drafting.moments import local_time
from drafting.negotiation import SECRETARIAT, Artifact, Declaration, Role, Submission
from drafting.proposals import PartyProposals, derive_proposals
from drafting.synopsis import resolved_brackets, synopsis, synopsis_html
from drafting.text import DraftText
from drafting.wordml.models import Reading
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, round_dir, write_file
from flows.usecases.dashboard import publish_dashboard
from flows.usecases.documents import identity_of
from flows.usecases.rounds import close_round
from flows.usecases.submissions import stored_reading
from flows.usecases.texts import (
    bracket_records,
    load_compilation,
    names_of,
    rules_of,
    template_of,
    templates_by_language,
    texts_by_language,
)
from storage import UnitOfWork

JSON, HTML = "application/json", "text/html; charset=utf-8"


@dataclass
class CompiledRound:
    round: int
    submissions: int
    proposals: int
    conflicts: int
    paths: list[str] = field(default_factory=list)


def close_and_compile(app: App, slug: str, *, by: str | None = None) -> CompiledRound:
    """Close the open round (if it is open) and compile it (``by``: who closed it in the portal)."""
    with app.store.reading() as uow:
        latest = uow.repo.latest_round(uow.repo.declaration(slug))
        is_open = latest is not None and latest.is_open
    if is_open or latest is None:
        close_round(app, slug, by=by)
    return compile_round(app, slug)


def compile_round(app: App, slug: str) -> CompiledRound:
    """Compile the latest closed round (idempotent: an existing compilation is returned as it is)."""
    files: dict[str, bytes] = {}
    result = change(app, lambda uow: _compile(uow, app, slug, files))
    folder = round_dir(app, slug, result.round)
    result.paths = [
        str(write_file(app, confine(folder, name), data)) for name, data in sorted(files.items())
    ]
    publish_dashboard(app, slug)
    return result


def _reading(uow: UnitOfWork, app: App, sub: Submission) -> Reading:
    """The reading stored at submission (parsing again only for submissions stored before readings were kept)."""
    stored = sub.summary.get("reading")
    if stored:
        return stored_reading(app, uow, stored)
    return app.read(uow.blob(sub.blob_sha256), sub.filename)


def _stored(merged: Merged, contributions: list[PartyProposals]) -> dict[str, Any]:
    return {
        "merged": merged.model_dump(mode="json"),
        "contributions": [c.model_dump(mode="json") for c in contributions],
    }


def _contributions(
    uow: UnitOfWork,
    app: App,
    declaration: Declaration,
    current: Round,
    number: int,
    bases: dict[str, DraftText],
    first: str,
) -> dict[str, list[PartyProposals]]:
    """Each current submission's proposals on the text of the language it was made on."""
    older: dict[str, dict[str, DraftText]] = {lang: {} for lang in bases}
    for v in uow.repo.versions(declaration):
        if v.number < number:
            for lang, text in texts_by_language(v, first).items():
                older.setdefault(lang, {})[v.label] = text
    found: dict[str, list[PartyProposals]] = {lang: [] for lang in bases}
    for sub in uow.repo.submissions(current, current_only=True):
        reading = _reading(uow, app, sub)
        lang = sub.summary.get("language", first)
        found[lang].append(
            derive_proposals(
                reading,
                bases[lang],
                party=sub.party,
                submission=sub.id,
                older=older[lang],
                stamped_version=reading.custom_properties.get(STAMP_VERSION),
            )
        )
    return found


def _compile(uow: UnitOfWork, app: App, slug: str, files: dict[str, bytes]) -> CompiledRound:
    declaration = uow.repo.declaration(slug)
    current = uow.repo.latest_round(declaration)
    if current is None or current.is_open:
        from drafting.errors import WrongState

        raise WrongState(
            f"{slug!r} has no closed round to compile; close it with `accord round close {slug}`"
        )
    existing = load_compilation(uow, declaration, current)
    if existing is not None:
        for artifact in uow.repo.artifacts(declaration):
            if artifact.round == current.number and artifact.kind in (
                "compilation",
                "synopsis-json",
                "synopsis-html",
            ):
                files[artifact.name] = uow.blob(artifact.blob_sha256)
        return CompiledRound(
            current.number,
            len(existing.contributions),
            len(existing.merged.proposals),
            len(existing.merged.conflicts),
        )
    base_version = uow.repo.version(declaration, current.base_version)
    first = declaration.first_language
    bases = texts_by_language(base_version, first)
    base = bases[first]
    names = names_of(uow, declaration)
    by_language = _contributions(uow, app, declaration, current, base_version.number, bases, first)
    contributions = [c for found in by_language.values() for c in found]
    merged = merge(by_language[first])
    now = app.now()  # read once: every time this transaction records is the same moment
    date = current.closed_at or now
    stamp = {
        STAMP_DECLARATION: slug,
        STAMP_VERSION: base_version.label,
        STAMP_ROUND: str(current.number),
    }
    title = f"Compilation of proposals, round {current.number} on {base_version.label}"
    identity = identity_of(
        declaration,
        f"Compilation, round {current.number} on {base_version.label}",
        state="draft",
        at=date,
    )
    others = {lang: tagged(merge(by_language[lang]), lang) for lang in bases if lang != first}
    data = synopsis(
        base,
        merged,
        by_language[first],
        names=names,
        declaration=slug,
        title=declaration.title,
        round_number=current.number,
        version=base_version.label,
        brackets=bracket_records(uow, declaration, base_version)[0],
    )
    # since stable bracket ids (rules 2), the Word file says "B3 resolved: ..." too; an old log's, as it was
    resolves = resolved_brackets(data) if rules_of(uow, declaration) >= STABLE_IDS else None
    covered = (
        rules_of(uow, declaration) >= COVER_PAGE
    )  # a declaration created before: no first page, as it was
    if not others:
        cover = (
            _cover(uow, declaration, current, base_version.label, merged, names)
            if covered
            else None
        )
        files["compilation.docx"] = compilation_document(
            template_of(uow, declaration),
            base,
            merged,
            names=names,
            date=date,
            stamp=stamp,
            title=title,
            identity=identity,
            resolves=resolves,
            cover=cover,
        )
    else:  # one compilation per language, one synopsis with each paragraph's amendments in every language
        templates = templates_by_language(uow, declaration)
        for lang, on in [(first, merged), *others.items()]:
            files[f"compilation.{lang}.docx"] = compilation_document(
                templates[lang],
                bases[lang],
                on,
                names=names,
                date=date,
                stamp=stamp | {STAMP_LANGUAGE: lang},
                title=title,
                identity=identity,
                resolves=resolves if lang == first else None,
                cover=_cover(uow, declaration, current, base_version.label, on, names)
                if covered
                else None,
            )
        data = side_by_side(
            data,
            {
                lang: synopsis(
                    bases[lang],
                    on,
                    by_language[lang],
                    names=names,
                    declaration=slug,
                    title=declaration.title,
                    round_number=current.number,
                    version=base_version.label,
                )
                for lang, on in others.items()
            },
            languages=list(bases),
        )
    stored = _stored(merged, by_language[first])
    if others:
        stored["languages"] = {lang: _stored(on, by_language[lang]) for lang, on in others.items()}
        merged = combined(merged, others)
    files["synopsis.json"] = canonical_json(data).encode()
    files["synopsis.html"] = synopsis_html(data).encode()
    blobs = {"proposals.json": uow.put_blob(canonical_json(stored).encode(), JSON)}
    kinds = {
        "compilation.docx": "compilation",
        "synopsis.json": "synopsis-json",
        "synopsis.html": "synopsis-html",
        "proposals.json": "proposals",
    } | {f"compilation.{lang}.docx": "compilation" for lang in bases}
    for name, payload in files.items():
        blobs[name] = uow.put_blob(
            payload,
            HTML
            if name.endswith(".html")
            else JSON
            if name.endswith(".json")
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    for name, digest in sorted(blobs.items()):
        uow.repo.add_artifact(
            declaration,
            Artifact(
                kind=kinds[name],
                name=name,
                blob_sha256=digest,
                created_at=date,
                round=current.number,
            ),
        )
    ready = CompilationReady(
        round=current.number,
        version=base_version.label,
        documents=blobs,
        submissions=tuple(c.submission for c in contributions),
        proposals=len(merged.proposals),
        conflicts=len(merged.conflicts),
    )
    uow.record(declaration, ready, SECRETARIAT, now)
    return CompiledRound(
        current.number, len(contributions), len(merged.proposals), len(merged.conflicts)
    )


def _cover(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Round,
    version: str,
    merged: Merged,
    names: dict[str, str],
) -> list[str]:
    """The compilation's first page, its deadline in the declaration's zone."""
    roles = {p.code: p.role for p in uow.repo.parties(declaration)}
    answered = [roles[s.party] for s in uow.repo.submissions(current, current_only=True)]
    received = Received(
        delegations=answered.count(Role.DELEGATION),
        of=list(roles.values()).count(Role.DELEGATION),
        co_presidencies=answered.count(Role.CO_PRESIDENCY),
    )
    deadline = local_time(current.deadline, declaration.timezone) if current.deadline else None
    return cover_lines(
        merged,
        names,
        round_number=current.number,
        version=version,
        deadline=deadline,
        received=received,
    )
