"""The 60 parties of the demo's declaration (27 EU + 33 CELAC, from the sample's parties file) and what their
delegations propose in round 1: scripted amendments to the sample's text, as negotiators write them."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from drafting.concordance import bracket_spans
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
    mixed = [p for pair in zip(celac, eu) for p in pair] + celac[len(eu) :]
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
        Amend(
            "Recognizing further",
            "require targeted support",
            "require targeted, predictable and adequate support, including access to concessional finance",
            "Small island developing States need predictable finance, not support in principle.",
        ),
        Amend(
            "16. ",
            "climate-resilient debt clauses",
            "climate-resilient debt clauses and debt-for-resilience swaps",
        ),
    ],
    "AT": [
        Amend("8. ", "Take note of", "Welcome"),
        Amend(
            "8. ",
            "invite interested States to consider acceding to it",
            "invite all States to accede to it",
            "The Convention has been open to all Member States of the United Nations since 2016.",
        ),
    ],
    "AR": [
        Amend(
            "8. ",
            ", and invite interested States to consider acceding to it",
            "",
            "Accession is a sovereign decision; the Declaration should not invite it.",
        ),
        Amend(
            "7. ",
            "in accordance with international law",
            "in accordance with international law and with the consent of the States concerned",
        ),
    ],
    "BE": [
        Amend(
            "8. ",
            "invite interested States to consider acceding to it",
            "invite all States to accede to it",
        ),
        Add(
            "9. ",
            "9 bis. Encourage the restoration of the natural flow of rivers, including the removal of "
            "obsolete barriers, where it benefits water quality and biodiversity;",
            "Belgium proposes a new paragraph on free-flowing rivers.",
        ),
    ],
    "BS": [
        Amend(
            "Recognizing further",
            "require targeted support",
            "require targeted and predictable support",
        ),
    ],
    "BG": [
        Amend(
            "17. ",
            "for preparedness, response and recovery",
            "for prevention, preparedness, response and recovery",
        ),
    ],
    "BB": [
        Amend(
            "16. ",
            "climate-resilient debt clauses",
            "climate-resilient debt clauses, as advocated by the Bridgetown Initiative,",
        ),
    ],
    "HR": [
        Amend(
            "1. ", "rural areas, informal settlements", "rural areas, islands, informal settlements"
        ),
    ],
    "BZ": [
        Amend("9. ", "wetlands, mangroves,", "wetlands, mangroves, coral reefs,"),
    ],
    "CY": [
        Amend(
            "22. ",
            "desalination powered by renewable energy",
            "desalination powered by renewable energy and the safe management of brine",
        ),
    ],
    "BR": [
        Amend(
            "Reaffirming",
            "Reaffirming that each State",
            "Reaffirming the sovereign rights of States over their natural resources, and that each State",
            "Sovereignty over natural resources is agreed language and must be recalled here.",
        ),
        Amend(
            "20. ",
            "for small and vulnerable States",
            "for developing countries, in particular small and vulnerable States",
        ),
    ],
    "CZ": [
        Amend(
            "25. ",
            "once a year",
            "every two years",
            "Annual meetings are beyond the capacity of many delegations.",
        ),
    ],
    "CL": [
        Amend(
            "25. ",
            "meeting at the level of senior officials once a year",
            "meeting at the level of senior officials once a year and at ministerial level every two years",
        ),
    ],
    "DK": [
        Amend("5. ", "menstrual hygiene", "menstrual health and hygiene"),
    ],
    "CO": [
        Amend(
            "11. ",
            "support for small-scale farmers",
            "support for small-scale farmers and family farming",
        ),
    ],
    "EE": [
        Amend("23. ", "collection of water data", "collection and open publication of water data"),
    ],
}
SCRIPTS = {"en": SCRIPT_EN}

# The same amendments on the Spanish text (issue 15): in the bilingual demo CELAC delegations make theirs on it, and
# the secretariat's translator carries each language's amendments into the other from this table.
SCRIPT_ES: dict[str, list[Amend | Add]] = {
    "AG": [
        Amend(
            "Reconociendo además",
            "requieren un apoyo específico",
            "requieren un apoyo específico, previsible y suficiente, incluido el acceso a financiación en "
            "condiciones favorables",
            "Los pequeños Estados insulares en desarrollo necesitan financiación previsible, no apoyo de principio.",
        ),
        Amend(
            "16. ",
            "cláusulas de deuda resilientes al clima",
            "cláusulas de deuda resilientes al clima y canjes de deuda por resiliencia",
        ),
    ],
    "AT": [
        Amend("8. ", "Tomamos nota del", "Acogemos con beneplácito el"),
        Amend(
            "8. ",
            "invitamos a los Estados interesados a que consideren la posibilidad de adherirse a él",
            "invitamos a todos los Estados a adherirse a él",
        ),
    ],
    "AR": [
        Amend(
            "8. ",
            ", e invitamos a los Estados interesados a que consideren la posibilidad de adherirse a él",
            "",
            "La adhesión es una decisión soberana; la Declaración no debe invitar a ella.",
        ),
        Amend(
            "7. ",
            "de conformidad con el derecho internacional",
            "de conformidad con el derecho internacional y con el consentimiento de los Estados interesados",
        ),
    ],
    "BE": [
        Amend(
            "8. ",
            "invitamos a los Estados interesados a que consideren la posibilidad de adherirse a él",
            "invitamos a todos los Estados a adherirse a él",
        ),
        Add(
            "9. ",
            "9 bis. Alentamos la restauración del caudal natural de los ríos, incluida la eliminación de "
            "barreras obsoletas, cuando beneficie a la calidad del agua y a la biodiversidad;",
        ),
    ],
    "BS": [
        Amend(
            "Reconociendo además",
            "requieren un apoyo específico",
            "requieren un apoyo específico y previsible",
        ),
    ],
    "BG": [
        Amend(
            "17. ",
            "en materia de preparación, respuesta y recuperación",
            "en materia de prevención, preparación, respuesta y recuperación",
        ),
    ],
    "BB": [
        Amend(
            "16. ",
            "cláusulas de deuda resilientes al clima",
            "cláusulas de deuda resilientes al clima, como propugna la Iniciativa de Bridgetown,",
        ),
    ],
    "HR": [
        Amend(
            "1. ",
            "las zonas rurales, los asentamientos informales",
            "las zonas rurales, las islas, los asentamientos informales",
        ),
    ],
    "BZ": [
        Amend(
            "9. ",
            "los humedales, los manglares,",
            "los humedales, los manglares, los arrecifes de coral,",
        ),
    ],
    "CY": [
        Amend(
            "22. ",
            "desalinización alimentada con energías renovables",
            "desalinización alimentada con energías renovables y gestión segura de la salmuera",
        ),
    ],
    "BR": [
        Amend(
            "Reafirmando",
            "Reafirmando que cada Estado",
            "Reafirmando los derechos soberanos de los Estados sobre sus recursos naturales, y que cada Estado",
            "La soberanía sobre los recursos naturales es lenguaje acordado y debe recordarse aquí.",
        ),
        Amend(
            "20. ",
            "para los Estados pequeños y vulnerables",
            "para los países en desarrollo, en particular los Estados pequeños y vulnerables",
        ),
    ],
    "CZ": [
        Amend(
            "25. ",
            "una vez al año",
            "cada dos años",
            "Las reuniones anuales superan la capacidad de muchas delegaciones.",
        ),
    ],
    "CL": [
        Amend(
            "25. ",
            "una vez al año a nivel de altos funcionarios",
            "una vez al año a nivel de altos funcionarios y cada dos años a nivel ministerial",
        ),
    ],
    "DK": [
        Amend("5. ", "la higiene menstrual", "la salud y la higiene menstruales"),
    ],
    "CO": [
        Amend(
            "11. ",
            "el apoyo a los pequeños agricultores",
            "el apoyo a los pequeños agricultores y a la agricultura familiar",
        ),
    ],
    "EE": [
        Amend(
            "23. ", "la recopilación de datos", "la recopilación y la publicación abierta de datos"
        ),
    ],
}
BILINGUAL_SCRIPTS = {"en": SCRIPT_EN, "es": SCRIPT_ES}
CELAC_CODES = frozenset(code for code, _ in CELAC)


def party_language(code: str) -> str:
    """In the bilingual demo CELAC delegations work on the Spanish text, EU delegations on the English one."""
    return "es" if code in CELAC_CODES else "en"


def bilingual_parties_csv() -> str:
    """The parties file with a language column: es for CELAC, en for the EU."""
    lines = parties_csv().splitlines()
    return (
        "\n".join(
            [lines[0] + ",language"]
            + [f"{line},{party_language(line.split(',')[0])}" for line in lines[1:] if line.strip()]
        )
        + "\n"
    )


def translated(texts: dict[str, list[str]], language: str, pending: list[int]) -> list[str]:
    """The translator's text in ``language``: each pending paragraph (0-based) takes, from the script's table, the
    counterpart of every amendment the other language's paragraph now carries, and of every bracket group it holds
    (a paragraph the table does not cover stays as it is)."""
    other = "en" if language == "es" else "es"
    out = list(texts[language])
    for index in pending:
        source = texts[other][index]
        plain = _unbracketed(source)  # an amendment bracketed is still carried
        for theirs, mine in _counterparts(other, language):
            if isinstance(theirs, Add) and isinstance(mine, Add) and plain == theirs.text:
                out[index] = mine.text
            elif (
                isinstance(theirs, Amend)
                and isinstance(mine, Amend)
                and theirs.new
                and theirs.new in plain
                and mine.old
                and mine.old in out[index]
                and mine.new not in out[index]
            ):
                out[index] = out[index].replace(mine.old, mine.new, 1)
        out[index] = _brackets_carried(source, out[index], (other, language))
    return out


def _counterparts(other: str, language: str) -> list[tuple[Amend | Add, Amend | Add]]:
    """Each amendment of the script in ``other`` with its counterpart in ``language``."""
    return [
        (theirs, mine)
        for code in SCRIPT_EN
        for theirs, mine in zip(
            BILINGUAL_SCRIPTS[other].get(code, []),
            BILINGUAL_SCRIPTS[language].get(code, []),
            strict=True,
        )
    ]


def _brackets_carried(source: str, target: str, languages: tuple[str, str]) -> str:
    """``target`` with the bracket groups of ``source`` it lacks: a bracketed passage that is the words an
    amendment deletes (as the paragraph now reads them) or inserts brackets its counterpart's."""
    other, language = languages
    if len(bracket_spans(target)) >= len(bracket_spans(source)):
        return target
    for start, end in bracket_spans(source):
        inner = source[start + 1 : end - 1].strip()
        for theirs, mine in _counterparts(other, language):
            if isinstance(theirs, Amend) and isinstance(mine, Amend):
                words = _counterpart(inner, (theirs, mine), languages, (source, target))
                if words and words in target and f"[{words}]" not in target:
                    target = target.replace(words, f"[{words}]", 1)
                    break
    return target


def _counterpart(
    inner: str, pair: tuple[Amend, Amend], languages: tuple[str, str], texts: tuple[str, str]
) -> str:
    """The words of ``mine`` in the target that answer the bracketed ``inner`` of the source ("" if none): those
    its counterpart deletes, or those it inserts."""
    (theirs, mine), (other, language), (source, target) = pair, languages, texts
    taken, put = _changed(_as_now(theirs, other, _unbracketed(source)), theirs.new)
    mine_taken, mine_put = _changed(_as_now(mine, language, _unbracketed(target)), mine.new)
    if taken and inner == taken:
        return mine_taken
    return mine_put if put and inner == put else ""


def _unbracketed(text: str) -> str:
    return text.replace("[", "").replace("]", "")


def _changed(old: str, new: str) -> tuple[str, str]:
    """What an amendment deletes and inserts, word by word, once the words both keep are set aside."""
    a, b = old.split(), new.split()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return " ".join(a[head : len(a) - tail]), " ".join(b[head : len(b) - tail])


def _as_now(amend: Amend, language: str, paragraph: str) -> str:
    """The words ``amend`` takes from the zero draft as ``paragraph`` now reads them: with every other amendment
    of the script in ``language`` applied to them whose new words the paragraph holds."""
    words = amend.old
    for edits in BILINGUAL_SCRIPTS[language].values():
        for edit in edits:
            if (
                isinstance(edit, Amend)
                and edit is not amend
                and edit.old
                and edit.old in words
                and edit.new
                and edit.new in paragraph
            ):
                words = words.replace(edit.old, edit.new, 1)
    return words


def check_language(language: str) -> None:
    """Refuse a language the sample or the delegations' script does not exist in."""
    samples.docx_path(language)
    if language not in SCRIPTS:
        raise InvalidInput(
            f"language {language!r}: the demo's delegations have edits in {', '.join(SCRIPTS)} only; "
            "choose one of them"
        )


def scripted_edits(
    texts: list[str], code: str, name: str, language: str = "en", *, bilingual: bool = False
) -> tuple[list[str], dict[int, str]]:
    """A delegation's version of the draft and its comments by paragraph index (its script, or a general comment);
    ``bilingual``: the script on the text of ``language`` in the bilingual demo."""
    if not bilingual:
        check_language(language)
    edits = (BILINGUAL_SCRIPTS if bilingual else SCRIPTS)[language].get(code)
    if edits is None:  # a delegation with nothing to amend says so on the title
        return list(texts), {0: f"{name}: we can accept the text as it stands."}
    rows: list[list[str]] = [[text, ""] for text in texts]
    for edit in edits:
        index = _find(rows, edit.at if isinstance(edit, Amend) else edit.after)
        if isinstance(edit, Add):
            rows.insert(index + 1, [edit.text, edit.why])
            continue
        if edit.old not in rows[index][0]:
            raise ValueError(
                f"demo script of {code}: {edit.old!r} is not in the paragraph starting {edit.at!r}"
            )
        rows[index][0] = rows[index][0].replace(edit.old, edit.new, 1)
        rows[index][1] = rows[index][1] or edit.why
    return [text for text, _ in rows], {
        i: f"{name}: {why}" for i, (_, why) in enumerate(rows) if why
    }


def _find(rows: list[list[str]], start: str) -> int:
    found = [i for i, (text, _) in enumerate(rows) if text.startswith(start)]
    if len(found) != 1:
        raise ValueError(
            f"demo script: {len(found)} paragraphs start with {start!r}; it must name exactly one"
        )
    return found[0]
