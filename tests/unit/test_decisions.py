"""Co-presidency decisions (JSON, or the compilation returned from Word) and their reconciliation."""

from __future__ import annotations

import json
from functools import cache

import pytest

from drafting.decisions import Outcome, decisions_from_docx, decisions_from_json, reconcile
from drafting.errors import InvalidInput
from drafting.merge import Merged
from drafting.text import DraftText
from tests.compilation_fixtures import (
    NAMES,
    Edits,
    compile_all,
    reading_of,
    sample_base,
    sample_bytes,
    tracked,
)
from tests.word_review import (
    Change,
    Decide,
    accept_all,
    by_author,
    edit_text,
    reject_all,
    returned,
)

CO = ["ES", "BO"]


@cache
def compiled() -> tuple[DraftText, Merged, bytes]:
    """France and Mexico in conflict (France deletes words Mexico extends), Mexico adds a paragraph, Peru deletes
    one and rewords another, France deletes a word; Chile makes France's first proposal too."""
    template, base = sample_bytes(), sample_base()
    fr = (
        Edits(base)
        .replace(3, "Charter of the United Nations", "UN Charter")
        .replace(9, "complex, ", "")
        .result
    )
    mx = (
        Edits(base)
        .replace(
            3,
            "Charter of the United Nations",
            "Charter of the United Nations and international human rights law",
        )
        .insert_after(5, "Mexico's new paragraph on prevention.")
        .result
    )
    pe = Edits(base).delete(7).replace(12, "and", "as well as").result
    cl = Edits(base).replace(9, "complex, ", "").result
    submissions = {
        code: tracked(template, base, texts, author=NAMES[code])
        for code, texts in {"FR": fr, "MX": mx, "PE": pe, "CL": cl}.items()
    }
    merged, document = compile_all(template, base, submissions)
    return base, merged, document


def ids(merged: Merged) -> dict[str, str]:
    """Proposal ids by what they do."""
    found = {}
    for p in merged.proposals:
        what = {
            "UN Charter": "fr-alt",
            " and international human rights law": "mx-alt",
            "as well as": "pe-reword",
            "": "fr-cl-delete",
        }.get(p.inserted if p.inserted != "" else p.deleted, "")
        if p.inserted.startswith("\u2029Mexico"):
            what = "mx-paragraph"
        elif p.deleted.startswith("\u2029Noting"):
            what = "pe-delete"
        elif p.deleted == "complex, ":
            what = "fr-cl-delete"
        found[what] = p.id
    return found


def decided(decide: Decide) -> dict[str, str]:
    """What accord reads from the compilation a co-presidency returns, by proposal role."""
    base, merged, document = compiled()
    names = {v: k for k, v in ids(merged).items()}
    decisions = decisions_from_docx(reading_of(returned(document, decide)), base, merged, NAMES)
    return {names[pid]: verdict for pid, verdict in decisions.items()}


def test_the_round_has_what_the_tests_expect() -> None:
    _, merged, _ = compiled()
    assert sorted(ids(merged)) == [
        "fr-alt",
        "fr-cl-delete",
        "mx-alt",
        "mx-paragraph",
        "pe-delete",
        "pe-reword",
    ]
    assert [(g.id, len(g.proposals)) for g in merged.conflicts] == [("C01", 2)]
    assert merged.by_id()[ids(merged)["fr-cl-delete"]].parties == ["CL", "FR"]


# -- decisions from the returned compilation ----------------------------------------------------------------------


def test_an_untouched_compilation_decides_nothing() -> None:
    """Regression: France's deletion alternative in the conflict was read as accepted, Mexico's as rejected."""
    assert decided(lambda change: None) == {}


def test_accept_all_and_reject_all() -> None:
    assert decided(reject_all) == dict.fromkeys(
        ["fr-alt", "fr-cl-delete", "mx-alt", "mx-paragraph", "pe-delete", "pe-reword"], "reject"
    )
    # Accepting everything keeps both alternatives of the conflict side by side: refused, naming the conflict
    with pytest.raises(InvalidInput, match="keeps 2 alternatives of conflict C01"):
        decided(accept_all)


def test_changes_left_tracked_stay_undecided() -> None:
    assert decided(by_author({"Peru": "accept"})) == {"pe-delete": "accept", "pe-reword": "accept"}
    assert decided(by_author({"Chile / France": "reject"})) == {"fr-cl-delete": "reject"}


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ("France", {"fr-alt": "accept", "mx-alt": "reject"}),
        ("Mexico", {"fr-alt": "reject", "mx-alt": "accept"}),
    ],
)
def test_choosing_one_alternative_of_a_conflict(chosen: str, expected: dict[str, str]) -> None:
    """Keep the chosen alternative: accept the shared deletion and its insertion, reject the other insertions."""

    def decide(change: Change) -> str | None:
        if change.author == "France / Mexico":
            return "accept"
        if (
            change.author in ("France", "Mexico")
            and change.kind == "insert"
            and "Charter" in change.text
        ):
            return "accept" if change.author == chosen else "reject"
        return None

    assert decided(decide) == expected


def test_rejecting_a_conflict_keeps_the_base() -> None:
    def decide(change: Change) -> str | None:
        in_conflict = change.author == "France / Mexico" or (
            change.author in ("France", "Mexico") and "Charter" in change.text
        )
        return "reject" if in_conflict else None

    assert decided(decide) == {"fr-alt": "reject", "mx-alt": "reject"}


def test_half_a_replacement_is_refused() -> None:
    """Accepting a replacement's deletion but rejecting its insertion would garble the text."""

    def decide(change: Change) -> str | None:
        if change.author == "Peru" and change.text in ("and", "as well as"):
            return "accept" if change.kind == "delete" else "reject"
        return None

    with pytest.raises(InvalidInput, match=r"decides half of P\d+ \('and' -> 'as well as'\)"):
        decided(decide)


def test_a_replacement_left_half_tracked_is_undecided() -> None:
    def decide(change: Change) -> str | None:
        return "accept" if change.author == "Peru" and change.text == "and" else None

    assert decided(decide) == {}


@pytest.mark.parametrize(
    ("region", "france", "mexico", "refused"),
    [
        ("accept", "accept", "reject", False),  # France's alternative chosen
        ("reject", "reject", "reject", False),  # the base kept
        ("accept", "reject", "reject", True),  # the base words deleted, nothing in their place
        ("reject", "accept", "reject", True),  # the base words and France's beside them
        ("accept", "accept", "accept", True),  # two alternatives
    ],
)
def test_a_conflict_is_decided_whole_in_word(
    region: str, france: str, mexico: str, refused: bool
) -> None:
    def decide(change: Change) -> str | None:
        if change.author == "France / Mexico":
            return region
        if change.author in ("France", "Mexico") and "Charter" in change.text:
            return france if change.author == "France" else mexico
        return None

    if refused:
        with pytest.raises(InvalidInput, match="alternatives? of conflict C01"):
            decided(decide)
    else:
        assert decided(decide) == {"fr-alt": france, "mx-alt": mexico}


def test_a_new_paragraph_accepted_with_its_mark() -> None:
    assert decided(by_author({"Mexico": "accept"})) == {"mx-paragraph": "accept"}


def test_a_compilation_edited_by_hand_is_refused() -> None:
    base, merged, document = compiled()
    edited = edit_text(returned(document, accept_all), "Reaffirming also", "Reaffirming further")
    with pytest.raises(InvalidInput, match="record a compromise as an amendment in the next round"):
        decisions_from_docx(reading_of(edited), base, merged, NAMES)


# -- decisions from JSON ------------------------------------------------------------------------------------------


def test_json_decisions() -> None:
    _, merged, _ = compiled()
    data = json.dumps({"decisions": {"P002": "reject", "P001": "accept"}}).encode()
    assert decisions_from_json(data, merged, source="es.json") == {
        "P001": "accept",
        "P002": "reject",
    }
    assert decisions_from_json(
        b"\xef\xbb\xbf" + data, merged, source="es.json"
    )  # a BOM from Notepad


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "es.json: not valid JSON"),
        (b"[]", 'no "decisions" object'),
        (
            b'{"decisions": {"P999": "accept"}}',
            "proposal 'P999' is not in this round's compilation",
        ),
        (b'{"decisions": {"P001": "yes"}}', "decision for P001 is 'yes'"),
        # regression (issue 12, finding 9): a RecursionError traceback on ba8d25a
        (b'{"decisions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "es.json: nests too deeply"),
    ],
)
def test_json_decisions_refused(data: bytes, message: str) -> None:
    _, merged, _ = compiled()
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        decisions_from_json(data, merged, source="es.json")


# -- reconciliation -----------------------------------------------------------------------------------------------


def outcomes(es: dict[str, str], bo: dict[str, str]) -> dict[str, Outcome]:
    _, merged, _ = compiled()
    role = ids(merged)
    by_party = {
        "ES": {role[k]: v for k, v in es.items()},
        "BO": {role[k]: v for k, v in bo.items()},
    }
    names = {v: k for k, v in role.items()}
    return {names[r.proposal]: r.outcome for r in reconcile(merged, by_party, CO)}


def test_both_accept_applied_both_reject_dropped_else_bracketed() -> None:
    result = outcomes(
        {
            "fr-cl-delete": "accept",
            "pe-reword": "reject",
            "pe-delete": "accept",
            "mx-paragraph": "accept",
        },
        {"fr-cl-delete": "accept", "pe-reword": "reject", "pe-delete": "reject"},
    )
    assert result["fr-cl-delete"] == Outcome.APPLIED
    assert result["pe-reword"] == Outcome.DROPPED
    assert result["pe-delete"] == Outcome.BRACKETED  # they differ
    assert result["mx-paragraph"] == Outcome.BRACKETED  # Bolivia is silent
    assert result["mx-alt"] == Outcome.BRACKETED  # both silent


def test_a_conflict_is_settled_only_on_one_alternative() -> None:
    one = outcomes(
        {"fr-alt": "accept", "mx-alt": "reject"}, {"fr-alt": "accept", "mx-alt": "reject"}
    )
    assert (one["fr-alt"], one["mx-alt"]) == (Outcome.APPLIED, Outcome.DROPPED)
    both = outcomes(
        {"fr-alt": "accept", "mx-alt": "accept"}, {"fr-alt": "accept", "mx-alt": "accept"}
    )
    assert (both["fr-alt"], both["mx-alt"]) == (Outcome.BRACKETED, Outcome.BRACKETED)
    open_ = outcomes({"fr-alt": "reject", "mx-alt": "accept"}, {"fr-alt": "reject"})
    assert (open_["fr-alt"], open_["mx-alt"]) == (Outcome.BRACKETED, Outcome.BRACKETED)
    none = outcomes(
        {"fr-alt": "reject", "mx-alt": "reject"}, {"fr-alt": "reject", "mx-alt": "reject"}
    )
    assert (none["fr-alt"], none["mx-alt"]) == (Outcome.DROPPED, Outcome.DROPPED)


def test_resolutions_record_each_co_presidencys_vote() -> None:
    _, merged, _ = compiled()
    resolutions = reconcile(merged, {"ES": {"P001": "accept"}}, CO)
    assert resolutions[0].decisions == {"ES": "accept", "BO": None}
    assert [r.proposal for r in resolutions] == [p.id for p in merged.proposals]


# -- a conflict decided whole in a decisions file -----------------------------------------------------------------


def json_decisions(decisions: dict[str, str]) -> dict[str, str]:
    _, merged, _ = compiled()
    role = ids(merged)
    named = {role.get(k, k): role.get(v, v) for k, v in decisions.items()}
    found = decisions_from_json(json.dumps({"decisions": named}).encode(), merged, source="es.json")
    names = {v: k for k, v in role.items()}
    return {names[pid]: verdict for pid, verdict in found.items()}


def test_accepting_one_alternative_rejects_the_others() -> None:
    assert json_decisions({"fr-alt": "accept"}) == {"fr-alt": "accept", "mx-alt": "reject"}
    assert json_decisions({"C01": "mx-alt"}) == {"fr-alt": "reject", "mx-alt": "accept"}
    assert json_decisions({"C01": "reject"}) == {"fr-alt": "reject", "mx-alt": "reject"}
    assert json_decisions({"mx-alt": "reject"}) == {
        "mx-alt": "reject"
    }  # one alternative out: the rest is open


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        (
            {"fr-alt": "accept", "mx-alt": "accept"},
            r"conflict C01 has 2 alternatives accepted \(P\d+, P\d+\)",
        ),
        ({"C01": "reject", "fr-alt": "accept"}, "conflict C01 is decided as 'reject'"),
        ({"C01": "accept"}, "decision for conflict C01 is 'accept'; name the one alternative kept"),
        ({"C01": "pe-reword"}, "decision for conflict C01 is 'P"),
    ],
)
def test_a_conflict_decided_on_two_alternatives_is_refused(
    decisions: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        json_decisions(decisions)
