"""The outbox: what is owed to each party after a commit, until it has gone.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("owed_at", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("settled_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["declaration_id"], ["declarations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "declaration_id", "kind", "key", "party", name="uq_outbox_sending_party"
        ),
    )
    op.create_index("ix_outbox_declaration_id", "outbox", ["declaration_id"])
    if (
        op.get_bind().dialect.name == "postgresql"
    ):  # settling a share is an UPDATE: the documented role needs it
        op.execute(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'accord_app') THEN "
            "GRANT UPDATE ON outbox TO accord_app; END IF; END $$"
        )


def downgrade() -> None:
    op.drop_index("ix_outbox_declaration_id", table_name="outbox")
    op.drop_table("outbox")
