"""Accounts, invitations, API tokens, web sessions and the security log, returned as domain values.

Every secret arrives here already hashed (the sha256 of a random token, an argon2id password hash): this module
never sees a token or a password, so nothing it stores or logs can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafting.access import AccountRole, Membership, Principal
from drafting.canonical import canonical_json
from drafting.errors import InvalidInput, NotFound
from storage.schema import (
    AccountRow,
    ApiTokenRow,
    DeclarationRow,
    InvitationRow,
    MembershipRow,
    PartyRow,
    SecurityEventRow,
    SessionRow,
)


@dataclass(frozen=True)
class Account:
    """A person's account as the portal sees it."""

    id: int
    email: str
    role: AccountRole
    disabled: bool
    has_password: bool
    memberships: frozenset[Membership]

    @property
    def principal(self) -> Principal:
        """This account as the one acting (``account:ID`` in the log)."""
        return Principal(by=f"account:{self.id}", role=self.role, memberships=self.memberships)


@dataclass(frozen=True)
class ApiToken:
    """An API token (never its secret): the party and declaration it acts for."""

    id: int
    membership: Membership
    party_role: str
    created_at: str
    revoked_at: str | None

    @property
    def principal(self) -> Principal:
        """This token as the one acting (``token:ID`` in the log)."""
        role = AccountRole.CO_PRESIDENCY if self.party_role == "co-presidency" else AccountRole.DELEGATE
        return Principal(by=f"token:{self.id}", role=role, memberships=frozenset({self.membership}))


def normal_email(email: str) -> str:
    """An address as stored and compared: trimmed, lower case; refused when it is plainly not an address."""
    email = email.strip().lower()
    if email.count("@") != 1 or email.startswith("@") or email.endswith("@") or any(c.isspace() for c in email):
        raise InvalidInput(f"{email!r} is not an e-mail address; give one such as delegate@example.org")
    return email


def _party(session: Session, slug: str, code: str) -> PartyRow:
    row = session.scalar(
        select(PartyRow).join(DeclarationRow, DeclarationRow.id == PartyRow.declaration_id)
        .where(DeclarationRow.slug == slug, PartyRow.code == code)
    )
    if row is None:
        raise NotFound(f"{code!r} is not a party to declaration {slug!r}; check both in `accord status {slug}`")
    return row


def _memberships(session: Session, account_id: int) -> frozenset[Membership]:
    rows = session.execute(
        select(DeclarationRow.slug, PartyRow.code)
        .join(PartyRow, PartyRow.declaration_id == DeclarationRow.id)
        .join(MembershipRow, MembershipRow.party_id == PartyRow.id)
        .where(MembershipRow.account_id == account_id)
    )
    return frozenset(Membership(declaration=slug, party=code) for slug, code in rows)


def _account(session: Session, row: AccountRow) -> Account:
    return Account(id=row.id, email=row.email, role=AccountRole(row.role), disabled=row.disabled,
                   has_password=row.password_hash is not None, memberships=_memberships(session, row.id))


def add_account(session: Session, email: str, role: AccountRole, created_at: str) -> Account:
    """A new account without a password (it gets one through its invitation)."""
    email = normal_email(email)
    if session.scalar(select(AccountRow).where(AccountRow.email == email)) is not None:
        raise InvalidInput(f"{email} already has an account; `accord user list` shows it")
    row = AccountRow(email=email, role=role.value, disabled=False, created_at=created_at)
    session.add(row)
    session.flush()
    return _account(session, row)


def add_membership(session: Session, account_id: int, slug: str, code: str) -> None:
    """Let an account act for a party in a declaration."""
    session.add(MembershipRow(account_id=account_id, party_id=_party(session, slug, code).id))
    session.flush()


def find_account(session: Session, email: str) -> Account | None:
    """The account of an address, if any."""
    row = session.scalar(select(AccountRow).where(AccountRow.email == email.strip().lower()))
    return None if row is None else _account(session, row)


def account(session: Session, account_id: int) -> Account:
    """An account by id."""
    row = session.get(AccountRow, account_id)
    if row is None:
        raise NotFound(f"account {account_id} does not exist")
    return _account(session, row)


def accounts(session: Session) -> list[Account]:
    """Every account, by address."""
    return [_account(session, row) for row in session.scalars(select(AccountRow).order_by(AccountRow.email))]


def password_hash(session: Session, account_id: int) -> str | None:
    """The stored argon2id hash of an account's password."""
    row = session.get(AccountRow, account_id)
    return None if row is None else row.password_hash


def totp_secret(session: Session, account_id: int) -> str | None:
    """The account's TOTP secret (base32), if it has a second factor."""
    row = session.get(AccountRow, account_id)
    return None if row is None else row.totp_secret


def set_totp_secret(session: Session, account_id: int, secret: str) -> None:
    """Give an account its TOTP secret (made with its invitation)."""
    row = session.get(AccountRow, account_id)
    assert row is not None
    row.totp_secret = secret


def set_password_hash(session: Session, account_id: int, hashed: str) -> None:
    """Store a new password hash (on accepting an invitation, or rehashing with newer parameters)."""
    row = session.get(AccountRow, account_id)
    assert row is not None
    row.password_hash = hashed


def disable_account(session: Session, email: str, at: str) -> Account:
    """Disable an account and revoke its sessions."""
    row = session.scalar(select(AccountRow).where(AccountRow.email == normal_email(email)))
    if row is None:
        raise NotFound(f"{email} has no account; `accord user list` shows the accounts")
    row.disabled = True
    revoke_sessions(session, row.id, at)
    return _account(session, row)


def add_invitation(session: Session, account_id: int, token_sha256: str, created_at: str, expires_at: str) -> None:
    """A one-time invitation, stored by the hash of its token."""
    session.add(InvitationRow(account_id=account_id, token_sha256=token_sha256, created_at=created_at,
                              expires_at=expires_at))
    session.flush()


def open_invitation(session: Session, token_sha256: str, now: str) -> Account | None:
    """The account an unused, unexpired invitation is for (None otherwise)."""
    row = session.scalar(select(InvitationRow).where(InvitationRow.token_sha256 == token_sha256))
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    found = account(session, row.account_id)
    return None if found.disabled else found


def use_invitation(session: Session, token_sha256: str, now: str) -> None:
    """Mark an invitation used (it works once)."""
    row = session.scalar(select(InvitationRow).where(InvitationRow.token_sha256 == token_sha256))
    assert row is not None
    row.used_at = now


def add_token(session: Session, token_sha256: str, slug: str, code: str, created_at: str) -> ApiToken:
    """An API token for a party in a declaration, stored by its hash."""
    row = ApiTokenRow(token_sha256=token_sha256, party_id=_party(session, slug, code).id, created_at=created_at)
    session.add(row)
    session.flush()
    return _token(session, row)


def _token(session: Session, row: ApiTokenRow) -> ApiToken:
    party = session.get(PartyRow, row.party_id)
    assert party is not None
    declaration = session.get(DeclarationRow, party.declaration_id)
    assert declaration is not None
    return ApiToken(id=row.id, membership=Membership(declaration=declaration.slug, party=party.code),
                    party_role=party.role, created_at=row.created_at, revoked_at=row.revoked_at)


def live_token(session: Session, token_sha256: str) -> ApiToken | None:
    """The unrevoked token with this hash, if any."""
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_sha256 == token_sha256,
                                                   ApiTokenRow.revoked_at.is_(None)))
    return None if row is None else _token(session, row)


def revoke_token(session: Session, token_id: int, at: str) -> ApiToken:
    """Revoke a token by id (idempotent)."""
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise NotFound(f"token {token_id} does not exist; `accord token list` shows the tokens")
    row.revoked_at = row.revoked_at or at
    return _token(session, row)


def tokens(session: Session) -> list[ApiToken]:
    """Every token, oldest first."""
    return [_token(session, row) for row in session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))]


def add_session(session: Session, token_sha256: str, account_id: int, csrf: str, now: str) -> None:
    """A signed-in browser session, stored by the hash of its cookie."""
    session.add(SessionRow(token_sha256=token_sha256, account_id=account_id, csrf=csrf, created_at=now, seen_at=now))
    session.flush()


def live_session(session: Session, token_sha256: str, idle_since: str, now: str) -> tuple[Account, str] | None:
    """The account and CSRF token of a session seen after ``idle_since`` and not revoked; touches it."""
    row = session.scalar(select(SessionRow).where(SessionRow.token_sha256 == token_sha256,
                                                  SessionRow.revoked_at.is_(None)))
    if row is None or row.seen_at <= idle_since:
        return None
    found = account(session, row.account_id)
    if found.disabled:
        return None
    row.seen_at = now
    return found, row.csrf


def revoke_sessions(session: Session, account_id: int, at: str) -> None:
    """End every session of an account (its password changed)."""
    for row in session.scalars(select(SessionRow).where(SessionRow.account_id == account_id,
                                                        SessionRow.revoked_at.is_(None))):
        row.revoked_at = at


def revoke_session(session: Session, token_sha256: str, at: str) -> None:
    """Sign a session out."""
    for row in session.scalars(select(SessionRow).where(SessionRow.token_sha256 == token_sha256)):
        row.revoked_at = row.revoked_at or at


def log_security(session: Session, kind: str, at: str, *, email: str | None = None, address: str | None = None,
                 **detail: Any) -> None:
    """Record a sign-in, failure, invitation, reset, role change or refusal."""
    session.add(SecurityEventRow(occurred_at=at, kind=kind, email=email, address=address,
                                 detail=canonical_json(detail)))
    session.flush()


def security_log(session: Session) -> list[tuple[str, str, str | None, str | None, str]]:
    """The security log, oldest first: (time, kind, e-mail, address, detail JSON)."""
    rows = session.execute(select(SecurityEventRow.occurred_at, SecurityEventRow.kind, SecurityEventRow.email,
                                  SecurityEventRow.address, SecurityEventRow.detail).order_by(SecurityEventRow.id))
    return [(at, kind, email, address, detail) for at, kind, email, address, detail in rows]


def details_since(session: Session, kinds: tuple[str, ...], since: str, *, email: str) -> list[dict[str, Any]]:
    """The details of an account's ``kinds`` events after ``since`` (e.g. the TOTP steps its sign-ins used)."""
    import json

    rows = session.scalars(select(SecurityEventRow.detail).where(
        SecurityEventRow.kind.in_(kinds), SecurityEventRow.occurred_at > since, SecurityEventRow.email == email))
    return [json.loads(detail) for detail in rows]


def failures_since(session: Session, kind: str, since: str, *, email: str | None, address: str | None) -> int:
    """How many ``kind`` events an address or an account has had after ``since`` (the larger of the two)."""
    counts = []
    for column, value in ((SecurityEventRow.email, email), (SecurityEventRow.address, address)):
        if value:
            counts.append(session.scalar(
                select(func.count()).select_from(SecurityEventRow)
                .where(SecurityEventRow.kind == kind, SecurityEventRow.occurred_at > since, column == value)
            ) or 0)
    return max(counts, default=0)

