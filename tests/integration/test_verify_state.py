"""`accord verify` rebuilds the state the log implies and compares it with the tables (issue 12, finding 3).

The state tables carry no append-only triggers: an edit there (a delegation made co-presidency, a submission
made current again) and a deleted document were invisible to verify; only replay noticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.cli import app as cli
from tests import factories
from tests.audit_fixtures import Run, accord, home, negotiated  # noqa: F401 (fixtures)
from tests.audit_scenario import sql

SLUG = factories.SLUG


@pytest.fixture
def recorded(app: Any, accord_env: dict[str, str]) -> Any:
    """A declaration with a round and three submissions (the CLI sees the same database)."""
    factories.open_declaration(app, n=6)
    for code in factories.delegations(6)[:3]:
        factories.submit(app, code)
    return app


def _verify(app: Any) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify", SLUG, "--home", str(app.home)], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def _raw(app: Any, backend: str, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Change the database behind accord's back, with foreign keys out of the way as an attacker would."""
    connection = app.store.engine.raw_connection()
    try:
        cursor = connection.cursor()
        if backend == "sqlite":
            connection.commit()
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement.replace("?", "%s") if backend == "postgresql" else statement, params)
        connection.commit()
    finally:
        connection.close()


def test_intact_records_verify(recorded: Any) -> None:
    assert _verify(recorded)[0] == 0


def test_a_delegation_made_co_presidency_in_the_table(recorded: Any, backend: str) -> None:
    code = factories.delegations(6)[2]
    _raw(recorded, backend, f"UPDATE parties SET role = 'co-presidency' WHERE code = '{code}'")
    exit_code, output = _verify(recorded)
    assert exit_code == 1, output
    assert output.startswith("error: ") and f"parties: {code} has role 'co-presidency' in the table" in output
    assert "the log says 'delegation'" in output


def test_a_deleted_document_an_event_names(recorded: Any, backend: str) -> None:
    digest = factories.sha256_of(factories.party_submission(factories.delegations(6)[1]))
    _raw(recorded, backend, "DELETE FROM blobs WHERE sha256 = ?", (digest,))
    exit_code, output = _verify(recorded)
    assert exit_code == 1, output
    assert "(accord.submission.received): names the document " + digest[:12] in output
    assert "not in the database" in output


@pytest.mark.parametrize(("statement", "expected"), [
    ("UPDATE submissions SET status = 'current'", "submissions: submission "),
    ("UPDATE submissions SET filename = 'other.docx' WHERE number = 1", "submissions: submission 1 has filename"),
    ("DELETE FROM approvals WHERE id = (SELECT MAX(id) FROM approvals)", "approvals: approval of Rev.2 by "),
    ("UPDATE rounds SET state = 'open' WHERE number = 1", "rounds: round 1 has state 'open'"),
    ("UPDATE versions SET state = 'agreed' WHERE label = 'Rev.2'", "versions: Rev.2 has state 'agreed'"),
    ("UPDATE decisions SET status = 'superseded'", "decisions: decision 1 "),
    ("UPDATE declarations SET timezone = 'Asia/Tokyo'", "declaration: declaration has timezone 'Asia/Tokyo'"),
    ("INSERT INTO parties (declaration_id, code, name, bloc, role) VALUES (1, 'ZZ', 'Z', 'other', 'co-presidency')",
     "parties: ZZ is in the table but no event records it"),
])
def test_every_state_table_is_compared_with_the_log(home: Path, accord: Run, statement: str,  # noqa: F811
                                                     expected: str) -> None:
    """A whole negotiation (two rounds, decisions, approvals) verifies; one edit in any state table does not."""
    assert accord("verify", "audit").exit_code == 0
    sql(home, statement)
    verified = accord("verify", "audit")
    assert verified.exit_code == 1 and expected in verified.output, verified.output
