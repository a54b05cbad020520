"""Tampering with the database behind accord's back: `accord verify` exits 1 naming the first bad event or blob.

The attacker has the database: they drop the append-only triggers first, then edit rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from typer.testing import CliRunner

from drafting.canonical import event_hash
from flows.cli import app as cli
from tests import factories

SLUG = factories.SLUG
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete"],
    "postgresql": ["DROP TRIGGER events_append_only ON events"],
}


@pytest.fixture
def recorded(app: Any, accord_env: dict[str, str]) -> Any:
    """A declaration with a round and three submissions: 6 events, 5 documents (the CLI sees the same database)."""
    factories.open_declaration(app, n=6)
    for code in factories.delegations(6)[:3]:
        factories.submit(app, code)
    return app


def _verify(app: Any) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["verify", SLUG, "--home", str(app.home)], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def _tamper(app: Any, backend: str, *statements: tuple[str, dict[str, Any]]) -> None:
    engine: Engine = app.store.engine
    with engine.begin() as connection:
        for statement in DROP_TRIGGERS[backend]:
            connection.execute(text(statement))
        for sql, params in statements:
            connection.execute(text(sql), params)


def _event(connection: Connection, seq: int) -> dict[str, Any]:
    row = (
        connection.execute(text("SELECT * FROM events WHERE seq = :s"), {"s": seq}).mappings().one()
    )
    return dict(row)


def _caught(app: Any, *expected: str) -> str:
    code, stdout, stderr = _verify(app)
    assert code == 1 and stdout == "", (code, stdout, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


def test_intact_records_verify(recorded: Any) -> None:
    code, stdout, stderr = _verify(recorded)
    assert (code, stderr) == (0, "")
    assert stdout.startswith("ok: 6 events and ")


def _flip_one_byte(text_value: str, position: int) -> str:
    return text_value[:position] + chr(ord(text_value[position]) ^ 1) + text_value[position + 1 :]


def test_one_byte_of_an_event_payload(recorded: Any, backend: str) -> None:
    with recorded.store.engine.connect() as connection:
        payload = _event(connection, 4)["payload"]
    one_byte = _flip_one_byte(payload, payload.index('"filename":"') + 12)
    _tamper(recorded, backend, ("UPDATE events SET payload = :p WHERE seq = 4", {"p": one_byte}))
    _caught(recorded, "event 4 ", "altered")


def test_an_edited_event_with_its_hash_recomputed(recorded: Any, backend: str) -> None:
    """A careful forger recomputes the edited event's hash: the next event no longer links to it."""
    with recorded.store.engine.connect() as connection:
        row = _event(connection, 4)
    payload = row["payload"].replace('"late":false', '"late":true')
    digest = event_hash(
        prev_hash=row["prev_hash"],
        declaration=SLUG,
        seq=4,
        type=row["type"],
        actor=row["actor"],
        payload=payload,
        occurred_at=row["occurred_at"],
    )
    _tamper(
        recorded,
        backend,
        ("UPDATE events SET payload = :p, hash = :h WHERE seq = 4", {"p": payload, "h": digest}),
    )
    _caught(recorded, "event 5 ", "prev_hash")


def test_one_byte_of_a_blob(recorded: Any, backend: str) -> None:
    digest = factories.sha256_of(factories.party_submission(factories.delegations(6)[1]))
    with recorded.store.engine.connect() as connection:
        data = connection.execute(
            text("SELECT data FROM blobs WHERE sha256 = :k"), {"k": digest}
        ).scalar_one()
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x01
    _tamper(
        recorded,
        backend,
        ("UPDATE blobs SET data = :d WHERE sha256 = :k", {"d": bytes(altered), "k": digest}),
    )
    _caught(recorded, f"blob {digest[:12]}", "altered")


def test_a_deleted_event(recorded: Any, backend: str) -> None:
    _tamper(recorded, backend, ("DELETE FROM events WHERE seq = 3", {}))
    _caught(recorded, "event 4 ", "expected seq 3")


def test_two_events_swapped(recorded: Any, backend: str) -> None:
    swap = [
        ("UPDATE events SET seq = -1 WHERE seq = 4", {}),
        ("UPDATE events SET seq = 4 WHERE seq = 5", {}),
        ("UPDATE events SET seq = 5 WHERE seq = -1", {}),
    ]
    _tamper(recorded, backend, *swap)
    _caught(recorded, "event 4 ", "prev_hash")


def test_two_event_bodies_swapped_in_place(recorded: Any, backend: str) -> None:
    """Swap everything but seq: each row keeps its position, the chain does not."""
    with recorded.store.engine.connect() as connection:
        a, b = _event(connection, 4), _event(connection, 5)
    columns = ("type", "actor", "payload", "occurred_at", "prev_hash", "hash")
    set_clause = ", ".join(f"{c} = :{c}" for c in columns)
    _tamper(
        recorded,
        backend,
        (
            f"UPDATE events SET {set_clause} WHERE seq = 4",
            {**{c: b[c] for c in columns}, "hash": "0" * 63 + "x"},
        ),
        (f"UPDATE events SET {set_clause} WHERE seq = 5", {c: a[c] for c in columns}),
        ("UPDATE events SET hash = :h WHERE seq = 4", {"h": b["hash"]}),
    )
    _caught(recorded, "event 4 ")


def test_without_dropping_the_triggers_nothing_changes(recorded: Any) -> None:
    for statement in ("UPDATE events SET actor = 'MX'", "DELETE FROM events WHERE seq = 6"):
        with (
            pytest.raises(Exception, match="append-only"),
            recorded.store.engine.begin() as connection,
        ):
            connection.execute(text(statement))
    assert _verify(recorded)[0] == 0


# --- the state tables and the documents (issue 12, finding 3) -------------------------------------------------


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
        cursor.execute(
            statement.replace("?", "%s") if backend == "postgresql" else statement, params
        )
        connection.commit()
    finally:
        connection.close()


def test_a_delegation_made_co_presidency_in_the_table(recorded: Any, backend: str) -> None:
    code = factories.delegations(6)[2]
    _raw(recorded, backend, f"UPDATE parties SET role = 'co-presidency' WHERE code = '{code}'")
    line = _caught(recorded, f"parties: {code} has role 'co-presidency' in the table")
    assert "the log says 'delegation'" in line


def test_a_deleted_document_an_event_names(recorded: Any, backend: str) -> None:
    digest = factories.sha256_of(factories.party_submission(factories.delegations(6)[1]))
    _raw(recorded, backend, "DELETE FROM blobs WHERE sha256 = ?", (digest,))
    _caught(
        recorded,
        "(accord.submission.received): names the document " + digest[:12],
        "not in the database",
    )
