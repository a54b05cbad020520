"""Canonical JSON and the event hash: the byte-exact forms every hash in accord is computed over."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import pytest

from drafting.canonical import GENESIS, canonical_json, event_hash, sha256_hex

EVENT: dict[str, Any] = {
    "prev_hash": GENESIS,
    "declaration": "eu-celac",
    "seq": 1,
    "type": "accord.round.opened",
    "actor": "secretariat",
    "payload": '{"round":1}',
    "occurred_at": "2026-11-28T09:00:00Z",
}


def test_keys_are_sorted_at_every_depth() -> None:
    assert canonical_json({"b": 1, "a": {"d": [3, {"z": 0, "y": 1}], "c": None}}) == (
        '{"a":{"c":null,"d":[3,{"y":1,"z":0}]},"b":1}'
    )


def test_no_insignificant_whitespace_and_lists_keep_their_order() -> None:
    assert canonical_json([3, 1, 2, "a b"]) == '[3,1,2,"a b"]'


def test_non_ascii_is_kept_as_utf8_not_escaped() -> None:
    text = canonical_json({"name": "Côte d’Ivoire — São Tomé ☕"})
    assert text == '{"name":"Côte d’Ivoire — São Tomé ☕"}'
    assert "\\u" not in text


def test_control_characters_and_quotes_are_escaped() -> None:
    assert canonical_json({"t": 'a"b\\c\n'}) == '{"t":"a\\"b\\\\c\\n"}'


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(value: float) -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": value})


def test_equal_values_serialise_identically_whatever_the_insertion_order() -> None:
    one = {"parties": ["MX", "FR"], "round": 1, "deadline": None}
    two = dict(reversed(list(one.items())))
    assert canonical_json(one) == canonical_json(two)
    assert json.loads(canonical_json(one)) == one


def test_sha256_of_text_is_sha256_of_its_utf8_bytes() -> None:
    assert (
        sha256_hex("café")
        == sha256_hex("café".encode())
        == hashlib.sha256("café".encode()).hexdigest()
    )
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_genesis_is_64_zeros() -> None:
    assert GENESIS == "0" * 64 and len(GENESIS) == len(sha256_hex(b"x"))


def test_event_hash_is_sha256_of_prev_hash_newline_and_the_canonical_fields() -> None:
    fields = {k: v for k, v in EVENT.items() if k != "prev_hash"}
    expected = hashlib.sha256((GENESIS + "\n" + canonical_json(fields)).encode()).hexdigest()
    assert event_hash(**EVENT) == expected


def test_event_hash_is_deterministic() -> None:
    assert event_hash(**EVENT) == event_hash(**dict(reversed(list(EVENT.items()))))


@pytest.mark.parametrize(
    "field, other",
    [
        ("prev_hash", "1" + "0" * 63),
        ("declaration", "eu-celac-2"),
        ("seq", 2),
        ("type", "accord.round.closed"),
        ("actor", "MX"),
        ("payload", '{"round":2}'),
        ("payload", '{"round": 1}'),
        ("occurred_at", "2026-11-28T09:00:01Z"),
    ],
)
def test_every_field_is_covered_by_the_hash(field: str, other: Any) -> None:
    assert event_hash(**{**EVENT, field: other}) != event_hash(**EVENT)


def test_fields_cannot_be_shifted_between_each_other() -> None:
    """The fields are serialised as JSON, not concatenated: moving text from one field to the next changes the hash."""
    shifted = {**EVENT, "type": "accord.round.openedsecretariat", "actor": ""}
    assert event_hash(**shifted) != event_hash(**EVENT)


def test_migrate_head_is_the_newest_alembic_revision() -> None:
    """storage.migrate skips alembic for a database at HEAD, so HEAD must follow every new migration."""
    from alembic.script import ScriptDirectory

    from storage.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
