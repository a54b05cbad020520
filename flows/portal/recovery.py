"""Password reset by an e-mailed one-time code, and invitations mailed when SMTP is set.

A reset is an invitation to an account that already has a password: one-time, stored by its sha256, valid
RESET_MINUTES. It goes by mail through the Mailer port (SMTP), or, with no SMTP settings, as a letter in the
accounts' outbox folder under the home, as the other notices do. Asking never says whether an address has an
account; confirming is throttled like signing in, and the second factor is asked again where the role has one.
"""

from __future__ import annotations

import secrets

from drafting.access import password_problem
from drafting.errors import Forbidden, InvalidInput
from flows.adapters.files import confine
from flows.adapters.mail import Mail, NoMailer
from flows.bootstrap import App
from flows.portal import accounts
from flows.portal.secrets import common_passwords, hash_password, token_hash, totp_step
from storage import UnitOfWork
from storage.accounts import Account

RESET_MINUTES = 30
RESET_FAILED = "reset.failed"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from a mail and typed


def new_code() -> str:
    """A one-time code a person types: 12 characters (60 bits) in groups of four."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normal_code(code: str) -> str:
    """A code as typed (any case, with or without dashes and spaces) as it was made."""
    raw = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def deliver(app: App, email: str, subject: str, body: str, note: str) -> str:
    """Mail a letter to an account (SMTP), or put it in the accounts' outbox folder; how it went."""
    mailer = app.mailer
    if not isinstance(mailer, NoMailer):
        sent = mailer.send(Mail(to=email, subject=subject, body=body))
        if sent.ok:
            return sent.outcome
    folder = app.files.path("accounts", "outbox")
    app.files.write(confine(folder, note), body.encode("utf-8"))
    return f"in {folder}"


def request_reset(app: App, email: str, *, address: str | None = None, portal: str = "") -> None:
    """Send a reset code to the address if it has an enabled account with a password; else nothing, and the
    caller says the same either way."""
    email = email.strip().lower()
    with app.store.reading() as uow:
        found = uow.accounts.find(email)
    if found is None or found.disabled or not found.has_password:
        accounts.log_event(app, "reset.requested", email=email, address=address, known="no")
        return
    code, now = new_code(), app.now()

    def work(uow: UnitOfWork) -> None:
        uow.accounts.add_invitation(
            found.id, token_hash(code), now, accounts.later(app, minutes=RESET_MINUTES)
        )
        uow.accounts.log("reset.requested", now, email=email, address=address, known="yes")

    app.store.transaction(work)
    body = (
        f"Someone (we hope you) asked to reset the password of {email} on accord.\n\n"
        f"Your one-time code: {code}\nIt works once, for {RESET_MINUTES} minutes, on {portal}/reset.\n\n"
        "If you did not ask, ignore this letter: your password stays as it is.\n"
    )
    deliver(
        app,
        email,
        "accord: your password reset code",
        body,
        f"reset-{found.id}-{now[:19].replace(':', '')}.txt",
    )


def _checked_password(app: App, email: str, password: str, address: str | None) -> None:
    """Refuse a locked-out address (too many wrong codes), then a password the rules refuse."""
    if accounts.locked(app, email, address, kind=RESET_FAILED):
        raise Forbidden("too many wrong codes: wait 15 minutes, then ask for a new code")
    problem = password_problem(password, common_passwords())
    if problem:
        raise InvalidInput(problem)


def _second_factor(
    app: App, uow: UnitOfWork, found: Account, totp: str, now: str
) -> tuple[bool, int | None]:
    """Whether the authenticator's code passes (always, where the account has no second factor), and its step."""
    secret = uow.accounts.totp_secret(found.id)
    step = totp_step(secret, totp, app.clock()) if secret else None
    if secret and (step is None or not accounts.spend_step(uow, found, step, now)):
        return False, step
    return True, step


def reset(
    app: App, email: str, code: str, password: str, *, totp: str = "", address: str | None = None
) -> None:
    """Set a new password with a reset code (and the authenticator's code where the role has a second factor);
    the code then no longer works and every session of the account ends."""
    email = email.strip().lower()
    _checked_password(app, email, password, address)
    hashed, now, digest = hash_password(password), app.now(), token_hash(normal_code(code))

    def work(uow: UnitOfWork) -> str:
        found = uow.accounts.open_invitation(digest, now)
        if found is None or found.email != email or not found.has_password:
            return "code"
        passed, step = _second_factor(app, uow, found, totp, now)
        if not passed:
            return "second factor"
        uow.accounts.use_invitation(digest, now)
        uow.accounts.set_password_hash(found.id, hashed)
        uow.accounts.revoke_sessions(found.id, now)
        totp_used = {} if step is None else {"totp_step": step}
        uow.accounts.log("reset.done", now, email=email, address=address, **totp_used)
        return ""

    _refused_if(app, app.store.transaction(work)[0], email, address)


def _refused_if(app: App, failed: str, email: str, address: str | None) -> None:
    """Log a failed reset (``failed`` says which check) and refuse it in words; nothing when it passed."""
    if failed:
        accounts.log_event(app, RESET_FAILED, email=email, address=address, reason=failed)
        raise InvalidInput(
            "this code is unknown, used or expired for this address, or the authenticator's code "
            "is wrong: check both, or ask for a new code"
        )


def mail_invitation(app: App, invitation: accounts.Invitation, link: str) -> str | None:
    """Mail an invitation's link when SMTP is set (None: no SMTP, the link is only printed)."""
    if isinstance(app.mailer, NoMailer):
        return None
    body = (
        f"You have an account on accord, the negotiation's portal, as {invitation.account.role}.\n\n"
        f"Choose your password here (the link works once, until {invitation.expires_at}):\n{link}\n"
    )
    sent = app.mailer.send(
        Mail(to=invitation.account.email, subject="accord: your invitation", body=body)
    )
    return sent.outcome
