"""Co-presidency decisions, the next revision, and its approval by both co-presidencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting.bilingual import (
    combined,
    pending_by_language,
    pending_note,
)
from drafting.canonical import sha256_hex
from drafting.decisions import decisions_from_docx, decisions_from_json
from drafting.errors import Forbidden, InvalidInput, RefusedFile, WrongState
from drafting.events import (
    ApprovalRefused,
    DecisionRecorded,
    DecisionRefused,
)
from drafting.languages import base_language
from drafting.lifecycle import Round
from drafting.negotiation import (
    SECRETARIAT,
    Decision,
    Declaration,
    Party,
    Role,
    RoundState,
    Translation,
    Version,
    VersionState,
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
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, log_refusal, write_file
from flows.usecases.dashboard import publish_dashboard
from flows.usecases.documents import issue_versions
from flows.usecases.texts import (
    bracket_records,
    co_presidencies,
    load_compilation,
    names_of,
    rules_of,
    texts_by_language,
)
from storage import DOCX, UnitOfWork


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
    try:
        drafts: dict[str, bytes] = {}
        receipt = change(
            app, lambda uow: _decide(uow, app, slug, party, data, filename, by, drafts)
        )
    except (Forbidden, WrongState, InvalidInput, RefusedFile) as refusal:
        refused = DecisionRefused(
            party=party,
            filename=filename,
            sha256=sha256_hex(data),
            size=len(data),
            reason=str(refusal),
            by=by,
        )
        log_refusal(app, slug, party, refused)
        raise
    _write_drafts(app, slug, drafts)
    return receipt


def _write_drafts(app: App, slug: str, drafts: dict[str, bytes]) -> None:
    """A revision with translation pending: its documents in every language, for the translator to work on."""
    for name, document in drafts.items():
        write_file(app, confine(declaration_dir(app, slug), "versions", name), document)


def _decide(
    uow: UnitOfWork,
    app: App,
    slug: str,
    code: str,
    data: bytes,
    filename: str,
    by: str | None = None,
    drafts: dict[str, bytes] | None = None,
) -> DecisionReceipt:
    now = app.now()
    declaration = uow.repo.declaration(slug)
    _co_presidency(uow, declaration, code, "decide on proposals")
    current = uow.repo.latest_round(declaration)
    stored = load_compilation(uow, declaration, current) if current else None
    if current is None or not current.awaiting_decisions() or stored is None:
        state = (
            "decided"
            if current is not None and current.state is RoundState.DECIDED
            else "not compiled"
        )
        raise WrongState(
            f"{slug!r}: the latest round is {state}; decisions are taken on a closed, compiled round"
        )
    merged = stored.merged
    first = declaration.first_language
    on = stored.merged_by_language(first)
    every = combined(merged, {k: v for k, v in on.items() if k != first})
    if filename.lower().endswith(".json"):
        decisions = decisions_from_json(data, every, source=filename)
    elif filename.lower().endswith(".docx"):
        reading = app.read(data, filename)
        bases = texts_by_language(uow.repo.version(declaration, current.base_version), first)
        language = first
        if (
            len(bases) > 1
        ):  # the compilation of which language: by alignment of the text it was made on
            made_on = [p.text_rejected for p in reading.paragraphs if p.container == "body"]
            language = base_language(
                made_on,
                {k: [p.text for p in t.paragraphs] for k, t in bases.items()},
                name=filename,
                party=code,
            )
        decisions = decisions_from_docx(
            reading, bases[language], on[language], names_of(uow, declaration)
        )
    else:
        raise InvalidInput(f"{filename}: decisions come as the compilation .docx or a .json file")
    digest = uow.put_blob(data, "application/json" if filename.endswith(".json") else DOCX)
    uow.repo.add_decision(  # supersedes the party's earlier decisions in the round
        current,
        Decision(party=code, blob_sha256=digest, decisions=decisions, received_at=now),
    )
    accepted = sum(1 for v in decisions.values() if v == "accept")
    rejected = len(decisions) - accepted
    recorded = DecisionRecorded(
        round=current.number, party=code, blob=digest, filename=filename, decisions=decisions, by=by
    )
    uow.record(declaration, recorded, code, now)
    revision = None
    decided_by = {r.party for r in uow.repo.decisions(current)}
    if decided_by >= set(co_presidencies(uow, declaration)):
        revision = _issue_revision(uow, declaration, current, now, drafts)
    return DecisionReceipt(
        current.number, code, accepted, rejected, len(every.proposals) - len(decisions), revision
    )


def revise(app: App, slug: str) -> str:
    """Issue the next revision now; a co-presidency that has not decided counts as silent (-> brackets)."""
    drafts: dict[str, bytes] = {}

    def work(uow: UnitOfWork) -> str:
        declaration = uow.repo.declaration(slug)
        current = uow.repo.latest_round(declaration)
        if (
            current is None
            or not current.awaiting_decisions()
            or load_compilation(uow, declaration, current) is None
        ):
            raise WrongState(f"{slug!r}: no closed, compiled round waiting for a revision")
        return _issue_revision(uow, declaration, current, app.now(), drafts)

    label = change(app, work)
    _write_drafts(app, slug, drafts)
    return label


def _issue_revision(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Round,
    now: str,
    drafts: dict[str, bytes] | None = None,
) -> str:
    """Reconcile, apply, render and record the next version; ``now`` is the triggering action's time.
    In several languages each text takes the amendments made on it, and the texts are kept in step."""
    base_version = uow.repo.version(declaration, current.base_version)
    revised = revise_texts(_to_revise(uow, declaration, current, base_version))
    number = uow.repo.current_version(declaration).number + 1
    label = version_label(number)
    documents = issue_versions(
        uow,
        declaration,
        revised.texts,
        label=label,
        at=now,
        note=revised.note,
        comments=revised.comments,
    )
    if drafts is not None and any(revised.pending.values()):
        drafts.update(_draft_names(revised.first, label, documents))
    digest = uow.put_blob(documents[revised.first])
    translations = _translations(uow, declaration, revised, documents)
    uow.repo.add_version(
        declaration,
        number=number,
        label=label,
        parent=base_version,
        blob_sha256=digest,
        text_sha256=revised.texts[revised.first].sha256,
        state=VersionState.DRAFT,
        created_at=now,
        content=version_content(revised, current.number, translations),
    )
    current.decided()
    issued = version_issued(
        revised, translations, label=label, number=number, round_number=current.number, blob=digest
    )
    uow.record(declaration, issued, SECRETARIAT, now)
    return label


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


def _draft_names(first: str, label: str, documents: dict[str, bytes]) -> dict[str, bytes]:
    """The documents by file name: Rev.2.docx, Rev.2.es.docx."""
    return {
        f"{label}.docx" if lang == first else f"{label}.{lang}.docx": d
        for lang, d in documents.items()
    }


def _translations(
    uow: UnitOfWork, declaration: Declaration, revised: RevisedTexts, documents: dict[str, bytes]
) -> dict[str, Translation]:
    """The languages after the first, their documents stored."""
    return {
        lang: translation_of(
            revised,
            lang,
            blob=uow.put_blob(documents[lang]),
            template=uow.repo.versions(declaration)[0].content.translations[lang].template,
        )
        for lang in revised.texts
        if lang != revised.first
    }


def approve(
    app: App, slug: str, *, party: str, pending_translation: bool = False, by: str | None = None
) -> dict[str, Any]:
    """A co-presidency approves the draft revision; when both have, it is circulated (with translation pending
    only when ``pending_translation`` says so; ``by``: who, in the portal)."""
    files: dict[str, bytes] = {}

    def work(uow: UnitOfWork) -> dict[str, Any]:
        now = app.now()
        declaration = uow.repo.declaration(slug)
        row = _co_presidency(uow, declaration, party, "approve a revision")
        version = uow.repo.get_version(declaration)
        current = uow.repo.current_version(declaration)
        content = current.content
        pending = pending_note(
            content.text, pending_by_language(declaration.first_language, content)
        )
        approval, *circulation = version.approve(
            party,
            co_presidencies(uow, declaration),
            pending=pending,
            pending_translation=pending_translation,
        )
        uow.repo.add_approval(current, row.code, now)
        uow.record(declaration, approval.acted_by(by), party, now)
        for event in circulation:
            uow.record(declaration, event, SECRETARIAT, now)
            files[f"{version.label}.docx"] = uow.blob(version.blob_sha256)
            for lang, translation in current.content.translations.items():
                files[f"{version.label}.{lang}.docx"] = uow.blob(translation.blob)
        return {
            "version": version.label,
            "approved_by": sorted(version.approved_by),
            "circulated": bool(files),
            **({"pending_translation": pending} if pending else {}),
        }

    try:
        result = change(app, work)
    except (Forbidden, WrongState) as refusal:
        log_refusal(app, slug, party, ApprovalRefused(party=party, reason=str(refusal), by=by))
        raise
    for name, data in files.items():
        write_file(app, confine(declaration_dir(app, slug), "versions", name), data)
    publish_dashboard(app, slug)
    return result
