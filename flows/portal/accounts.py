"""Account use cases shared by the CLI and the portal: invite, accept, sign in and out, tokens, disable.

Each is one transaction with its line in the security log. Secrets (invitation links, API tokens, session cookies)
are returned once to the caller and stored only as their sha256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from drafting.access import (
    INVITATION_HOURS,
    LOCKOUT_MINUTES,
    MAX_FAILURES,
    SECOND_FACTOR_ROLES,
    SESSION_IDLE_HOURS,
    AccountRole,
    Principal,
    check_account_scope,
    password_problem,
)
from drafting.errors import Forbidden, InvalidInput
from flows.bootstrap import App, iso
from flows.portal.secrets import (
    check_password,
    common_passwords,
    hash_password,
    new_token,
    new_totp_secret,
    token_hash,
    totp_step,
)
from storage import UnitOfWork
from storage.accounts import Account, ApiToken

SIGN_IN_FAILED = "sign-in.failed"
# A session's last use is kept to the minute (its 8 idle hours may end up to a minute early): a page writes it at
# most once a minute, so pages read while uploads are written do not queue for the writers' lock.
SESSION_TOUCH_SECONDS = 60


@dataclass(frozen=True)
class Invitation:
    account: Account
    token: str  # shown once: the link carries it
    expires_at: str


@dataclass(frozen=True)
class SignedIn:
    account: Account
    cookie: str  # the session's secret, for the browser's cookie only
    csrf: str


def later(app: App, **delta: float) -> str:
    """The time ``delta`` from now, as stored."""
    return iso(app.clock() + timedelta(**delta))


_later = later


def invite(
    app: App,
    email: str,
    role: AccountRole,
    *,
    party: str | None = None,
    declaration: str | None = None,
    by: str = "cli",
) -> Invitation:
    """Create an account and its one-time invitation (valid 72 hours)."""
    check_account_scope(role, party, declaration)
    token, now, expires = new_token(), app.now(), _later(app, hours=INVITATION_HOURS)

    def work(uow: UnitOfWork) -> Account:
        created = uow.accounts.add_account(email, role, now)
        if party and declaration:
            uow.accounts.add_membership(created.id, declaration, party)
        uow.accounts.add_invitation(created.id, token_hash(token), now, expires)
        if (
            role in SECOND_FACTOR_ROLES
        ):  # enrolled with the invitation: the code confirms it when accepting
            uow.accounts.set_totp_secret(created.id, new_totp_secret())
        uow.accounts.log(
            "invitation.created",
            now,
            email=created.email,
            by=by,
            role=role.value,
            party=party,
            declaration=declaration,
        )
        return uow.accounts.get(created.id)

    created, _ = app.store.transaction(work)
    return Invitation(account=created, token=token, expires_at=expires)


def invitation_account(app: App, token: str) -> Account | None:
    """Whose invitation this is, while it is unused and unexpired (a reset code, for an account with a password
    already, is not an invitation)."""
    with app.store.reading() as uow:
        invited = uow.accounts.open_invitation(token_hash(token), app.now())
    return None if invited is None or invited.has_password else invited


def invitation_totp(app: App, token: str) -> str | None:
    """The TOTP secret to enrol with an open invitation (None for roles without a second factor)."""
    with app.store.reading() as uow:
        invited = uow.accounts.open_invitation(token_hash(token), app.now())
        # an account with a password is being reset, not enrolled: its second factor is never shown again
        return (
            None
            if invited is None or invited.has_password
            else uow.accounts.totp_secret(invited.id)
        )


def accept(
    app: App, token: str, password: str, *, code: str = "", address: str | None = None
) -> Account:
    """Set the password of an invited account (with the authenticator's code where the role needs a second
    factor); the invitation then no longer works."""
    problem = password_problem(password, common_passwords())
    if problem:
        raise InvalidInput(problem)
    hashed, now = hash_password(password), app.now()

    def work(uow: UnitOfWork) -> Account:
        invited = uow.accounts.open_invitation(token_hash(token), now)
        if (
            invited is None or invited.has_password
        ):  # a reset code is typed on /reset, not taken as a link
            raise Forbidden(
                "this invitation is unknown, used or expired; ask the secretariat for a new one"
            )
        secret = uow.accounts.totp_secret(invited.id)
        step = totp_step(secret, code, app.clock()) if secret else None
        if secret and step is None:
            raise InvalidInput(
                "the code is not the one your authenticator app shows now for accord: add the key "
                "shown on this page to the app, then type the 6 digits it shows"
            )
        if step is not None and not spend_step(uow, invited, step, now):
            raise InvalidInput(
                "this code has been used already: wait for the next one, then type it"
            )
        uow.accounts.use_invitation(token_hash(token), now)
        uow.accounts.set_password_hash(invited.id, hashed)
        uow.accounts.log(
            "invitation.accepted", now, email=invited.email, address=address, **_step(step)
        )
        return uow.accounts.get(invited.id)

    return app.store.transaction(work)[0]


def _step(step: int | None) -> dict[str, int]:
    return {} if step is None else {"totp_step": step}


def locked(app: App, email: str, address: str | None, *, kind: str = SIGN_IN_FAILED) -> bool:
    """Whether an account or address has failed to sign in (or ``kind``) 5 times in the last 15 minutes."""
    since = _later(app, minutes=-LOCKOUT_MINUTES)
    with app.store.reading() as uow:
        count = uow.accounts.failures_since(
            kind, since, email=email.strip().lower(), address=address
        )
    return count >= MAX_FAILURES


def sign_in(
    app: App, email: str, password: str, *, code: str = "", address: str | None = None
) -> SignedIn | None:
    """A new session for the right password (and TOTP code, where the account has one) of an enabled, unlocked
    account; None (and a logged failure) else."""
    email = email.strip().lower()
    if locked(app, email, address):
        _log(app, "sign-in.throttled", email=email, address=address)
        return None
    with app.store.reading() as uow:
        found = uow.accounts.find(email)
        hashed = uow.accounts.password_hash(found.id) if found else None
        secret = uow.accounts.totp_secret(found.id) if found else None
    if not check_password(hashed, password) or found is None or found.disabled:
        _log(app, SIGN_IN_FAILED, email=email, address=address)
        return None
    step = totp_step(secret, code, app.clock()) if secret else None
    if secret and step is None:
        _log(app, SIGN_IN_FAILED, email=email, address=address, reason="second factor")
        return None
    cookie, csrf, now = new_token(), new_token(), app.now()

    def work(uow: UnitOfWork) -> bool:
        if step is not None and not spend_step(uow, found, step, now):
            return False
        uow.accounts.add_session(token_hash(cookie), found.id, csrf, now)
        uow.accounts.log("sign-in", now, email=email, address=address, **_step(step))
        return True

    if not app.store.transaction(work)[0]:
        _log(app, SIGN_IN_FAILED, email=email, address=address, reason="second factor reused")
        return None
    return SignedIn(account=found, cookie=cookie, csrf=csrf)


def spend_step(uow: UnitOfWork, account: Account, step: int, now: str) -> bool:
    """Spend a TOTP step that is to let the account in; False when it already did: a code is good once (one seen
    over a shoulder, or replayed from a proxy's log, within its window is refused). The database holds each
    account's step once, so two sign-ins racing with one code cannot both pass."""
    if uow.accounts.totp_step_used(account.id, step):
        return False
    uow.accounts.use_totp_step(account.id, step, now)
    return True


def session_account(app: App, cookie: str) -> tuple[Account, str] | None:
    """The account and CSRF token of a live session (8 hours idle ends it); touches the session when it was last
    seen more than a minute ago."""
    hashed, now, idle_since = token_hash(cookie), app.now(), _later(app, hours=-SESSION_IDLE_HOURS)
    with app.store.reading() as uow:
        found = uow.accounts.session_seen(hashed, idle_since)
    if found is None:
        return None
    if found.seen_at < _later(app, seconds=-SESSION_TOUCH_SECONDS):
        app.store.transaction(lambda uow: uow.accounts.touch_session(hashed, now))
    return found.account, found.csrf


def sign_out(app: App, cookie: str) -> None:
    """Revoke a session."""
    now = app.now()
    app.store.transaction(lambda uow: uow.accounts.revoke_session(token_hash(cookie), now))


def disable(app: App, email: str, *, by: str = "cli") -> Account:
    """Disable an account: it can no longer sign in, and its sessions end now."""
    now = app.now()

    def work(uow: UnitOfWork) -> Account:
        disabled = uow.accounts.disable(email, now)
        uow.accounts.log("account.disabled", now, email=disabled.email, by=by)
        return disabled

    return app.store.transaction(work)[0]


def create_token(
    app: App, declaration: str, party: str, *, by: str = "cli"
) -> tuple[ApiToken, str]:
    """A new API token for a party in a declaration, and its secret (shown once)."""
    secret, now = new_token(), app.now()

    def work(uow: UnitOfWork) -> ApiToken:
        created = uow.accounts.add_token(token_hash(secret), declaration, party, now)
        uow.accounts.log(
            "token.created", now, token=created.id, party=party, declaration=declaration, by=by
        )
        return created

    return app.store.transaction(work)[0], secret


def revoke_token(app: App, token_id: int, *, by: str = "cli") -> ApiToken:
    """Revoke an API token: it answers 401 from now on."""
    now = app.now()

    def work(uow: UnitOfWork) -> ApiToken:
        revoked = uow.accounts.revoke_token(token_id, now)
        uow.accounts.log("token.revoked", now, token=token_id, by=by)
        return revoked

    return app.store.transaction(work)[0]


def token_principal(app: App, secret: str) -> Principal | None:
    """Who an API token acts as, while it is not revoked."""
    with app.store.reading() as uow:
        found = uow.accounts.live_token(token_hash(secret))
    return None if found is None else found.principal


def log_event(app: App, kind: str, **fields: str | None) -> None:
    """One line of the security log in a transaction of its own."""
    _log(app, kind, **fields)


def _log(app: App, kind: str, **fields: str | None) -> None:
    now = app.now()
    email, address = fields.pop("email", None), fields.pop("address", None)
    app.store.transaction(
        lambda uow: uow.accounts.log(kind, now, email=email, address=address, **fields)
    )


def log_action(app: App, principal: Principal, what: str, **detail: str | int | None) -> None:
    """An action taken in the portal, with who took it, in the security log."""
    _log(
        app,
        "portal.action",
        by=principal.by,
        what=what,
        **{k: None if v is None else str(v) for k, v in detail.items()},
    )


def log_refusal(app: App, principal: Principal, what: str, address: str | None = None) -> None:
    """A refused request (403) in the security log, with who asked."""
    _log(app, "access.refused", address=address, by=principal.by, what=what)
