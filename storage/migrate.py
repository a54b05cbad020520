"""Bring a database to the current schema with alembic (which Prefect already ships).

Alembic costs ~0.4 s to import, which every command would pay; a database already at ``HEAD`` skips it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0007"  # the newest revision in migrations/versions (a test keeps the two in step)


def alembic_config() -> Config:
    """An alembic configuration pointing at accord's migration scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except sa_exc.DBAPIError:
        return None


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied (idempotent)."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
