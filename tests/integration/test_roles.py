"""Least privilege on PostgreSQL (issue 12): the grants of docs/operations.md, run as written, give accord's
role what a negotiation needs and nothing that could rewrite the log or its protection."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from flows.bootstrap import bootstrap
from flows.publish import NullPublisher
from storage import make_engine, upgrade
from tests import factories

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def documented_grants() -> list[str]:
    """The statements between the markers in docs/operations.md, one per line."""
    block = (
        DOC.read_text(encoding="utf-8")
        .split("-- accord roles: begin", 1)[1]
        .split("-- accord roles: end")[0]
    )
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.fixture
def roles(postgres_database: str) -> Iterator[dict[str, str]]:
    """Two fresh roles (owner and app) on a fresh database: URLs that act as each (SET ROLE at connection)."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"accord_owner_{suffix}", f"accord_app_{suffix}"
    admin = create_engine(make_url(postgres_database), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for role in (owner, app):
            connection.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
        connection.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        connection.execute(text(f'GRANT USAGE, CREATE ON SCHEMA public TO "{owner}"'))

    def as_role(role: str) -> str:
        return (
            make_url(postgres_database)
            .update_query_dict({"options": f"-c role={role}"})
            .render_as_string(hide_password=False)
        )

    try:
        yield {"owner": owner, "app": app, "owner_url": as_role(owner), "app_url": as_role(app)}
    finally:
        with admin.connect() as connection:
            for role in (
                app,
                owner,
            ):  # one at a time: both in one DROP OWNED trips over the default ACL
                connection.execute(text(f'DROP OWNED BY "{role}" CASCADE'))
                connection.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def _grant(owner_url: str, app: str) -> None:
    engine = make_engine(owner_url)
    upgrade(engine)  # the migrations, as the owner
    with engine.begin() as connection:
        for statement in documented_grants():
            connection.execute(text(re.sub(r"\baccord_app\b", f'"{app}"', statement)))
    engine.dispose()


@pytest.mark.postgres
def test_the_documented_role_runs_a_negotiation_and_cannot_touch_the_log(
    roles: dict[str, str], tmp_path: Path
) -> None:
    _grant(roles["owner_url"], roles["app"])
    app = bootstrap(
        tmp_path / "home", url=roles["app_url"], clock=factories.Clock(), publisher=NullPublisher()
    )
    engine: Engine = app.store.engine
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == roles["app"]
        factories.open_declaration(app, n=6)  # create, open: inserts and the updates a round needs
        from flows.usecases.routing import distribute_round

        assert (
            len(distribute_round(app, factories.SLUG).parties) == 6
        )  # each copy owed, then settled (UPDATE)
        for variant in (0, 1):
            factories.submit(
                app, factories.delegations(6)[0], variant
            )  # the second supersedes the first
        from flows.usecases.rounds import close_round
        from flows.usecases.status import verify

        close_round(app, factories.SLUG)
        assert verify(app, factories.SLUG)["ok"]
        _portal_accounts(app)
        for statement in (
            "UPDATE events SET actor = 'x'",
            "DELETE FROM events",
            "TRUNCATE events",
            "ALTER TABLE events DISABLE TRIGGER events_append_only",
            "DROP TRIGGER events_append_only ON events",
            "ALTER TABLE events ADD COLUMN note text",
            "DROP TABLE events",
            "DELETE FROM blobs",
            "UPDATE blobs SET data = ''",
            "UPDATE parties SET role = 'co-presidency'",
            "DELETE FROM approvals",
        ):
            _refused(engine, statement)
    finally:
        engine.dispose()


def _portal_accounts(app: Any) -> None:
    """The portal's tables: invitations, sign-in sessions, tokens and disabling need their UPDATE grants."""
    from drafting.access import AccountRole
    from flows.portal import accounts

    password = "a long and unusual passphrase"
    accounts.accept(
        app, accounts.invite(app, "auditor@example.org", AccountRole.AUDITOR).token, password
    )
    signed = accounts.sign_in(app, "auditor@example.org", password)
    assert signed is not None and accounts.session_account(app, signed.cookie) is not None
    accounts.revoke_token(app, accounts.create_token(app, factories.SLUG, "ES")[0].id)
    assert accounts.disable(app, "auditor@example.org").disabled


def _refused(engine: Engine, statement: str) -> None:
    with pytest.raises(sa_exc.ProgrammingError, match="permission denied|must be owner") as refusal:
        with engine.begin() as connection:
            connection.execute(text(statement))
    assert "append-only" not in str(
        refusal.value
    )  # refused for want of privilege, not by the trigger


def test_the_grants_are_in_the_document() -> None:
    grants: list[Any] = documented_grants()
    assert any("GRANT SELECT, INSERT ON ALL TABLES" in g for g in grants)
    assert not any(re.search(r"\b(DELETE|TRUNCATE|ALL PRIVILEGES)\b", g) for g in grants)
    assert not any("events" in g and "UPDATE" in g for g in grants)
