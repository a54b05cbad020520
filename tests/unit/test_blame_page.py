"""The blame page (drafting/blame_page.py): a gutter of paragraph numbers, who/round/amendment visible on the page
(not in a tooltip), deletions struck where they happened, a sorted legend whose colours never repeat and which
has a second cue (pattern and code), a phone and print layout."""

from __future__ import annotations

import re

import pytest

from drafting.blame_page import PATTERNS, blame_page, palette, slots, tint
from drafting.provenance import Blame, Deletion, Span, VersionRecord, blame_versions
from tests.unit.test_provenance import ZERO, proposal, revise

NAMES = {"MX": "Mexico", "FR": "France", "AT": "Austria", "CL": "Chile"}


def rev1() -> Blame:
    """Mexico's and France's proposals applied, Austria's deletion of "State, " applied."""
    text, ops = revise(
        ZERO,
        [
            proposal("MX", "Brussels", "Brussels and Santa Marta"),
            proposal("FR", "treatment", "treatment and recovery"),
            proposal("AT", "Heads of State, ", "Heads of "),
        ],
        {"MX": "accept", "FR": "accept", "AT": "accept"},
    )
    return blame_versions(
        [
            VersionRecord(label="Zero draft", text=ZERO),
            VersionRecord(label="Rev.1", parent="Zero draft", text=text, lineage=ops, round=1),
        ]
    )["Rev.1"]


def visible(page: str) -> str:
    """The page's text as a reader sees it: tags removed, attributes (titles, tooltips) gone."""
    body = page.split("<body>", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", body))


@pytest.mark.parametrize("n", [1, 2, 17, 60, 120])
def test_the_palette_never_repeats_a_colour_and_is_the_same_every_time(n: int) -> None:
    colours = palette(n)
    assert len(colours) == n == len(set(colours)) and colours == palette(n)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert palette(n + 5)[:n] == colours, "adding parties keeps the earlier ones' colours"


def test_colours_are_dark_enough_for_text_and_their_tint_light_enough_for_a_background() -> None:
    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert all(luminance(c) < 0.5 and luminance(tint(c)) > 0.75 for c in palette(60))


def test_the_legend_is_sorted_by_name_with_distinct_colours_and_patterns() -> None:
    table = list(slots(rev1(), NAMES).values())
    assert [s.name for s in table] == ["Austria", "France", "Mexico"]
    assert len({s.colour for s in table}) == 3 and [s.pattern for s in table] == list(PATTERNS[:3])
    austria = table[0]
    assert (austria.characters, austria.deletions, austria.amendments) == (
        0,
        1,
        ("P001 (round 1)",),
    )


def test_who_which_round_and_which_amendment_are_on_the_page_not_in_a_tooltip() -> None:
    page = blame_page(rev1(), title="T", names=NAMES)
    seen = visible(page)
    assert "title=" not in page.split("<body>", 1)[1], "nothing is told only on hover"
    assert " and Santa Marta MX · round 1 · P002" in seen
    assert "MX · round 1 · P002 Mexico, round 1, P002, applied" in seen, (
        "the margin note says it in words"
    )
    assert "and recovery FR · round 1 · P003 ." in seen


def test_a_deletion_is_struck_where_it_happened_and_labelled() -> None:
    page = blame_page(rev1(), title="T", names=NAMES)
    assert re.search(
        r'We, the Heads of <del class="gone">State, </del><span class="tag s1">deleted · AT · round 1 · '
        r"P001</span>gathered",
        page,
    ), page
    assert "deleted “State,”: Austria, round 1, P001, applied" in visible(page)


def test_a_gutter_numbers_every_paragraph_with_a_link_to_itself() -> None:
    page = blame_page(rev1(), title="T", names=NAMES)
    for n in (1, 2, 3):
        assert (
            f'<div class="row" id="p{n}">\n<a class="num" href="#p{n}" aria-label="paragraph {n}">{n}</a>'
            in page
        )
    assert 'id="p4"' not in page


def test_the_page_fits_a_phone_and_prints() -> None:
    page = blame_page(rev1(), title="T", names=NAMES)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert (
        "@media print" in page
        and "print-color-adjust: exact" in page
        and "@media (max-width: 44rem)" in page
    )


def test_untraceable_and_editorial_passages_are_tagged_too() -> None:
    spans = [
        Span(source="zero-draft", text="We agree "),
        Span(source="untraceable", introduced="Rev.2", text="quietly"),
        Span(
            source="editorial",
            party="secretariat",
            introduced="Rev.3",
            decided={"outcome": "editorial", "reason": "style"},
            text=".",
        ),
    ]
    gone = Deletion(
        source="proposal",
        party="CL",
        round=2,
        proposal="P004",
        at=3,
        text="all ",
        introduced="Rev.2",
        decided={"outcome": "applied", "decisions": {}},
    )
    seen = visible(
        blame_page(Blame(version="Rev.3", spans=spans, deleted=[gone]), title="T", names=NAMES)
    )
    assert "quietly untraceable · Rev.2" in seen and " . secretariat · editorial · Rev.3" in seen
    assert "We all deleted · CL · round 2 · P004 agree" in seen
    assert "editorial change by the secretariat in Rev.3: style" in seen


def test_a_further_language_page_says_its_language_and_names_translations_by_version() -> None:
    spans = [
        Span(source="zero-draft", text="Nosotros, "),
        Span(
            source="translation",
            text="acogemos el plan",
            introduced="Rev.2",
            decided={"from": "en"},
        ),
        Span(source="untranslated", text=" Welcome", introduced="Rev.2", decided={"from": "en"}),
    ]
    page = blame_page(Blame(version="Rev.2", spans=spans), title="T", names=NAMES, language="es")
    assert '<p class="text" lang="es">' in page and "Rev.2, its text in es:" in page
    assert (
        "translation · Rev.2" in page
        and "translation for Rev.2 by the secretariat&#39;s translator, of the en" in page
    )
    assert "words of the en text of Rev.2, kept here until they are translated" in page
    assert "16 from translations, 8 awaiting\n  translation." in page
    assert 'lang="es"' not in blame_page(rev1(), title="T", names=NAMES)
