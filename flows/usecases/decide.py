"""Co-presidency decisions, the next revision, and its approval by both co-presidencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting.deciding import (
    Approve,
    Decide,
    approval_report,
    compiled_round,
    decisions_from_compilation,
    every_proposal,
    tally,
)
from drafting.decisions import decisions_from_json
from drafting.errors import Forbidden, InvalidInput, RefusedFile, WrongState
from drafting.filing import version_files
from drafting.lifecycle import Round
from drafting.merge import Merged
from drafting.negotiation import (
    SECRETARIAT,
    Declaration,
    Party,
    Role,
    Translation,
    Version,
    version_label,
)
from drafting.revising import (
    RevisedTexts,
    RoundToRevise,
    revise_texts,
    translation_of,
    version_content,
    version_issued,
)
from drafting.round_compilation import media_type
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, log_refusal, write_file
from flows.usecases.dashboard import publish_dashboard
from flows.usecases.documents import add_draft, issue_versions
from flows.usecases.texts import (
    bracket_records,
    co_presidencies,
    load_compilation,
    names_of,
    rules_of,
    texts_by_language,
)
from storage import UnitOfWork


@dataclass(frozen=True)
class DecisionReceipt:
    round: int
    party: str
    accepted: int
    rejected: int
    undecided: int
    revision: str | None = None


def _co_presidency(uow: UnitOfWork, declaration: Declaration, code: str, action: str) -> Party:
    party = uow.repo.party(declaration, code)
    if party.role != Role.CO_PRESIDENCY:
        raise Forbidden(
            f"{code} may not {action}: only the co-presidencies ({', '.join(co_presidencies(uow, declaration))}) do"
        )
    return party


def decide(
    app: App, slug: str, *, party: str, data: bytes, filename: str, by: str | None = None
) -> DecisionReceipt:
    """Record a co-presidency's decisions (.json or the compilation .docx); both in -> the next revision.
    A refused attempt (not a co-presidency, no compiled round, a bad file) is logged with its reason."""
    returned = Decide(party, data, filename, by)
    drafts: dict[str, bytes] = {}
    try:
        receipt = change(app, lambda uow: _decide(uow, app, slug, returned, drafts))
    except (Forbidden, WrongState, InvalidInput, RefusedFile) as refusal:
        log_refusal(app, slug, party, returned.refused(str(refusal)))
        raise
    _write_versions(app, slug, drafts)
    return receipt


def _write_versions(app: App, slug: str, files: dict[str, bytes]) -> None:
    """A version's documents in the declaration's versions folder (a revision with translation pending: in every
    language, for the translator to work on)."""
    for name, document in files.items():
        write_file(app, confine(declaration_dir(app, slug), "versions", name), document)


def _decide(
    uow: UnitOfWork, app: App, slug: str, returned: Decide, drafts: dict[str, bytes]
) -> DecisionReceipt:
    """Record the decisions on the latest round; once both co-presidencies have decided, issue the revision."""
    now = app.now()
    declaration = uow.repo.declaration(slug)
    _co_presidency(uow, declaration, returned.party, "decide on proposals")
    current, merged = _round_to_decide(uow, slug, declaration)
    decisions = _decisions(uow, app, declaration, current, merged, returned)
    digest = uow.put_blob(returned.data, media_type(returned.filename))
    # the party's earlier decisions in the round are superseded
    uow.repo.add_decision(current, returned.decision(digest, decisions, now))
    recorded = returned.recorded(current.number, digest, decisions)
    uow.record(declaration, recorded, returned.party, now)
    revision = None
    if _all_decided(uow, declaration, current):
        revision = _issue_revision(uow, declaration, current, now, drafts)
    counts = tally(decisions, every_proposal(merged))
    return DecisionReceipt(current.number, returned.party, *counts, revision=revision)


def _round_to_decide(
    uow: UnitOfWork, slug: str, declaration: Declaration
) -> tuple[Round, dict[str, Merged]]:
    """The latest round, closed and compiled (else WrongState), and its merged proposals by language."""
    latest = uow.repo.latest_round(declaration)
    stored = load_compilation(uow, declaration, latest) if latest else None
    current, compiled = compiled_round(slug, latest, stored)
    return current, compiled.merged_by_language(declaration.first_language)


def _all_decided(uow: UnitOfWork, declaration: Declaration, current: Round) -> bool:
    """Both co-presidencies have decided on the round."""
    decided_by = {r.party for r in uow.repo.decisions(current)}
    return decided_by >= set(co_presidencies(uow, declaration))


def _decisions(
    uow: UnitOfWork,
    app: App,
    declaration: Declaration,
    current: Round,
    merged: dict[str, Merged],
    returned: Decide,
) -> dict[str, str]:
    """The decisions in the returned file, on the round's proposals (a .docx: read as the compilation it is)."""
    if returned.kind == "json":
        return decisions_from_json(returned.data, every_proposal(merged), source=returned.filename)
    reading = app.read(returned.data, returned.filename)
    base = uow.repo.version(declaration, current.base_version)
    bases = texts_by_language(base, declaration.first_language)
    return decisions_from_compilation(reading, bases, merged, names_of(uow, declaration), returned)


def revise(app: App, slug: str) -> str:
    """Issue the next revision now; a co-presidency that has not decided counts as silent (-> brackets)."""
    drafts: dict[str, bytes] = {}
    label = change(app, lambda uow: _revise(uow, app, slug, drafts))
    _write_versions(app, slug, drafts)
    return label


def _revise(uow: UnitOfWork, app: App, slug: str, drafts: dict[str, bytes]) -> str:
    """The revision of the latest round, once it is closed and compiled."""
    declaration = uow.repo.declaration(slug)
    current = uow.repo.latest_round(declaration)
    if (
        current is None
        or not current.awaiting_decisions()
        or load_compilation(uow, declaration, current) is None
    ):
        raise WrongState(f"{slug!r}: no closed, compiled round waiting for a revision")
    return _issue_revision(uow, declaration, current, app.now(), drafts)


def _issue_revision(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Round,
    now: str,
    drafts: dict[str, bytes],
) -> str:
    """Reconcile, apply, render and record the next version; ``now`` is the triggering action's time.
    In several languages each text takes the amendments made on it, and the texts are kept in step."""
    base_version = uow.repo.version(declaration, current.base_version)
    revised = revise_texts(_to_revise(uow, declaration, current, base_version))
    number = uow.repo.current_version(declaration).number + 1
    label = version_label(number)
    documents = _revision_documents(uow, declaration, revised, label, now, drafts)
    digest, translations = _stored(uow, declaration, revised, documents)
    content = version_content(revised, current.number, translations)
    add_draft(uow, declaration, base_version, number=number, blob=digest, content=content, at=now)
    current.decided()
    issued = version_issued(
        revised, translations, label=label, number=number, round_number=current.number, blob=digest
    )
    uow.record(declaration, issued, SECRETARIAT, now)
    return label


def _revision_documents(
    uow: UnitOfWork,
    declaration: Declaration,
    revised: RevisedTexts,
    label: str,
    now: str,
    drafts: dict[str, bytes],
) -> dict[str, bytes]:
    """The revision's documents in every language, by language; with translation pending, kept in ``drafts`` by
    file name too, for the translator to work on."""
    documents = issue_versions(
        uow,
        declaration,
        revised.texts,
        label=label,
        at=now,
        note=revised.note,
        comments=revised.comments,
    )
    if any(revised.pending.values()):
        drafts.update(version_files(label, revised.first, documents))
    return documents


def _to_revise(
    uow: UnitOfWork, declaration: Declaration, current: Round, base_version: Version
) -> RoundToRevise:
    """The round's compiled proposals, decisions and base texts, loaded."""
    stored = load_compilation(uow, declaration, current)
    assert stored is not None
    first = declaration.first_language
    groups, first_id = bracket_records(uow, declaration, base_version)
    content = base_version.content
    return RoundToRevise(
        bases=texts_by_language(base_version, first),
        merged=stored.merged_by_language(first),
        decisions={r.party: r.decisions for r in uow.repo.decisions(current)},
        co_presidencies=co_presidencies(uow, declaration),
        groups=groups,
        first_id=first_id,
        rules=rules_of(uow, declaration),
        pending={first: content.pending}
        | {lang: t.pending for lang, t in content.translations.items()},
    )


def _stored(
    uow: UnitOfWork, declaration: Declaration, revised: RevisedTexts, documents: dict[str, bytes]
) -> tuple[str, dict[str, Translation]]:
    """The revision's documents stored: the first language's sha256, and the languages after it."""
    digest = uow.put_blob(documents[revised.first])
    templates = uow.repo.versions(declaration)[0].content.translations
    return digest, {
        lang: translation_of(
            revised, lang, blob=uow.put_blob(documents[lang]), template=templates[lang].template
        )
        for lang in revised.texts
        if lang != revised.first
    }


def approve(
    app: App, slug: str, *, party: str, pending_translation: bool = False, by: str | None = None
) -> dict[str, Any]:
    """A co-presidency approves the draft revision; when both have, it is circulated (with translation pending
    only when ``pending_translation`` says so; ``by``: who, in the portal)."""
    approving = Approve(party, pending_translation, by)
    files: dict[str, bytes] = {}
    try:
        result = change(app, lambda uow: _approve(uow, app, slug, approving, files))
    except (Forbidden, WrongState) as refusal:
        log_refusal(app, slug, party, approving.refused(str(refusal)))
        raise
    _write_versions(app, slug, files)
    publish_dashboard(app, slug)
    return result


def _approve(
    uow: UnitOfWork, app: App, slug: str, approving: Approve, files: dict[str, bytes]
) -> dict[str, Any]:
    """Record the approval; the one that completes the set circulates the version (its files kept in ``files``)."""
    now = app.now()
    declaration = uow.repo.declaration(slug)
    row = _co_presidency(uow, declaration, approving.party, "approve a revision")
    version = uow.repo.get_version(declaration)
    approval, *circulation = approving.approve(version, co_presidencies(uow, declaration))
    current = uow.repo.current_version(declaration)
    uow.repo.add_approval(current, row.code, now)
    uow.record(declaration, approval, approving.party, now)
    for event in circulation:
        uow.record(declaration, event, SECRETARIAT, now)
        files.update(_issued_files(uow, declaration, current))
    return approval_report(version, circulated=bool(files))


def _issued_files(uow: UnitOfWork, declaration: Declaration, version: Version) -> dict[str, bytes]:
    """A version's documents as issued, in every language, by file name."""
    documents = {declaration.first_language: uow.blob(version.blob_sha256)} | {
        lang: uow.blob(t.blob) for lang, t in version.content.translations.items()
    }
    return version_files(version.label, declaration.first_language, documents)
