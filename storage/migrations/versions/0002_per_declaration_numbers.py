"""Number submissions and silences within their declaration.

A hashed event must not depend on other declarations in the same database, or a declaration could not be
replayed alone; row ids are global, these numbers are not.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BACKFILL = {
    "submissions": (
        "UPDATE submissions SET number = (SELECT count(*) FROM submissions AS s2 "
        "JOIN rounds AS r2 ON r2.id = s2.round_id WHERE s2.id <= submissions.id AND r2.declaration_id = "
        "(SELECT r.declaration_id FROM rounds AS r WHERE r.id = submissions.round_id))"
    ),
    "silences": (
        "UPDATE silences SET number = (SELECT count(*) FROM silences AS s2 "
        "JOIN versions AS v2 ON v2.id = s2.version_id WHERE s2.id <= silences.id AND v2.declaration_id = "
        "(SELECT v.declaration_id FROM versions AS v WHERE v.id = silences.version_id))"
    ),
}


def upgrade() -> None:
    for table, backfill in _BACKFILL.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("number", sa.Integer(), nullable=False, server_default="0"))
        op.execute(backfill)


def downgrade() -> None:
    for table in _BACKFILL:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("number")
