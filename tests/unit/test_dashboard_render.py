"""The dashboard's pure rendering (drafting/dashboard.py): its inline SVG charts and the page, from values alone."""

from __future__ import annotations

import re

from drafting.dashboard import (
    CUES,
    Bar,
    Board,
    BracketCount,
    Cell,
    Dashboard,
    DocumentGroup,
    Link,
    Mark,
    Moment,
    PartyRow,
    Received,
    bracket_svg,
    dashboard_html,
    timeline_svg,
)

ZONE = "Europe/Brussels"


def page(**changes: object) -> Dashboard:
    values: dict[str, object] = dict(
        title="A <declaration>",
        slug="demo",
        symbol="DEMO/L.1",
        zone=ZONE,
        state="Agreed on 2026-12-22, archived",
        version="Rev.2",
        cells=[
            Cell("p001", "1", "unchanged", "First."),
            Cell(
                "p002",
                "2",
                "bracketed",
                "[Second / 2nd].",
                synopsis="round-1/synopsis.html#p002",
                synopsis_round=1,
            ),
            Cell("p002.1", "3", "agreed ad ref", "New."),
            Cell("p003", "4", "amended", "Fourth."),
        ],
        bars=[
            Bar("Rounds", "2026-12-01T08:00:00Z", "2026-12-08T15:25:00Z", "Round 1", "round"),
            Bar(
                "Silence",
                "2026-12-19T12:03:00Z",
                "2026-12-22T12:03:00Z",
                "Silence on Rev.2",
                "silence",
            ),
        ],
        marks=[
            Mark("Rounds", "2026-12-08T08:00:00Z", "deadline 1", "deadline"),
            Mark("Versions", "2026-12-01T08:00:00Z", "Zero draft", "version"),
            Mark("Agreement", "2026-12-22T12:04:00Z", "Rev.2 agreed", "agreed"),
            Mark("Agreement", "2026-12-22T12:04:00Z", "archived", "archived"),
        ],
        boards=[
            Board(
                1,
                "Zero draft",
                {"AT": Received("Tue 01 Dec 2026 10:14 CET (09:14 UTC)", False)},
                3,
                1,
            )
        ],
        parties=[
            PartyRow("ES", "Spain", "co-presidency"),
            PartyRow("AT", "Austria", "delegation"),
            PartyRow("BE", "Belgium", "delegation"),
        ],
        brackets=[
            BracketCount("Zero draft", 0),
            BracketCount("Rev.1", 3),
            BracketCount("Rev.2", 1),
        ],
        documents=[
            DocumentGroup(
                "Versions",
                [
                    Link(
                        "Rev.1.docx",
                        "versions/Rev.1.docx",
                        pdf=Link("PDF", None, "not printed yet"),
                    ),
                    Link(
                        "Rev.2.docx", "versions/Rev.2.docx", pdf=Link("PDF", "versions/Rev.2.pdf")
                    ),
                ],
            )
        ],
        audit=[Link("History", "audit/history.html"), Link("Blame", None, "not written")],
        milestones=[Moment("2026-12-01T08:00:00Z", "Declaration <created>")],
    )
    values.update(changes)
    return Dashboard(**values)  # type: ignore[arg-type]


def test_the_timeline_draws_each_bar_and_mark_with_its_words() -> None:
    svg = timeline_svg(page().bars, page().marks, ZONE)
    assert svg.startswith('<svg class="timeline" viewBox="0 0 760 ') and svg.endswith("</svg>")
    assert svg.count("<rect x=") == 2 + 1  # two bars, the archive's square
    for words in (
        "Rounds",
        "Versions",
        "Silence",
        "Agreement",
        "Round 1",
        "deadline 1",
        "Zero draft",
        "Rev.2 agreed",
        "archived",
        "Tue 01 Dec 2026 09:00 CET (08:00 UTC)",
    ):
        assert words in svg
    ticks = re.findall(r'<text class="tick"[^>]*>(\d\d \w\w\w)</text>', svg)
    assert 3 <= len(ticks) <= 9 and ticks[0] in (
        "02 Dec",
        "03 Dec",
        "04 Dec",
    )  # local midnights, a few labelled
    assert timeline_svg([], [], ZONE) == ""


def test_marks_at_the_same_moment_are_drawn_apart() -> None:
    svg = timeline_svg([], page().marks[2:], ZONE)
    diamond = re.search(r'<path d="M([\d.]+) ', svg)
    square = re.search(r'<rect x="([\d.]+)"', svg)
    assert diamond and square and abs(float(diamond.group(1)) - (float(square.group(1)) + 6)) >= 13


def test_the_timeline_is_the_same_text_for_the_same_values() -> None:
    assert timeline_svg(page().bars, page().marks, ZONE) == timeline_svg(
        list(page().bars), list(page().marks), ZONE
    )


def test_bracket_bars_are_as_tall_as_their_counts_and_say_them() -> None:
    svg = bracket_svg(
        [BracketCount("Zero draft", 0), BracketCount("Rev.1", 4), BracketCount("Rev.2", 1)]
    )
    heights = [
        float(h)
        for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    ]
    assert heights == [0.0, 90.0, 22.5]
    assert re.findall(r">(\d)</text>", svg) == ["0", "4", "1"]
    assert bracket_svg([]) == ""


def test_the_page_reads_on_a_phone_and_runs_no_script() -> None:
    html = dashboard_html(page())
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in html and "@media print" in html
    assert "A &lt;declaration&gt;" in html and "<declaration>" not in html
    assert html.index("Agreed on 2026-12-22, archived") < html.index('id="map"')


def test_each_cell_links_to_its_paragraph_and_says_its_status_without_colour() -> None:
    html = dashboard_html(page())
    cells = re.findall(
        r'<a class="s-([a-z-]+)" href="#text-([^"]+)" title="(\d+): ([a-z ]+)"><b>\d+</b>([^<]+)</a>',
        html,
    )
    assert [(key, status, cue) for _, key, _, status, cue in cells] == [
        ("p001", "unchanged", CUES["unchanged"]),
        ("p002", "bracketed", CUES["bracketed"]),
        ("p002.1", "agreed ad ref", CUES["agreed ad ref"]),
        ("p003", "amended", CUES["amended"]),
    ]
    for _, key, *_ in cells:
        assert f'id="text-{key}"' in html
    assert '<a href="round-1/synopsis.html#p002">synopsis, round 1</a>' in html
    assert "unchanged: 1" in html and "bracketed: 1" in html and "agreed: 0" in html


def test_the_board_and_documents_say_what_is_missing() -> None:
    html = dashboard_html(page())
    assert "received from 1 of 3 delegations" in html
    assert html.count("— none") == 2  # Spain and Belgium
    assert (
        '<a href="versions/Rev.1.docx">Rev.1.docx</a> · PDF: <span class="note">not printed yet</span>'
        in html
    )
    assert (
        '<a href="versions/Rev.2.docx">Rev.2.docx</a> · <a href="versions/Rev.2.pdf">PDF</a>'
        in html
    )
    assert '<a href="audit/history.html">History</a>' in html and 'href="None"' not in html
    assert "Rev.1: 3 bracketed paragraphs; Rev.2: 1 bracketed paragraph." in html
    assert "✓ Tue 01 Dec 2026 10:14 CET (09:14 UTC)</td>" in html and "(late)" not in html
    assert 'Spain (ES) <span class="note">co-presidency</span>' in html
    assert (
        "<li>Declaration &lt;created&gt; "
        '<span class="when">Tue 01 Dec 2026 09:00 CET (08:00 UTC)</span></li>' in html
    )
