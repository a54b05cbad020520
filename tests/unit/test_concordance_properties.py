"""Rules of the concordance that hold for every text: identical language versions have no finding; a year changed
in one language is always found in its paragraph; a number written in English and in Spanish format agrees, and
two different numbers never do."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.concordance import align, concordance_html, untranslated_changes

_TOKENS = st.sampled_from(
    [
        "the",
        "Agenda",
        "of",
        "la",
        "per cent",
        "por ciento",
        "%",
        "million",
        "millones",
        "mil",
        "billion",
        "third",
        "veintisiete",
        "XXI",
        "I",
        "“Water Pact”",
        "«Pacto»",
        '"Blue Deal"',
        "A/RES/70/1",
        "S/2024/12",
        "64/292",
        "https://www.un.org/water.",
        "www.cepal.org",
        "1.",
        "(a)",
        "b)",
        "II.",
        "3rd",
        "1.º",
        ",",
        ".",
        "-",
        "/",
        "2030",
        "2015-2030",
        "Agenda2030",
        "1,000.5",
        "1.000,5",
        "1 000",
        "2.500",
        "0,5",
        "27",
        "6.3",
        "\u00a0",
    ]
)
_TEXT = st.lists(_TOKENS, max_size=12).map(" ".join)
_PARAGRAPHS = st.lists(_TEXT, min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(_PARAGRAPHS)
def test_identical_language_versions_have_no_finding(paragraphs: list[str]) -> None:
    concordance = align({"en": paragraphs, "es": list(paragraphs)})
    assert concordance.warnings == [] and all(p.status == "aligned" for p in concordance.pairs)
    assert all(
        " reads as " in e for e in concordance.errors
    )  # one text cannot be in both languages


@settings(max_examples=300, deadline=None)
@given(_PARAGRAPHS, st.data())
def test_a_year_changed_in_one_language_is_found_in_its_paragraph(
    paragraphs: list[str], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(paragraphs) - 1))
    year = data.draw(st.integers(1900, 2100))
    other = data.draw(st.integers(1900, 2100).filter(lambda y: y != year))
    at = data.draw(st.integers(0, len(paragraphs[index])))
    before, after = paragraphs[index][:at], paragraphs[index][at:]
    en = [*paragraphs[:index], f"{before} {year} {after}", *paragraphs[index + 1 :]]
    es = [*paragraphs[:index], f"{before} {other} {after}", *paragraphs[index + 1 :]]
    concordance = align({"en": en, "es": es})
    assert all(" reads as " in e for e in concordance.errors)
    assert any(
        w.startswith(f"paragraph {index + 1}") and str(year) in w and str(other) in w
        for w in concordance.warnings
    ), concordance.warnings
    assert concordance.pairs[index].status == "mismatch"
    assert all(p.status == "aligned" for i, p in enumerate(concordance.pairs) if i != index)


def english(value: Decimal) -> str:
    return f"{value:,.2f}"


def spanish(value: Decimal, group: str) -> str:
    return f"{value:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", group)


_AMOUNTS = st.decimals(
    min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=300, deadline=None)
@given(_AMOUNTS, _AMOUNTS, st.sampled_from([".", " ", "\u00a0", "\u202f"]))
def test_numbers_agree_in_their_own_formats_and_only_when_equal(
    a: Decimal, b: Decimal, group: str
) -> None:
    warnings = align(
        {
            "en": ["Title", f"USD {english(a)} in total"],
            "es": ["Título", f"{spanish(b, group)} USD en total"],
        }
    ).warnings
    if a == b:
        assert warnings == []
    else:
        assert warnings == [
            f"paragraph 2: number {english(a)} in en but number {spanish(b, group)} in es"
        ]


@settings(max_examples=300, deadline=None)
@given(_PARAGRAPHS, _PARAGRAPHS)
def test_which_paragraphs_differ_does_not_depend_on_which_language_is_the_reference(
    en: list[str], es: list[str]
) -> None:
    es = (es + en)[: len(en)]  # as many paragraphs: the pairs are compared
    forward, backward = align({"en": en, "es": es}), align({"es": es, "en": en})
    assert [p.status for p in forward.pairs] == [p.status for p in backward.pairs]


_SPACES = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\t", " \n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8), st.data())
def test_untranslated_changes_are_the_changed_paragraphs_not_pending(
    old: list[str], data: st.DataObject
) -> None:
    respaced = [
        data.draw(_SPACES).join(text.split(" ")) for text in old
    ]  # the same words, spaced otherwise
    assert untranslated_changes(set(), old, respaced) == []
    changed = data.draw(st.sets(st.integers(1, len(old))))
    pending = data.draw(st.sets(st.integers(1, len(old))))
    new = [f"{text} changed" if i + 1 in changed else text for i, text in enumerate(respaced)]
    assert untranslated_changes(pending, old, new) == sorted(changed - pending)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal(999), places=1),
    st.sampled_from([".", "\u00a0"]),
)
def test_billions_in_english_are_thousands_of_millions_in_spanish(
    amount: Decimal, group: str
) -> None:
    plain = f"{amount.normalize():f}"
    thousands = spanish(amount * 1000, group).removesuffix(",00")
    en = f"EUR {plain} billion and USD {plain} million"
    es = f"{thousands} millones de euros y {plain.replace('.', ',')} millones de dólares"
    assert align({"en": ["Title", en], "es": ["Título", es]}).warnings == []
    wrong = (
        f"{plain.replace('.', ',')} millones de euros"  # a billion is mil millones, not a millón
    )
    assert align({"en": ["Title", f"EUR {plain} billion"], "es": ["Título", wrong]}).warnings


_ANY = st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), max_size=5)


@settings(max_examples=300, deadline=None)
@given(_ANY, _ANY)
def test_any_text_gives_a_report_never_an_exception(en: list[str], es: list[str]) -> None:
    concordance = align({"en": en or [""], "es": es or [""]}, pending={1})
    assert concordance.to_json() and "</html>" in concordance_html(concordance, title="t")
    assert len(concordance.pairs) == max(len(en), len(es), 1)
