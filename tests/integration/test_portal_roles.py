"""A whole round in the portal, role by role: the secretariat closes the round, both co-presidencies decide on the
synopsis (one by the form, one by the compilation returned from Word) and approve, a silence is started and a
delegation objects, an auditor verifies and downloads the sealed bundle. Every state change names its account."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from drafting.access import AccountRole
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.portal.app import create_app
from flows.publish import NullPublisher
from tests import factories

SLUG = factories.SLUG
PASSWORD = "a long and unusual passphrase"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def app(tmp_path: Path, clock: factories.Clock) -> App:
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    factories.open_declaration(app, n=6)
    for code in ("AT", "BE"):
        factories.submit(app, code)
    return app


def person(
    app: App, clock: factories.Clock, email: str, role: AccountRole, party: str | None = None
) -> TestClient:
    """A browser signed in as a new account (with its TOTP code where the role has one)."""
    token = accounts.invite(
        app, email, role, party=party, declaration=SLUG if party else None
    ).token
    secret = accounts.invitation_totp(app, token)
    accounts.accept(
        app, token, PASSWORD, code=pyotp.TOTP(secret).at(clock.moment) if secret else ""
    )
    clock.advance(seconds=31)  # a code is good once: the sign-in takes the next one
    signed = accounts.sign_in(
        app, email, PASSWORD, code=pyotp.TOTP(secret).at(clock.moment) if secret else ""
    )
    assert signed is not None
    client = TestClient(create_app(app))
    client.cookies.set("accord_session", signed.cookie)
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def events(app: App, kind: str) -> list[Any]:
    with app.store.reading() as uow:
        declaration = uow.repo.declaration(SLUG)
        return [e for e in uow.log(declaration) if e.type == kind]


def account_id(app: App, email: str) -> str:
    with app.store.reading() as uow:
        found = uow.accounts.find(email)
    assert found is not None
    return f"account:{found.id}"


def test_a_round_from_close_to_agreement_in_the_browser(app: App, clock: factories.Clock) -> None:
    desk = person(app, clock, "desk@example.org", AccountRole.SECRETARIAT)
    spain = person(app, clock, "es@example.org", AccountRole.CO_PRESIDENCY, "ES")
    bolivia = person(app, clock, "bo@example.org", AccountRole.CO_PRESIDENCY, "BO")

    board = desk.get(f"/declarations/{SLUG}/dashboard")
    assert board.status_code == 200 and re.search(r"Submitted \(2\)</th><td>AT, BE<", board.text)
    assert "Not submitted (2)" in board.text
    closed = desk.post(f"/declarations/{SLUG}/round/close", data={"csrf": csrf_of(board.text)})
    assert closed.status_code == 200 and "round 1 closed: 2 submissions" in closed.text, closed.text
    assert events(app, "accord.round.closed")[0].payload["by"] == account_id(
        app, "desk@example.org"
    )

    page = spain.get(f"/declarations/{SLUG}/synopsis")
    proposals = re.findall(r'name="decide:(P\d+)"', page.text)
    assert page.status_code == 200 and len(proposals) == 4  # AT and BE: a word out, a clause in
    sent = spain.post(
        f"/declarations/{SLUG}/decisions",
        data={"csrf": csrf_of(page.text), **{f"decide:{p}": "accept" for p in proposals}},
    )
    assert sent.status_code == 200 and "4 accepted, 0 rejected" in sent.text, sent.text
    beside = bolivia.get(f"/declarations/{SLUG}/synopsis")
    assert (
        beside.text.count('<td class="other">accept</td>') == 4
    )  # Spain's decisions beside Bolivia's own

    word = bolivia.get(f"/declarations/{SLUG}/compilation")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    returned = bolivia.post(
        f"/declarations/{SLUG}/decisions/file",
        data={"csrf": csrf_of(beside.text)},
        files={"file": ("compilation-BO.docx", word.content, DOCX)},
    )
    assert returned.status_code == 200 and "Rev.1 issued as a draft" in returned.text, (
        returned.text[-2000:]
    )
    recorded = events(app, "accord.decision.recorded")
    assert [e.payload["by"] for e in recorded] == [
        account_id(app, "es@example.org"),
        account_id(app, "bo@example.org"),
    ]

    for client in (spain, bolivia):
        page = client.get(f"/declarations/{SLUG}/synopsis")
        approved = client.post(f"/declarations/{SLUG}/approve", data={"csrf": csrf_of(page.text)})
        assert approved.status_code == 200 and "Rev.1 approved by" in approved.text
    assert "circulated" in approved.text
    assert {e.payload["by"] for e in events(app, "accord.version.approved")} == {
        account_id(app, "es@example.org"),
        account_id(app, "bo@example.org"),
    }

    redline = spain.get(
        f"/declarations/{SLUG}/redline", params={"first": "Zero draft", "second": "Rev.1"}
    )
    assert redline.status_code == 200 and "<ins" in redline.text
    assert "script-src 'none'" in redline.headers["content-security-policy"]


def test_a_delegation_objects_during_a_silence_and_the_log_names_its_account(
    app: App, clock: factories.Clock
) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import approve, decide

    close_and_compile(app, SLUG)
    every = (
        b'{"decisions": {"P001": "accept", "P002": "accept", "P003": "accept", "P004": "accept"}}'
    )
    for chair in ("ES", "BO"):
        decide(app, SLUG, party=chair, data=every, filename="decisions.json")
    for chair in ("ES", "BO"):
        approve(app, SLUG, party=chair)
    desk = person(app, clock, "desk@example.org", AccountRole.SECRETARIAT)
    austria = person(app, clock, "at@example.org", AccountRole.DELEGATE, "AT")
    board = desk.get(f"/declarations/{SLUG}/dashboard")
    started = desk.post(
        f"/declarations/{SLUG}/silence",
        data={"csrf": csrf_of(board.text), "until": "2026-12-11T18:00:00+01:00"},
    )
    assert started.status_code == 200 and "under silence until" in started.text, re.findall(
        r"role=.alert.>(.*)</p>", started.text
    )
    notice = next(
        app.files.path("declarations", SLUG, "outbox", "AT").glob(f"{SLUG}-silence-*.txt")
    ).read_text()
    assert (
        f"in the portal: {app.settings.portal_url}/declarations/{SLUG}\n" in notice
    )  # a link, not a command
    assert "accord object" not in notice
    page = austria.get(f"/declarations/{SLUG}")
    assert 'id="object"' in page.text
    empty = austria.post(
        f"/declarations/{SLUG}/objection", data={"csrf": csrf_of(page.text), "reason": " "}
    )
    assert empty.status_code == 422
    objected = austria.post(
        f"/declarations/{SLUG}/objection",
        data={"csrf": csrf_of(page.text), "reason": "paragraph 12 needs consultation"},
    )
    assert objected.status_code == 201 and "broken by AT" in objected.text
    broken = events(app, "accord.silence.broken")
    assert [(e.actor, e.payload["by"], e.payload["reason"]) for e in broken] == [
        ("AT", account_id(app, "at@example.org"), "paragraph 12 needs consultation")
    ]
    assert events(app, "accord.silence.started")[0].payload["by"] == account_id(
        app, "desk@example.org"
    )


def test_an_auditor_reads_verifies_and_downloads_the_bundle_and_changes_nothing(
    app: App, clock: factories.Clock
) -> None:
    auditor = person(app, clock, "audit@example.org", AccountRole.AUDITOR)
    page = auditor.get(f"/declarations/{SLUG}/audit")
    assert (
        page.status_code == 200
        and "The records verify" in page.text
        and "Not sealed yet" in page.text
    )
    assert auditor.get(f"/declarations/{SLUG}/bundle").status_code == 404
    for view in ("history", "blame"):
        shown = auditor.get(f"/declarations/{SLUG}/{view}")
        assert shown.status_code == 200 and "<html" in shown.text.lower()
    assert auditor.get(f"/declarations/{SLUG}/dashboard").status_code == 403
    desk = person(app, clock, "desk@example.org", AccountRole.SECRETARIAT)
    board = desk.get(f"/declarations/{SLUG}/dashboard")
    sealed = desk.post(f"/declarations/{SLUG}/archive", data={"csrf": csrf_of(board.text)})
    assert sealed.status_code == 200 and "sealed at event" in sealed.text, sealed.text[-1500:]
    bundle = auditor.get(f"/declarations/{SLUG}/bundle")
    assert bundle.status_code == 200
    assert "events.jsonl" in zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()


def test_the_secretariat_extends_the_deadline_later_only_and_replay_agrees(
    app: App, clock: factories.Clock
) -> None:
    from flows.usecases.replay import replay
    from flows.usecases.rounds import extend_deadline

    desk = person(app, clock, "desk@example.org", AccountRole.SECRETARIAT)
    board = desk.get(f"/declarations/{SLUG}/dashboard")
    moved = desk.post(
        f"/declarations/{SLUG}/round/deadline",
        data={"csrf": csrf_of(board.text), "deadline": "2026-12-05T18:00:00+01:00"},
    )
    assert moved.status_code == 200 and "the deadline is now 2026-12-05T17:00:00Z" in moved.text, (
        moved.text[-800:]
    )
    earlier = desk.post(
        f"/declarations/{SLUG}/round/deadline",
        data={"csrf": csrf_of(board.text), "deadline": "2026-12-04T18:00:00+01:00"},
    )
    assert earlier.status_code == 422 and "only moved later" in earlier.text
    extend_deadline(app, SLUG, "2026-12-06T18:00:00+01:00")  # the CLI's way: no account
    assert [
        (e.payload.get("by"), e.payload["previous"], e.payload["deadline"])
        for e in events(app, "accord.round.deadline-extended")
    ] == [
        (account_id(app, "desk@example.org"), None, "2026-12-05T17:00:00Z"),
        (None, "2026-12-05T17:00:00Z", "2026-12-06T17:00:00Z"),
    ]
    with app.store.reading() as uow:
        assert uow.repo.latest_round(uow.repo.declaration(SLUG)).deadline == "2026-12-06T17:00:00Z"
    from flows.usecases.status import verify

    assert verify(app, SLUG)["ok"]  # the state the log implies has the new deadline
    with app.store.reading() as uow:
        logged = len(uow.log(uow.repo.declaration(SLUG)))
    assert (
        replay(app, SLUG).events == logged
    )  # every event re-run, the extensions with their deadline and account


def test_a_returned_compilation_whose_name_hides_its_extension_is_refused_and_logged(
    app: App, clock: factories.Clock
) -> None:
    from flows.usecases.compile import close_and_compile

    close_and_compile(app, SLUG)
    spain = person(app, clock, "es@example.org", AccountRole.CO_PRESIDENCY, "ES")
    page = spain.get(f"/declarations/{SLUG}/synopsis")
    sent = spain.post(
        f"/declarations/{SLUG}/decisions/file",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("minutes\u202excod.exe", b"PK\x03\x04", DOCX)},
    )
    assert sent.status_code == 422 and "is not a .docx file" in sent.text
    refused = events(app, "accord.decision.refused")
    assert [(e.actor, e.payload["by"]) for e in refused] == [
        ("ES", account_id(app, "es@example.org"))
    ]


def test_reminders_and_the_seal_name_the_account_and_the_history_links_resolve(
    app: App, clock: factories.Clock
) -> None:
    from flows.usecases.replay import replay

    desk = person(app, clock, "desk@example.org", AccountRole.SECRETARIAT)
    board = desk.get(f"/declarations/{SLUG}/dashboard")
    reminded = desk.post(f"/declarations/{SLUG}/reminders", data={"csrf": csrf_of(board.text)})
    assert reminded.status_code == 200 and "reminders sent to 2 parties" in reminded.text
    sealed = desk.post(f"/declarations/{SLUG}/archive", data={"csrf": csrf_of(board.text)})
    assert sealed.status_code == 200 and "sealed at event" in sealed.text, sealed.text[-1500:]
    by = account_id(app, "desk@example.org")
    assert [e.payload["by"] for e in events(app, "accord.round.reminder-sent")] == [by]
    assert [e.payload["by"] for e in events(app, "accord.declaration.archived")] == [by]
    with app.store.reading() as uow:
        logged = len(uow.log(uow.repo.declaration(SLUG)))
    assert (
        replay(app, SLUG).events == logged
    )  # the reminder as recorded, the seal again with its account

    auditor = person(app, clock, "audit@example.org", AccountRole.AUDITOR)
    history = auditor.get(f"/declarations/{SLUG}/history").text
    assert f'<span class="tag" title="the portal\'s account that acted">{by}</span>' in history
    links = re.findall(r'<a href="(documents/[^"]+)"', history)
    assert len(links) >= 4  # the zero draft twice, two submissions
    for link in links:  # relative to the history page, as in the bundle
        got = auditor.get(f"/declarations/{SLUG}/{link}")
        assert got.status_code == 200 and got.content[:2] == b"PK", link
    austria = person(app, clock, "at@example.org", AccountRole.DELEGATE, "AT")
    mine = [link for link in links if "/submissions/" in link and "-AT-" in link]
    theirs = [link for link in links if "/submissions/" in link and "-BE-" in link]
    circulated = [link for link in links if link.startswith("documents/versions/")]
    assert mine and theirs and circulated
    for link, status in ((mine[0], 200), (circulated[0], 200), (theirs[0], 403)):
        assert austria.get(f"/declarations/{SLUG}/{link}").status_code == status, link
    missing = auditor.get(f"/declarations/{SLUG}/documents/accord.db")  # the log names it not
    assert missing.status_code == 404
    with app.store.reading() as uow:
        refused = [e for e in uow.accounts.security_log() if e.kind == "access.refused"]
    assert len(refused) == 1 and "-BE-" in refused[0].detail
