"""The 60 parties of the demo's declaration (27 EU + 33 CELAC, from the sample's parties file) and what their
delegations propose in round 1: scripted amendments to the sample's text, as negotiators write them."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from drafting.errors import InvalidInput
from flows import samples


def _parties(bloc: str) -> list[tuple[str, str]]:
    with samples.parties_path().open(encoding="utf-8", newline="") as rows:
        return [(row["code"], row["name"]) for row in csv.DictReader(rows) if row["bloc"] == bloc]


EU = _parties("EU")
CELAC = _parties("CELAC")
CO_PRESIDENCIES = ("ES", "BO")  # Spain and Bolivia


def parties_csv() -> str:
    """The parties file for all 60 states (header code,name,bloc)."""
    return samples.parties_path().read_text(encoding="utf-8")


def delegations(count: int) -> list[tuple[str, str]]:
    """The first ``count`` delegations (co-presidencies excluded), alternating CELAC and EU."""
    eu = [p for p in EU if p[0] not in CO_PRESIDENCIES]
    celac = [p for p in CELAC if p[0] not in CO_PRESIDENCIES]
    mixed = [p for pair in zip(celac, eu) for p in pair] + celac[len(eu):]
    return mixed[:count]


@dataclass(frozen=True)
class Amend:
    """In the paragraph that starts with ``at``, ``old`` becomes ``new`` ("" deletes); ``why`` is a comment."""

    at: str
    old: str
    new: str
    why: str = ""


@dataclass(frozen=True)
class Add:
    """A new paragraph after the one that starts with ``after``."""

    after: str
    text: str
    why: str = ""


# Round 1 on the English text. Overlaps on purpose: Antigua and Barbuda and the Bahamas word the same phrase
# differently (a conflict); Austria and Argentina change the same clause of paragraph 8 in opposite directions and
# Belgium makes Austria's wording its own; Barbados and Antigua and Barbuda both extend paragraph 16.
SCRIPT_EN: dict[str, list[Amend | Add]] = {
    "AG": [
        Amend("Recognizing further", "require targeted support",
              "require targeted, predictable and adequate support, including access to concessional finance",
              "Small island developing States need predictable finance, not support in principle."),
        Amend("16. ", "climate-resilient debt clauses", "climate-resilient debt clauses and debt-for-resilience swaps"),
    ],
    "AT": [
        Amend("8. ", "Take note of", "Welcome"),
        Amend("8. ", "invite interested States to consider acceding to it", "invite all States to accede to it",
              "The Convention has been open to all Member States of the United Nations since 2016."),
    ],
    "AR": [
        Amend("8. ", ", and invite interested States to consider acceding to it", "",
              "Accession is a sovereign decision; the Declaration should not invite it."),
        Amend("7. ", "in accordance with international law",
              "in accordance with international law and with the consent of the States concerned"),
    ],
    "BE": [
        Amend("8. ", "invite interested States to consider acceding to it", "invite all States to accede to it"),
        Add("9. ", "9 bis. Encourage the restoration of the natural flow of rivers, including the removal of "
                   "obsolete barriers, where it benefits water quality and biodiversity;",
            "Belgium proposes a new paragraph on free-flowing rivers."),
    ],
    "BS": [
        Amend("Recognizing further", "require targeted support", "require targeted and predictable support"),
    ],
    "BG": [
        Amend("17. ", "for preparedness, response and recovery", "for prevention, preparedness, response and recovery"),
    ],
    "BB": [
        Amend("16. ", "climate-resilient debt clauses",
              "climate-resilient debt clauses, as advocated by the Bridgetown Initiative,"),
    ],
    "HR": [
        Amend("1. ", "rural areas, informal settlements", "rural areas, islands, informal settlements"),
    ],
    "BZ": [
        Amend("9. ", "wetlands, mangroves,", "wetlands, mangroves, coral reefs,"),
    ],
    "CY": [
        Amend("22. ", "desalination powered by renewable energy",
              "desalination powered by renewable energy and the safe management of brine"),
    ],
    "BR": [
        Amend("Reaffirming", "Reaffirming that each State",
              "Reaffirming the sovereign rights of States over their natural resources, and that each State",
              "Sovereignty over natural resources is agreed language and must be recalled here."),
        Amend("20. ", "for small and vulnerable States",
              "for developing countries, in particular small and vulnerable States"),
    ],
    "CZ": [
        Amend("25. ", "once a year", "every two years", "Annual meetings are beyond the capacity of many delegations."),
    ],
    "CL": [
        Amend("25. ", "meeting at the level of senior officials once a year",
              "meeting at the level of senior officials once a year and at ministerial level every two years"),
    ],
    "DK": [
        Amend("5. ", "menstrual hygiene", "menstrual health and hygiene"),
    ],
    "CO": [
        Amend("11. ", "support for small-scale farmers", "support for small-scale farmers and family farming"),
    ],
    "EE": [
        Amend("23. ", "collection of water data", "collection and open publication of water data"),
    ],
}
SCRIPTS = {"en": SCRIPT_EN}  # issue 15 adds "es"


def check_language(language: str) -> None:
    """Refuse a language the sample or the delegations' script does not exist in."""
    samples.docx_path(language)
    if language not in SCRIPTS:
        raise InvalidInput(f"language {language!r}: the demo's delegations have edits in {', '.join(SCRIPTS)} only; "
                           "choose one of them")


def scripted_edits(texts: list[str], code: str, name: str, language: str = "en") -> tuple[list[str], dict[int, str]]:
    """A delegation's version of the draft and its comments by paragraph index (its script, or a general comment)."""
    check_language(language)
    edits = SCRIPTS[language].get(code)
    if edits is None:  # a delegation with nothing to amend says so on the title
        return list(texts), {0: f"{name}: we can accept the text as it stands."}
    rows: list[list[str]] = [[text, ""] for text in texts]
    for edit in edits:
        index = _find(rows, edit.at if isinstance(edit, Amend) else edit.after)
        if isinstance(edit, Add):
            rows.insert(index + 1, [edit.text, edit.why])
            continue
        if edit.old not in rows[index][0]:
            raise ValueError(f"demo script of {code}: {edit.old!r} is not in the paragraph starting {edit.at!r}")
        rows[index][0] = rows[index][0].replace(edit.old, edit.new, 1)
        rows[index][1] = rows[index][1] or edit.why
    return [text for text, _ in rows], {i: f"{name}: {why}" for i, (_, why) in enumerate(rows) if why}


def _find(rows: list[list[str]], start: str) -> int:
    found = [i for i, (text, _) in enumerate(rows) if text.startswith(start)]
    if len(found) != 1:
        raise ValueError(f"demo script: {len(found)} paragraphs start with {start!r}; it must name exactly one")
    return found[0]
