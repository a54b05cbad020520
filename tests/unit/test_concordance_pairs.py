"""Sentences as UN and EU-CELAC texts write them in English and Spanish (written for these tests): each pair agrees,
and any one digit changed in the Spanish sentence is found."""

from __future__ import annotations

import re

import pytest

from drafting.concordance import align

PAIRS = [
    (
        "Recalling its resolution 70/1 of 25 September 2015, entitled “Transforming our world: the 2030 Agenda for "
        "Sustainable Development”,",
        "Recordando su resolución 70/1, de 25 de septiembre de 2015, titulada “Transformar "
        "nuestro mundo: la Agenda 2030 para el Desarrollo Sostenible”,",
    ),
    (
        "at its seventy-eighth session, in resolution 78/1,",
        "en su septuagésimo octavo período de sesiones, en la resolución 78/1,",
    ),
    (
        "the 1961 Single Convention on Narcotic Drugs as amended by the 1972 Protocol",
        "la Convención Única de 1961 sobre Estupefacientes enmendada por el Protocolo de 1972",
    ),
    (
        "some 296 million people used drugs in 2021, a 23 per cent increase over the previous decade",
        "unos 296 millones "
        "de personas consumieron drogas en 2021, un aumento del 23\u00a0% respecto del decenio anterior",
    ),
    (
        "to hold the increase to well below 2°C and pursue efforts to limit it to 1.5°C",
        "mantener el aumento muy por "
        "debajo de 2\u00a0°C y proseguir los esfuerzos para limitarlo a 1,5\u00a0°C",
    ),
    (
        "mobilizing USD 100 billion per year by 2020",
        "movilizar 100.000 millones de dólares anuales para 2020",
    ),
    ("SDG target 3.5 and Goal 16", "la meta 3.5 de los ODS y el Objetivo 16"),
    ("COP 16 and COP28", "la COP16 y la COP 28"),
    (
        "from 1 January 2025 to 31 December 2027",
        "del 1 de enero de 2025 al 31 de diciembre de 2027",
    ),
    (
        "article 3, paragraph 2 (b), of the 1988 Convention",
        "el artículo 3, párrafo 2 b), de la Convención de 1988",
    ),
    (
        "the report of the Commission (E/2024/28-E/CN.7/2024/15)",
        "el informe de la Comisión (E/2024/28-E/CN.7/2024/15)",
    ),
    ("the so-called “Washington Consensus”", "el denominado «Consenso de Washington»"),
    ("people aged 15-64", "las personas de entre 15 y 64 años"),
    ("the twenty-first century", "el siglo XXI"),
    (
        "the first High-Level Meeting, held in 1999 in Panama",
        "la Primera Reunión de Alto Nivel, celebrada en 1999 en Panamá",
    ),
    (
        "EUR 1.2 billion under the Global Gateway",
        "1.200 millones de euros en el marco de Global Gateway",
    ),
    ("a 12.5% share", "una proporción del 12,5\u00a0%"),
    ("more than 3,500 tonnes", "más de 3500 toneladas"),
    ("more than 35,000 tonnes", "más de 35\u00a0000 toneladas"),
    ("at https://www.unodc.org/wdr2024.", "en https://www.unodc.org/wdr2024."),
    ("the 20th anniversary", "el vigésimo aniversario"),
    ("the 2nd Summit", "la II Cumbre"),
]


def warnings(en: str, es: str) -> list[str]:
    return align({"en": ["Title", en], "es": ["Título", es]}).warnings


@pytest.mark.parametrize(("en", "es"), PAIRS)
def test_the_pair_agrees(en: str, es: str) -> None:
    assert warnings(en, es) == []


@pytest.mark.parametrize(("en", "es"), [(en, es) for en, es in PAIRS if re.search(r"\d", es)])
def test_any_digit_changed_in_spanish_is_found_in_its_paragraph(en: str, es: str) -> None:
    for digit in re.finditer(r"\d", es):
        changed = es[: digit.start()] + str((int(digit.group()) + 1) % 10) + es[digit.end() :]
        found = warnings(en, changed)
        assert found and all(w.startswith("paragraph 2") for w in found), changed
