"""Trigger templates rendered by Prefect's own hydration against the events accord really writes (no server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flows.bootstrap import iso
from flows.triggers import TRIGGERS, render_parameters
from tests import factories

pytestmark = pytest.mark.prefect
SLUG = factories.SLUG


def negotiation_events(app: Any, clock: factories.Clock) -> dict[str, Any]:
    """Run a short negotiation in-process and return the last event of each type."""
    from flows.usecases import deadlines, silence
    from flows.usecases.decide import approve, decide
    from flows.usecases.rounds import extend_deadline
    from flows.usecases.status import event_log

    factories.open_declaration(app, n=4, deadline=iso(clock.moment + timedelta(hours=1)))
    extend_deadline(app, SLUG, iso(clock.moment + timedelta(hours=1, minutes=30)))
    factories.submit(app, factories.delegations(4)[0])
    clock.advance(hours=2)
    deadlines.tick(app, SLUG)
    for chair in factories.CO_PRESIDENCIES:
        decide(app, SLUG, party=chair, data=b'{"decisions": {}}', filename="decisions.json")
    for chair in factories.CO_PRESIDENCIES:
        approve(app, SLUG, party=chair)
    return {e["type"]: e for e in event_log(app, SLUG)} | _silence_events(app, clock, silence)


def _silence_events(app: Any, clock: factories.Clock, silence: Any) -> dict[str, Any]:
    from flows.usecases.declarations import create_declaration
    from flows.usecases.status import event_log

    create_declaration(
        app,
        slug="quiet",
        title="Q",
        zero_draft=factories.zero_draft(),
        zero_draft_name="z.docx",
        parties_csv=factories.parties_csv(4),
        parties_name="p.csv",
        co_presidencies=list(factories.CO_PRESIDENCIES),
    )
    silence.start_silence(app, "quiet", iso(clock.moment + timedelta(hours=1)))
    clock.advance(hours=2)
    silence.end_silence(app, "quiet")
    return {e["type"]: e for e in event_log(app, "quiet")}


def as_prefect_event(event: dict[str, Any]) -> Any:
    """The event as PrefectPublisher emits it and Prefect's server receives it."""
    from prefect.events.schemas.events import ReceivedEvent

    return ReceivedEvent(
        received=datetime.now(UTC),
        event=event["type"],
        resource={
            "prefect.resource.id": f"accord.declaration.{event['declaration']}",
            "prefect.resource.name": event["declaration"],
        },
        payload={
            **event["payload"],
            "seq": event["seq"],
            "actor": event["actor"],
            "hash": event["hash"],
        },
    )


def prefect_render(parameters: dict[str, Any], event: Any) -> dict[str, Any]:
    """Prefect's run-deployment rendering: v1 templates upgraded (`| tojson` added), then hydrated."""
    import copy

    from prefect.server.events.actions import RunDeployment
    from prefect.utilities.schema_tools.hydration import HydrationContext, hydrate

    upgraded = copy.deepcopy(parameters)
    RunDeployment._upgrade_v1_templates(upgraded)
    return dict(
        hydrate(
            upgraded,
            HydrationContext(
                raise_on_error=True, render_jinja=True, jinja_context={"event": event}
            ),
        )
    )


def test_templates_render_against_real_events_as_prefect_renders_them(
    tmp_path: Path, clock: factories.Clock
) -> None:
    from flows.bootstrap import bootstrap
    from flows.publish import NullPublisher

    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )  # the backend does not matter here
    try:
        events = negotiation_events(app, clock)
    finally:
        app.store.engine.dispose()
    for deployment, triggers in TRIGGERS.items():
        for trigger in triggers:
            source = events[trigger["expect"][0]]
            event = as_prefect_event(source)
            ours, prefects = (
                render_parameters(trigger, event),
                prefect_render(trigger["parameters"], event),
            )
            assert ours == prefects, deployment
            assert prefects["slug"] == source["declaration"] and prefects["event_id"] == str(
                event.id
            )
            for key in ("submission", "round_number", "silence"):
                if key in prefects:
                    assert isinstance(prefects[key], int) and prefects[key] > 0, (deployment, key)
            if "version" in prefects:
                assert prefects["version"] == source["payload"]["version"]
