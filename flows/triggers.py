"""Which accord event starts which deployment, with which parameters: the one place trigger templates live.

`accord serve` builds its deployments' triggers from TRIGGERS; prefect.yaml repeats them for `prefect deploy`,
and tests/unit/test_triggers.py checks the two are equal and renders every template against sample events.

Prefect renders a parameter that is a single `{{ expression }}` as `{{ expression | tojson }}` and parses the
result as JSON; `tojson` fails on UUIDs and datetimes (InvalidJinja, visible only in the automation's events,
opsmill/infrahub#9742). Hence `| string` on event.id and event.occurred, and `| default(...)` on optional keys.

Why circulation triggers on `accord.version.circulated` and not on a compound trigger over two
`accord.version.approved` events: a compound trigger can only match resources, not payloads, so two approvals
by the same co-presidency would satisfy it; its window (`within`) would have to bound how many days apart the
two approvals may come; and two approvals arriving concurrently could fire it twice or not at all. `approve`
decides in one database transaction, serialised by the event log's unique (declaration, seq), so exactly one
`accord.version.circulated` is ever written per version; the trigger on that event fires once per circulation.

Likewise "`accord.silence.expired` with no `accord.silence.broken`" is enforced by the database, not by a
proactive trigger: `expire` writes `accord.silence.expired` only for a silence still running (not broken), and
an objection after the expiry time is refused.
"""

from __future__ import annotations

import json
from typing import Any

from drafting import events as ev

MATCH = {"prefect.resource.id": "accord.declaration.*"}
SLUG = "{{ event.resource.name | string }}"
EVENT_ID = "{{ event.id | string }}"
OCCURRED = "{{ event.occurred | string }}"
ROUND = "{{ event.payload.round | default(0) }}"


def on(event: type[ev.DomainEvent], description: str, **parameters: str) -> dict[str, Any]:
    """A reactive trigger: each `event` on any declaration starts one run with these parameter templates."""
    return {
        "type": "event",
        "name": f"on {event.TYPE}",
        "description": description,
        "enabled": True,
        "match": dict(MATCH),
        "expect": [event.TYPE],
        "posture": "Reactive",
        "threshold": 1,
        "within": 0,
        "parameters": {"slug": SLUG, **parameters, "event_id": EVENT_ID, "occurred": OCCURRED},
    }


TRIGGERS: dict[str, list[dict[str, Any]]] = {
    "open-round": [],  # started by the secretariat, from the Prefect UI or `prefect deployment run`
    "distribute-round": [
        on(
            ev.RoundOpened,
            "Send each party its stamped copy of the draft.",
            round_number=ROUND,
        )
    ],
    "ingest-submission": [
        on(
            ev.SubmissionReceived,
            "File the submission in the inbox and acknowledge it.",
            submission="{{ event.payload.submission | default(0) }}",
        )
    ],
    "close-round": [
        on(
            ev.DeadlineReached,
            "Close the round and compile it.",
            round_number=ROUND,
        )
    ],
    "route-compilation": [
        on(
            ev.CompilationReady,
            "Send the compilation to both co-presidencies.",
            round_number=ROUND,
        )
    ],
    "circulate-revision": [
        on(
            ev.VersionCirculated,
            "Both co-presidencies approved: send the revision to every party.",
            version="{{ event.payload.version | default('') | string }}",
        )
    ],
    "end-silence": [
        on(
            ev.SilenceExpired,
            "No objection before the end of the silence: adopt the text.",
            silence="{{ event.payload.silence | default(0) }}",
        )
    ],
    "archive": [
        on(
            ev.VersionAgreed,
            "Seal the agreed text and the whole record into an archive bundle.",
            version="{{ event.payload.version | default('') | string }}",
        )
    ],
    "plan-timers": [
        on(ev.RoundOpened, "Schedule the round's reminder and deadline runs."),
        on(
            ev.DeadlineExtended,
            "Schedule the round's reminder and deadline runs at the new deadline.",
        ),
        on(ev.SilenceStarted, "Schedule the run that ends the silence."),
    ],
    "send-reminders": [],  # scheduled by plan-timers, never triggered
}

# Events that start no deployment, each said so here (tests/unit/test_event_registry.py: every event type either
# triggers a deployment or is listed, with why).
UNTRIGGERED: dict[type[ev.DomainEvent], str] = {
    ev.DeclarationCreated: "the secretariat opens the first round when it is ready",
    ev.VersionIssued: "a revision waits for both co-presidencies' approval (accord.version.circulated)",
    ev.VersionEdited: "an editorial change waits for approval like a revision",
    ev.VersionTranslated: "a translation aligns the version in place; it still waits for approval (or was circulated)",
    ev.VersionApproved: "one approval is not enough; the one that completes the set writes accord.version.circulated",
    ev.DeclarationArchived: "the end of the record",
    ev.SubmissionRefused: "the party is told at once, by the command that refused the file",
    ev.DecisionRefused: "the co-presidency is told at once, by the command that refused it",
    ev.ApprovalRefused: "the co-presidency is told at once, by the command that refused it",
    ev.RoundClosed: "the close-round run that closed it also compiles",
    ev.DecisionRecorded: "the decision that completes the set issues the revision in the same transaction",
    ev.SilenceBroken: "the secretariat decides what follows an objection",
    ev.SubmissionFiled: "a delivery: the follow-up itself",
    ev.VersionRouted: "a delivery: the follow-up itself",
    ev.VersionDistributed: "a delivery: the follow-up itself",
    ev.RoundDistributed: "a delivery: the follow-up itself",
    ev.ReminderSent: "a delivery: the follow-up itself",
}


def triggering_events() -> set[str]:
    """The type of every event that starts a deployment."""
    return {
        event
        for triggers in TRIGGERS.values()
        for trigger in triggers
        for event in trigger["expect"]
    }


def render(template: str, event: Any) -> Any:
    """Render one parameter template the way Prefect's run-deployment action does."""
    from jinja2 import ChainableUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.utils import htmlsafe_json_dumps

    environment = ImmutableSandboxedEnvironment(undefined=ChainableUndefined)
    environment.filters["tojson"] = (
        htmlsafe_json_dumps  # json.dumps: raises on UUID and datetime, as in Prefect
    )
    stripped = template.strip()
    if stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1:
        inner = stripped[2:-2].strip()
        return json.loads(
            environment.from_string("{{ " + inner + " | tojson }}").render(event=event)
        )
    return environment.from_string(template).render(event=event)


def render_parameters(trigger: dict[str, Any], event: Any) -> dict[str, Any]:
    """A trigger's parameters for one event."""
    return {name: render(template, event) for name, template in trigger["parameters"].items()}


def deployment_triggers(deployment: str) -> list[Any]:
    """The deployment's triggers as Prefect objects (imports prefect)."""
    from prefect.events import DeploymentEventTrigger

    return [DeploymentEventTrigger(**spec) for spec in TRIGGERS[deployment]]
