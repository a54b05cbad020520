"""Amendments made on different languages' texts of one paragraph, presented together (issue 15, rules ACROSS).

Each language's amendments are merged on its own text, so two parties that change the same clause, one in English
and one in Spanish, never meet in a conflict group: the co-presidencies would decide on them apart and the two
authentic texts would part. Paragraphs are aligned by key in every language, so a paragraph amended in several
languages is one group: in the synopsis (its amendments side by side, each in its own language, and counted with the
conflict groups), and in each language's compilation.docx, whose first amendment on the paragraph carries a comment
naming the others ("Also amended in ES: P005.es [AR]: delete '...'"). Within one language grouping stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from drafting.compilation import amendment_summary
from drafting.merge import AcrossGroup, Merged
from drafting.synopsis import IN_CONFLICT, kind_of


def across_languages(on: Mapping[str, Merged]) -> list[AcrossGroup]:
    """The paragraphs amended in more than one language (``on``: each language's merge, the first first; further
    languages' ids tagged), in text order."""
    found: dict[str, dict[str, list[str]]] = {}
    for language, merged in on.items():
        for p in merged.proposals:
            found.setdefault(p.paragraph, {}).setdefault(language, []).append(p.id)
    return [
        AcrossGroup(paragraph=key, proposals=ids)
        for key, ids in sorted(found.items(), key=lambda item: paragraph_order(item[0]))
        if len(ids) > 1
    ]


def paragraph_order(key: str) -> tuple[int, ...]:
    """A paragraph key's place in the text: "p007" before "p007.1" before "p008"."""
    return tuple(int(n) for n in re.findall(r"\d+", key))


def also_amended(
    groups: list[AcrossGroup], on: Mapping[str, Merged], language: str
) -> dict[str, str]:
    """For ``language``'s compilation: its first amendment on each paragraph amended in other languages too, and
    the comment it carries naming theirs ("Also amended in ES: P005.es [AR]: delete '...'")."""
    said = {}
    for group in groups:
        if language in group.proposals:
            others = [
                f"{lang.upper()}: "
                + " / ".join(amendment_summary(on[lang].by_id()[pid]) for pid in ids)
                for lang, ids in group.proposals.items()
                if lang != language
            ]
            said[group.proposals[language][0]] = "Also amended in " + "; in ".join(others)
    return said


def with_across(data: dict[str, Any], groups: list[AcrossGroup]) -> dict[str, Any]:
    """A bilingual synopsis (``drafting.bilingual.side_by_side``) with each group: its row in conflict and naming
    the ids by language (``across``), the groups listed with each amendment in its own language, and counted with
    the conflict groups (``counts.across`` of them across languages)."""
    rows = {row["key"]: row for row in data["paragraphs"]}
    listed = []
    for group in groups:
        row = rows[group.paragraph]
        row["across"] = group.proposals
        row["status"] = IN_CONFLICT
        listed.append(_listed(row, group))
    counts = data["counts"] | {
        "across": len(groups),
        "conflicts": data["counts"]["conflicts"] + len(groups),
    }
    return data | {"across": listed, "counts": counts}


def _listed(row: dict[str, Any], group: AcrossGroup) -> dict[str, Any]:
    """A group as the synopsis lists it: its paragraph, and each language's amendments in that language."""
    shown = {lang: row.get("in", {}).get(lang, row) for lang in group.proposals}
    return {
        "paragraph": group.paragraph,
        "number": row["number"],
        "languages": {
            lang: [_amendment(p) for p in shown[lang]["proposals"] if p["id"] in ids]
            for lang, ids in group.proposals.items()
        },
    }


def _amendment(p: dict[str, Any]) -> dict[str, Any]:
    """An amendment of a group: its id, parties and words, in the language it was made in."""
    fields = ("id", "parties", "deleted", "inserted")
    return {k: p[k] for k in fields} | {"kind": kind_of(p["deleted"], p["inserted"])}
