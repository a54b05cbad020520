"""A declaration's dashboard (index.html): where it stands, a map of its paragraphs, a timeline of rounds, deadlines,
silence and agreement, who submitted in each round, brackets from one version to the next, and every document.

Pure rendering: the use case (flows/usecases/dashboard.py) gathers a ``Dashboard``; the charts are inline SVG drawn
here, with numbers written to one decimal so the same log gives the same bytes. No script, nothing fetched.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from typing import NamedTuple

from markupsafe import Markup

from drafting.moments import in_zone, local_time
from drafting.templating import page_templates

_ENV = page_templates()

UNCHANGED, AMENDED, BRACKETED, AD_REF, AGREED = (
    "unchanged",
    "amended",
    "bracketed",
    "agreed ad ref",
    "agreed",
)
# Each status's cue besides its colour (a symbol that prints in black and white), in the map's order
CUES = {UNCHANGED: "·", AMENDED: "±", BRACKETED: "[ ]", AD_REF: "ad ref", AGREED: "✓"}


@dataclass(frozen=True)
class Cell:
    """One paragraph of the current version in the status map."""

    key: str
    number: str
    status: str
    text: str
    synopsis: str | None = (
        None  # the paragraph in the latest synopsis that lists it (a link), if any
    )
    synopsis_round: int | None = None


@dataclass(frozen=True)
class Bar:
    """A stretch of time on the timeline: a round (opened to closed), a silence (started to ended)."""

    lane: str
    start: str
    end: str
    label: str
    kind: str  # round | round-open | silence | silence-broken


@dataclass(frozen=True)
class Mark:
    """A moment on the timeline: a deadline, a version issued, the agreement, the archive."""

    lane: str
    at: str
    label: str
    kind: str  # deadline | version | agreed | archived (lane Agreement) | broken (lane Silence)


@dataclass(frozen=True)
class Link:
    """A document the page links to; ``href`` None when it does not exist, ``missing`` then says why."""

    name: str
    href: str | None
    missing: str = ""
    pdf: Link | None = None  # the same document printed, shown beside it


class Received(NamedTuple):
    """A party's current submission in a round: when (local time) and whether it was late."""

    at: str
    late: bool


@dataclass(frozen=True)
class Board:
    """Who submitted in one round: party code -> its current submission, or absent."""

    number: int
    version: str
    received: dict[str, Received]
    expected: int  # delegations asked to submit
    delegations: int  # of them, how many submitted


class PartyRow(NamedTuple):
    """A party in the submissions table."""

    code: str
    name: str
    role: str


class BracketCount(NamedTuple):
    """How many paragraphs a version has bracketed."""

    version: str
    bracketed: int


class DocumentGroup(NamedTuple):
    """A heading of the documents list and its documents."""

    heading: str
    links: list[Link]


class Moment(NamedTuple):
    """A milestone: when (UTC) and what happened, in plain words."""

    at: str
    what: str


@dataclass
class Dashboard:
    """Everything index.html shows."""

    title: str
    slug: str
    symbol: str
    zone: str
    state: str  # the overall state in one sentence, first on the page
    version: str  # the current version, whose paragraphs the map shows
    cells: list[Cell]
    bars: list[Bar]
    marks: list[Mark]
    boards: list[Board]
    parties: list[PartyRow]
    brackets: list[BracketCount]  # each version's
    documents: list[DocumentGroup]
    milestones: list[Moment] = field(default_factory=list)  # in order
    audit: list[Link] = field(default_factory=list)
    pdf_note: str = ""


def _utc(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)


def status_counts(cells: list[Cell]) -> list[tuple[str, str, int]]:
    """Each status, its cue and how many paragraphs have it, in the map's order."""
    return [
        (status, cue, sum(1 for c in cells if c.status == status)) for status, cue in CUES.items()
    ]


# The timeline: lanes top to bottom, a time axis with local dates
_WIDTH, _LEFT, _RIGHT, _LANE, _TOP = 760.0, 96.0, 24.0, 46.0, 24.0
_Scale = Callable[[str | datetime], float]  # a moment -> its x on the timeline
LANES = ("Rounds", "Versions", "Silence", "Agreement")


def timeline_svg(bars: list[Bar], marks: list[Mark], zone: str) -> Markup:
    """Rounds, deadlines, versions, silence and agreement on one time axis, as inline SVG."""
    moments = [_utc(t) for b in bars for t in (b.start, b.end)] + [_utc(m.at) for m in marks]
    if not moments:
        return Markup("")
    first, last = min(moments), max(moments)
    if last - first < timedelta(days=1):
        last = first + timedelta(days=1)
    x = _time_scale(first, last)
    out = _timeline_frame()
    out += _axis(first, last, zone, x, _TOP + _LANE * len(LANES))
    out += [_bar(b, x, zone) for b in bars]
    out += _marks(marks, x, zone)
    out.append("</svg>")
    return Markup("\n".join(out))


def _time_scale(first: datetime, last: datetime) -> _Scale:
    """A moment's x on the timeline, ``first`` at its left end and ``last`` at its right end."""
    scale = (_WIDTH - _LEFT - _RIGHT) / (last - first).total_seconds()

    def x(moment: str | datetime) -> float:
        when = _utc(moment) if isinstance(moment, str) else moment
        return _LEFT + (when - first).total_seconds() * scale

    return x


def _timeline_frame() -> list[str]:
    """The timeline's svg element, title, hatching pattern and lanes."""
    height = _TOP + _LANE * len(LANES) + 28
    out = [
        f'<svg class="timeline" viewBox="0 0 {_WIDTH:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="timeline-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="timeline-title">Timeline of rounds, deadlines, versions, silence and agreement</title>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3e3b3"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b08a20" stroke-width="2"/></pattern></defs>',
    ]
    out.extend(_lane(i, lane) for i, lane in enumerate(LANES))
    return out


def _lane(i: int, lane: str) -> str:
    """The ``i``-th lane's name and its line across the timeline."""
    y = _TOP + _LANE * i
    return (
        f'<text class="lane" x="4" y="{y + 22:.1f}">{lane}</text>'
        f'<line x1="{_LEFT:.1f}" x2="{_WIDTH - _RIGHT:.1f}" y1="{y + 18:.1f}" y2="{y + 18:.1f}" '
        'stroke="#ddd"/>'
    )


def _marks(marks: list[Mark], x: _Scale, zone: str) -> list[str]:
    """The marks, each on its lane; one at the same moment as another is moved aside."""
    placed: dict[str, list[float]] = {}  # per lane, where marks are drawn
    out = []
    for i, m in enumerate(marks):
        at, taken = x(m.at), placed.setdefault(m.lane, [])
        while any(abs(at - other) < 13 for other in taken):
            at -= 13
        taken.append(at)
        out.append(_mark(m, i, at, zone))
    return out


def _lane_y(lane: str) -> float:
    return _TOP + _LANE * LANES.index(lane)


def _axis(first: datetime, last: datetime, zone: str, x: _Scale, y: float) -> list[str]:
    """Ticks at local midnights, at most about eight labelled."""
    start = in_zone(first.strftime("%Y-%m-%dT%H:%M:%SZ"), zone).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    days = (last - first).days + 2
    step = max(1, math.ceil(days / 8))
    out = [
        f'<line x1="{_LEFT:.1f}" x2="{_WIDTH - _RIGHT:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#888"/>'
    ]
    for n in range(0, days + 1, step):
        # a day later in local time, across a clock change too
        day = (start + timedelta(days=n)).replace(hour=0)
        when = day.astimezone(UTC)
        if first <= when <= last:
            out.append(_tick(x(when), y, day))
    return out


def _tick(at: float, y: float, day: datetime) -> str:
    """One day's tick on the axis, labelled with the day and month."""
    return (
        f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{y:.1f}" y2="{y + 5:.1f}" stroke="#888"/>'
        f'<text class="tick" x="{at:.1f}" y="{y + 18:.1f}" text-anchor="middle">{day:%d %b}</text>'
    )


_BAR_FILLS = {
    "round": "#9cc3e6",
    "round-open": "url(#hatch)",
    "silence": "#c9e7c3",
    "silence-broken": "#f2c4b8",
}


def _bar(bar: Bar, x: _Scale, zone: str) -> str:
    y = _lane_y(bar.lane) + 10
    left, right = x(bar.start), x(bar.end)
    width = max(right - left, 3.0)
    fill = _BAR_FILLS.get(bar.kind, "#ccc")
    when = f"{local_time(bar.start, zone)} to {local_time(bar.end, zone)}"
    return (
        f"<g><title>{escape(bar.label)}: {escape(when)}</title>"
        f'<rect x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" height="16" rx="3" fill="{fill}" '
        f'stroke="#555" stroke-width="0.6"/>'
        f'<text class="bar" x="{left + 3:.1f}" y="{y - 3:.1f}">{escape(bar.label)}</text></g>'
    )


_SHAPES = {
    "deadline": '<path d="M{x:.1f} {y:.1f} l-5 -9 h10 z" fill="#a22"/>',
    "version": '<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#1f5fa8"/>',
    "agreed": '<path d="M{x:.1f} {t:.1f} l7 8 -7 8 -7 -8 z" fill="#262"/>',
    "archived": '<rect x="{l:.1f}" y="{t:.1f}" width="12" height="12" fill="#555"/>',
    "broken": '<path d="M{l:.1f} {t:.1f} l12 12 m0 -12 l-12 12" stroke="#a22" stroke-width="2.5"/>',
}


def _mark(mark: Mark, index: int, at: float, zone: str) -> str:
    y = _lane_y(mark.lane) + 18
    shape = _SHAPES.get(mark.kind, _SHAPES["version"]).format(x=at, y=y, t=y - 8, l=at - 6)
    below = (
        y + 20 + (index % 2) * 10 if mark.kind != "deadline" else y - 14
    )  # alternate: close labels do not collide
    anchor = "end" if at > _WIDTH - 120 else "start"
    return (
        f"<g><title>{escape(mark.label)}: {escape(local_time(mark.at, zone))}</title>{shape}"
        f'<text class="mark" x="{at:.1f}" y="{below:.1f}" text-anchor="{anchor}">{escape(mark.label)}</text></g>'
    )


def bracket_svg(counts: list[BracketCount]) -> Markup:
    """Bracketed paragraphs in each version, as a small bar chart with the number above each bar."""
    if not counts:
        return Markup("")
    top = max(1, max(n for _, n in counts))
    slot, chart = _SLOT, _CHART
    width = slot * len(counts) + 12
    out = [
        f'<svg class="brackets" viewBox="0 0 {width:.0f} {chart + 40:.0f}" role="img" '
        f'aria-labelledby="brackets-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="brackets-title">Bracketed paragraphs in each version</title>',
        f'<line x1="6" x2="{width - 6:.1f}" y1="{chart + 10:.1f}" y2="{chart + 10:.1f}" stroke="#888"/>',
    ]
    for i, (label, n) in enumerate(counts):
        out.append(_version_bar(label, n, left=12 + slot * i, height=chart * n / top))
    out.append("</svg>")
    return Markup("\n".join(out))


def dashboard_html(page: Dashboard) -> str:
    """index.html: one self-contained page (no script, no CDN), readable on a phone and on paper."""
    return _ENV.get_template("dashboard.html.j2").render(
        page=page,
        counts=status_counts(page.cells),
        cues=CUES,
        local=local_time,
        timeline=timeline_svg(page.bars, page.marks, page.zone),
        chart=bracket_svg(page.brackets),
    )


_SLOT, _CHART = 84.0, 90.0  # the bracket chart: each version's width, the tallest bar's height


def _version_bar(label: str, n: int, *, left: float, height: float) -> str:
    """One version's bar of the bracket chart, with its count above and its label below."""
    slot, chart = _SLOT, _CHART
    return (
        f"<g><title>{escape(label)}: {n} bracketed</title>"
        f'<rect x="{left:.1f}" y="{chart + 10 - height:.1f}" width="{slot - 30:.1f}" '
        f'height="{height:.1f}" fill="#d98c7a" stroke="#7a2a1a" stroke-width="0.6"/>'
        f'<text x="{left + (slot - 30) / 2:.1f}" y="{chart + 6 - height:.1f}" '
        f'text-anchor="middle">{n}</text>'
        f'<text x="{left + (slot - 30) / 2:.1f}" y="{chart + 28:.1f}" text-anchor="middle">'
        f"{escape(label)}</text></g>"
    )
