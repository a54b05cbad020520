"""Accounts, invitations, API tokens, web sessions and the security log, returned as domain values.

Every secret arrives here already hashed (the sha256 of a random token, an argon2id password hash): this module
never sees a token or a password, so nothing it stores or logs can be replayed. The portal and the CLI reach it as
``uow.accounts`` (an ``Accounts`` bound to the unit of work's transaction): they never see a row or a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

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
    TotpUseRow,
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
        role = (
            AccountRole.CO_PRESIDENCY
            if self.party_role == "co-presidency"
            else AccountRole.DELEGATE
        )
        return Principal(by=f"token:{self.id}", role=role, memberships=frozenset({self.membership}))


class LiveSession(NamedTuple):
    """A signed-in session: whose, its CSRF token, and when it was last seen."""

    account: Account
    csrf: str
    seen_at: str


class SecurityEntry(NamedTuple):
    """One line of the security log: when, what, whose address, from where, and its details as canonical JSON."""

    at: str
    kind: str
    email: str | None
    address: str | None
    detail: str


def normal_email(email: str) -> str:
    """An address as stored and compared: trimmed, lower case; refused when it is plainly not an address."""
    email = email.strip().lower()
    if (
        email.count("@") != 1
        or email.startswith("@")
        or email.endswith("@")
        or any(c.isspace() for c in email)
    ):
        raise InvalidInput(
            f"{email!r} is not an e-mail address; give one such as delegate@example.org"
        )
    return email


class Accounts:
    """Accounts, invitations, tokens, web sessions and the security log inside one unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _party(self, slug: str, code: str) -> PartyRow:
        row = self._session.scalar(
            select(PartyRow)
            .join(DeclarationRow, DeclarationRow.id == PartyRow.declaration_id)
            .where(DeclarationRow.slug == slug, PartyRow.code == code)
        )
        if row is None:
            raise NotFound(
                f"{code!r} is not a party to declaration {slug!r}; check both in `accord status {slug}`"
            )
        return row

    def _memberships(self, account_id: int) -> frozenset[Membership]:
        rows = self._session.execute(
            select(DeclarationRow.slug, PartyRow.code)
            .join(PartyRow, PartyRow.declaration_id == DeclarationRow.id)
            .join(MembershipRow, MembershipRow.party_id == PartyRow.id)
            .where(MembershipRow.account_id == account_id)
        )
        return frozenset(Membership(declaration=slug, party=code) for slug, code in rows)

    def _account(self, row: AccountRow) -> Account:
        return Account(
            id=row.id,
            email=row.email,
            role=AccountRole(row.role),
            disabled=row.disabled,
            has_password=row.password_hash is not None,
            memberships=self._memberships(row.id),
        )

    def _row(self, account_id: int) -> AccountRow:
        row = self._session.get(AccountRow, account_id)
        if row is None:
            raise NotFound(f"account {account_id} does not exist")
        return row

    def add_account(self, email: str, role: AccountRole, created_at: str) -> Account:
        """A new account without a password (it gets one through its invitation)."""
        email = normal_email(email)
        if self._session.scalar(select(AccountRow).where(AccountRow.email == email)) is not None:
            raise InvalidInput(f"{email} already has an account; `accord user list` shows it")
        row = AccountRow(email=email, role=role.value, disabled=False, created_at=created_at)
        self._session.add(row)
        self._session.flush()
        return self._account(row)

    def add_membership(self, account_id: int, slug: str, code: str) -> None:
        """Let an account act for a party in a declaration."""
        self._session.add(MembershipRow(account_id=account_id, party_id=self._party(slug, code).id))
        self._session.flush()

    def find(self, email: str) -> Account | None:
        """The account of an address, if any."""
        row = self._session.scalar(
            select(AccountRow).where(AccountRow.email == email.strip().lower())
        )
        return None if row is None else self._account(row)

    def get(self, account_id: int) -> Account:
        """An account by id."""
        return self._account(self._row(account_id))

    def all(self) -> list[Account]:
        """Every account, by address."""
        return [
            self._account(row)
            for row in self._session.scalars(select(AccountRow).order_by(AccountRow.email))
        ]

    def password_hash(self, account_id: int) -> str | None:
        """The stored argon2id hash of an account's password."""
        row = self._session.get(AccountRow, account_id)
        return None if row is None else row.password_hash

    def totp_secret(self, account_id: int) -> str | None:
        """The account's TOTP secret (base32), if it has a second factor."""
        row = self._session.get(AccountRow, account_id)
        return None if row is None else row.totp_secret

    def set_totp_secret(self, account_id: int, secret: str) -> None:
        """Give an account its TOTP secret (made with its invitation)."""
        self._row(account_id).totp_secret = secret

    def set_password_hash(self, account_id: int, hashed: str) -> None:
        """Store a new password hash (on accepting an invitation, or rehashing with newer parameters)."""
        self._row(account_id).password_hash = hashed

    def disable(self, email: str, at: str) -> Account:
        """Disable an account and revoke its sessions."""
        row = self._session.scalar(
            select(AccountRow).where(AccountRow.email == normal_email(email))
        )
        if row is None:
            raise NotFound(f"{email} has no account; `accord user list` shows the accounts")
        row.disabled = True
        self.revoke_sessions(row.id, at)
        return self._account(row)

    def add_invitation(
        self, account_id: int, token_sha256: str, created_at: str, expires_at: str
    ) -> None:
        """A one-time invitation, stored by the hash of its token."""
        self._session.add(
            InvitationRow(
                account_id=account_id,
                token_sha256=token_sha256,
                created_at=created_at,
                expires_at=expires_at,
            )
        )
        self._session.flush()

    def open_invitation(self, token_sha256: str, now: str) -> Account | None:
        """The account an unused, unexpired invitation is for (None otherwise)."""
        row = self._session.scalar(
            select(InvitationRow).where(InvitationRow.token_sha256 == token_sha256)
        )
        if row is None or row.used_at is not None or row.expires_at <= now:
            return None
        found = self.get(row.account_id)
        return None if found.disabled else found

    def use_invitation(self, token_sha256: str, now: str) -> None:
        """Mark an invitation used (it works once)."""
        row = self._session.scalar(
            select(InvitationRow).where(InvitationRow.token_sha256 == token_sha256)
        )
        if row is None:
            raise NotFound("this invitation does not exist")
        row.used_at = now

    def add_token(self, token_sha256: str, slug: str, code: str, created_at: str) -> ApiToken:
        """An API token for a party in a declaration, stored by its hash."""
        row = ApiTokenRow(
            token_sha256=token_sha256, party_id=self._party(slug, code).id, created_at=created_at
        )
        self._session.add(row)
        self._session.flush()
        return self._token(row)

    def _token(self, row: ApiTokenRow) -> ApiToken:
        party = self._session.get(PartyRow, row.party_id)
        assert party is not None
        declaration = self._session.get(DeclarationRow, party.declaration_id)
        assert declaration is not None
        return ApiToken(
            id=row.id,
            membership=Membership(declaration=declaration.slug, party=party.code),
            party_role=party.role,
            created_at=row.created_at,
            revoked_at=row.revoked_at,
        )

    def live_token(self, token_sha256: str) -> ApiToken | None:
        """The unrevoked token with this hash, if any."""
        row = self._session.scalar(
            select(ApiTokenRow).where(
                ApiTokenRow.token_sha256 == token_sha256, ApiTokenRow.revoked_at.is_(None)
            )
        )
        return None if row is None else self._token(row)

    def revoke_token(self, token_id: int, at: str) -> ApiToken:
        """Revoke a token by id (idempotent)."""
        row = self._session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFound(f"token {token_id} does not exist; `accord token list` shows the tokens")
        row.revoked_at = row.revoked_at or at
        return self._token(row)

    def tokens(self) -> list[ApiToken]:
        """Every token, oldest first."""
        return [
            self._token(row)
            for row in self._session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))
        ]

    def add_session(self, token_sha256: str, account_id: int, csrf: str, now: str) -> None:
        """A signed-in browser session, stored by the hash of its cookie."""
        self._session.add(
            SessionRow(
                token_sha256=token_sha256,
                account_id=account_id,
                csrf=csrf,
                created_at=now,
                seen_at=now,
            )
        )
        self._session.flush()

    def session_seen(self, token_sha256: str, idle_since: str) -> LiveSession | None:
        """A session seen after ``idle_since``, not revoked, of an enabled account: reads only."""
        row = self._session.scalar(
            select(SessionRow).where(
                SessionRow.token_sha256 == token_sha256, SessionRow.revoked_at.is_(None)
            )
        )
        if row is None or row.seen_at <= idle_since:
            return None
        found = self.get(row.account_id)
        return None if found.disabled else LiveSession(found, row.csrf, row.seen_at)

    def touch_session(self, token_sha256: str, now: str) -> None:
        """Mark a session seen now (its idle time starts again)."""
        for row in self._session.scalars(
            select(SessionRow).where(SessionRow.token_sha256 == token_sha256)
        ):
            row.seen_at = max(row.seen_at, now)

    def revoke_sessions(self, account_id: int, at: str) -> None:
        """End every session of an account (its password changed)."""
        for row in self._session.scalars(
            select(SessionRow).where(
                SessionRow.account_id == account_id, SessionRow.revoked_at.is_(None)
            )
        ):
            row.revoked_at = at

    def revoke_session(self, token_sha256: str, at: str) -> None:
        """Sign a session out."""
        for row in self._session.scalars(
            select(SessionRow).where(SessionRow.token_sha256 == token_sha256)
        ):
            row.revoked_at = row.revoked_at or at

    def log(
        self,
        kind: str,
        at: str,
        *,
        email: str | None = None,
        address: str | None = None,
        **detail: Any,
    ) -> None:
        """Record a sign-in, failure, invitation, reset, role change or refusal in the security log."""
        self._session.add(
            SecurityEventRow(
                occurred_at=at,
                kind=kind,
                email=email,
                address=address,
                detail=canonical_json(detail),
            )
        )
        self._session.flush()

    def security_log(self) -> list[SecurityEntry]:
        """The security log, oldest first."""
        rows = self._session.execute(
            select(
                SecurityEventRow.occurred_at,
                SecurityEventRow.kind,
                SecurityEventRow.email,
                SecurityEventRow.address,
                SecurityEventRow.detail,
            ).order_by(SecurityEventRow.id)
        )
        return [
            SecurityEntry(at, kind, email, address, detail)
            for at, kind, email, address, detail in rows
        ]

    def totp_step_used(self, account_id: int, step: int) -> bool:
        """Whether an authenticator code's step has already let the account in."""
        return (
            self._session.scalar(
                select(TotpUseRow.id).where(
                    TotpUseRow.account_id == account_id, TotpUseRow.step == step
                )
            )
            is not None
        )

    def use_totp_step(self, account_id: int, step: int, at: str) -> None:
        """Spend an authenticator code's step; a concurrent use of the same step fails this transaction (unique
        account and step), which the store retries: the retry then sees it used."""
        self._session.add(TotpUseRow(account_id=account_id, step=step, used_at=at))
        self._session.flush()

    def failures_since(
        self, kind: str, since: str, *, email: str | None, address: str | None
    ) -> int:
        """How many ``kind`` events an address or an account has had after ``since`` (the larger of the two)."""
        counts = []
        for column, value in ((SecurityEventRow.email, email), (SecurityEventRow.address, address)):
            if value:
                counts.append(
                    self._session.scalar(
                        select(func.count())
                        .select_from(SecurityEventRow)
                        .where(
                            SecurityEventRow.kind == kind,
                            SecurityEventRow.occurred_at > since,
                            column == value,
                        )
                    )
                    or 0
                )
        return max(counts, default=0)
