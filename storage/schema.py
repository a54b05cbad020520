"""The tables. Rows are mapped to domain values by storage/values.py and storage/aggregates.py and never
leave storage/."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of accord's schema."""


class Blob(Base):
    """A document or artifact, keyed by the sha256 of its bytes."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DeclarationRow(Base):
    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(Text)
    languages: Mapped[str] = mapped_column(String(200), default="en")  # comma-separated codes
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[str] = mapped_column(String(40))
    symbol: Mapped[str | None] = mapped_column(
        String(80), nullable=True
    )  # None: made before symbols, documents without identity


class PartyRow(Base):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("declaration_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    bloc: Mapped[str] = mapped_column(String(20))  # EU | CELAC | other
    role: Mapped[str] = mapped_column(String(20))  # delegation | co-presidency | secretariat
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    language: Mapped[str | None] = mapped_column(
        String(8), nullable=True
    )  # None: the declaration's first (0006)


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("declaration_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 0 = Zero draft, 1 = Rev.1 ...
    label: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"), nullable=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    text_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(
        String(20)
    )  # drafting.negotiation.VersionState: draft | circulated | silence | agreed
    created_at: Mapped[str] = mapped_column(String(40))
    meta: Mapped[str] = mapped_column(
        Text, default="{}"
    )  # canonical JSON: paragraph statuses, lineage


class RoundRow(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("declaration_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    base_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    state: Mapped[str] = mapped_column(String(20))  # open | closed | decided
    opened_at: Mapped[str] = mapped_column(String(40))
    deadline: Mapped[str | None] = mapped_column(String(40), nullable=True)
    closed_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class SubmissionRow(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    number: Mapped[int] = mapped_column(
        Integer, default=0
    )  # 1, 2 ... within the declaration (hashed in events)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # current | superseded
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[str] = mapped_column(Text, default="[]")  # canonical JSON list of {code, message}
    summary: Mapped[str] = mapped_column(
        Text, default="{}"
    )  # canonical JSON: counts from the reading


class DecisionRow(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    decisions: Mapped[str] = mapped_column(Text)  # canonical JSON {proposal_id: accept|reject}
    received_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="current")  # current | superseded


class ApprovalRow(Base):
    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("version_id", "party_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    approved_at: Mapped[str] = mapped_column(String(40))


class ArtifactRow(Base):
    """A derived document (compilation, synopsis, outbox copy, archive) kept with its blob."""

    __tablename__ = "artifacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), nullable=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(255))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    created_at: Mapped[str] = mapped_column(String(40))


class SilenceRow(Base):
    __tablename__ = "silences"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    number: Mapped[int] = mapped_column(
        Integer, default=0
    )  # 1, 2 ... within the declaration (hashed in events)
    text_sha256: Mapped[str] = mapped_column(String(64))
    until: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))  # running | broken | expired
    started_at: Mapped[str] = mapped_column(String(40))
    ended_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    objection: Mapped[str | None] = mapped_column(
        Text, nullable=True
    )  # canonical JSON {party, reason}


class EventRow(Base):
    """The append-only, hash-chained log. ``hash`` covers ``prev_hash`` and every other field."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("declaration_id", "seq", name="uq_events_declaration_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(80))
    actor: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    occurred_at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# --- The portal: accounts, invitations, API tokens, sessions and the security log (migration 0005). ---
# Secrets are never stored: invitations, tokens and sessions by the sha256 of a 32-byte random value, passwords as
# argon2id hashes. These tables are not in any declaration's hash chain: they hold who may act, not what was done.


class AccountRow(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)  # lower case
    role: Mapped[str] = mapped_column(
        String(20)
    )  # an AccountRole: secretariat, co-presidency, delegate ...
    password_hash: Mapped[str | None] = mapped_column(
        String(200), nullable=True
    )  # None until the invitation is used
    totp_secret: Mapped[str | None] = mapped_column(
        String(64), nullable=True
    )  # base32; TOTP needs it in clear
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(40))


class MembershipRow(Base):
    """An account acting for one party in one declaration."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("account_id", "party_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))


class InvitationRow(Base):
    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class SessionRow(Base):
    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    seen_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class TotpUseRow(Base):
    """An authenticator code spent: a 30-second step that let an account in (migration 0007). Unique, so a code
    is good once even when two sign-ins race with it."""

    __tablename__ = "totp_uses"
    __table_args__ = (UniqueConstraint("account_id", "step", name="uq_totp_uses_account_step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    step: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[str] = mapped_column(String(40))


class SecurityEventRow(Base):
    """Sign-ins, failures, invitations, resets, role changes, refusals: who, from where, when."""

    __tablename__ = "security_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
