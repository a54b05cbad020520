"""What the co-presidencies, the secretariat and the delegations do in the portal beyond submitting: read models
of a round's synopsis and dashboard, and the actions, each through the use case the CLI runs, naming the acting
account (``by``). Authorization is asked of ``views.allow`` by the caller first."""

from __future__ import annotations

import json
from typing import Any

from drafting.errors import InvalidInput, NotFound, WrongState
from flows.bootstrap import App
from flows.portal.views import Acting

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _latest(uow: Any, declaration: Any, kind: str) -> tuple[Any, bytes | None]:
    """The latest round and its artifact of ``kind`` (None before it is compiled)."""
    latest = uow.repo.latest_round(declaration)
    rows = [
        a for a in uow.repo.artifacts(declaration, kind=kind) if latest and a.round == latest.number
    ]
    return latest, (uow.blob(rows[-1].blob_sha256) if rows else None)


def synopsis(app: App, acting: Acting) -> dict[str, Any]:
    """The latest compiled round's synopsis, with each co-presidency's current decisions beside it, and the
    current version with its approvals (a draft revision or editorial change is approved here)."""
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(acting.slug)
        version = uow.repo.current_version(declaration)
        seen: dict[str, Any] = {
            "compiled": False,
            "round": None,
            "version": {
                "label": version.label,
                "state": version.state,
                "approved_by": [a.party for a in uow.repo.approvals(version)],
            },
            "labels": [v.label for v in uow.repo.versions(declaration)],
        }
        latest, data = _latest(uow, declaration, "synopsis-json")
        if latest is None or data is None:
            return seen | {"round": latest.number if latest else None}
        decided = {r.party: r.decisions for r in uow.repo.decisions(latest)}
        chairs = sorted(p.code for p in uow.repo.parties(declaration) if p.role == "co-presidency")
        return seen | {
            "compiled": True,
            "round": latest.number,
            "state": latest.state,
            "synopsis": json.loads(data),
            "co_presidencies": chairs,
            "decisions": decided,
            "mine": decided.get(acting.party or "", {}),
        }


def compilation(app: App, acting: Acting) -> tuple[str, bytes]:
    """The latest round's compilation .docx, to decide in Word (accept or reject each change) and send back."""
    with app.store.reading() as uow:
        latest, data = _latest(uow, uow.repo.declaration(acting.slug), "compilation")
        if latest is None or data is None:
            raise WrongState(
                f"{acting.slug!r} has no compiled round: the secretariat closes the round first"
            )
        return f"{acting.slug}-compilation-round-{latest.number}.docx", data


def decisions_of_form(form: dict[str, str]) -> dict[str, str]:
    """The decisions a co-presidency chose on the synopsis page: ``decide:P001`` -> accept | reject, and
    ``decide:C01`` -> the alternative kept (a proposal id) or reject; blank choices are left undecided."""
    chosen = {
        key.removeprefix("decide:"): value.strip()
        for key, value in form.items()
        if key.startswith("decide:") and value.strip()
    }
    if not chosen:
        raise InvalidInput(
            "no decision chosen: pick accept or reject for at least one amendment, then send"
        )
    return chosen


def decide(app: App, acting: Acting, decisions: dict[str, str]) -> dict[str, Any]:
    """A co-presidency's decisions from the page, through the CLI's use case."""
    from flows.portal.views import decide as decide_json

    return decide_json(app, acting, decisions)


def decide_file(app: App, acting: Acting, data: bytes, filename: str) -> dict[str, Any]:
    """The compilation returned from Word with changes accepted or rejected, as `accord decide` takes it."""
    from flows.portal.views import upload_name
    from flows.usecases.decide import decide as decide_round

    name = upload_name(app, acting, data, filename, decisions=True)
    receipt = decide_round(
        app, acting.slug, party=acting.party or "", data=data, filename=name, by=acting.principal.by
    )
    return {
        "round": receipt.round,
        "party": receipt.party,
        "accepted": receipt.accepted,
        "rejected": receipt.rejected,
        "undecided": receipt.undecided,
        "revision": receipt.revision,
    }


def approve(app: App, acting: Acting) -> dict[str, Any]:
    """The co-presidency approves the draft revision (circulated once both have)."""
    from flows.usecases.decide import approve as approve_version

    return approve_version(app, acting.slug, party=acting.party or "", by=acting.principal.by)


def redline(app: App, slug: str, first: str, second: str) -> str:
    """Two versions as the HTML redline `accord diff --html` writes."""
    from flows.usecases.redline import redline_page_versions

    with app.store.reading() as uow:
        labels = {v.label for v in uow.repo.versions(uow.repo.declaration(slug))}
    for label in (first, second):
        if label not in labels:
            raise NotFound(
                f"{slug!r} has no version {label!r}; the versions are {', '.join(sorted(labels))}"
            )
    return redline_page_versions(app, slug, first, second)


def silence(app: App, slug: str) -> dict[str, Any] | None:
    """The current version's latest silence procedure, if any (its state, until when, in the declaration's zone):
    read from its row alone, for the delegation's page."""
    from drafting.moments import local_time

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        version = uow.repo.current_version(declaration)
        rows = uow.repo.silences(version)
        if not rows:
            return None
        row = rows[-1]
        return {
            "silence": row.number,
            "version": version.label,
            "state": row.state,
            "until": row.until,
            "until_local": local_time(row.until, declaration.timezone),
        }


def object_to(app: App, acting: Acting, reason: str) -> dict[str, Any]:
    """A party's objection during a silence procedure, through the CLI's use case."""
    from drafting.identifiers import reason as checked_reason
    from flows.usecases.silence import object_to as object_silence

    broken = object_silence(
        app,
        acting.slug,
        party=acting.party or "",
        reason=checked_reason(reason, where="the reason"),
        by=acting.principal.by,
    )
    return vars(broken)
