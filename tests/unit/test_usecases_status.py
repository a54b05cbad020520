"""Where a declaration stands and whether its records verify, against the unit of work in memory
(tests/unit/fakes.py): the status read model, its lines, and verify's refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafting.errors import IntegrityError, InvalidInput
from drafting.negotiation import RoundState, VersionState
from flows.usecases import rounds, submissions
from flows.usecases.owed import Owing
from flows.usecases.status import StatusRecords, status, status_lines, status_of, verify
from tests.unit.fakes import SLUG, amended, fake_app, seed_declaration


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return fake_app(tmp_path)


def test_the_status_of_an_open_round(app: Any) -> None:
    seed_declaration(app)
    rounds.open_round(app, SLUG, deadline="2026-12-04T18:00:00+01:00")
    submissions.submit(app, SLUG, party="MX", data=amended("and welcomed"), filename="mx.docx")
    state = status(app, SLUG)
    assert (state.declaration.slug, state.events, [p.code for p in state.parties]) == (
        SLUG,
        2,
        ["AT", "BO", "ES", "MX"],
    )
    assert [(v.label, v.state, v.approvals) for v in state.versions] == [
        ("Zero draft", VersionState.CIRCULATED, [])
    ]
    latest = state.latest_round
    assert latest is not None and [r.number for r in state.rounds] == [1]
    assert (latest.state, latest.deadline, latest.missing) == (
        RoundState.OPEN,
        "2026-12-04T17:00:00Z",
        ["AT"],
    )
    assert (latest.received, latest.delegations, [s.party for s in latest.submissions]) == (
        1,
        2,
        ["MX"],
    )
    assert [(o.event, o.key, o.parties) for o in state.owed] == [
        ("accord.round.distributed", {"round": 1}, ["AT", "BO", "ES", "MX"])
    ]  # the opening's copies, owed until the outbox sends them
    lines = status_lines(state)
    assert lines[0] == f"{SLUG}: Declaration  (EU-CELAC/L.1)" and "2 events" in lines[2]
    assert "  not yet received from (1): AT" in lines
    assert state.as_json()["latest_round"]["missing"] == ["AT"]


def test_no_round_yet(app: Any) -> None:
    seed_declaration(app)
    state = status(app, SLUG)
    assert (state.latest_round, state.rounds, state.events, state.owed) == (None, [], 0, [])


def test_a_failed_mail_is_listed_and_a_share_still_owed_is_not(app: Any) -> None:
    seed_declaration(app)
    rounds.open_round(app, SLUG)
    uow = app.store.uow
    declaration, copies = uow.repo.declaration(SLUG), {"round": 1}
    uow.outbox.settle(declaration, "accord.round.distributed", copies, "AT", "failed: no route", "")
    uow.outbox.settle(declaration, "accord.round.distributed", copies, "BO", "sent", "")
    state = status(app, SLUG)
    assert [(f.event, f.key, f.parties) for f in state.failed_mail] == [
        ("accord.round.distributed", 1, {"AT": "failed: no route"})
    ]  # ES and MX: still owed, pending
    assert (
        "  mail failed: accord.round.distributed 1 to AT; `accord resend eu-celac` sends it again"
        in status_lines(state)
    )


def test_the_status_is_built_from_its_records_alone(app: Any) -> None:
    seed_declaration(app)
    declaration = app.store.uow.repo.declaration(SLUG)
    records = StatusRecords(
        declaration=declaration,
        events=[],
        parties=app.store.uow.repo.parties(declaration),
        versions=[],
        rounds=[],
        submissions=[],
        failed={("accord.version.circulated", "Rev.1"): {"MX": "failed: bounced"}},
    )
    state = status_of(records, [Owing("accord.compilation.ready", {"round": 1})])
    assert [(o.event, o.key, o.parties) for o in state.owed] == [
        ("accord.compilation.ready", {"round": 1}, [])
    ]
    assert status_lines(state)[-2:] == [
        "  owed: accord.compilation.ready round 1 to every party; `accord tick eu-celac` delivers it",
        "  mail failed: accord.version.circulated Rev.1 to MX; `accord resend eu-celac` sends it again",
    ]


def test_verify_counts_the_chain_and_names_the_first_problem(app: Any) -> None:
    seed_declaration(app)
    rounds.open_round(app, SLUG)
    rounds.close_round(app, SLUG)
    checked = verify(app, SLUG)
    head = app.store.uow.log_[-1].hash
    assert checked == {"events": 2, "blobs": 0, "head": f"2:{head}", "ok": True, "signed": 0}
    opened = app.store.uow.log_[0]
    app.store.uow.log_[0] = opened.model_copy(update={"actor": "forger"})
    with pytest.raises(IntegrityError, match=f"^{SLUG}: event 1: .*; restore from the archive"):
        verify(app, SLUG)


def test_a_malformed_anchor_is_refused_before_the_records_are_read(app: Any) -> None:
    with pytest.raises(InvalidInput):  # no declaration seeded: the anchor is checked first
        verify(app, SLUG, anchor="not an anchor")
