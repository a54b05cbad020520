"""Bracket ids stable across revisions (issue 11, item 5): a group that comes through a revision untouched keeps its
id, a new one takes the next id never given; a declaration created before (no rules recorded) keeps its own rule,
each revision numbering its groups from B1, so its log replays as it was."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from tests import factories
from tests.audit_scenario import StepClock, current_text, submission

SLUG = "brackets"
CHAIRS = ("ES", "BO")


def _create(app: Any, rules: int | None) -> list[str]:
    from flows.usecases.declarations import create_declaration

    create_declaration(
        app,
        slug=SLUG,
        title=factories.TITLE,
        zero_draft=factories.zero_draft(),
        zero_draft_name="zero.docx",
        parties_csv=factories.parties_csv(6),
        parties_name="parties.csv",
        co_presidencies=list(CHAIRS),
        rules=rules,
    )
    return [code for code in factories.delegations(6) if code not in CHAIRS]


def _free(base: Any) -> list[int]:
    return [
        i for i, p in enumerate(base.paragraphs) if len(p.text.split()) >= 8 and "[" not in p.text
    ]


def _word(texts: list[str], index: int, new: str) -> list[str]:
    """The paragraph with its third word replaced by ``new``."""
    out = list(texts)
    words = out[index].split(" ")
    words[2] = new
    out[index] = " ".join(words)
    return out


def _round(
    app: Any, clock: StepClock, number: int, files: dict[str, list[str]], bo_accepts: set[str]
) -> dict[str, Any]:
    """Open, receive each party's text, close; ES accepts everything, BO only the proposals whose inserted words
    are in ``bo_accepts``; the next revision is issued. Returns the round's synopsis."""
    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import decide
    from flows.usecases.rounds import open_round
    from flows.usecases.submissions import submit

    clock.step(hours=1)
    open_round(app, SLUG)
    label, base = current_text(app, SLUG)
    for code, texts in files.items():
        clock.step()
        submit(
            app,
            SLUG,
            party=code,
            data=submission(app, SLUG, code, label, base, texts, number),
            filename=f"{code}-{number}.docx",
        )
    clock.step(days=7)
    result = close_and_compile(app, SLUG)
    synopsis = json.loads(
        Path(next(p for p in result.paths if p.endswith("synopsis.json"))).read_text()
    )
    compilation = Path(next(p for p in result.paths if p.endswith("compilation.docx"))).read_bytes()
    package = zipfile.ZipFile(io.BytesIO(compilation))
    synopsis["_word_comments"] = (
        package.read("word/comments.xml").decode()
        if "word/comments.xml" in package.namelist()
        else ""
    )  # none in a round without amendments
    proposals = [p for row in synopsis["paragraphs"] for p in row["proposals"]]
    votes = {
        "ES": {p["id"]: "accept" for p in proposals},
        "BO": {
            p["id"]: "accept" if p["inserted"].strip() in bo_accepts else "reject"
            for p in proposals
        },
    }
    for chair in CHAIRS:
        clock.step()
        decide(
            app,
            SLUG,
            party=chair,
            data=json.dumps({"decisions": votes[chair]}).encode(),
            filename="d.json",
        )
    return synopsis


def _lineage_ids(app: Any, label: str) -> list[str]:
    with app.store.reading() as uow:
        row = uow.repo.version(uow.repo.declaration(SLUG), label)
        return [op["bracket"] for op in row.content.lineage if op.get("bracket")]


def _comments(app: Any, label: str) -> list[str]:
    with app.store.reading() as uow:
        row = uow.repo.version(uow.repo.declaration(SLUG), label)
        data = uow.blob(row.blob_sha256)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml").decode()
    return re.findall(r">(B\d+): ", xml)


def _three_rounds(app: Any, rules: int | None) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """Round 1: two words bracketed (B1, B2). Round 2: B2 resolved, a third word bracketed, B1 untouched.
    Round 3 is compiled: its synopsis lists the groups Rev.2 carries."""
    from flows.usecases.decide import approve

    clock = StepClock()
    first, second, third = _create(app, rules)[:3]
    _, zero = current_text(app, SLUG)
    texts = [p.text for p in zero.paragraphs]
    a, b, c = _free(zero)[:3]
    _round(
        app,
        clock,
        1,
        {first: _word(texts, a, "alpha"), second: _word(texts, b, "beta")},
        bo_accepts=set(),
    )
    for chair in CHAIRS:
        approve(app, SLUG, party=chair)
    label, rev1 = current_text(app, SLUG)
    assert label == "Rev.1" and _lineage_ids(app, "Rev.1") == ["B1", "B2"]
    texts = [p.text for p in rev1.paragraphs]
    resolved = list(texts)
    resolved[b] = re.sub(r"\[[^\]]*\]", "beta", texts[b], count=1)
    two = _round(
        app, clock, 2, {second: resolved, third: _word(texts, c, "gamma")}, bo_accepts={"beta"}
    )
    for chair in CHAIRS:
        approve(app, SLUG, party=chair)
    _, rev2 = current_text(app, SLUG)
    assert (
        "[" in rev2.paragraphs[a].text
        and "[" not in rev2.paragraphs[b].text
        and "[" in rev2.paragraphs[c].text
    )
    return _round(app, clock, 3, {}, bo_accepts=set()), _comments(app, "Rev.2"), two


def test_a_bracket_keeps_its_id_and_a_new_one_takes_the_next(make_app: Any) -> None:
    """Regression: Rev.2 numbered its groups from B1 again, so round 2's new bracket was "B1" while Rev.1's B1
    still stood in the text, and round 3's synopsis no longer listed the group carried from Rev.1."""
    app = make_app()
    synopsis, comments, _ = _three_rounds(app, rules=2)
    assert _lineage_ids(app, "Rev.2") == ["B3"]  # B2 was resolved: its id is not given again
    assert comments == [
        "B1",
        "B3",
    ]  # the carried group keeps its comment (id and holders) in Rev.2's document
    assert [g["id"] for g in synopsis["brackets"]] == ["B1", "B3"]
    assert "alpha" in synopsis["brackets"][0]["text"] and "gamma" in synopsis["brackets"][1]["text"]


def test_a_declaration_from_before_numbers_each_revision_from_b1(make_app: Any) -> None:
    """A log with no rules in its creation replays as it was written: Rev.2's new group is B1 again."""
    app = make_app()
    synopsis, comments, two = _three_rounds(app, rules=None)
    assert _lineage_ids(app, "Rev.2") == ["B1"] and comments == ["B1"]
    assert [g["id"] for g in synopsis["brackets"]] == ["B1"]
    assert "resolved" not in two["_word_comments"]  # its compilation as it was written then


def test_the_amendment_resolving_a_bracket_says_so_in_the_word_file_and_the_history(
    make_app: Any,
) -> None:
    """Regression: only the synopsis said "B2 resolved: keeps 'beta'"; compilation.docx's comment read
    "replace '[... / beta]' with 'beta'", and the history's decisions on the round said nothing of it."""
    from flows.usecases.history import history, history_html

    app = make_app()
    _, _, two = _three_rounds(app, rules=2)
    [resolving] = [p for row in two["paragraphs"] for p in row["proposals"] if p["resolves"]]
    assert resolving["resolves"]["summary"] == "B2 resolved: keeps 'beta'"
    assert (
        f"{resolving['id']} [{resolving['parties'][0]}]: B2 resolved: keeps 'beta'"
        in two["_word_comments"]
    )
    data = history(app, SLUG)
    [shown] = [p for p in data.rounds[1].proposals if p.resolves]
    assert shown.id == resolving["id"] and shown.resolves == "B2 resolved: keeps 'beta'"
    assert shown.outcome == "applied"
    assert ["resolves" in p for p in data.as_json()["rounds"][1]["proposals"]] == [
        p.resolves is not None for p in data.rounds[1].proposals
    ]  # the JSON names what a proposal resolves only when it resolves a group
    assert "<b>B2 resolved: keeps &#39;beta&#39;</b>" in history_html(data)


def test_the_rules_are_recorded_at_creation_and_replayed(make_app: Any) -> None:
    from flows.usecases.replay import replay
    from flows.usecases.status import event_log

    app = make_app()
    _three_rounds(app, rules=2)
    created = event_log(app, SLUG)[0]
    assert created["payload"]["rules"] == 2
    report = replay(app, SLUG)  # raises at the first event it cannot derive again byte for byte
    assert (
        report.events == len(event_log(app, SLUG)) and "accord.decision.recorded" in report.by_type
    )


def test_an_old_creation_records_no_rules(make_app: Any) -> None:
    from flows.usecases.status import event_log

    app = make_app()
    _create(app, None)
    assert "rules" not in event_log(app, SLUG)[0]["payload"]
