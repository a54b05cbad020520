"""The documents a declaration's history links to, served from the log's records to whoever may read each: the
secretariat, auditors and the co-presidencies read every one; anyone else in the declaration (a delegation, the
translator) reads the versions circulated to it, and a delegation its own submissions."""

from __future__ import annotations

import mimetypes
from typing import Any

from drafting import events as ev
from drafting.access import AccountRole
from drafting.errors import Forbidden, NotFound
from drafting.identifiers import shown
from drafting.negotiation import Event, VersionState
from flows.bootstrap import App
from flows.portal.views import Acting
from flows.portal.work import DOCX

READ_ALL = frozenset({AccountRole.SECRETARIAT, AccountRole.AUDITOR})


def _no_such_document(acting: Acting, path: str) -> NotFound:
    """The refusal of a path the log names no document at."""
    return NotFound(
        f"{acting.slug!r} has no document {shown(path, 120)}: open one from the history page"
    )


def _not_for(acting: Acting, name: str) -> Forbidden:
    """The refusal of a document the one acting may not read."""
    return Forbidden(
        f"{acting.principal.by} may not read {shown(name, 120)}: a delegation reads the "
        "versions circulated to it and its own submissions"
    )


def document(app: App, acting: Acting, path: str) -> tuple[str, bytes, str]:
    """The document at ``path`` (its place in the bundle, as the history links it): name, bytes, media type;
    NotFound when the log names no such document, Forbidden when ``acting`` may not read it."""
    from flows.usecases.history import documents_of

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(acting.slug)
        events = uow.log(declaration)
        found = next((d for d in documents_of(events) if d.path == path), None)
        if found is None:
            raise _no_such_document(acting, path)
        event = next(e for e in events if e.seq == found.seq)
        if not _may_read(uow, declaration, acting, event, path):
            raise _not_for(acting, found.name)
        data = uow.blob(found.sha256)
    media = DOCX if found.name.lower().endswith(".docx") else mimetypes.guess_type(found.name)[0]
    return found.name, data, media or "application/octet-stream"


def _may_read(uow: Any, declaration: Any, acting: Acting, event: Event, path: str) -> bool:
    if acting.principal.role in READ_ALL:
        return True
    party = uow.repo.party(declaration, acting.party) if acting.party else None
    if party is not None and party.role == "co-presidency":
        return True
    typed = ev.parse(event)
    if isinstance(typed, ev.SubmissionReceived):
        return party is not None and typed.party == party.code
    issuing = ev.VersionIssued | ev.VersionEdited | ev.VersionTranslated  # ev.ISSUING, as a type
    if isinstance(typed, issuing) and path.startswith("versions/"):
        return bool(uow.repo.version(declaration, typed.version).state != VersionState.DRAFT.value)
    return False
