"""Close a round and compile: proposals from every submission, merged, as compilation.docx and the synopsis."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafting.compilation import Received
from drafting.documents import STAMP_VERSION
from drafting.errors import WrongState
from drafting.lifecycle import Round
from drafting.merge import StoredCompilation
from drafting.moments import local_time
from drafting.negotiation import SECRETARIAT, Declaration, Role, Submission, Version
from drafting.proposals import PartyProposals, derive_proposals
from drafting.round_compilation import (
    CompiledDocuments,
    RoundToCompile,
    compile_documents,
    media_type,
)
from drafting.text import DraftText
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, round_dir, write_file
from flows.usecases.dashboard import publish_dashboard
from flows.usecases.documents import identity_of
from flows.usecases.rounds import close_round
from flows.usecases.submissions import submission_reading
from flows.usecases.texts import (
    bracket_records,
    load_compilation,
    names_of,
    rules_of,
    templates_by_language,
    texts_by_language,
)
from storage import UnitOfWork

_SHOWN = ("compilation", "synopsis-json", "synopsis-html")


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
    older = _older_texts(uow, declaration, number, bases, first)
    found: dict[str, list[PartyProposals]] = {lang: [] for lang in bases}
    for sub in uow.repo.submissions(current, current_only=True):
        lang = sub.summary.language or first
        found[lang].append(_proposals(uow, app, sub, bases[lang], older[lang]))
    return found


def _older_texts(
    uow: UnitOfWork, declaration: Declaration, number: int, bases: dict[str, DraftText], first: str
) -> dict[str, dict[str, DraftText]]:
    """The texts of the versions before version ``number``, by language and label."""
    older: dict[str, dict[str, DraftText]] = {lang: {} for lang in bases}
    for v in uow.repo.versions(declaration):
        if v.number < number:
            for lang, text in texts_by_language(v, first).items():
                older.setdefault(lang, {})[v.label] = text
    return older


def _proposals(
    uow: UnitOfWork, app: App, sub: Submission, base: DraftText, older: dict[str, DraftText]
) -> PartyProposals:
    """A submission's proposals on ``base`` (a file made on an ``older`` text: by way of it)."""
    reading = submission_reading(app, uow, sub)
    stamped = reading.custom_properties.get(STAMP_VERSION)
    return derive_proposals(
        reading, base, party=sub.party, submission=sub.id, older=older, stamped_version=stamped
    )


def _compile(uow: UnitOfWork, app: App, slug: str, files: dict[str, bytes]) -> CompiledRound:
    """Compile the latest closed round in one transaction (an existing compilation: its files as they are)."""
    declaration = uow.repo.declaration(slug)
    current = _closed_round(uow, declaration)
    existing = load_compilation(uow, declaration, current)
    if existing is not None:
        return _existing(uow, declaration, current, existing, files)
    base_version = uow.repo.version(declaration, current.base_version)
    now = app.now()  # read once: every time this transaction records is the same moment
    compiled = compile_documents(_to_compile(uow, app, declaration, current, base_version, now))
    files.update(compiled.files)
    _record(uow, declaration, current, base_version.label, compiled, now)
    merged = compiled.merged
    return CompiledRound(
        current.number, len(compiled.contributions), len(merged.proposals), compiled.conflicts
    )


def _closed_round(uow: UnitOfWork, declaration: Declaration) -> Round:
    """The declaration's latest round, which must be closed."""
    current = uow.repo.latest_round(declaration)
    if current is None or current.is_open:
        raise WrongState(
            f"{declaration.slug!r} has no closed round to compile;"
            f" close it with `accord round close {declaration.slug}`"
        )
    return current


def _existing(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Round,
    existing: StoredCompilation,
    files: dict[str, bytes],
) -> CompiledRound:
    """A round compiled before: its stored files and counts."""
    for artifact in uow.repo.artifacts(declaration):
        if artifact.round == current.number and artifact.kind in _SHOWN:
            files[artifact.name] = uow.blob(artifact.blob_sha256)
    return CompiledRound(
        current.number,
        len(existing.contributions),
        len(existing.merged.proposals),
        existing.conflict_count(),
    )


def _to_compile(
    uow: UnitOfWork, app: App, declaration: Declaration, current: Round, base: Version, now: str
) -> RoundToCompile:
    """Everything the round's compilation is made of, loaded."""
    first = declaration.first_language
    bases = texts_by_language(base, first)
    date = current.closed_at or now
    label = f"Compilation, round {current.number} on {base.label}"
    return RoundToCompile(
        declaration=declaration.slug,
        title=declaration.title,
        round_number=current.number,
        version=base.label,
        bases=bases,
        contributions=_contributions(uow, app, declaration, current, base.number, bases, first),
        names=names_of(uow, declaration),
        templates=templates_by_language(uow, declaration),
        date=date,
        identity=identity_of(declaration, label, state="draft", at=date),
        brackets=bracket_records(uow, declaration, base)[0],
        rules=rules_of(uow, declaration),
        deadline=local_time(current.deadline, declaration.timezone) if current.deadline else None,
        received=_received(uow, declaration, current),
    )


def _received(uow: UnitOfWork, declaration: Declaration, current: Round) -> Received:
    """Who answered the round, for the compilation's first page."""
    roles = {p.code: p.role for p in uow.repo.parties(declaration)}
    answered = [roles[s.party] for s in uow.repo.submissions(current, current_only=True)]
    return Received(
        delegations=answered.count(Role.DELEGATION),
        of=list(roles.values()).count(Role.DELEGATION),
        co_presidencies=answered.count(Role.CO_PRESIDENCY),
    )


def _record(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Round,
    version: str,
    compiled: CompiledDocuments,
    now: str,
) -> None:
    """Store the files as artifacts of the round and record CompilationReady."""
    files = compiled.stored_files()
    blobs = {name: uow.put_blob(data, media_type(name)) for name, data in files.items()}
    made = current.closed_at or now
    for artifact in compiled.artifacts(blobs, round_number=current.number, at=made):
        uow.repo.add_artifact(declaration, artifact)
    uow.record(declaration, compiled.ready(current.number, version, blobs), SECRETARIAT, now)
