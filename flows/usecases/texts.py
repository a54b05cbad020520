"""Loading what versions and compilations hold, inside a unit of work."""

from __future__ import annotations

from typing import Any

from drafting.brackets import FIRST_RULES, STABLE_IDS, carried, next_number
from drafting.errors import IntegrityError
from drafting.lifecycle import Round
from drafting.merge import StoredCompilation
from drafting.negotiation import Declaration, Version
from drafting.text import DraftText
from storage import UnitOfWork

PROPOSALS_JSON = "application/json"


def version_text(row: Version) -> DraftText:
    """The paragraphs a version holds."""
    return row.content.text


def template_of(uow: UnitOfWork, declaration: Declaration) -> bytes:
    """The zero draft as uploaded: every document accord writes takes its styles and numbering."""
    template = uow.repo.versions(declaration)[0].content.template
    if template is None:
        raise IntegrityError(
            f"{declaration.slug!r}: the zero draft's record names no uploaded file"
        )
    return uow.blob(template)


def texts_by_language(row: Version, first: str) -> dict[str, DraftText]:
    """A version's text in each of its languages, the first first (one language: just it)."""
    content = row.content
    return {first: content.text} | {lang: t.text for lang, t in content.translations.items()}


def templates_by_language(uow: UnitOfWork, declaration: Declaration) -> dict[str, bytes]:
    """The zero draft as uploaded in each language: the styles of every document in that language."""
    zero = uow.repo.versions(declaration)[0].content
    first = declaration.first_language
    return {first: template_of(uow, declaration)} | {
        lang: uow.blob(t.template) for lang, t in zero.translations.items()
    }


def names_of(uow: UnitOfWork, declaration: Declaration) -> dict[str, str]:
    """Party code -> name."""
    return {p.code: p.name for p in uow.repo.parties(declaration)}


def co_presidencies(uow: UnitOfWork, declaration: Declaration) -> list[str]:
    """The two co-presidencies' codes, sorted."""
    return sorted(p.code for p in uow.repo.parties(declaration) if p.role == "co-presidency")


def load_compilation(
    uow: UnitOfWork, declaration: Declaration, round_: Round
) -> StoredCompilation | None:
    """The stored proposals of a round's compilation, or None when it has not been compiled."""
    rows = [
        a for a in uow.repo.artifacts(declaration, kind="proposals") if a.round == round_.number
    ]
    if not rows:
        return None
    return StoredCompilation.model_validate_json(uow.blob(rows[-1].blob_sha256))


def rules_of(uow: UnitOfWork, declaration: Declaration) -> int:
    """The derivation rules a declaration follows, as its creation recorded them (drafting.brackets); a log
    that is still empty (a unit test's seed) records none."""
    log = uow.log(declaration)
    return int(log[0].payload.get("rules") or FIRST_RULES) if log else FIRST_RULES


def bracket_records(
    uow: UnitOfWork, declaration: Declaration, version: Version
) -> tuple[list[dict[str, Any]], int]:
    """Lineage records of the bracket groups ``version`` carries, and the number its next revision's first new
    group takes: with stable ids, every group come through since it was made, numbered on from the last id ever
    given; before (an old log), the groups of its own lineage, and a revision numbers its groups from B1."""
    if rules_of(uow, declaration) < STABLE_IDS:
        return version.content.lineage, 1
    lineages = [
        v.content.lineage for v in uow.repo.versions(declaration) if v.number <= version.number
    ]
    return [group.model_dump(mode="json") for group in carried(lineages)], next_number(lineages)
