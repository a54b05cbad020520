"""compilation.docx on the sample declarations with 2, 8 and 60 parties, checked through accord's reader; then
decisions (the compilation returned from Word, and JSON) and the next revision, in the domain and through the use
cases on the test database."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from drafting.compilation import author_of, compilation_document, compilation_layout
from drafting.decisions import Outcome, decisions_from_docx, reconcile
from drafting.errors import Forbidden
from drafting.merge import Merged, merge, overlaps
from drafting.merge import alternative as alternative_of
from drafting.proposals import MARK, Note, base_string, paragraph_starts
from drafting.revision import next_revision, operations
from drafting.text import DraftText, ParagraphStatus
from drafting.wordml.models import Reading, SegmentKind
from drafting.wordml.reader import read_docx
from drafting.wordml.writer import OutComment
from tests import factories
from tests.compilation_fixtures import (
    COMPILED,
    NAMES,
    ROUNDS,
    Edits,
    Scenario,
    base_lines,
    compile_all,
    named_round,
    reading_of,
    sample_base,
    sample_bytes,
    scenario,
    tracked,
    untracked,
)
from tests.word_review import Change, by_author, returned


@pytest.fixture(params=list(ROUNDS), scope="module")
def round_(request: pytest.FixtureRequest) -> Scenario:
    return named_round(request.param)


def touching(merged: Merged, base: DraftText) -> dict[int, set[str]]:
    """The parties whose proposals touch each base paragraph (an insertion at its edges included)."""
    starts = paragraph_starts(base) + [len(base_string(base)) + 1]
    found: dict[int, set[str]] = {}
    for p in merged.proposals:
        for i in range(len(base.paragraphs)):
            if p.start <= starts[i + 1] - 1 and starts[i] <= p.end:
                found.setdefault(i, set()).update(p.parties)
    return found


def accepted_lines(reading: Reading) -> list[str]:
    return reading.accepted_text.split("\n")


# -- the invariants -------------------------------------------------------------------------------------------------


def test_rejecting_every_change_gives_the_base(round_: Scenario) -> None:
    _, document = round_.compiled
    reading = reading_of(document)
    assert reading.rejected_text == round_.base.plain


def test_accepting_a_paragraph_one_party_alone_touched_gives_that_partys_text(
    round_: Scenario,
) -> None:
    merged, document = round_.compiled
    reading = reading_of(document)
    lines, accepted = base_lines(reading), accepted_lines(reading)
    checked = 0
    for index, parties in touching(merged, round_.base).items():
        if len(parties) == 1 and index in lines:
            (party,) = parties
            assert accepted[lines[index]] == round_.submissions[party].texts[index], (party, index)
            checked += 1
    assert checked >= min(2, len(round_.submissions))


def test_every_proposal_appears_with_its_partys_name_as_author(round_: Scenario) -> None:
    merged, document = round_.compiled
    written: dict[tuple[SegmentKind, str], str] = {}  # (kind, author) -> all the text it has
    for paragraph in reading_of(document).paragraphs:
        for s in paragraph.segments:
            if s.kind != SegmentKind.EQUAL and s.author:
                written[(s.kind, s.author)] = written.get((s.kind, s.author), "") + s.text
    text = base_string(round_.base)
    groups = {g.id: g for g in merged.conflicts}
    expected_authors = set()
    for p in merged.proposals:
        author = author_of(p.parties, NAMES)
        if p.group is None:
            shown = [(SegmentKind.DELETE, p.deleted), (SegmentKind.INSERT, p.inserted)]
        else:
            group = groups[p.group]
            everyone = [c for pid in group.proposals for c in merged.by_id()[pid].parties]
            joint = author_of(list(dict.fromkeys(everyone)), NAMES)
            expected_authors.add(joint)
            shown = [(SegmentKind.INSERT, alternative_of(text, group, p))]
            assert (
                text[group.start : group.end].replace(MARK, "")
                in written[(SegmentKind.DELETE, joint)]
            )
        for kind, words in shown:
            if words.replace(MARK, ""):
                expected_authors.add(author)
                assert all(part in written[(kind, author)] for part in words.split(MARK)), p.id
    assert {author for _, author in written} == expected_authors
    assert {a for a in expected_authors if " / " not in a} <= {NAMES[c] for c in round_.submissions}


def test_rationale_and_conflicts_are_comments_by_the_parties(round_: Scenario) -> None:
    merged, document = round_.compiled
    comments = reading_of(document).comments
    written = {(c.author, c.text) for c in comments}
    for p in merged.proposals:
        for party, text in p.rationale:
            assert (NAMES[party], text) in written
    for group in merged.conflicts:
        (summary,) = [
            c for c in comments if c.text.startswith(f"{group.id}, one alternative or none: ")
        ]
        labels = summary.text.split(": ", 1)[1].split(" / Alt ")
        assert len(labels) == len(group.proposals) and labels[0].startswith("Alt 1 ")
        assert summary.author == "accord"
    for p in (
        merged.proposals
    ):  # each change says which amendment it is, as the synopsis and decisions name it
        if p.group is None:
            assert any(
                c.text.startswith(f"{p.id} [{', '.join(p.parties)}]: ") and c.author == "accord"
                for c in comments
            )
    legend = comments[0].text
    assert legend.startswith("Legend: ") and all(
        f"{NAMES[party]} = {party}" in legend for p in merged.proposals for party in p.parties
    )
    untracked_ = [p for p in merged.proposals if p.untracked and p.group is None]
    for p in untracked_:
        assert any(
            c.text == f"{p.id}: changed by {author_of(p.parties, NAMES)} without track changes"
            for c in comments
        )
    assert all((NAMES[n.party], n.text) in written for n in merged.notes)


def test_paragraph_styles_are_kept(round_: Scenario) -> None:
    """Each base paragraph left whole keeps the style (and so the numbering) of its zero-draft paragraph."""
    _, document = round_.compiled
    zero = read_docx(round_.template).paragraphs
    reading = reading_of(document)
    rejected, previous_normal, checked = 0, True, 0
    for paragraph in reading.paragraphs:
        normal = paragraph.mark.value == "normal"
        if normal and previous_normal:
            assert (
                paragraph.style == zero[round_.base.paragraphs[rejected].template_index or 0].style
            )
            checked += 1
        rejected += paragraph.mark.value in ("normal", "deleted")
        previous_normal = normal
    assert checked > len(zero) // 2


def test_identical_inputs_give_identical_bytes(round_: Scenario) -> None:
    merged, document = round_.compiled
    shuffled = list(round_.contributions)
    random.Random(3).shuffle(shuffled)
    again = compilation_document(
        round_.template,
        round_.base,
        merge(shuffled),
        names=NAMES,
        date=COMPILED,
        stamp={"accord.version": "Zero draft"},
        title="Compilation",
    )
    assert again == document


def test_the_merge_of_sixty_parties() -> None:
    round_ = scenario("eu-celac", sorted(NAMES))
    merged, _ = round_.compiled
    assert len(round_.submissions) == 60 and len(merged.conflicts) >= 3
    assert (
        max(len(p.parties) for p in merged.proposals) == 12
    )  # every fifth party made the same proposal
    assert sorted(s for p in merged.proposals for s in p.sources) == sorted(
        p.id for c in round_.contributions for p in c.proposals
    )
    singles = [p for p in merged.proposals if p.group is None]
    assert all(not overlaps(a, b) for a, b in zip(singles, singles[1:], strict=False))


# -- decisions and the next revision --------------------------------------------------------------------------------


def test_a_round_decided_in_word_and_in_json(round_: Scenario) -> None:
    """Spain returns the compilation with changes accepted/rejected in Word; Bolivia sends JSON."""
    merged, document = round_.compiled
    rng = random.Random(5)
    verdict = {p.id: rng.choice(["accept", "reject", None]) for p in merged.proposals}
    pieces: dict[str, str | None] = {}
    for p in merged.proposals:  # Spain decides singles in Word; conflicts it leaves open
        if p.group is None:
            pieces[author_of(p.parties, NAMES) + "\0" + p.id] = verdict[p.id]

    def decide(change: Change) -> str | None:
        candidates = [
            p
            for p in merged.proposals
            if p.group is None
            and author_of(p.parties, NAMES) == change.author
            and (change.text and (change.text in p.inserted or change.text in p.deleted))
        ]
        return verdict[candidates[0].id] if len(candidates) == 1 else None

    spain = decisions_from_docx(reading_of(returned(document, decide)), round_.base, merged, NAMES)
    assert set(spain.values()) <= {"accept", "reject"}
    assert all(merged.by_id()[pid].group is None for pid in spain)
    for pid, value in spain.items():
        assert value == verdict[pid]
    bolivia = {pid: v for pid, v in verdict.items() if v is not None}
    resolutions = reconcile(merged, {"ES": spain, "BO": bolivia}, ["ES", "BO"])
    text, placed = next_revision(round_.base, operations(round_.base, merged, resolutions))
    outcome = {r.proposal: r.outcome for r in resolutions}
    for p in merged.proposals:
        if p.group is None and spain.get(p.id) == bolivia.get(p.id) == "accept":
            assert outcome[p.id] == Outcome.APPLIED
        if p.group is None and spain.get(p.id) == bolivia.get(p.id) == "reject":
            assert outcome[p.id] == Outcome.DROPPED
    assert all(
        outcome[pid] == Outcome.BRACKETED
        for g in merged.conflicts
        for pid in g.proposals
        if not any(outcome[q] == Outcome.APPLIED for q in g.proposals)
        and not all(outcome[q] == Outcome.DROPPED for q in g.proposals)
    )
    keys = [p.key for p in text.paragraphs]
    assert len(keys) == len(set(keys))
    assert {p.key for p in round_.base.paragraphs} - set(keys) == {
        round_.base.paragraphs[i].key for i in _deleted_for_good(round_, merged, outcome)
    }
    statuses = {p.status for p in text.paragraphs}
    assert ParagraphStatus.UNCHANGED in statuses and (
        ParagraphStatus.BRACKETED in statuses or not placed
    )


def _deleted_for_good(round_: Scenario, merged: Merged, outcome: dict[str, Outcome]) -> set[int]:
    """Base paragraphs whose deletion was applied."""
    starts = paragraph_starts(round_.base)
    gone = set()
    for p in merged.proposals:
        if outcome[p.id] != Outcome.APPLIED:
            continue
        kept = p.inserted.count(MARK)
        for i, start in enumerate(starts):
            if p.start < start <= p.end and p.deleted.count(MARK) > kept:
                gone.add(i)
    return gone


# -- through the use cases, on the test database ---------------------------------------------------------------------


def test_two_rounds_through_the_use_cases(app: Any, tmp_path: Path) -> None:
    """Round 1 with 8 delegations; only co-presidencies may decide; Spain decides in Word, Bolivia in JSON; both
    approve Rev.1. Round 2: a delegation sends a file made on the zero draft, which is rebased or reported."""
    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import approve, decide
    from flows.usecases.rounds import open_round
    from flows.usecases.submissions import submit
    from flows.usecases.texts import version_text

    factories.open_declaration(app, n=10)
    codes = factories.delegations(10)
    for code, data in scenario("water", codes, seed=21).data.items():  # on factories' zero draft
        submit(app, factories.SLUG, party=code, data=data, filename=f"{code}.docx")
    compiled = close_and_compile(app, factories.SLUG)
    paths = {Path(p).name: Path(p) for p in compiled.paths}
    assert sorted(paths) == ["compilation.docx", "synopsis.html", "synopsis.json"]
    synopsis = json.loads(paths["synopsis.json"].read_text())
    ids = [p["id"] for row in synopsis["paragraphs"] for p in row["proposals"]]
    assert len(ids) == compiled.proposals and compiled.submissions == 8
    compilation = paths["compilation.docx"].read_bytes()
    assert read_docx(compilation).rejected_text == factories.base_text().plain

    with pytest.raises(Forbidden, match="only the co-presidencies"):
        decide(app, factories.SLUG, party=codes[0], data=b'{"decisions": {}}', filename="x.json")
    with pytest.raises(Forbidden):
        approve(app, factories.SLUG, party=codes[0])

    spain = returned(compilation, lambda change: "accept" if " / " not in change.author else None)
    receipt = decide(app, factories.SLUG, party="ES", data=spain, filename="ES-compilation.docx")
    assert receipt.revision is None and receipt.accepted > 0
    grouped = {p["id"] for row in synopsis["paragraphs"] for p in row["proposals"] if p["conflict"]}
    bolivia = {"decisions": {pid: "accept" for pid in ids if pid not in grouped}}
    receipt = decide(
        app, factories.SLUG, party="BO", data=json.dumps(bolivia).encode(), filename="BO.json"
    )
    assert receipt.revision == "Rev.1"
    approve(app, factories.SLUG, party="ES")
    assert approve(app, factories.SLUG, party="BO")["circulated"] is True

    with app.store.reading() as uow:
        rev1 = version_text(uow.repo.current_version(uow.repo.declaration(factories.SLUG)))
    assert rev1.plain != factories.base_text().plain
    statuses = {p.status for p in rev1.paragraphs}
    assert ParagraphStatus.AGREED in statuses
    assert ParagraphStatus.BRACKETED in statuses or not grouped

    open_round(app, factories.SLUG)
    base = factories.base_text()
    target = next(
        i for i, p in enumerate(rev1.paragraphs) if p.status == ParagraphStatus.UNCHANGED and i > 20
    )
    word = re.findall(r" ([A-Za-z]{5,}) ", rev1.paragraphs[target].text)[1]
    index = [p.text for p in base.paragraphs].index(rev1.paragraphs[target].text)
    keys = [p.key for p in base.paragraphs]
    changed, gone = next(
        (keys.index(p.key), words)
        for p in rev1.paragraphs
        if p.status == ParagraphStatus.AGREED
        and p.key in keys
        and (
            words := [
                w
                for w in re.findall(r"[A-Za-z]{5,}", base.paragraphs[keys.index(p.key)].text)
                if w not in p.text
            ]
        )
    )
    edits = (
        Edits(base)
        .replace(index, f" {word} ", f" firmly {word} ")
        .replace(changed, gone[0], gone[0].upper())
    )
    stale = tracked(
        sample_bytes("water"),
        base,
        edits.result,
        author=NAMES[codes[0]],
        stamp=factories.stamp(codes[0]),
    )
    submit(app, factories.SLUG, party=codes[0], data=stale, filename="on-zero-draft.docx")
    current = Edits(rev1).replace(3, "Recalling", "Recalling strongly").result
    submit(
        app,
        factories.SLUG,
        party=codes[1],
        data=untracked(sample_bytes("water"), current, rev1),
        filename="x.docx",
    )
    round2 = close_and_compile(app, factories.SLUG)
    synopsis2 = json.loads(Path(next(p for p in round2.paths if p.endswith(".json"))).read_text())
    proposals = [p for row in synopsis2["paragraphs"] for p in row["proposals"]]
    assert {(p["parties"][0], p["rebased"], p["untracked"]) for p in proposals} == {
        (codes[0], True, False),
        (codes[1], False, True),
    }
    assert synopsis2["version"] == "Rev.1"
    (problem,) = synopsis2["problems"]  # the change on words Rev.1 no longer has
    assert problem.startswith(f"not applicable: {codes[0]}'s change of {gone[0]!r}")
    assert read_docx(Path(round2.paths[0]).read_bytes()).rejected_text == rev1.plain


def test_sixty_party_round_through_the_use_cases(app: Any) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.submissions import submit

    factories.open_declaration(app, n=60)
    round_ = scenario("water", sorted(NAMES))
    for code, data in round_.data.items():
        submit(app, factories.SLUG, party=code, data=data, filename=f"{code}.docx")
    compiled = close_and_compile(app, factories.SLUG)
    merged, document = round_.compiled
    assert compiled.submissions == 60 and compiled.proposals == len(merged.proposals)
    produced = Path(compiled.paths[0]).read_bytes()
    assert read_docx(produced).rejected_text == round_.base.plain
    assert {c.author for c in read_docx(produced).changes} == {
        c.author for c in read_docx(document).changes
    }


def test_comment_ids_are_unique(round_: Scenario) -> None:
    merged, _ = round_.compiled
    _, comments = compilation_layout(round_.base, merged, names=NAMES, date=COMPILED)
    assert [c.id for c in comments] == list(range(len(comments)))
    assert all(isinstance(c, OutComment) for c in comments)


def test_accepting_one_partys_changes_and_rejecting_the_rest_gives_its_text() -> None:
    """For a party with no conflict and no proposal shared with others, Word's accept/reject by author gives
    exactly the party's text."""
    round_ = scenario("eu-celac", factories.delegations(10))
    merged, document = round_.compiled
    clean = [
        code
        for code, submission in round_.submissions.items()
        if all(
            p.group is None and p.parties == [code] for p in merged.proposals if code in p.parties
        )
    ]
    assert (
        len(clean) >= 2
    )  # amendments are whole words and whole edits: wider, so more of the ten overlap
    for code in clean:

        def only(change: Change, name: str = NAMES[code]) -> str:
            return "accept" if change.author == name else "reject"

        assert reading_of(returned(document, only)).accepted_text == "\n".join(
            round_.submissions[code].result
        )


def test_by_author_leaves_other_authors_alone() -> None:
    assert by_author({"Mexico": "accept"})(Change("insert", "France", "x")) is None


def test_notes_inside_another_partys_change_are_kept() -> None:
    """Regression: a note (a comment on no proposal) whose place another party's proposal covered stayed first in
    the queue for ever, and every later note vanished from compilation.docx."""
    base = sample_base()
    argentina = tracked(
        sample_bytes(),
        base,
        Edits(base).replace(5, "Recognizing the value", "Acknowledging the value").result,
        author="Argentina",
    )
    merged, _ = compile_all(sample_bytes(), base, {"AR": argentina})
    starts = paragraph_starts(base)
    notes = [
        Note(party="CL", paragraph=base.paragraphs[i].key, offset=starts[i], text=f"Chile on {i}")
        for i in (5, 20, 46)
    ]
    with_notes = Merged(proposals=merged.proposals, conflicts=merged.conflicts, notes=notes)
    _, comments = compilation_layout(base, with_notes, names=NAMES, date=COMPILED)
    assert [(c.author, c.text) for c in comments if c.author != "accord"] == [
        ("Chile", "Chile on 5"),
        ("Chile", "Chile on 20"),
        ("Chile", "Chile on 46"),
    ]
    document = compilation_document(
        sample_bytes(), base, with_notes, names=NAMES, date=COMPILED, stamp={}, title="Compilation"
    )
    anchors = {c.text: c.anchor for c in reading_of(document).comments if c.author != "accord"}
    assert anchors == {
        "Chile on 5": "the",
        "Chile on 20": "(b)",
        "Chile on 46": base.paragraphs[46].text.split()[0],
    }
