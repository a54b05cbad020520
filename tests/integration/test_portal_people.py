"""Password reset by an e-mailed one-time code (the outbox letter without SMTP, the Mailer port with it), and a
head of delegation adding and disabling its own delegation's delegates."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient

from drafting.access import AccountRole
from flows.adapters.mail import Mail, Sent
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.portal.app import create_app
from flows.publish import NullPublisher
from tests import factories

SLUG = factories.SLUG
PASSWORD, NEW = "a long and unusual passphrase", "another long passphrase, new"


class Letters:
    """A Mailer that keeps what it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> Sent:
        self.sent.append(mail)
        return Sent("mailed")


@pytest.fixture
def app(tmp_path: Path, clock: factories.Clock) -> App:
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    factories.open_declaration(app, n=6)
    return app


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def member(app: App, email: str, role: AccountRole, party: str | None = "AT") -> str:
    """An account with its password set; its TOTP secret where the role has one."""
    token = accounts.invite(
        app, email, role, party=party, declaration=SLUG if party else None
    ).token
    secret = accounts.invitation_totp(app, token) or ""
    accounts.accept(app, token, PASSWORD, code=pyotp.TOTP(secret).at(app.clock()) if secret else "")
    return secret


def ask(client: TestClient, email: str) -> str:
    page = client.post("/reset", data={"email": email, "csrf": csrf_of(client.get("/reset").text)})
    assert page.status_code == 200 and f"If {email.strip().lower()} has an account" in page.text
    return page.text


def code_in_outbox(app: App) -> str:
    letters = sorted(app.files.path("accounts", "outbox").glob("reset-*.txt"))
    found = re.search(r"Your one-time code: ([A-Z2-9-]+)", letters[-1].read_text(encoding="utf-8"))
    assert found
    return found.group(1)


def confirm(client: TestClient, page: str, email: str, code: str, totp: str = "") -> object:
    return client.post(
        "/reset/confirm",
        follow_redirects=False,
        data={
            "email": email,
            "code": code,
            "password": NEW,
            "again": NEW,
            "totp": totp,
            "csrf": csrf_of(page),
        },
    )


def test_a_delegate_resets_the_password_with_the_code_from_the_outbox(app: App) -> None:
    member(app, "at@example.org", AccountRole.DELEGATE)
    old = accounts.sign_in(app, "at@example.org", PASSWORD)
    assert old is not None
    client = TestClient(create_app(app))
    page = ask(client, "AT@example.org ")
    assert ask(client, "nobody@example.org")  # the same answer for an address without an account
    code = code_in_outbox(app)
    assert (
        client.get(f"/invitation/{code}").status_code == 404
    )  # a reset code is not an invitation link
    done = confirm(client, page, "at@example.org", code.lower().replace("-", " "))
    assert done.status_code == 303 and done.headers["location"] == "/sign-in?note=reset"
    assert (
        accounts.session_account(app, old.cookie) is None
    )  # the sessions before the reset end with it
    assert accounts.sign_in(app, "at@example.org", PASSWORD) is None
    assert accounts.sign_in(app, "at@example.org", NEW) is not None
    again = confirm(client, page, "at@example.org", code)
    assert (
        again.status_code == 422 and "unknown, used or expired" in again.text
    )  # the code works once
    with app.store.reading() as uow:
        kinds = [
            kind
            for _, kind, email, _, _ in uow.accounts.security_log()
            if email == "at@example.org"
        ]
    assert kinds[-1] == "reset.failed" and kinds.index("reset.requested") < kinds.index(
        "reset.done"
    )


def test_wrong_codes_are_throttled_and_a_code_expires(app: App, clock: factories.Clock) -> None:
    member(app, "at@example.org", AccountRole.DELEGATE)
    client = TestClient(create_app(app))
    page = ask(client, "at@example.org")
    code = code_in_outbox(app)
    for _ in range(5):
        assert confirm(client, page, "at@example.org", "AAAA-BBBB-CCCC").status_code == 422
    locked = confirm(client, page, "at@example.org", code)
    assert locked.status_code == 422 and "too many wrong codes" in locked.text
    clock.advance(minutes=31)  # the lock has passed, and so has the code's half hour
    assert "unknown, used or expired" in confirm(client, page, "at@example.org", code).text


def test_a_co_presidency_resets_with_its_authenticator_code_too_and_the_code_comes_by_mail(
    app: App, clock: factories.Clock
) -> None:
    app.mail = letters = Letters()
    secret = member(app, "es@example.org", AccountRole.CO_PRESIDENCY, "ES")
    client = TestClient(create_app(app))
    page = ask(client, "es@example.org")
    assert [mail.to for mail in letters.sent] == ["es@example.org"]
    code = re.search(r"code: ([A-Z2-9-]+)", letters.sent[0].body)
    assert code and not list(app.files.path("accounts", "outbox").glob("*"))
    without = confirm(client, page, "es@example.org", code.group(1))
    assert without.status_code == 422
    clock.advance(seconds=31)
    assert (
        confirm(
            client, page, "es@example.org", code.group(1), totp=pyotp.TOTP(secret).at(clock.moment)
        ).status_code
        == 303
    )


def test_a_head_of_delegation_adds_and_disables_only_its_own_delegates(
    app: App, clock: factories.Clock
) -> None:
    app.mail = letters = Letters()
    member(app, "head@example.org", AccountRole.HEAD_OF_DELEGATION)
    member(app, "be@example.org", AccountRole.DELEGATE, "BE")
    signed = accounts.sign_in(app, "head@example.org", PASSWORD)
    assert signed is not None
    head = TestClient(create_app(app))
    head.cookies.set("accord_session", signed.cookie)
    page = head.get(f"/declarations/{SLUG}/delegates")
    assert page.status_code == 200 and "head@example.org" in page.text
    added = head.post(
        f"/declarations/{SLUG}/delegates",
        data={"email": "at2@example.org", "csrf": csrf_of(page.text)},
    )
    assert added.status_code == 201 and "at2@example.org invited (mailed)" in added.text
    assert letters.sent[-1].to == "at2@example.org" and "/invitation/" in letters.sent[-1].body
    with app.store.reading() as uow:
        invited = uow.accounts.find("at2@example.org")
    assert invited is not None and invited.role is AccountRole.DELEGATE
    assert {(m.declaration, m.party) for m in invited.memberships} == {(SLUG, "AT")}
    other = head.post(
        f"/declarations/{SLUG}/delegates/disable",
        data={"email": "be@example.org", "csrf": csrf_of(page.text)},
    )
    assert other.status_code == 403
    itself = head.post(
        f"/declarations/{SLUG}/delegates/disable",
        data={"email": "head@example.org", "csrf": csrf_of(page.text)},
    )
    assert itself.status_code == 403
    done = head.post(
        f"/declarations/{SLUG}/delegates/disable",
        data={"email": "at2@example.org", "csrf": csrf_of(page.text)},
    )
    assert done.status_code == 200 and "at2@example.org disabled" in done.text
    with app.store.reading() as uow:
        log = uow.accounts.security_log()
        assert uow.accounts.find("be@example.org").disabled is False  # type: ignore[union-attr]
    head_id = f"account:{signed.account.id}"
    assert any(
        kind == "account.disabled" and f'"by":"{head_id}"' in detail
        for _, kind, _, _, detail in log
    )
    assert any(
        kind == "invitation.created" and f'"by":"{head_id}"' in detail
        for _, kind, _, _, detail in log
    )
