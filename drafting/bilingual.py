"""One negotiation on texts in several languages: each language's amendments compiled on its own text, decided in
one place, and the next revision's languages kept in step, paragraph by paragraph (issue 15).

Amendments of the first language keep their ids (P001, C01); those made on another language's text carry it
(P001.es, C01.es), so that one decisions file decides on all of them. A paragraph a revision changes in one
language only becomes "translation pending" in the others until a translator's upload aligns it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from drafting.concordance import bracket_spans
from drafting.decisions import Resolution
from drafting.merge import ConflictGroup, Merged
from drafting.negotiation import VersionContent
from drafting.synopsis import AGREED, AMENDED, BRACKETED, IN_CONFLICT, UNCHANGED
from drafting.text import DraftParagraph, DraftText


def tag(pid: str, language: str) -> str:
    """An amendment's or conflict's id as decided: its language after a dot (P001.es)."""
    return f"{pid}.{language}"


def language_of(pid: str, first: str) -> str:
    """The language of the text an id was made on (an id without one is the first language's)."""
    return pid.rsplit(".", 1)[1] if "." in pid else first


def tagged(merged: Merged, language: str) -> Merged:
    """A language's merged amendments with ids that say which text they were made on."""
    return Merged(
        proposals=[
            p.model_copy(
                update={"id": tag(p.id, language), "group": p.group and tag(p.group, language)}
            )
            for p in merged.proposals
        ],
        conflicts=[_tagged_group(g, language) for g in merged.conflicts],
        notes=merged.notes,
    )


def _tagged_group(group: ConflictGroup, language: str) -> ConflictGroup:
    return ConflictGroup(
        id=tag(group.id, language),
        start=group.start,
        end=group.end,
        proposals=[tag(pid, language) for pid in group.proposals],
    )


def combined(first: Merged, others: Mapping[str, Merged]) -> Merged:
    """Every language's amendments in one set, to decide on (``others`` already ``tagged``)."""
    parts = [first, *others.values()]
    return Merged(
        proposals=[p for m in parts for p in m.proposals],
        conflicts=[g for m in parts for g in m.conflicts],
        notes=[n for m in parts for n in m.notes],
    )


def resolutions_in(
    resolutions: Sequence[Resolution], language: str, first: str
) -> list[Resolution]:
    """The resolutions of the amendments made on ``language``'s text."""
    return [r for r in resolutions if language_of(r.proposal, first) == language]


def side_by_side(
    first: dict[str, Any], others: Mapping[str, dict[str, Any]], languages: Sequence[str]
) -> dict[str, Any]:
    """One synopsis of every language's: each paragraph with the amendments made on each text beside it; the
    counts of all."""
    _join_rows(first, others)
    heard = sorted({*first["parties"], *(p for d in others.values() for p in d["parties"])})
    silent = sorted(set(first["party_names"]) - set(heard))
    counts = _counts(first, others, heard, silent)
    return first | {
        "languages": list(languages),
        "parties": heard,
        "silent": silent,
        "counts": counts,
        "proposal_count": counts["amendments"],
        "problems": first["problems"] + [p for d in others.values() for p in d["problems"]],
        "translations": {language: _translation(d) for language, d in others.items()},
    }


def _translation(data: dict[str, Any]) -> dict[str, Any]:
    """What the page says of another language's synopsis beside the first's."""
    return {k: data[k] for k in ("conflicts", "brackets", "counts", "version")}


def _join_rows(first: dict[str, Any], others: Mapping[str, dict[str, Any]]) -> None:
    """Put each other language's row of a paragraph under the first's row (in "in"); a paragraph amended in any
    language is amended (in conflict in any: in conflict) for the decision."""
    rows = {row["key"]: row for row in first["paragraphs"]}
    for language, data in others.items():
        for row in data["paragraphs"]:
            if row["key"] in rows:
                rows[row["key"]].setdefault("in", {})[language] = row
                if _URGENCY.index(row["status"]) > _URGENCY.index(rows[row["key"]]["status"]):
                    rows[row["key"]]["status"] = row["status"]


def _counts(
    first: dict[str, Any], others: Mapping[str, dict[str, Any]], heard: list[str], silent: list[str]
) -> dict[str, Any]:
    """The counts over every language."""
    counts = dict(first["counts"])
    for key in ("amendments", "conflicts", "brackets"):
        counts[key] += sum(d["counts"][key] for d in others.values())
    return counts | {"parties_heard": len(heard), "parties_silent": len(silent)}


# A paragraph's statuses in a synopsis, from the least to the most a co-presidency must act on
_URGENCY = (UNCHANGED, AGREED, BRACKETED, AMENDED, IN_CONFLICT)


def _order(key: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", key))


def in_step(
    old: Mapping[str, DraftText], new: Mapping[str, DraftText], pending: Mapping[str, Sequence[str]]
) -> tuple[dict[str, DraftText], dict[str, list[str]]]:
    """Each language's revised text with the same paragraphs, and the paragraphs pending translation in each.

    A paragraph changed (or added) in some languages and not in another is pending in that other (an added one
    holds the text it was added with until translated); changed in several, it is pending in each, since each
    holds words the others lack. A paragraph deleted in any language is deleted in all. What was pending stays
    pending while the paragraph exists."""
    before = {lang: {p.key: p.text for p in text.paragraphs} for lang, text in old.items()}
    after = {lang: {p.key: p for p in text.paragraphs} for lang, text in new.items()}
    deleted = {key for lang in old for key in before[lang] if key not in after[lang]}
    keys = sorted({key for lang in new for key in after[lang]} - deleted, key=_order)
    changed = {
        lang: {k for k in after[lang] if before[lang].get(k) != after[lang][k].text} for lang in new
    }
    texts: dict[str, DraftText] = {}
    waiting: dict[str, list[str]] = {}
    for lang in new:
        texts[lang], waiting[lang] = _in_step(lang, keys, after, changed, pending.get(lang, ()))
    return texts, waiting


def _in_step(
    lang: str,
    keys: list[str],
    after: dict[str, dict[str, DraftParagraph]],
    changed: dict[str, set[str]],
    pending: Sequence[str],
) -> tuple[DraftText, list[str]]:
    """One language's text with every paragraph (one only another language has: in that language's words), and
    its paragraphs pending translation."""
    paragraphs: list[DraftParagraph] = []
    marked = []
    for key in keys:
        elsewhere = [other for other in after if other != lang and key in changed[other]]
        paragraph = after[lang].get(key) or next(
            after[o][key] for o in elsewhere if key in after[o]
        )
        paragraphs.append(paragraph)
        if elsewhere or key in pending or key not in after[lang]:
            marked.append(key)
    return DraftText(paragraphs=paragraphs), marked


def bracket_pending(
    texts: Mapping[str, DraftText], pending: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """The paragraphs pending in each language once a paragraph's bracket groups differ between languages: pending
    also in each language whose text holds fewer (the language whose text was not bracketed follows the bracketed
    one); a paragraph pending stays pending (rules ACROSS, drafting.brackets)."""
    counts = {
        lang: {p.key: len(bracket_spans(p.text)) for p in text.paragraphs}
        for lang, text in texts.items()
    }
    out = {}
    for lang, text in texts.items():
        most = {p.key: max(c.get(p.key, 0) for c in counts.values()) for p in text.paragraphs}
        behind = {key for key, n in most.items() if counts[lang][key] < n}
        out[lang] = [
            p.key for p in text.paragraphs if p.key in behind or p.key in pending.get(lang, ())
        ]
    return out


def reanchored(
    comments: Sequence[tuple[int, int, int, str]], before: DraftText, after: DraftText
) -> list[tuple[int, int, int, str]]:
    """Comments anchored on paragraphs of ``before`` (by index), on the same paragraphs (by key) of ``after``."""
    index = {p.key: i for i, p in enumerate(after.paragraphs)}
    keys = [p.key for p in before.paragraphs]
    return [
        (index[keys[at]], start, end, note)
        for at, start, end, note in comments
        if keys[at] in index
    ]


def pending_by_language(first: str, content: VersionContent) -> dict[str, list[str]]:
    """The paragraphs (keys) pending translation into each language, the first first; none: an empty dict."""
    pending = {first: content.pending} | {
        lang: t.pending for lang, t in content.translations.items()
    }
    return {lang: keys for lang, keys in pending.items() if keys}


def pending_note(text: DraftText, pending: Mapping[str, Sequence[str]]) -> str:
    """What is pending translation, as a document's header says it: "Translation pending: es 21, 26; en 21"
    (paragraph numbers of ``text``), or "" when every language is aligned."""
    numbers = {p.key: n for n, p in enumerate(text.paragraphs, start=1)}
    parts = [
        f"{lang} {', '.join(str(numbers.get(k, k)) for k in keys)}"
        for lang, keys in pending.items()
        if keys
    ]
    return f"Translation pending: {'; '.join(parts)}" if parts else ""
