"""Builders for compilation tests: party submissions made on the sample declarations, compiled as the use case
does, and whole rounds of n parties.

    base = sample_base("eu-celac")  # the zero draft as a DraftText
    texts = Edits(base).replace(3, "Charter of the United Nations", "UN Charter").insert_after(6, "New.").result
    docx = tracked(template, base, texts, author="France", comments={3: "Why"})  # redline_document
    docx = untracked(template, texts)  # the changed text as plain runs: no tracked change
    docx = moved(base, 9, "complex, ", 20, "forensic", author="Peru")  # hand-built w:moveFrom / w:moveTo

The compilation as a co-presidency returns it from Word is built by ``tests.word_review``.

Each submission is a real .docx read by accord's reader, so every test goes through the reader as production does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from xml.sax.saxutils import escape

from drafting.compilation import compilation_document
from drafting.documents import render_version, zero_draft_from_reading
from drafting.merge import Merged, merge
from drafting.proposals import MARK, PartyProposals, base_string, derive_proposals
from drafting.redline import redline_document
from drafting.text import DraftParagraph, DraftText
from drafting.wordml.models import Reading
from drafting.wordml.reader import read_docx
from flows import samples
from tests import factories
from tests.docxbuild import build_docx

SAMPLE_FILES = {
    "eu-celac": "eu-celac-drugs-hlm-sample.en.docx",
    "eu-celac-es": "eu-celac-drugs-hlm-sample.es.docx",
    "awaza": "un-ga-awaza-political-declaration-2025.en.docx",
    "doha": "un-ga-doha-political-declaration-2025.en.docx",
    "trafficking": "un-ga-trafficking-political-declaration-2025.en.docx",
}
DATE = "2026-11-29T10:00:00Z"
COMPILED = "2026-12-01T18:00:00Z"

# The 27 EU and 33 CELAC member states: the 60 parties of an EU-CELAC declaration.
EU = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus", "CZ": "Czechia",
    "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France", "DE": "Germany", "GR": "Greece",
    "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg",
    "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia",
    "SI": "Slovenia", "ES": "Spain", "SE": "Sweden",
}  # fmt: skip
CELAC = {
    "AG": "Antigua and Barbuda", "AR": "Argentina", "BS": "Bahamas", "BB": "Barbados", "BZ": "Belize",
    "BO": "Bolivia", "BR": "Brazil", "CL": "Chile", "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba",
    "DM": "Dominica", "DO": "Dominican Republic", "EC": "Ecuador", "SV": "El Salvador", "GD": "Grenada",
    "GT": "Guatemala", "GY": "Guyana", "HT": "Haiti", "HN": "Honduras", "JM": "Jamaica", "MX": "Mexico",
    "NI": "Nicaragua", "PA": "Panama", "PY": "Paraguay", "PE": "Peru", "KN": "Saint Kitts and Nevis",
    "LC": "Saint Lucia", "VC": "Saint Vincent and the Grenadines", "SR": "Suriname", "TT": "Trinidad and Tobago",
    "UY": "Uruguay", "VE": "Venezuela",
}  # fmt: skip
NAMES: dict[str, str] = {**EU, **CELAC}
assert len(NAMES) == 60


# The repository's own declaration (flows/samples): what tests.factories declares, so a round can mix both.
REPOSITORY_SAMPLES = {"water": samples.docx_path("en"), "water-es": samples.docx_path("es")}


@cache
def sample_bytes(name: str = "eu-celac") -> bytes:
    """The bytes of a sample declaration (also the template every document is written in)."""
    if name in REPOSITORY_SAMPLES:
        return REPOSITORY_SAMPLES[name].read_bytes()
    return factories.shared_path(
        f"samples/declarations/{SAMPLE_FILES[name]}"
    ).read_bytes()  # skips without it


@cache
def sample_base(name: str = "eu-celac") -> DraftText:
    """The sample as the zero draft accord makes of it."""
    return zero_draft_from_reading(read_docx(sample_bytes(name)), name=f"{name} sample")


@dataclass
class Edits:
    """A party's intended text, built from the base by small edits (indexes are base paragraph indexes)."""

    base: DraftText
    texts: list[str | None] = field(default_factory=list)
    added: dict[int, list[str]] = field(
        default_factory=dict
    )  # base index -> paragraphs inserted after it
    leading: list[str] = field(default_factory=list)  # paragraphs inserted before the first

    def __post_init__(self) -> None:
        self.texts = [p.text for p in self.base.paragraphs]

    def replace(self, index: int, old: str, new: str, count: int = 1) -> Edits:
        """Replace ``old`` by ``new`` in base paragraph ``index`` (it must be there)."""
        text = self.texts[index]
        assert text is not None and old in text, f"{old!r} not in paragraph {index}"
        self.texts[index] = text.replace(old, new, count)
        return self

    def delete(self, index: int) -> Edits:
        """Delete base paragraph ``index``."""
        self.texts[index] = None
        return self

    def insert_after(self, index: int, *paragraphs: str) -> Edits:
        """Add paragraphs after base paragraph ``index`` (-1: before the first)."""
        if index < 0:
            self.leading.extend(paragraphs)
        else:
            self.added.setdefault(index, []).extend(paragraphs)
        return self

    def move(self, index: int, words: str, to: int, before: str) -> Edits:
        """Move ``words`` from paragraph ``index`` to paragraph ``to``, just before ``before``."""
        self.replace(index, words, "")
        return self.replace(to, before, words + before)

    @property
    def result(self) -> list[str]:
        """The party's paragraphs, in order."""
        out = list(self.leading)
        for i, text in enumerate(self.texts):
            if text is not None:
                out.append(text)
            out.extend(self.added.get(i, []))
        return out


def tracked(
    template: bytes,
    base: DraftText,
    texts: list[str],
    *,
    author: str,
    comments: dict[int, str] | None = None,
    stamp: dict[str, str] | None = None,
) -> bytes:
    """A submission whose every change is a tracked change by ``author`` (comments by new paragraph index)."""
    return redline_document(
        template, base, texts, author=author, date=DATE, comments=comments, stamp=stamp
    )


def untracked(template: bytes, texts: list[str], base: DraftText | None = None) -> bytes:
    """A submission that changes the text without track changes: plain runs only."""
    slots = [p.template_index for p in base.paragraphs] if base is not None else []
    paragraphs = [
        DraftParagraph(key=f"x{i}", text=text, template_index=slots[i] if i < len(slots) else None)
        for i, text in enumerate(texts)
    ]
    return render_version(template, DraftText(paragraphs=paragraphs), title="submission", stamp={})


def on_top_of(template: bytes, silent: list[str], texts: list[str], *, author: str) -> bytes:
    """Untracked edits (``silent``, the file's own base) with tracked changes from there to ``texts``."""
    own = DraftText(
        paragraphs=[
            DraftParagraph(key=f"x{i}", text=t, template_index=0) for i, t in enumerate(silent)
        ]
    )
    return redline_document(template, own, texts, author=author, date=DATE)


def _runs(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""


def moved(
    base: DraftText,
    index: int,
    words: str,
    to: int,
    before: str,
    *,
    author: str,
    comment: str | None = None,
) -> bytes:
    """A hand-built file moving ``words`` from paragraph ``index`` to paragraph ``to`` (before ``before``),
    marked up as Word marks a move (w:moveFrom / w:moveTo with range markers); optionally commented."""
    stamp = f'w:author="{escape(author)}" w:date="{DATE}"'
    body = []
    for i, paragraph in enumerate(base.paragraphs):
        text = paragraph.text
        if i == index:
            head, tail = text.split(words, 1)
            anchor = (
                (
                    '<w:commentRangeStart w:id="0"/>',
                    '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>',
                )
                if comment
                else ("", "")
            )
            body.append(
                f'<w:p>{_runs(head)}{anchor[0]}<w:moveFromRangeStart w:id="10" {stamp} w:name="move1"/>'
                f'<w:moveFrom w:id="11" {stamp}><w:r><w:delText xml:space="preserve">{escape(words)}</w:delText>'
                f'</w:r></w:moveFrom><w:moveFromRangeEnd w:id="10"/>{anchor[1]}{_runs(tail)}</w:p>'
            )
        elif i == to:
            head, tail = text.split(before, 1)
            body.append(
                f'<w:p>{_runs(head)}<w:moveToRangeStart w:id="12" {stamp} w:name="move1"/>'
                f'<w:moveTo w:id="13" {stamp}>{_runs(words)}</w:moveTo><w:moveToRangeEnd w:id="12"/>'
                f"{_runs(before + tail)}</w:p>"
            )
        else:
            body.append(f"<w:p>{_runs(text)}</w:p>")
    comments = (
        (
            f'<w:comment w:id="0" w:author="{escape(author)}" w:date="{DATE}" w:initials="X">'
            f"<w:p><w:r><w:t>{escape(comment)}</w:t></w:r></w:p></w:comment>"
        )
        if comment
        else None
    )
    return build_docx("".join(body), comments_xml=comments)


def contribution(
    docx: bytes,
    base: DraftText,
    party: str,
    submission: int = 1,
    *,
    older: dict[str, DraftText] | None = None,
    stamped: str | None = None,
) -> PartyProposals:
    """Read a submission and derive its proposals, as the compile use case does."""
    return derive_proposals(
        read_docx(docx, name=f"{party}.docx"),
        base,
        party=party,
        submission=submission,
        older=older,
        stamped_version=stamped,
    )


def compile_all(
    template: bytes,
    base: DraftText,
    submissions: dict[str, bytes],
    *,
    names: dict[str, str] | None = None,
) -> tuple[Merged, bytes]:
    """Proposals from every submission, merged, and compilation.docx."""
    contributions = [
        contribution(data, base, party, n + 1)
        for n, (party, data) in enumerate(submissions.items())
    ]
    merged = merge(contributions)
    document = compilation_document(
        template,
        base,
        merged,
        names=names or NAMES,
        date=COMPILED,
        stamp={"accord.version": "Zero draft"},
        title="Compilation",
    )
    return merged, document


def reading_of(docx: bytes) -> Reading:
    return read_docx(docx, name="compilation.docx")


def whole_paragraphs(reading: Reading) -> dict[int, tuple[int, int]]:
    """Base paragraphs left whole (their own mark and the one before untracked): base index -> (index of the
    paragraph in the file, its line in the accepted view)."""
    found: dict[int, tuple[int, int]] = {}
    accepted = rejected = 0
    previous_normal = True
    for paragraph in reading.paragraphs:
        normal = paragraph.mark.value == "normal"
        if normal and previous_normal:
            found[rejected] = (paragraph.index, accepted)
        accepted += paragraph.mark.value in ("normal", "inserted")
        rejected += paragraph.mark.value in ("normal", "deleted")
        previous_normal = normal
    return found


def base_lines(reading: Reading) -> dict[int, int]:
    """For each base paragraph left whole, its line in the accepted view: lets a test look up what accepting
    everything did to one base paragraph."""
    return {index: line for index, (_, line) in whole_paragraphs(reading).items()}


# -- Whole rounds: n parties editing a sample ---------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]{5,}")
ADJECTIVES = (
    "effective",
    "sustained",
    "concrete",
    "shared",
    "balanced",
    "renewed",
    "coordinated",
    "urgent",
)


@dataclass
class Submission:
    """One party's file and the text it means."""

    code: str
    kind: str  # tracked | untracked | moved | tracked+untracked
    texts: list[str | None]  # by base paragraph (None: deleted)
    data: bytes
    result: list[str]


@dataclass
class Scenario:
    """A round on a sample: each party's submission, in party-code order."""

    sample: str
    template: bytes
    base: DraftText
    submissions: dict[str, Submission]

    @property
    def data(self) -> dict[str, bytes]:
        return {code: s.data for code, s in self.submissions.items()}

    @cached_property
    def contributions(self) -> list[PartyProposals]:
        """Every submission read and turned into proposals (computed once per scenario)."""
        return [
            contribution(s.data, self.base, code, n + 1)
            for n, (code, s) in enumerate(self.submissions.items())
        ]

    @cached_property
    def compiled(self) -> tuple[Merged, bytes]:
        """The merge and compilation.docx (computed once per scenario)."""
        merged = merge(self.contributions)
        return merged, compilation_document(
            self.template,
            self.base,
            merged,
            names=NAMES,
            date=COMPILED,
            stamp={"accord.version": "Zero draft"},
            title="Compilation",
        )


def _random_edit(edits: Edits, index: int, rng: random.Random) -> None:
    """Replace, qualify or delete one word of a base paragraph (words further on than earlier edits)."""
    text = edits.texts[index]
    assert text is not None
    words = [m for m in _WORD.finditer(text) if m.start() > 0]
    if not words:
        return
    word = rng.choice(words)
    head, tail = text[: word.start()], text[word.end() :]
    choice = rng.randrange(3)
    if choice == 0:
        edits.texts[index] = head + rng.choice(ADJECTIVES) + tail
    elif choice == 1:
        edits.texts[index] = head + rng.choice(ADJECTIVES) + " " + word.group() + tail
    else:
        edits.texts[index] = (
            head.rstrip(" ") + tail if tail.startswith((" ", ",", ";", ".")) else head + tail
        )


def scenario(
    sample: str,
    codes: Sequence[str],
    *,
    seed: int = 7,
    edits_per_party: int = 2,
    slots: Sequence[int] | None = None,
) -> Scenario:
    """``codes`` parties edit ``sample``: tracked changes with comments, untracked edits, new, deleted and moved
    paragraphs and words, one identical proposal made by every fifth party, and the overlaps chance brings.
    Party n behaves as slot n % 5 (tracked with the shared proposal, tracked with a new paragraph, untracked,
    tracked with a deleted paragraph, tracked), or as ``slots[n]``; party 6 moves words. The same arguments give
    the same (shared) scenario."""
    return _scenario(sample, tuple(codes), seed, edits_per_party, tuple(slots or range(len(codes))))


@cache
def _scenario(
    sample: str, codes: tuple[str, ...], seed: int, edits_per_party: int, slots: tuple[int, ...]
) -> Scenario:
    template, base = sample_bytes(sample), sample_base(sample)
    rng = random.Random(seed)
    count = len(base.paragraphs)
    shared = count // 3  # the paragraph every fifth party edits the same way
    shared_word = _WORD.findall(base.paragraphs[shared].text)[1]
    deleted: set[int] = set()
    submissions: dict[str, Submission] = {}
    for n, (code, slot) in enumerate(zip(codes, slots, strict=True)):
        name, slot = NAMES[code], slot % 5
        edits = Edits(base)
        touched = rng.sample(
            [i for i in range(2, count) if i != shared and i not in deleted], edits_per_party
        )
        for index in touched:
            _random_edit(edits, index, rng)
        comments: dict[int, str] = {}
        kind = ("tracked", "tracked", "untracked", "tracked", "tracked")[slot]
        if slot == 0:
            edits.replace(shared, shared_word, "reaffirmed " + shared_word)
        if slot == 1:
            edits.insert_after(touched[0], f"{name} proposes a new paragraph on cooperation.")
        if slot == 3 and len(deleted) < count // 6:
            victim = rng.choice(
                [
                    i
                    for i in range(2, count)
                    if i not in touched and i != shared and i not in deleted
                ]
            )
            deleted.add(victim)
            edits.delete(victim)
        result = edits.result
        if kind == "tracked":
            comments = {
                result.index(
                    edits.texts[touched[0]]
                ): f"{name}: our reasons for paragraph {touched[0] + 1}"
            }
            data = tracked(template, base, result, author=name, comments=comments)
        else:
            data = untracked(template, result, base)
        if n == 6:  # one party moves words instead
            edits = Edits(base)
            source, target = touched
            word = _once(
                re.findall(r"(?<= )[A-Za-z]{5,} ", base.paragraphs[source].text),
                base.paragraphs[source].text,
            )
            before = _once(
                _WORD.findall(base.paragraphs[target].text)[1:], base.paragraphs[target].text
            )
            edits.move(source, word, target, before)
            result, kind = edits.result, "moved"
            data = moved(
                base, source, word, target, before, author=name, comment=f"{name} moves this"
            )
        submissions[code] = Submission(code, kind, list(edits.texts), data, result)
    return Scenario(sample, template, base, dict(sorted(submissions.items())))


def _once(candidates: list[str], text: str) -> str:
    """The first candidate that occurs once in ``text``."""
    return next(c for c in candidates if text.count(c) == 1)


def apply_proposals(base: DraftText, contributions: Sequence[PartyProposals]) -> str:
    """The base text with the contributions' (non-overlapping) proposals applied, paragraphs joined by "\\n"."""
    text = base_string(base)
    for p in sorted(
        (p for c in contributions for p in c.proposals), key=lambda p: p.start, reverse=True
    ):
        text = text[: p.start] + p.inserted + text[p.end :]
    return text.replace(MARK, "\n")


ROUNDS = {  # id -> (sample, parties); the two parties: France in Word with track changes, Mexico without
    "eu-celac-2": ("eu-celac", ["FR", "MX"]),
    "eu-celac-8": ("eu-celac", factories.delegations(10)),
    "eu-celac-60": ("eu-celac", sorted(NAMES)),
    "eu-celac-es-8": ("eu-celac-es", factories.delegations(10)),
    "awaza-8": ("awaza", factories.delegations(10)),
    "doha-8": ("doha", factories.delegations(10)),
    "trafficking-8": ("trafficking", factories.delegations(10)),
}


def named_round(name: str) -> Scenario:
    """One of the ROUNDS the compilation tests run (checked by accord's reader, and by LibreOffice)."""
    sample, codes = ROUNDS[name]
    return scenario(sample, codes, slots=[1, 2] if len(codes) == 2 else None)
