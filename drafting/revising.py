"""The next revision as values: the co-presidencies' decisions reconciled, applied to each language's text, the texts
kept in step, each document's bracket comments, and what the version records (its content and VersionIssued).
The use case loads the round and renders and records the documents; nothing here touches a log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drafting.bilingual import (
    bracket_pending,
    combined,
    in_step,
    pending_note,
    reanchored,
    resolutions_in,
)
from drafting.brackets import ACROSS, STABLE_IDS, carried
from drafting.canonical import canonical_json, sha256_hex
from drafting.decisions import Resolution, reconcile
from drafting.events import IssuedTranslation, VersionIssued
from drafting.merge import Merged
from drafting.negotiation import Translation, VersionContent
from drafting.provenance import history_fields, kept_in_step
from drafting.revision import Operation, bracket_comments, lineage, next_revision, operations
from drafting.text import DraftText

Comments = list[tuple[int, int, int, str]]


@dataclass(frozen=True)
class RoundToRevise:
    """What the next revision is made of (``bases`` and ``merged``: the first language first; ``pending``: the
    paragraphs pending translation in each language of the base version)."""

    bases: dict[str, DraftText]
    merged: dict[str, Merged]
    decisions: dict[str, dict[str, str]]
    co_presidencies: list[str]
    groups: list[dict[str, Any]]
    first_id: int
    rules: int
    pending: dict[str, list[str]]

    @property
    def first(self) -> str:
        """The declaration's first language."""
        return next(iter(self.bases))


@dataclass(frozen=True)
class RevisedTexts:
    """Each language's revised text and what its document and record say of it."""

    first: str
    resolutions: list[Resolution]
    texts: dict[str, DraftText]
    pending: dict[str, list[str]]
    lineage: list[dict[str, Any]]
    lineages: dict[str, list[dict[str, Any]]]
    comments: dict[str, Comments]
    kept: dict[str, list[list[dict[str, Any]]]]

    @property
    def note(self) -> str:
        """What is pending translation, as every document's header says it."""
        return pending_note(self.texts[self.first], self.pending)


def revise_texts(task: RoundToRevise) -> RevisedTexts:
    """Reconcile the decisions and apply them: each text takes the amendments made on it, kept in step."""
    first, on = task.first, task.merged
    others = {k: v for k, v in on.items() if k != first}
    resolutions = reconcile(combined(on[first], others), task.decisions, task.co_presidencies)
    revised = {lang: _revised(task, lang, resolutions) for lang in task.bases}
    placed = revised[first][1]
    record = lineage(placed)
    # with stable ids, a group come through untouched keeps its comment (its id and holders) in the new document
    shown = carried([task.groups, record]) if task.rules >= STABLE_IDS else placed
    texts: dict[str, DraftText] = {first: revised[first][0]}
    pending: dict[str, list[str]] = {first: []}
    if len(task.bases) > 1:
        texts, pending = in_step(task.bases, {k: t for k, (t, _) in revised.items()}, task.pending)
        pending = bracket_pending(texts, pending) if task.rules >= ACROSS else pending
    comments = {
        lang: reanchored(bracket_comments(t, shown if lang == first else placed_in), t, texts[lang])
        for lang, (t, placed_in) in revised.items()
    }
    lineages = {lang: lineage(placed_in) for lang, (_, placed_in) in revised.items()}
    kept = _kept({lang: t for lang, (t, _) in revised.items()}, texts)
    return RevisedTexts(first, resolutions, texts, pending, record, lineages, comments, kept)


def _revised(
    task: RoundToRevise, lang: str, resolutions: list[Resolution]
) -> tuple[DraftText, list[Operation]]:
    """One language's text with its own amendments' resolutions applied."""
    base = task.bases[lang]
    # bracket ids count on in the first language (each further language's document numbers its own from B1)
    ops = operations(
        base,
        task.merged[lang],
        resolutions_in(resolutions, lang, task.first),
        first=task.first_id if lang == task.first else 1,
    )
    return next_revision(base, ops)


def _kept(
    revised: dict[str, DraftText], texts: dict[str, DraftText]
) -> dict[str, list[list[dict[str, Any]]]]:
    """What each language's text owes to the others' words kept in step (for blame); nothing in one language."""
    if len(texts) == 1:
        return {}
    return {
        lang: kept_in_step(revised[lang], texts[lang], ", ".join(sorted(set(texts) - {lang})))
        for lang in texts
    }


def translation_of(revised: RevisedTexts, lang: str, *, blob: str, template: str) -> Translation:
    """A language after the first as the version stores it (``blob``: its document; ``template``: its styles)."""
    return Translation(
        text=revised.texts[lang],
        blob=blob,
        template=template,
        pending=revised.pending[lang],
        **history_fields(revised.lineages[lang], revised.kept[lang]),
    )


def version_content(
    revised: RevisedTexts, round_number: int, translations: dict[str, Translation]
) -> VersionContent:
    """What the new version records: its text, lineage, round and resolutions (and its translations)."""
    first = revised.first
    several: dict[str, Any] = (
        {
            "translations": translations,
            "pending": revised.pending[first],
            **history_fields([], revised.kept.get(first, [])),
        }
        if translations
        else {}
    )
    return VersionContent(
        text=revised.texts[first],
        lineage=revised.lineage,
        round=round_number,
        resolutions=[r.model_dump(mode="json") for r in revised.resolutions],
        **several,
    )


def version_issued(
    revised: RevisedTexts,
    translations: dict[str, Translation],
    *,
    label: str,
    number: int,
    round_number: int,
    blob: str,
) -> VersionIssued:
    """The event that records the new version (``blob``: its document in the first language)."""
    text = revised.texts[revised.first]
    return VersionIssued(
        version=label,
        number=number,
        round=round_number,
        blob=blob,
        text_sha256=text.sha256,
        paragraphs=len(text.paragraphs),
        bracketed=tuple(p.key for p in text.bracketed()),
        outcomes=outcomes(revised.resolutions),
        lineage_sha256=sha256_hex(canonical_json(revised.lineage)),
        translations=issued_translations(translations) or None,
        pending=tuple(revised.pending[revised.first]) if translations else None,
    )


def outcomes(resolutions: list[Resolution]) -> dict[str, int]:
    """How many amendments were applied, dropped and bracketed."""
    return {
        o: sum(1 for r in resolutions if r.outcome == o)
        for o in ("applied", "dropped", "bracketed")
    }


def issued_translations(translations: dict[str, Translation]) -> dict[str, IssuedTranslation]:
    """A version's translations as the events that issue or change it name them."""
    return {
        lang: IssuedTranslation(
            blob=t.blob,
            text_sha256=t.text.sha256,
            paragraphs=len(t.text.paragraphs),
            pending=tuple(t.pending),
        )
        for lang, t in translations.items()
    }
