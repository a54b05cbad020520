"""One registry of event types (drafting/events.py) and everything that must follow each of them: replay's rule,
the history's wording, a Prefect trigger or an explicit "no trigger", verify's issuing events, the standalone
bundle verifier. Adding an event class without its consumers fails here; so does changing a recorded type string
or payload (the fixture log holds every one accord wrote at ba8d25a)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from drafting.events import (
    ACTS,
    EVENTS,
    ISSUING,
    DecisionRecorded,
    DecisionRefused,
    DomainEvent,
    RoundOpened,
    SubmissionReceived,
    SubmissionRefused,
    VersionApproved,
    VersionIssued,
)
from drafting.wording import WORDINGS
from flows import bundle_verify
from flows.serve import FOLLOW_UPS
from flows.triggers import TRIGGERS, UNTRIGGERED, triggering_events
from flows.usecases.replay_rules import RULES
from storage import verify
from tests.logfixture import BA8D25A, DEC06, FOLDER, read_log

CLASSES = set(EVENTS.values())
# Every type string in logs accord has written: they are inside hash chains, so none may disappear or change.
WRITTEN = {
    "accord.declaration.created",
    "accord.version.issued",
    "accord.version.edited",
    "accord.version.approved",
    "accord.version.circulated",
    "accord.version.agreed",
    "accord.declaration.archived",
    "accord.round.opened",
    "accord.submission.received",
    "accord.submission.refused",
    "accord.decision.refused",
    "accord.approval.refused",
    "accord.round.deadline-reached",
    "accord.round.deadline-extended",
    "accord.round.closed",
    "accord.compilation.ready",
    "accord.decision.recorded",
    "accord.silence.started",
    "accord.silence.broken",
    "accord.silence.expired",
    "accord.submission.filed",
    "accord.version.routed",
    "accord.version.distributed",
    "accord.round.distributed",
    "accord.round.reminder-sent",
    "accord.version.translated",  # issue 15
}


def test_the_registry_keeps_every_type_string_ever_written() -> None:
    assert set(EVENTS) == WRITTEN
    assert all(kind.TYPE == name for name, kind in EVENTS.items())


def test_every_act_can_name_its_account_and_only_acts_do() -> None:
    """What a person does names the portal's account (``by``), left out when empty so old logs keep their bytes;
    an event that follows an act, the clock or a delivery names none (the act before it does)."""
    assert set(ACTS) <= CLASSES
    for kind in ACTS:
        assert "by" in kind.model_fields and "by" in kind.OMIT_NONE, kind.__name__
    assert {kind for kind in CLASSES if "by" in kind.model_fields} == set(ACTS)


def test_every_event_class_has_a_replay_rule() -> None:
    assert set(RULES) == CLASSES


def test_every_event_class_has_its_history_wording() -> None:
    assert set(WORDINGS) == CLASSES


def test_every_event_class_triggers_a_deployment_or_says_why_not() -> None:
    triggering = {EVENTS[name] for name in triggering_events()}
    assert not triggering & set(UNTRIGGERED), "an event both triggers and is listed as untriggered"
    assert triggering | set(UNTRIGGERED) == CLASSES
    assert all(reason.strip() for reason in UNTRIGGERED.values())


def test_every_trigger_and_follow_up_names_registered_events() -> None:
    assert all(
        name in EVENTS for triggers in TRIGGERS.values() for t in triggers for name in t["expect"]
    )
    for follow_up in FOLLOW_UPS:
        assert (
            follow_up.key in follow_up.event.model_fields
            and follow_up.key in follow_up.done_by.model_fields
        )


def test_verify_checks_versions_against_the_registry_issuing_events() -> None:
    assert verify._ISSUING == tuple(kind.TYPE for kind in ISSUING)


def test_the_standalone_bundle_verifier_names_only_registered_types_and_fields() -> None:
    """flows/bundle_verify.py is copied into bundles and imports nothing of accord: checked here instead."""
    tree = ast.parse(Path(bundle_verify.__file__).read_text(encoding="utf-8"))
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    named = {
        text
        for text in literals
        if text.startswith("accord.") and text.count(".") == 2 and " " not in text
    }
    assert named and named <= set(EVENTS), named - set(EVENTS)
    fields = {field for name in named for field in EVENTS[name].model_fields}
    read = {_key(node) for node in ast.walk(tree) if _reads_payload(node)} - {None}
    assert read and read <= fields, read - fields


def _reads_payload(node: ast.AST) -> bool:
    """payload["key"], payload.get("key"), event["payload"].get("key")."""
    if isinstance(node, ast.Subscript):
        return _is_payload(node.value)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and _is_payload(node.func.value)
    )


def _is_payload(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "payload"
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == "payload"
    )


def _key(node: ast.AST) -> str | None:
    key = node.slice if isinstance(node, ast.Subscript) else node.args[0]  # type: ignore[attr-defined]
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


@pytest.mark.parametrize(
    "stored",
    read_log(BA8D25A) + read_log(DEC06) + read_log(FOLDER),
    ids=lambda e: f"{e['seq']}-{e['type']}",
)
def test_every_payload_in_the_fixture_log_reads_back_as_recorded(stored: dict[str, object]) -> None:
    payload = json.loads(str(stored["payload"]))
    assert EVENTS[str(stored["type"])].from_payload(payload).payload() == payload


@pytest.mark.parametrize(
    "cls", [SubmissionReceived, SubmissionRefused, DecisionRecorded, DecisionRefused]
)
def test_who_acted_through_the_portal_is_recorded_only_when_known(cls: type[DomainEvent]) -> None:
    """``by`` (the portal's account or token) is left out when None, so the CLI's events keep their old bytes."""
    fields = {
        "round": 1,
        "party": "ES",
        "submission": 1,
        "blob": "b",
        "filename": "f.docx",
        "late": False,
        "superseded": (),
        "flags": (),
        "sha256": "s",
        "size": 1,
        "reason": "r",
        "decisions": {},
    }
    known = {k: v for k, v in fields.items() if k in cls.model_fields}
    assert "by" not in cls(**known).payload()
    portal = cls(**known, by="account:7").payload()
    assert portal["by"] == "account:7" and cls.from_payload(portal).payload() == portal


def test_events_are_frozen_and_refuse_unknown_fields() -> None:
    event = VersionApproved(version="Rev.1", party="ES")
    with pytest.raises(ValidationError):
        event.party = "BO"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        VersionApproved.from_payload({"version": "Rev.1", "party": "ES", "extra": 1})


def test_optional_keys_are_left_out_when_empty_as_in_the_logs() -> None:
    for kind in CLASSES:
        assert all(kind.model_fields[name].default is None for name in kind.OMIT_NONE), kind
    zero = VersionIssued(
        version="Zero draft", number=0, blob="ab" * 32, text_sha256="cd" * 32, paragraphs=3
    )
    assert set(zero.payload()) == {"version", "number", "blob", "text_sha256", "paragraphs"}
    opened = RoundOpened(round=1, version="Zero draft", deadline=None, parties=())
    assert opened.payload()["deadline"] is None  # recorded as null, not left out
