"""Accounts in storage, on both backends: invitations, passwords, sign-in and throttling, sessions, tokens."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import exc as sa_exc

from drafting.access import AccountRole, Membership
from drafting.errors import Forbidden, InvalidInput, NotFound
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.publish import NullPublisher
from storage import UnitOfWork
from storage.accounts import Accounts
from tests import factories

PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: factories.Clock) -> App:
    """A declaration with six parties (round 1 open) and the test clock."""
    app = bootstrap(tmp_path / "home", url=database_url, clock=clock, publisher=NullPublisher())
    factories.open_declaration(app, n=6)
    return app


def security_kinds(app: App) -> list[str]:
    with app.store.reading() as uow:
        return [kind for _, kind, *_ in uow.accounts.security_log()]


def test_an_invited_delegate_sets_a_password_once_and_signs_in(app: App) -> None:
    invitation = accounts.invite(
        app, "Delegate@Mexico.example", AccountRole.DELEGATE, party="AT", declaration=factories.SLUG
    )
    assert invitation.account.email == "delegate@mexico.example"
    assert invitation.account.memberships == {Membership(factories.SLUG, "AT")}
    assert not invitation.account.has_password
    assert accounts.invitation_account(app, invitation.token) == invitation.account
    accepted = accounts.accept(app, invitation.token, PASSWORD, address="192.0.2.1")
    assert accepted.has_password
    with pytest.raises(Forbidden, match="unknown, used or expired"):
        accounts.accept(app, invitation.token, PASSWORD)
    signed = accounts.sign_in(app, "delegate@mexico.example", PASSWORD, address="192.0.2.1")
    assert signed is not None and signed.account.id == accepted.id
    assert accounts.session_account(app, signed.cookie) == (accepted, signed.csrf)
    accounts.sign_out(app, signed.cookie)
    assert accounts.session_account(app, signed.cookie) is None
    assert security_kinds(app) == ["invitation.created", "invitation.accepted", "sign-in"]


def test_no_secret_is_stored(app: App) -> None:
    invitation = accounts.invite(app, "a@b.example", AccountRole.AUDITOR)
    accounts.accept(app, invitation.token, PASSWORD)
    _, secret = accounts.create_token(app, factories.SLUG, "AT")
    signed = accounts.sign_in(app, "a@b.example", PASSWORD)
    assert signed is not None
    with app.store.engine.connect() as connection:
        dump = "\n".join(
            str(row)
            for table in ("accounts", "invitations", "api_tokens", "web_sessions", "security_log")
            for row in connection.exec_driver_sql(f"SELECT * FROM {table}")
        )
    for value in (invitation.token, secret, signed.cookie, PASSWORD):
        assert value not in dump
    assert "$argon2id$" in dump


def test_an_invitation_expires_after_72_hours(app: App, clock: factories.Clock) -> None:
    invitation = accounts.invite(
        app, "late@example.org", AccountRole.DELEGATE, party="AT", declaration=factories.SLUG
    )
    clock.advance(hours=72)
    assert accounts.invitation_account(app, invitation.token) is None
    with pytest.raises(Forbidden):
        accounts.accept(app, invitation.token, PASSWORD)


@pytest.mark.parametrize("password", ["short pass", "qwerty123456", "1Q2W3E4R5T6Y"])
def test_weak_passwords_are_refused(app: App, password: str) -> None:
    invitation = accounts.invite(app, "weak@example.org", AccountRole.AUDITOR)
    with pytest.raises(InvalidInput):
        accounts.accept(app, invitation.token, password)
    assert (
        accounts.invitation_account(app, invitation.token) is not None
    )  # still usable after a refusal


def test_five_failures_lock_the_account_for_15_minutes(app: App, clock: factories.Clock) -> None:
    accounts.accept(
        app, accounts.invite(app, "mx@example.org", AccountRole.AUDITOR).token, PASSWORD
    )
    for attempt in range(5):
        assert (
            accounts.sign_in(
                app, "mx@example.org", f"wrong {attempt}", address=f"198.51.100.{attempt}"
            )
            is None
        )
    assert (
        accounts.sign_in(app, "mx@example.org", PASSWORD, address="203.0.113.9") is None
    )  # right, but locked
    clock.advance(minutes=15)
    assert accounts.sign_in(app, "mx@example.org", PASSWORD, address="203.0.113.9") is not None
    assert security_kinds(app).count("sign-in.failed") == 5
    assert "sign-in.throttled" in security_kinds(app)


def test_five_failures_from_one_address_lock_that_address(app: App) -> None:
    accounts.accept(
        app, accounts.invite(app, "fr@example.org", AccountRole.AUDITOR).token, PASSWORD
    )
    for attempt in range(5):
        assert (
            accounts.sign_in(
                app, f"nobody{attempt}@example.org", "guess guess guess", address="192.0.2.66"
            )
            is None
        )
    assert accounts.sign_in(app, "fr@example.org", PASSWORD, address="192.0.2.66") is None
    assert accounts.sign_in(app, "fr@example.org", PASSWORD, address="192.0.2.67") is not None


def test_a_session_ends_after_8_idle_hours_and_lives_while_used(
    app: App, clock: factories.Clock
) -> None:
    accounts.accept(
        app, accounts.invite(app, "es@example.org", AccountRole.AUDITOR).token, PASSWORD
    )
    signed = accounts.sign_in(app, "es@example.org", PASSWORD)
    assert signed is not None
    clock.advance(hours=7)
    assert accounts.session_account(app, signed.cookie) is not None
    clock.advance(hours=7)
    assert accounts.session_account(app, signed.cookie) is not None  # 7 h since it was last used
    clock.advance(hours=8)
    assert accounts.session_account(app, signed.cookie) is None


def test_disabling_an_account_ends_its_sessions_and_sign_ins(app: App) -> None:
    accounts.accept(
        app, accounts.invite(app, "bo@example.org", AccountRole.AUDITOR).token, PASSWORD
    )
    signed = accounts.sign_in(app, "bo@example.org", PASSWORD)
    assert signed is not None
    assert accounts.disable(app, "BO@example.org").disabled
    assert accounts.session_account(app, signed.cookie) is None
    assert accounts.sign_in(app, "bo@example.org", PASSWORD) is None


def test_tokens_act_for_their_party_until_revoked(app: App) -> None:
    token, secret = accounts.create_token(app, factories.SLUG, "ES")
    principal = accounts.token_principal(app, secret)
    assert principal is not None and principal.by == f"token:{token.id}"
    assert principal.role is AccountRole.CO_PRESIDENCY
    assert principal.memberships == {Membership(factories.SLUG, "ES")}
    accounts.revoke_token(app, token.id)
    assert accounts.token_principal(app, secret) is None
    assert accounts.token_principal(app, "not a token") is None


def test_unknown_parties_and_duplicate_accounts_are_refused(app: App) -> None:
    with pytest.raises(NotFound, match="'ZZ' is not a party"):
        accounts.create_token(app, factories.SLUG, "ZZ")
    with pytest.raises(NotFound):
        accounts.invite(
            app, "zz@example.org", AccountRole.DELEGATE, party="ZZ", declaration=factories.SLUG
        )
    accounts.invite(app, "one@example.org", AccountRole.AUDITOR)
    with pytest.raises(InvalidInput, match="already has an account"):
        accounts.invite(app, "ONE@example.org", AccountRole.AUDITOR)
    with pytest.raises(InvalidInput, match="not an e-mail address"):
        accounts.invite(app, "nobody", AccountRole.AUDITOR)


@pytest.mark.parametrize("role", [AccountRole.SECRETARIAT, AccountRole.CO_PRESIDENCY])
def test_the_secretariat_and_co_presidencies_need_their_authenticator_code(
    app: App, clock: factories.Clock, role: AccountRole
) -> None:
    party, slug = ("ES", factories.SLUG) if role is AccountRole.CO_PRESIDENCY else (None, None)
    invitation = accounts.invite(app, "chair@example.org", role, party=party, declaration=slug)
    secret = accounts.invitation_totp(app, invitation.token)
    assert secret is not None
    totp = pyotp.TOTP(secret)
    with pytest.raises(InvalidInput, match="authenticator app"):
        accounts.accept(app, invitation.token, PASSWORD)  # enrolment is confirmed by a code
    accounts.accept(app, invitation.token, PASSWORD, code=totp.at(clock.moment))
    assert accounts.sign_in(app, "chair@example.org", PASSWORD) is None
    assert accounts.sign_in(app, "chair@example.org", PASSWORD, code="not a code") is None
    clock.advance(minutes=5)
    assert (
        accounts.sign_in(
            app, "chair@example.org", PASSWORD, code=totp.at(clock.moment - timedelta(minutes=5))
        )
        is None
    )  # a code from five minutes ago
    assert (
        accounts.sign_in(app, "chair@example.org", PASSWORD, code=totp.at(clock.moment)) is not None
    )
    assert security_kinds(app).count("sign-in.failed") == 3


def test_delegates_and_auditors_have_no_second_factor(app: App) -> None:
    for role, party in (
        (AccountRole.DELEGATE, "AT"),
        (AccountRole.HEAD_OF_DELEGATION, "BE"),
        (AccountRole.AUDITOR, None),
    ):
        invitation = accounts.invite(
            app,
            f"{role}@example.org",
            role,
            party=party,
            declaration=factories.SLUG if party else None,
        )
        assert accounts.invitation_totp(app, invitation.token) is None


def test_an_authenticator_code_lets_in_once(app: App, clock: factories.Clock) -> None:
    """A code seen over a shoulder, or replayed, within its window is refused: the log keeps the steps used."""
    invitation = accounts.invite(app, "chair@example.org", AccountRole.SECRETARIAT)
    totp = pyotp.TOTP(accounts.invitation_totp(app, invitation.token))
    enrolment = totp.at(clock.moment)
    accounts.accept(app, invitation.token, PASSWORD, code=enrolment)
    assert accounts.sign_in(app, "chair@example.org", PASSWORD, code=enrolment) is None
    clock.advance(seconds=30)
    fresh = totp.at(clock.moment)
    assert accounts.sign_in(app, "chair@example.org", PASSWORD, code=fresh) is not None
    assert accounts.sign_in(app, "chair@example.org", PASSWORD, code=fresh) is None
    with app.store.reading() as uow:
        refused = [
            entry.detail for entry in uow.accounts.security_log() if entry.kind == "sign-in.failed"
        ]
    assert refused == ['{"reason":"second factor reused"}'] * 2


def test_an_authenticator_code_is_spent_once_in_the_database(app: App) -> None:
    """The used-code record is unique by account and step: the database itself refuses a second use."""
    invitation = accounts.invite(app, "chair@example.org", AccountRole.SECRETARIAT)
    account_id = invitation.account.id

    def spend_twice(uow: UnitOfWork) -> None:
        uow.accounts.use_totp_step(account_id, 59_000_000, "2026-11-28T09:00:00Z")
        uow.accounts.use_totp_step(account_id, 59_000_000, "2026-11-28T09:00:01Z")

    with pytest.raises(sa_exc.IntegrityError):
        app.store.transaction(spend_twice)
    app.store.transaction(
        lambda uow: uow.accounts.use_totp_step(account_id, 59_000_001, "2026-11-28T09:00:00Z")
    )
    with app.store.reading() as uow:
        assert uow.accounts.totp_step_used(account_id, 59_000_001)
        assert not uow.accounts.totp_step_used(
            account_id, 59_000_000
        )  # the failed pair left nothing


def test_two_sign_ins_racing_with_one_code_let_in_once_on_postgresql(
    postgres_database: str,
    engines: list[object],  # disposed at the end
    tmp_path: Path,
    clock: factories.Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both sign-ins read the code unused before either records it (under snapshot isolation neither sees the
    other's use); the unique record lets exactly one in, the other is refused as a reused code."""
    app = bootstrap(
        tmp_path / "home", url=postgres_database, clock=clock, publisher=NullPublisher()
    )
    invitation = accounts.invite(app, "chair@example.org", AccountRole.SECRETARIAT)
    totp = pyotp.TOTP(accounts.invitation_totp(app, invitation.token))
    accounts.accept(app, invitation.token, PASSWORD, code=totp.at(clock.moment))
    clock.advance(seconds=60)
    code = totp.at(clock.moment)
    both_read = threading.Barrier(2, timeout=20)
    checked = Accounts.totp_step_used

    def check_then_wait(self: Accounts, account_id: int, step: int) -> bool:
        used = checked(self, account_id, step)
        if not used and not both_read.broken:
            both_read.wait()  # the other sign-in has read it unused too
        return used

    monkeypatch.setattr(Accounts, "totp_step_used", check_then_wait)
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(
            pool.map(
                lambda _: accounts.sign_in(app, "chair@example.org", PASSWORD, code=code), range(2)
            )
        )
    assert not both_read.broken, "the two sign-ins did not both read the code as unused"
    assert sorted(outcome is None for outcome in outcomes) == [False, True]
    with app.store.reading() as uow:
        log = [(e.kind, e.detail) for e in uow.accounts.security_log()]
    assert log[-2:].count(("sign-in.failed", '{"reason":"second factor reused"}')) == 1
    assert [kind for kind, _ in log].count("sign-in") == 1
