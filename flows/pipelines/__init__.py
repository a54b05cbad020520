"""accord's Prefect flows, one per file; each task is one call into a use case and passes slugs and ids.

DEPLOYMENTS names each deployment's flow as `module:function` (no prefect import here: `accord status` stays
fast). The flow and its deployment share the name, so a run is addressed as `name/name`.
"""

from __future__ import annotations

DEPLOYMENTS: dict[str, str] = {
    "open-round": "flows.pipelines.open_round:open_round",
    "distribute-round": "flows.pipelines.distribute_round:distribute_round",
    "ingest-submission": "flows.pipelines.ingest:ingest_submission",
    "close-round": "flows.pipelines.close_round:close_round",
    "route-compilation": "flows.pipelines.route_compilation:route_compilation",
    "circulate-revision": "flows.pipelines.circulate_revision:circulate_revision",
    "end-silence": "flows.pipelines.end_silence:end_silence",
    "archive": "flows.pipelines.archive:archive",
    "plan-timers": "flows.pipelines.plan_timers:plan_timers",
    "send-reminders": "flows.pipelines.send_reminders:send_reminders",
}

__all__ = ["DEPLOYMENTS"]
