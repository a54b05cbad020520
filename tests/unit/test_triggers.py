"""Every trigger parameter template, rendered as Prefect renders it against sample events; prefect.yaml checked.

No Prefect here: flows.triggers.render reproduces Prefect's rule (a single `{{ expression }}` gets `| tojson`
and the result is parsed as JSON); tests/flows/test_trigger_render.py checks it against Prefect's own code.
"""

from __future__ import annotations

import ast
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from drafting.events import (
    CompilationReady,
    DeadlineExtended,
    DeadlineReached,
    DomainEvent,
    RoundOpened,
    SilenceExpired,
    SilenceStarted,
    SubmissionReceived,
    VersionAgreed,
    VersionCirculated,
)
from flows.pipelines import DEPLOYMENTS
from flows.triggers import TRIGGERS, render, render_parameters, triggering_events

ROOT = Path(__file__).resolve().parents[2]

# What accord's use cases put into each triggering event (plus seq/actor/hash), built by the events' own classes.
SAMPLES: list[DomainEvent] = [
    SubmissionReceived(
        round=1,
        party="MX",
        submission=17,
        blob="ab" * 32,
        filename="MX.docx",
        late=False,
        superseded=(),
        flags=(),
    ),
    DeadlineReached(round=2, deadline="2026-12-04T17:00:00Z"),
    CompilationReady(
        round=2, version="Rev.1", documents={}, submissions=(17,), proposals=40, conflicts=3
    ),
    VersionCirculated(version="Rev.1", blob="cd" * 32, approved_by=("BO", "ES")),
    SilenceExpired(silence=3, version="Rev.2", until="2026-12-11T17:00:00Z", text_sha256="ef" * 32),
    VersionAgreed(version="Rev.2", text_sha256="ef" * 32, blob="cd" * 32, via="silence", silence=3),
    RoundOpened(round=1, version="Zero draft", deadline=None, parties=("BO", "ES", "MX")),
    DeadlineExtended(round=1, deadline="2026-12-05T17:00:00Z", previous="2026-12-04T17:00:00Z"),
    SilenceStarted(
        silence=3,
        version="Rev.2",
        until="2026-12-11T17:00:00Z",
        text_sha256="ef" * 32,
        blob="cd" * 32,
    ),
]
PAYLOADS: dict[str, dict[str, Any]] = {sample.TYPE: sample.payload() for sample in SAMPLES}
EXPECTED: dict[str, dict[str, Any]] = {
    "ingest-submission": {"submission": 17},
    "close-round": {"round_number": 2},
    "route-compilation": {"round_number": 2},
    "circulate-revision": {"version": "Rev.1"},
    "end-silence": {"silence": 3},
    "archive": {"version": "Rev.2"},
    "plan-timers": {},
    "distribute-round": {"round_number": 1},
}


class Resource(dict[str, str]):
    """Prefect's Resource: a label mapping with `.id` and `.name`."""

    @property
    def id(self) -> str:
        return self["prefect.resource.id"]

    @property
    def name(self) -> str:
        return self["prefect.resource.name"]


class Event:
    """The attributes of Prefect's ReceivedEvent a template can reach: a UUID id and a datetime, as in Prefect."""

    def __init__(self, event: str, payload: dict[str, Any], slug: str = "eu-celac") -> None:
        self.id = uuid.UUID("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
        self.occurred = datetime(2026, 12, 4, 17, 0, 0, 123456, tzinfo=UTC)
        self.event = event
        self.resource = Resource(
            {"prefect.resource.id": f"accord.declaration.{slug}", "prefect.resource.name": slug}
        )
        self.payload = {**payload, "seq": 12, "actor": "secretariat", "hash": "ab" * 32}


CASES = [(name, i) for name, triggers in TRIGGERS.items() for i in range(len(triggers))]


@pytest.mark.parametrize(("deployment", "index"), CASES, ids=[f"{d}-{i}" for d, i in CASES])
def test_every_template_renders_against_its_event(deployment: str, index: int) -> None:
    trigger = TRIGGERS[deployment][index]
    event = Event(trigger["expect"][0], PAYLOADS[trigger["expect"][0]])
    parameters = render_parameters(trigger, event)
    assert parameters == {
        "slug": "eu-celac",
        **EXPECTED[deployment],
        "event_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "occurred": "2026-12-04 17:00:00.123456+00:00",
    }
    assert datetime.fromisoformat(parameters["occurred"]) == event.occurred


@pytest.mark.parametrize(("deployment", "index"), CASES, ids=[f"{d}-{i}" for d, i in CASES])
def test_templates_survive_an_event_without_the_optional_keys(deployment: str, index: int) -> None:
    trigger = TRIGGERS[deployment][index]
    parameters = render_parameters(trigger, Event(trigger["expect"][0], {}))
    assert parameters["slug"] == "eu-celac"
    assert all(value in (0, "") for key, value in parameters.items() if key in EXPECTED[deployment])


def test_a_bare_uuid_or_datetime_fails_as_in_prefect() -> None:
    """Why `| string`: Prefect adds `| tojson`, which cannot serialise a UUID or a datetime (infrahub#9742)."""
    event = Event("accord.submission.received", PAYLOADS["accord.submission.received"])
    with pytest.raises(TypeError):
        render("{{ event.id }}", event)
    with pytest.raises(TypeError):
        render("{{ event.occurred }}", event)
    assert render("{{ event.payload.submission }}", event) == 17  # a JSON value keeps its type
    assert (
        render("round {{ event.payload.round }}", event) == "round 1"
    )  # text around it: a plain string


def test_every_triggering_event_has_a_sample() -> None:
    assert triggering_events() == set(PAYLOADS)


def test_trigger_parameters_are_parameters_of_the_flow() -> None:
    for deployment, triggers in TRIGGERS.items():
        parameters = _flow_parameters(deployment)
        for trigger in triggers:
            assert set(trigger["parameters"]) <= parameters, deployment


def test_prefect_yaml_matches_the_pipelines_and_triggers() -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    deployments = {d["name"]: d for d in config["deployments"]}
    assert list(deployments) == list(DEPLOYMENTS)
    for name, spec in deployments.items():
        module, function = DEPLOYMENTS[name].split(":")
        assert spec["entrypoint"] == f"{module}.{function}"
        assert spec["work_pool"]["name"] == "accord"
        assert spec["triggers"] == TRIGGERS[name], (
            f"prefect.yaml and flows/triggers.py differ for {name}"
        )
        assert _flow_name(name) == name


def _flow_def(deployment: str) -> ast.FunctionDef:
    module, function = DEPLOYMENTS[deployment].split(":")
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{deployment}: {path} is missing"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return node
    raise AssertionError(f"{deployment}: no function {function} in {path}")


def _flow_parameters(deployment: str) -> set[str]:
    node = _flow_def(deployment)
    return {a.arg for a in node.args.args + node.args.kwonlyargs}


def _flow_name(deployment: str) -> str | None:
    """The name given in the function's @flow(name=...) decorator."""
    for decorator in _flow_def(deployment).decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "flow":
            for keyword in decorator.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None
