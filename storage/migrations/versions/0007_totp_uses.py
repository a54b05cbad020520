"""The authenticator codes spent (issue 13, second factor): one row per account and 30-second step, unique, so that two
sign-ins racing with one code cannot both pass (on PostgreSQL each read the other's use as absent).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "totp_uses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("step", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.String(length=40), nullable=False),
        sa.UniqueConstraint("account_id", "step", name="uq_totp_uses_account_step"),
    )


def downgrade() -> None:
    op.drop_table("totp_uses")
