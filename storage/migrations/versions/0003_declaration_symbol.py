"""A declaration's document symbol (e.g. EU-CELAC/HLM/2026/L.1), shown on every document accord writes.

Rows made before it have none: their symbol is derived from the slug when read (drafting.negotiation).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.add_column(sa.Column("symbol", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("symbol")
