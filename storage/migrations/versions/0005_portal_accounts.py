"""The portal: accounts, memberships, invitations, API tokens, web sessions and the security log.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_AT = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(length=200), nullable=False, unique=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", _AT, nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False, index=True
        ),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=False),
        sa.UniqueConstraint("account_id", "party_id"),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False, index=True
        ),
        sa.Column("token_sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("used_at", _AT, nullable=True),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column(
            "party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=False, index=True
        ),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("revoked_at", _AT, nullable=True),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column(
            "account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False, index=True
        ),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("seen_at", _AT, nullable=False),
        sa.Column("revoked_at", _AT, nullable=True),
    )
    op.create_table(
        "security_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occurred_at", _AT, nullable=False, index=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True, index=True),
        sa.Column("address", sa.String(length=64), nullable=True, index=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    if (
        op.get_bind().dialect.name == "postgresql"
    ):  # the least-privilege role of docs/operations.md, if it exists
        op.execute(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'accord_app') THEN "
            "GRANT UPDATE ON accounts, invitations, api_tokens, web_sessions TO accord_app; END IF; END $$"
        )


def downgrade() -> None:
    for table in (
        "security_log",
        "web_sessions",
        "api_tokens",
        "invitations",
        "memberships",
        "accounts",
    ):
        op.drop_table(table)
