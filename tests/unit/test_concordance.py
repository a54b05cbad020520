"""The concordance of two authentic languages (issue 15): structure errors name the paragraph where the texts
diverge; each paragraph pair is checked for numbers, years, percentages, document symbols, URLs and quoted names,
read in the number formats of each language; the repository's sample and the shared EU-CELAC sample align."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drafting._divergence import MAX_CELLS
from drafting.concordance import (
    PairStatus,
    align,
    concordance_html,
    language_code,
    untranslated_changes,
)
from drafting.documents import body_texts
from drafting.errors import InvalidInput
from drafting.wordml.reader import read_docx
from flows import samples

SHARED = Path(__file__).resolve().parents[3] / "shared" / "samples" / "declarations"
DRUGS = "eu-celac-drugs-hlm-sample"


def pair(en: str, es: str) -> list[str]:
    """The warnings of a one-paragraph version (a title first, so the paragraph is number 2)."""
    concordance = align({"en": ["Title", en], "es": ["Título", es]})
    assert not concordance.errors
    return concordance.warnings


def sample(language: str) -> list[str]:
    return body_texts(read_docx(samples.docx_path(language).read_bytes()))


def test_the_repository_sample_aligns_paragraph_for_paragraph() -> None:
    concordance = align({"en": sample("en"), "es": sample("es")})
    assert concordance.errors == [] and concordance.warnings == []
    assert concordance.aligned and len(concordance.pairs) == 48
    assert concordance.pairs[16].labels == {"en": "1.", "es": "1."}  # the first operative paragraph


def test_every_year_of_the_sample_changed_in_spanish_only_is_found_in_its_paragraph() -> None:
    en, es = sample("en"), sample("es")
    changed = 0
    for index, text in enumerate(es):
        for match in re.finditer(r"(?<!\d)20\d\d(?!\d)", text):
            altered = [
                *es[:index],
                text[: match.start()] + "2099" + text[match.end() :],
                *es[index + 1 :],
            ]
            concordance = align({"en": en, "es": altered})
            assert [w.split(":")[0].split(" (")[0] for w in concordance.warnings] == [
                f"paragraph {index + 1}"
            ]
            assert f"year {match.group()} in en but year 2099 in es" in concordance.warnings[0]
            assert concordance.pairs[index].status == PairStatus.MISMATCH
            changed += 1
    assert changed >= 15


@pytest.mark.parametrize("form", ["txt", "docx"])
def test_the_shared_eu_celac_sample_aligns(form: str) -> None:
    paths = {lang: SHARED / f"{DRUGS}.{lang}.{form}" for lang in ("en", "es")}
    if not all(p.exists() for p in paths.values()):
        pytest.skip(
            f"../shared/samples/declarations/{DRUGS}.en/.es.{form} is not beside this checkout"
        )
    if form == "txt":
        texts = {
            lang: [t for t in p.read_text(encoding="utf-8").splitlines() if t.strip()]
            for lang, p in paths.items()
        }
    else:
        texts = {lang: body_texts(read_docx(p.read_bytes())) for lang, p in paths.items()}
    concordance = align(texts)
    assert concordance.errors == [] and concordance.warnings == [] and len(concordance.pairs) == 47
    labelled = [p for p in concordance.pairs if p.labels["en"]]
    assert len(labelled) >= 30 and all(p.labels["en"] == p.labels["es"] for p in labelled)


@pytest.mark.parametrize(
    ("en", "es"),
    [
        ("1,000.5 tonnes", "1.000,5 toneladas"),
        ("1,000.5 tonnes", "1 000,5 toneladas"),
        ("1,000.5 tonnes", "1\u00a0000,5 toneladas"),
        ("1,000.5 tonnes", "1,000.5 toneladas"),  # Spanish as written in Mexico
        ("2,500 people", "2500 personas"),
        ("0.5 degrees", "0,5 grados"),
        ("50 %", "50%"),
        ("50 per cent", "50 por ciento"),
        ("50 percent", "el 50 %"),
        ("50 per cent", "50 por cento"),  # Portuguese, compared as Spanish-style numbers
        ("EUR 45 billion", "45.000 millones de euros"),
        ("EUR 1.5 billion", "1.500 millones de euros"),
        ("EUR 500 million", "500 millones de euros"),
        ("the 2030 Agenda", "la Agenda2030"),
        ("the 2015–30 period and 2020/21", "el período 2015-2030 y 2020/2021"),
        ("the post-2015 agenda", "la agenda posterior a 2015"),
        ("the 21st century", "el siglo XXI"),
        ("the 3rd Conference", "la Tercera Conferencia"),
        ("the 3rd Conference", "la 3.ª Conferencia"),
        ("27 Member States", "veintisiete Estados miembros"),
        ("50 per cent of 12 cities", "el cincuenta por ciento de doce ciudades"),
        ("resolution A/RES/70/1 and S/2024/12", "la resolución A/RES/70/1 y S/2024/12"),
        (
            "E/CN.7/2024/L.5, ST/AI/189/Add.9/Rev.2, A/RES/S-30/1.",
            "E/CN.7/2024/L.5, ST/AI/189/Add.9/Rev.2, A/RES/S-30/1.",
        ),
        ("USD 1 trillion", "1 billón de dólares"),
        ("see https://www.un.org/water.", "véase https://www.un.org/water."),
        ("the “Early Warnings for All” initiative", "la iniciativa «Alertas Tempranas para Todos»"),
        ("the Pacto por el Agua", "el “Pacto por el Agua”"),
        ("COVID-19 and the G20", "la COVID-19 y el G20"),
    ],
)
def test_the_same_facts_in_each_language_s_own_form_agree(en: str, es: str) -> None:
    assert pair(en, es) == []


@pytest.mark.parametrize(
    ("en", "es", "warning"),
    [
        (
            "1,000.5 tonnes",
            "1.000,6 toneladas",
            "paragraph 2: number 1,000.5 in en but number 1.000,6 in es",
        ),
        ("by 2030", "para 2035", "paragraph 2: year 2030 in en but year 2035 in es"),
        ("in 2015–30", "en 2015-2031", "paragraph 2: year 30 in en but year 2031 in es"),
        ("the 2030 Agenda", "la Agenda", "paragraph 2: year 2030 in en, missing in es"),
        ("the Agenda", "la Agenda2030", "paragraph 2: year 2030 in es, missing in en"),
        (
            "50 per cent",
            "50 personas",
            "paragraph 2: percentage 50 per cent in en but number 50 in es",
        ),
        (
            "50 %",
            "55 por ciento",
            "paragraph 2: percentage 50 % in en but percentage 55 por ciento in es",
        ),
        (
            "EUR 45 billion",
            "45 millones de euros",
            "paragraph 2: number 45 billion in en but number 45 millones in es",
        ),
        (
            "A/RES/70/1",
            "A/RES/70/2",
            "paragraph 2: symbol A/RES/70/1 in en but symbol A/RES/70/2 in es",
        ),
        ("S/2024/12 and 64/292", "S/2024/12", "paragraph 2: symbol 64/292 in en, missing in es"),
        (
            "E/CN.7/2024/L.5",
            "E/CN.7/2024/L.6",
            "paragraph 2: symbol E/CN.7/2024/L.5 in en but symbol E/CN.7/2024/L.6 in es",
        ),
        (
            "see https://www.un.org/water",
            "véase https://www.un.org/agua",
            "paragraph 2: URL https://www.un.org/water in en but URL https://www.un.org/agua in es",
        ),
        (
            "the “Water Pact” and the “Blue Deal”",
            "el «Pacto por el Agua»",
            "paragraph 2: quoted name “Water Pact”, quoted name “Blue Deal” in en but quoted name «Pacto por el Agua» in es",
        ),
        (
            "the 3rd Conference",
            "la Cuarta Conferencia",
            "paragraph 2: number 3rd in en, missing in es",
        ),
        (
            "50 per cent",
            "cincuenta personas",
            "paragraph 2: percentage 50 per cent in en, missing in es",
        ),
        ("50 people", "cincuenta por ciento", "paragraph 2: number 50 in en, missing in es"),
        (
            "100 cities, 50 per cent",
            "ciudades, cincuenta por ciento",
            "paragraph 2: number 100 in en, missing in es",
        ),
    ],
)
def test_a_fact_that_differs_is_a_warning_naming_the_paragraph(
    en: str, es: str, warning: str
) -> None:
    assert pair(en, es) == [warning]


def test_a_finding_names_the_paragraph_s_numbering_and_marks_both_texts() -> None:
    concordance = align(
        {"en": ["Title", "7. Commit by 2030"], "es": ["Título", "7. Comprometerse para 2035"]}
    )
    (finding,) = concordance.pairs[1].findings
    assert finding.message == "paragraph 2 (7.): year 2030 in en but year 2035 in es"
    assert finding.check == "number" and finding.found == {"en": ["2030"], "es": ["2035"]}
    assert finding.spans == {"en": [(13, 17)], "es": [(22, 26)]}


def test_different_paragraph_counts_are_an_error_naming_the_first_divergence() -> None:
    en = ["Title", "Recalling", "1. One", "2. Two", "3. Three"]
    es = ["Título", "Recordando", "1. Uno", "3. Tres"]
    concordance = align({"en": en, "es": es})
    assert len(concordance.errors) == 1 and not concordance.aligned
    error = concordance.errors[0]
    assert error == (
        "the language versions have different paragraph counts (en has 5 paragraphs, es has 4 "
        "paragraphs); they first diverge at paragraph 4: en “2. Two” has no counterpart in es"
    )
    assert [p.status for p in concordance.pairs] == [PairStatus.ALIGNED] * 3 + [
        PairStatus.MISMATCH
    ] * 2


def test_an_extra_paragraph_at_the_end_is_the_divergence() -> None:
    concordance = align({"en": ["Title", "1. One"], "es": ["Título", "1. Uno", "2. Dos"]})
    assert (
        "first diverge at paragraph 3: es “2. Dos” (its paragraph 3) has no counterpart in en"
        in concordance.errors[0]
    )
    assert concordance.pairs[2].texts == {"en": "", "es": "2. Dos"}


@pytest.mark.parametrize("left_out", range(2, 48, 4))
def test_a_paragraph_left_out_of_either_language_is_found_where_it_is(left_out: int) -> None:
    """Preamble paragraphs are unnumbered: they are told apart by their facts, lengths and cognates."""
    en, es = sample("en"), sample("es")
    shorter = [t for i, t in enumerate(es) if i != left_out]
    assert (
        f"they first diverge at paragraph {left_out + 1}: en “{en[left_out][:20]}"
        in align({"en": en, "es": shorter}).errors[0]
    )
    shorter = [t for i, t in enumerate(en) if i != left_out]
    assert (
        f"they first diverge at paragraph {left_out + 1}: es “{es[left_out][:20]}"
        in align({"en": shorter, "es": es}).errors[0]
    )


def test_a_numbering_gap_or_a_left_out_paragraph_is_where_versions_of_different_lengths_part() -> (
    None
):
    en = ["Title", "Recalling the Charter", "1. One", "2. Two", "3. Three"]
    es = ["Título", "Recordando la Carta", "1. Uno", "2. Dos", "4. Cuatro", "5. Cinco"]
    error = align({"en": en, "es": es}).errors[0]  # 4. left out, or 3. numbered 4.: equally likely
    assert (
        "they first diverge at paragraph 5: " in error
        and "es “4. Cuatro” (its paragraph 5)" in error
    )
    es = ["Título", "Recordando la Carta", "1. Uno", "3. Tres", "4. Cuatro", "5. Cinco"]
    assert (
        align({"en": en, "es": es})
        .errors[0]
        .endswith("they first diverge at paragraph 4: en “2. Two” has no counterpart in es")
    )
    en, es = (
        ["Title", "1. One", "2. Two", "3. Three"],
        ["Título", "1. Uno", "2. Dos", "7. Tres", "Nota final"],
    )
    assert (
        align({"en": en, "es": es})
        .errors[0]
        .endswith(
            "they first diverge at paragraph 4: en “3. Three” against es “7. Tres” (its paragraph 4), numbered differently"
        )
    )


@pytest.mark.parametrize(
    ("es", "error"),
    [
        ("4. Cuatro", "paragraph 3: numbered “3.” in en but numbered “4.” in es"),
        ("Tres", "paragraph 3: numbered “3.” in en but not numbered in es"),
    ],
)
def test_a_numbering_mismatch_is_an_error(es: str, error: str) -> None:
    concordance = align({"en": ["Title", "2. Two", "3. Three"], "es": ["Título", "2. Dos", es]})
    assert concordance.errors == [error] and concordance.warnings == []
    assert concordance.pairs[2].status == PairStatus.MISMATCH


def test_sub_paragraph_letters_and_section_numerals_compare_as_numbering() -> None:
    concordance = align(
        {
            "en": ["I. Access", "(a) share", "b) strengthen", "(c) act"],
            "es": ["I. Acceso", "a) compartir", "(b) reforzar", "c. actuar"],
        }
    )
    assert concordance.errors == [] and concordance.aligned


def test_pending_paragraphs_are_not_checked_and_accepted_warnings_do_not_count() -> None:
    en, es = ["Title", "by 2030", "in 2015"], ["Título", "para 2035", "en 2016"]
    first = align({"en": en, "es": es})
    assert len(first.warnings) == 2
    later = align({"en": en, "es": es}, pending={2}, accepted=[first.warnings[1]])
    assert [p.status for p in later.pairs] == [
        PairStatus.ALIGNED,
        PairStatus.PENDING,
        PairStatus.ALIGNED,
    ]
    assert later.warnings == [] and later.pairs[2].findings[0].accepted and not later.aligned
    assert align({"en": en, "es": es}, accepted=first.warnings).aligned


def test_a_version_in_another_language_than_given_is_an_error() -> None:
    en, es = sample("en"), sample("es")
    assert align({"en": en, "es": en}).errors == [
        "the version given as es reads as English, not Spanish (by its commonest words); give the es text in its place"
    ]
    assert align({"en": es, "es": en}).errors == [
        "the version given as en reads as Spanish, not English (by its commonest words); give the en text in its place",
        "the version given as es reads as English, not Spanish (by its commonest words); give the es text in its place",
    ]
    assert (
        align({"en": ["Title", "1. Commit"], "es": ["Title", "1. Commit"]}).errors == []
    )  # too short to tell


def test_languages_are_bcp47_primary_tags() -> None:
    assert language_code("es") == "es"
    with pytest.raises(InvalidInput, match="did you mean 'es'"):
        language_code("ES")
    for bad in ("english", "xx", "es-MX", "", "EN"):
        with pytest.raises(InvalidInput, match="not a BCP 47 primary language tag"):
            align({"en": ["a"], bad: ["b"]})
    with pytest.raises(InvalidInput, match="at least two"):
        align({"en": ["a"]})


def test_untranslated_changes_ignore_spacing_and_canonical_spellings_and_pending_paragraphs() -> (
    None
):
    old = ["Title", "Commit to act", "Recall 2030", "Note"]
    new = ["Title", "Commit  to\u00a0act ", "Recall 2035", "Noted"]
    assert untranslated_changes(set(), old, new) == [3, 4]
    assert untranslated_changes({3}, old, new) == [4]
    assert untranslated_changes({3, 4}, old, new) == []
    assert untranslated_changes(set(), old, [*new, "Added"]) == [3, 4, 5]
    assert untranslated_changes(set(), old, new[:2]) == [3, 4]
    assert untranslated_changes(
        set(), old, ["Title", "Commit to act", "Recall 2030", "Note\u2011s"]
    ) == [4]


def test_the_json_report_is_canonical_and_complete() -> None:
    concordance = align({"en": ["Title", "by 2030"], "es": ["Título", "para 2035"]}, pending={1})
    text = concordance.to_json()
    assert (
        text
        == align({"en": ["Title", "by 2030"], "es": ["Título", "para 2035"]}, pending={1}).to_json()
    )
    data = json.loads(text)
    assert data["aligned"] is False and data["counts"] == {
        "aligned": 0,
        "mismatch": 1,
        "translation pending": 1,
    }
    assert data["pairs"][1]["status"] == "mismatch" and data["warnings"] == concordance.warnings


def test_the_html_report_is_self_contained_phone_sized_and_escaped() -> None:
    concordance = align(
        {"en": ["<b>Title</b>", "1. by 2030"], "es": ["<b>Título</b>", "1. para 2035"]}
    )
    page = concordance_html(concordance, title="Water & <resilience>", subtitle="Rev.1")
    assert (
        '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        and "@media print" in page
    )
    assert "Water &amp; &lt;resilience&gt;" in page and "&lt;b&gt;Title&lt;/b&gt;" in page
    assert (
        "src=" not in page and "http" not in page and re.findall(r'href="([^"]*)"', page) == ["#p2"]
    )
    assert "<mark>2030</mark>" in page and "<mark>2035</mark>" in page
    assert (
        "paragraph 2 (1.): year 2030 in en but year 2035 in es" in page
        and "not</strong> aligned" in page
    )


def test_versions_too_long_to_line_up_are_compared_by_their_numbering() -> None:
    """Past MAX_CELLS the work stays bounded: the numbering alone says where versions part."""
    en = [f"{i}. Commit to act on item {i}" for i in range(1, 3001)]
    es = [f"{i}. Comprometerse a actuar sobre el punto {i}" for i in range(1, 2001)]
    assert (3001 * (2 * 1003 + 1)) > MAX_CELLS
    assert (
        "they first diverge at paragraph 2001: en “2001. Commit to act on item 2001” has no counterpart in es"
        in align({"en": en, "es": es}).errors[0]
    )
    es[499] = "501. Comprometerse"
    assert (
        "they first diverge at paragraph 500: en “500. Commit to act on item 500” against es “501. "
        "Comprometerse” (its paragraph 500), numbered differently"
        in align({"en": en, "es": es}).errors[0]
    )


def test_a_paragraph_of_thousands_of_numbers_is_compared_number_for_number() -> None:
    numbers = [str(n) for n in range(5000)]
    assert pair(", ".join(numbers), ", ".join(reversed(numbers))) == []
    assert pair(", ".join(numbers), ", ".join(numbers[1:] + ["5000"])) == [
        "paragraph 2: number 0 in en but number 5000 in es"
    ]


def test_the_concordance_takes_the_language_codes_a_declaration_takes() -> None:
    # regression: it kept its own ISO 639-1 table, which lacked "bh" that declaration create accepts
    from drafting import identifiers

    for code in sorted(identifiers.LANGUAGE_CODES):
        assert language_code(code) == identifiers.language(code) == code
