"""What the portal shows and does for a principal: read models, and the actions through the CLI's use cases.

Authorization is asked of ``drafting.access.authorize`` first, in every function here, so the API and the pages
cannot differ; a refusal is logged in the security log with who asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drafting.access import Action, Principal, authorize, check_upload_name
from drafting.errors import Forbidden, InvalidInput, WrongState
from flows.bootstrap import App
from flows.portal import accounts

if TYPE_CHECKING:
    from drafting import lifecycle
    from drafting.negotiation import Declaration, Submission
    from drafting.proposals import Proposal
    from storage import UnitOfWork

# The multipart envelope around a file (boundaries, part headers, the name) is small: the limit is the file's.
ENVELOPE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Acting:
    """The principal and the party it acts as (None for the secretariat and auditors) in one declaration."""

    principal: Principal
    slug: str
    party: str | None


def allow(
    app: App, principal: Principal, action: Action, slug: str, address: str | None = None
) -> Acting:
    """Who acts, if the principal may do ``action`` on the declaration; Forbidden (logged) otherwise."""
    with app.store.reading() as uow:
        roles = uow.repo.party_roles(slug)
    try:
        return Acting(principal, slug, authorize(principal, action, slug, roles))
    except Forbidden:
        accounts.log_refusal(app, principal, f"{action} {slug}", address)
        raise


def declaration(app: App, acting: Acting) -> dict[str, Any]:
    """The declaration as its party sees it: title, time zone, the current version and the latest round."""
    with app.store.reading() as uow:
        row = uow.repo.declaration(acting.slug)
        version = uow.repo.current_version(row)
        latest = uow.repo.latest_round(row)
        base = latest.base_version if latest else None
        party = uow.repo.party(row, acting.party) if acting.party else None
        round_ = (
            None
            if latest is None
            else {
                "number": latest.number,
                "state": latest.state,
                "version": base,
                "opened_at": latest.opened_at,
                "deadline": latest.deadline,
                "closed_at": latest.closed_at,
            }
        )
        return {
            "slug": row.slug,
            "title": row.title,
            "timezone": row.timezone,
            "party": None
            if party is None
            else {"code": party.code, "name": party.name, "role": party.role},
            "version": {"label": version.label, "state": version.state},
            "round": round_,
        }


def own_submissions(app: App, acting: Acting) -> list[dict[str, Any]]:
    """The acting party's submissions in every round, newest first."""
    found: list[dict[str, Any]] = []
    with app.store.reading() as uow:
        row = uow.repo.declaration(acting.slug)
        party = uow.repo.party(row, acting.party or "")
        for round_ in uow.repo.rounds(row):
            for sub in uow.repo.party_submissions(round_, party.code):
                found.append(
                    {
                        "submission": sub.id,
                        "round": round_.number,
                        "filename": sub.filename,
                        "received_at": sub.received_at,
                        "sha256": sub.blob_sha256,
                        "status": sub.status,
                        "late": sub.late,
                        "warnings": [f.model_dump() for f in sub.flags],
                    }
                )
    return sorted(found, key=lambda s: s["submission"], reverse=True)


def stamped_copy(app: App, acting: Acting) -> tuple[str, bytes]:
    """The acting party's own stamped copy of the open round's draft (file name, bytes)."""
    from drafting.documents import stamp_for_parties

    with app.store.reading() as uow:
        row = uow.repo.declaration(acting.slug)
        latest = _open_round(uow, row)
        version = uow.repo.version(row, latest.base_version)
        code = acting.party or ""
        first = row.first_language
        spoken = (
            uow.repo.party(row, code).language or first if code else first
        )  # its copy is in its language
        translations = version.content.translations
        blob = translations[spoken].blob if spoken in translations else version.blob_sha256
        document, label, number = uow.blob(blob), version.label, latest.number
    copies = stamp_for_parties(
        document, declaration=acting.slug, version=label, round_number=number, parties=[code]
    )
    suffix = "" if spoken == first else f".{spoken}"
    return f"{acting.slug}-{label}-round-{number}-{code}{suffix}.docx".replace(" ", "-"), copies[
        code
    ]


def _open_round(uow: Any, row: Any) -> Any:
    latest = uow.repo.latest_round(row)
    if latest is None or latest.state != "open":
        raise WrongState(
            f"no round of {row.slug!r} is open: the secretariat opens one, files are received then"
        )
    return latest


def submit(app: App, acting: Acting, data: bytes, filename: str) -> dict[str, Any]:
    """Receive the acting party's file through the CLI's use case; the receipt with the amendments read from it."""
    from flows.usecases.submissions import submit as submit_file

    name = upload_name(app, acting, data, filename)
    with app.store.reading() as uow:
        _open_round(
            uow, uow.repo.declaration(acting.slug)
        )  # the portal takes files only while a round is open
    receipt = submit_file(
        app, acting.slug, party=acting.party or "", data=data, filename=name, by=acting.principal.by
    )
    return {
        "submission": receipt.submission,
        "round": receipt.round,
        "sha256": receipt.sha256,
        "filename": name,
        "duplicate": receipt.duplicate,
        "late": receipt.late,
        "superseded": receipt.superseded,
        "amendments": amendments(app, acting, receipt.submission),
        "warnings": [f.model_dump() for f in receipt.flags],
    }


def upload_name(
    app: App, acting: Acting, data: bytes, filename: str, *, decisions: bool = False
) -> str:
    """The upload's name, checked before the use case sees the file; a refused one is logged as its refusals are
    (a submission's, or with ``decisions`` a co-presidency's returned compilation)."""
    try:
        return check_upload_name(filename)
    except InvalidInput as refusal:
        from drafting.canonical import sha256_hex
        from drafting.events import DecisionRefused, SubmissionRefused
        from drafting.invisible import visible
        from flows.usecases.common import log_refusal

        refused = DecisionRefused if decisions else SubmissionRefused
        if acting.party:
            log_refusal(
                app,
                acting.slug,
                acting.party,
                refused(
                    party=acting.party,
                    filename=visible(filename)[:200],
                    sha256=sha256_hex(data),
                    size=len(data),
                    reason=str(refusal),
                    by=acting.principal.by,
                ),
            )
        raise


def _submission(
    uow: UnitOfWork, row: Declaration, party: str, number: int
) -> tuple[lifecycle.Round, Submission] | None:
    """The party's submission ``number`` and its round (None when the party has no such submission)."""
    for round_ in uow.repo.rounds(row):
        for sub in uow.repo.party_submissions(round_, party):
            if sub.id == number:
                return round_, sub
    return None


def _proposals(
    app: App,
    uow: UnitOfWork,
    row: Declaration,
    party: str,
    found: tuple[lifecycle.Round, Submission],
) -> list[Proposal]:
    """The proposals accord derives from a submission against its round's draft (older versions for a stale file)."""
    from drafting.documents import STAMP_VERSION
    from drafting.proposals import derive_proposals
    from flows.usecases.submissions import submission_reading
    from flows.usecases.texts import version_text

    round_, sub = found
    base_version = uow.repo.version(row, round_.base_version)
    older = {
        v.label: version_text(v) for v in uow.repo.versions(row) if v.number < base_version.number
    }
    reading = submission_reading(app, uow, sub)
    stamped = reading.custom_properties.get(STAMP_VERSION)
    made = derive_proposals(
        reading,
        version_text(base_version),
        party=party,
        submission=sub.id,
        older=older,
        stamped_version=stamped,
    )
    return made.proposals


def amendments(app: App, acting: Acting, number: int) -> list[dict[str, Any]]:
    """The amendments accord makes of one of the party's submissions, against its round's draft."""
    with app.store.reading() as uow:
        row = uow.repo.declaration(acting.slug)
        party = uow.repo.party(row, acting.party or "")
        found = _submission(uow, row, party.code, number)
        if found is None:
            return []
        return [
            {"id": p.id, "paragraph": p.paragraph, "deleted": p.deleted, "inserted": p.inserted}
            for p in _proposals(app, uow, row, party.code, found)
        ]


def decide(app: App, acting: Acting, decisions: dict[str, str]) -> dict[str, Any]:
    """A co-presidency's decisions through the CLI's use case (the JSON form `accord decide` reads)."""
    from flows.usecases.decide import decide as decide_round

    data = json.dumps({"decisions": decisions}, sort_keys=True, ensure_ascii=False).encode()
    receipt = decide_round(
        app,
        acting.slug,
        party=acting.party or "",
        data=data,
        filename="decisions.json",
        by=acting.principal.by,
    )
    return {
        "round": receipt.round,
        "party": receipt.party,
        "accepted": receipt.accepted,
        "rejected": receipt.rejected,
        "undecided": receipt.undecided,
        "revision": receipt.revision,
    }
