"""A co-presidency's decisions and approvals as values (drafting.deciding), and the names of issued documents
(drafting.filing): no store, no Word file."""

from __future__ import annotations

import pytest

from drafting.bilingual import tagged
from drafting.canonical import sha256_hex
from drafting.deciding import (
    Approve,
    Decide,
    approval_report,
    compiled_round,
    every_proposal,
    tally,
)
from drafting.errors import InvalidInput, WrongState
from drafting.events import VersionApproved, VersionCirculated
from drafting.filing import StatedText, version_files
from drafting.lifecycle import Round, Version
from drafting.merge import Merged, MergedProposal, StoredCompilation
from drafting.negotiation import RoundState, VersionState

CO = ["BO", "ES"]


def _merged(*ids: str) -> Merged:
    return Merged(
        proposals=[
            MergedProposal(
                id=i,
                start=0,
                end=0,
                deleted="",
                inserted="x",
                paragraph="p001",
                parties=["MX"],
                sources=[f"MX-{i}"],
            )
            for i in ids
        ],
        conflicts=[],
    )


def _round(state: RoundState) -> Round:
    return Round("eu-celac", 1, "Zero draft", state, "2026-12-01T09:00:00Z")


def _draft(pending: str = "") -> Version:
    return Version("eu-celac", 1, "Rev.1", VersionState.DRAFT, "b" * 64, "t" * 64, pending=pending)


@pytest.mark.parametrize(("name", "kind"), [("ES.json", "json"), ("Compilation.DOCX", "docx")])
def test_decisions_come_as_json_or_the_compilation(name: str, kind: str) -> None:
    assert Decide("ES", b"{}", name).kind == kind


def test_any_other_file_is_refused_and_the_refusal_names_the_file() -> None:
    returned = Decide("ES", b"%PDF", "decisions.pdf", by="account:7")
    with pytest.raises(
        InvalidInput, match="decisions.pdf: decisions come as the compilation .docx"
    ):
        returned.kind
    assert returned.refused("why").payload() == {
        "party": "ES",
        "filename": "decisions.pdf",
        "sha256": sha256_hex(b"%PDF"),
        "size": 4,
        "reason": "why",
        "by": "account:7",
    }


def test_recorded_decisions_name_the_file_and_leave_out_an_absent_by() -> None:
    returned = Decide("ES", b"{}", "ES.json")
    assert returned.recorded(2, "blob", {"P001": "accept"}).payload() == {
        "round": 2,
        "party": "ES",
        "blob": "blob",
        "filename": "ES.json",
        "decisions": {"P001": "accept"},
    }
    kept = returned.decision("blob", {"P001": "accept"}, "2026-12-01T10:00:00Z")
    assert (kept.party, kept.blob_sha256, kept.received_at) == (
        "ES",
        "blob",
        "2026-12-01T10:00:00Z",
    )


def test_decisions_are_taken_on_a_closed_compiled_round_only() -> None:
    stored = StoredCompilation(merged=_merged("P001"), contributions=[])
    closed = _round(RoundState.CLOSED)
    assert compiled_round("eu-celac", closed, stored) == (closed, stored)
    for latest, compiled, said in [
        (None, None, "not compiled"),
        (_round(RoundState.OPEN), None, "not compiled"),
        (closed, None, "not compiled"),
        (_round(RoundState.DECIDED), stored, "decided"),
    ]:
        with pytest.raises(WrongState, match=f"'eu-celac': the latest round is {said}; decisions"):
            compiled_round("eu-celac", latest, compiled)


def test_the_receipt_counts_every_language_s_proposals() -> None:
    every = every_proposal({"en": _merged("P001", "P002"), "es": tagged(_merged("P001"), "es")})
    assert len(every.proposals) == 3
    assert tally({"P001": "accept", "P002": "reject"}, every) == (1, 1, 1)
    assert every_proposal({"en": _merged("P001")}).proposals == _merged("P001").proposals


def test_the_second_approval_circulates_and_names_who_acted() -> None:
    version = _draft()
    first = Approve("ES", by="account:7").approve(version, CO)
    assert first == [VersionApproved(version="Rev.1", party="ES", by="account:7")]
    assert approval_report(version, circulated=False) == {
        "version": "Rev.1",
        "approved_by": ["ES"],
        "circulated": False,
    }
    approval, circulated = Approve("BO").approve(version, CO)
    assert isinstance(circulated, VersionCirculated) and circulated.approved_by == ("BO", "ES")
    assert version.state is VersionState.CIRCULATED
    assert Approve("AT", by="token:3").refused("no").payload() == {
        "party": "AT",
        "reason": "no",
        "by": "token:3",
    }


def test_with_translation_pending_the_last_approval_must_say_so() -> None:
    pending = "Translation pending: es 2"
    with pytest.raises(WrongState, match="Rev.1 is not circulated: translation pending: es 2"):
        Approve("BO").approve(_draft(pending), ["BO"])
    version = _draft(pending)
    approval, _ = Approve("BO", pending_translation=True).approve(version, ["BO"])
    assert isinstance(approval, VersionApproved) and approval.pending_translation is True
    assert approval_report(version, circulated=True)["pending_translation"] == pending


def test_a_version_s_files_are_named_by_language() -> None:
    assert list(version_files("Rev.2", "en", {"en": b"1", "es": b"2"})) == [
        "Rev.2.docx",
        "Rev.2.es.docx",
    ]


def test_a_stated_text_is_named_by_the_state_that_makes_it() -> None:
    agreed = StatedText.of("Rev.3", VersionState.AGREED)
    assert agreed == StatedText("Agreed text (Rev.3)", "Agreed text.docx", "agreed-text")
    silence = StatedText.of("Rev.3", VersionState.SILENCE)
    assert (silence.name, silence.file, silence.kind) == (
        "Rev.3",
        "Rev.3 ad referendum.docx",
        "ad-referendum-text",
    )
    in_spanish = silence.artifact("es", "blob", "2026-12-01T09:00:00Z", 3)
    assert (in_spanish.kind, in_spanish.name, in_spanish.version) == (
        "ad-referendum-text.es",
        "Rev.3 ad referendum.es.docx",
        3,
    )
    assert agreed.artifact(None, "blob", "t", 3).name == "Agreed text.docx"
