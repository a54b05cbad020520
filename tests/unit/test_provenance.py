"""Provenance (blame) over texts and lineage, and the bundle's stdlib verifier agreeing with accord's own code."""

from __future__ import annotations

import ast
import random
import sys
from pathlib import Path

import pytest

from drafting.canonical import GENESIS, canonical_json, event_hash, sha256_hex
from drafting.decisions import Outcome, Resolution
from drafting.merge import merge
from drafting.proposals import MARK, PartyProposals, Proposal, base_string
from drafting.provenance import (
    EDITORIAL,
    PROPOSAL,
    UNTRACEABLE,
    ZERO_DRAFT,
    VersionRecord,
    apply_lineage,
    blame_versions,
    editorial_operations,
    mark_editorial,
)
from drafting.revision import lineage, next_revision, operations
from drafting.text import DraftText, zero_draft_text
from flows import bundle_verify

ROOT = Path(__file__).resolve().parents[2]
ZERO = zero_draft_text(
    [
        "We, the Heads of State, gathered in Brussels,",
        "Reaffirm our commitment to the Charter of the United Nations;",
        "Agree to cooperate on prevention and treatment.",
    ]
)


def proposal(party: str, old: str, new: str, text: DraftText = ZERO) -> Proposal:
    """A party's proposal replacing the first occurrence of ``old`` by ``new``."""
    base = base_string(text)
    start = base.index(old)
    return Proposal(
        id=f"{party}-001",
        party=party,
        start=start,
        end=start + len(old),
        deleted=old,
        inserted=new,
        paragraph="p001",
    )


def revise(
    base: DraftText, proposals: list[Proposal], votes: dict[str, str]
) -> tuple[DraftText, list[dict]]:
    """The revision the co-presidencies' votes make (ES and BO; a proposal's vote by its party code)."""
    merged = merge(
        [
            PartyProposals(party=p.party, submission=i, proposals=[p])
            for i, p in enumerate(proposals)
        ]
    )
    by_party = {"ES": {}, "BO": {}}
    for merged_proposal in merged.proposals:
        vote = votes[merged_proposal.parties[0]]
        by_party["ES"][merged_proposal.id] = "accept"
        by_party["BO"][merged_proposal.id] = vote
    resolutions = [
        Resolution(
            proposal=p.id,
            outcome=Outcome.APPLIED if by_party["BO"][p.id] == "accept" else Outcome.BRACKETED,
            decisions={"ES": "accept", "BO": by_party["BO"][p.id]},
        )
        for p in merged.proposals
    ]
    text, placed = next_revision(base, operations(base, merged, resolutions))
    return text, lineage(placed)


@pytest.fixture
def history() -> list[VersionRecord]:
    """Zero draft; Rev.1 applies MX's change and brackets FR's; Rev.2 resolves FR's bracket."""
    rev1, ops1 = revise(
        ZERO,
        [
            proposal("MX", "Brussels", "Brussels and Santa Marta"),
            proposal("FR", "treatment", "treatment and recovery"),
        ],
        {"MX": "accept", "FR": "reject"},
    )
    bracket = next(p.text for p in rev1.paragraphs if "[" in p.text)
    inside = bracket[bracket.index("[") : bracket.index("]") + 1]
    rev2, ops2 = revise(
        rev1, [proposal("CL", inside, inside.strip("[]").split(" / ")[-1], rev1)], {"CL": "accept"}
    )
    return [
        VersionRecord(label="Zero draft", text=ZERO),
        VersionRecord(label="Rev.1", parent="Zero draft", text=rev1, lineage=ops1, round=1),
        VersionRecord(label="Rev.2", parent="Rev.1", text=rev2, lineage=ops2, round=2),
    ]


def test_spans_concatenate_to_the_text_of_every_version(history: list[VersionRecord]) -> None:
    blamed = blame_versions(history)
    for record in history:
        assert "".join(s.text for s in blamed[record.label].spans) == record.text.plain
        assert blamed[record.label].removed == []


def test_every_character_comes_from_the_zero_draft_or_a_decided_proposal(
    history: list[VersionRecord],
) -> None:
    spans = blame_versions(history)["Rev.2"].spans
    assert {s.source for s in spans} == {ZERO_DRAFT, PROPOSAL}
    by_text = {s.text: s for s in spans if s.source == PROPOSAL}
    assert by_text[" and Santa Marta"].party == "MX" and by_text[" and Santa Marta"].round == 1
    recovery = next(s for s in spans if "recovery" in s.text)
    assert recovery.party == "FR" and recovery.decided["outcome"] == "bracketed"
    assert (
        recovery.decided["resolved"]["party"] == "CL"
        and recovery.decided["resolved"]["outcome"] == "applied"
    )
    assert "[" not in "".join(s.text for s in spans)


def test_blame_is_on_whole_words_and_shows_where_words_were_deleted() -> None:
    """ "as well as" belongs to one proposal; the words a decided proposal took out are an entry at their place."""
    rev1, ops = revise(
        ZERO,
        [
            proposal("PE", "prevention and treatment", "prevention as well as treatment"),
            proposal("MX", "Heads of State, ", "Heads of "),
        ],
        {"PE": "accept", "MX": "accept"},
    )
    result = blame_versions(
        [
            VersionRecord(label="Zero draft", text=ZERO),
            VersionRecord(label="Rev.1", parent="Zero draft", text=rev1, lineage=ops, round=1),
        ]
    )
    blame = result["Rev.1"]
    owners = {s.text: s.party for s in blame.spans if s.source == PROPOSAL}
    assert any("as well as" in text and party == "PE" for text, party in owners.items())
    (gone,) = [d for d in blame.deleted if d.party == "MX"]
    assert gone.text == "State, " and rev1.plain[: gone.at].endswith("Heads of ")
    assert (
        blame.as_json()["deleted"][0]["text"] == "State, "
        and blame.as_json()["deleted"][0]["party"] == "MX"
    )


def test_an_edit_nobody_recorded_is_untraceable(history: list[VersionRecord]) -> None:
    rev2 = history[2]
    edited = [
        p.model_copy(update={"text": p.text.replace("cooperate", "cooperate closely")})
        for p in rev2.text.paragraphs
    ]
    forged = rev2.model_copy(update={"text": DraftText(paragraphs=edited)})
    blamed = blame_versions([*history[:2], forged])["Rev.2"]
    untraceable = [s for s in blamed.spans if s.source == UNTRACEABLE]
    assert [s.text.strip() for s in untraceable] == ["closely"] and untraceable[
        0
    ].introduced == "Rev.2"
    assert "".join(s.text for s in blamed.spans) == forged.text.plain


def test_a_silent_deletion_is_reported_missing(history: list[VersionRecord]) -> None:
    rev1 = history[1]
    cut = [
        p.model_copy(update={"text": p.text.replace(" of the United Nations", "")})
        for p in rev1.text.paragraphs
    ]
    blamed = blame_versions(
        [history[0], rev1.model_copy(update={"text": DraftText(paragraphs=cut)})]
    )["Rev.1"]
    assert [r.text for r in blamed.removed] == [" of the United Nations"]


def test_an_untraceable_edit_carries_into_later_versions() -> None:
    forged = zero_draft_text(
        [ZERO.paragraphs[0].text + " secretly", *(p.text for p in ZERO.paragraphs[1:])]
    )
    rev1, ops = revise(forged, [proposal("MX", "treatment", "care", forged)], {"MX": "accept"})
    records = [
        VersionRecord(label="Zero draft", text=ZERO),
        VersionRecord(label="Rev.1", parent="Zero draft", text=forged),
        VersionRecord(label="Rev.2", parent="Rev.1", text=rev1, lineage=ops, round=1),
    ]
    spans = blame_versions(records)["Rev.2"].spans
    assert [(s.text, s.introduced) for s in spans if s.source == UNTRACEABLE] == [
        (" secretly", "Rev.1")
    ]
    assert [s.text for s in spans if s.source == PROPOSAL] == ["care"]


def test_an_editorial_change_is_attributed_to_the_secretariat_with_its_reason() -> None:
    new = [p.text for p in ZERO.paragraphs]
    new[2] = new[2].replace("cooperate", "co-operate") + " (editorial)"
    text, placed = next_revision(ZERO, editorial_operations(ZERO, new))
    assert [p.text for p in text.paragraphs] == new
    record = VersionRecord(
        label="Rev.1",
        parent="Zero draft",
        text=text,
        lineage=mark_editorial(lineage(placed), "house style"),
    )
    spans = blame_versions([VersionRecord(label="Zero draft", text=ZERO), record])["Rev.1"].spans
    editorial = [s for s in spans if s.source == EDITORIAL]
    assert editorial and all(
        s.party == "secretariat" and s.decided == {"outcome": "editorial", "reason": "house style"}
        for s in editorial
    )
    assert "".join(s.text for s in spans) == text.plain


def test_editorial_operations_reproduce_any_new_text() -> None:
    rng = random.Random(7)
    words = base_string(ZERO).split(" ")
    for _ in range(30):
        mutated = [
            w if rng.random() > 0.2 else rng.choice(["", "new", "words", MARK, "x" + w])
            for w in words
        ]
        new_texts = " ".join(mutated).split(MARK)
        text, _ = next_revision(ZERO, editorial_operations(ZERO, new_texts))
        assert [p.text for p in text.paragraphs] == new_texts


def test_the_three_replays_of_lineage_agree(history: list[VersionRecord]) -> None:
    for parent, child in zip(history, history[1:]):
        expected = base_string(child.text)
        assert apply_lineage(base_string(parent.text), child.lineage) == expected
        assert bundle_verify.apply_lineage(base_string(parent.text), child.lineage) == expected


def test_the_bundle_hashes_events_exactly_as_accord_does() -> None:
    rng = random.Random(11)
    alphabet = 'aé€\u2029"\\\n{}[]:, 0123456789ßΩ😀'
    for _ in range(200):
        values = [
            1,
            -5,
            True,
            None,
            "".join(rng.choices(alphabet, k=9)),
            [1, {"b": "ü"}],
            {"z": 0, "a": [None]},
        ]
        payload = {
            "".join(rng.choices(alphabet, k=3)): rng.choice(values)
            for _ in range(rng.randint(0, 5))
        }
        fields = {
            "prev_hash": sha256_hex(str(rng.random())),
            "declaration": "eu-celac",
            "seq": rng.randint(1, 10**6),
            "type": "accord.x",
            "actor": rng.choice(["ES", "secretariat"]),
            "occurred_at": "2026-11-28T09:00:00Z",
        }
        assert bundle_verify.canonical_json(payload) == canonical_json(payload)
        mine = bundle_verify.event_hash(payload=bundle_verify.canonical_json(payload), **fields)
        assert mine == event_hash(payload=canonical_json(payload), **fields)
    assert bundle_verify.GENESIS == GENESIS and bundle_verify.MARK == MARK


def test_verify_py_needs_only_the_standard_library() -> None:
    tree = ast.parse(Path(bundle_verify.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    # cryptography only when installed (a signature is otherwise checked by RFC 8032 arithmetic): the bundle's
    # verify.py is run without site-packages in tests/integration/test_bundle_vouched.py
    assert imported <= set(sys.stdlib_module_names) | {"__future__", "cryptography"}


def test_provenance_is_pure_domain() -> None:
    source = (ROOT / "drafting" / "provenance.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    modules = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert all(
        m.startswith(("drafting", "pydantic", "collections", "typing", "__future__"))
        for m in modules
    )


def test_the_blame_page_marks_a_deletion_where_it_happened() -> None:
    from flows.usecases.blame import blame_html

    rev1, ops = revise(ZERO, [proposal("MX", "Heads of State, ", "Heads of ")], {"MX": "accept"})
    result = blame_versions(
        [
            VersionRecord(label="Zero draft", text=ZERO),
            VersionRecord(label="Rev.1", parent="Zero draft", text=rev1, lineage=ops, round=1),
        ]
    )
    page = blame_html(result["Rev.1"], title="T", names={"MX": "Mexico"})
    assert (
        'Heads of <del class="gone">State, </del><span class="tag s1">deleted · MX · round 1 · P001</span>'
        in page
    )


def test_words_kept_in_step_from_another_language_then_translated_have_their_own_sources() -> None:
    """A paragraph another language added holds that language's words (untranslated) until the translator's
    upload replaces them (translation, for the version it was translated for); nothing is untraceable."""
    from drafting.provenance import TRANSLATION, UNTRANSLATED, kept_in_step, mark_translation
    from drafting.text import DraftParagraph

    zero = zero_draft_text(["Nosotros, los Jefes de Estado,", "Acordamos cooperar."])
    added = [*zero.paragraphs, DraftParagraph(key="p003", text="Welcome the plan.")]
    issued = DraftText(paragraphs=added)
    batch = kept_in_step(zero, issued, "en")
    assert kept_in_step(zero, zero, "en") == []
    translated = DraftText(
        paragraphs=[*zero.paragraphs, DraftParagraph(key="p003", text="Acogemos el plan.")]
    )
    upload = mark_translation(
        lineage(editorial_operations(issued, [p.text for p in translated.paragraphs])), "en"
    )
    records = [
        VersionRecord(label="Zero draft", text=zero),
        VersionRecord(label="Rev.1", parent="Zero draft", text=issued, round=1, translated=batch),
        VersionRecord(
            label="Rev.2", parent="Rev.1", text=translated, round=None, translated=[upload]
        ),
    ]
    blamed = blame_versions(records)
    carried = [s for s in blamed["Rev.1"].spans if s.source == UNTRANSLATED]
    assert "".join(s.text for s in carried).strip() == "Welcome the plan."
    assert {(s.introduced, (s.decided or {}).get("from")) for s in carried} == {("Rev.1", "en")}
    words = {s.source: s.text for s in blamed["Rev.2"].spans}
    assert "Acogemos" in words[TRANSLATION] and UNTRACEABLE not in words
    assert {s.introduced for s in blamed["Rev.2"].spans if s.source == TRANSLATION} == {"Rev.2"}
    assert blamed["Rev.2"].counts()[TRANSLATION] == len(words[TRANSLATION])
