"""Canonical JSON and the event hash: the byte-exact forms that every hash in accord is computed over."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Serialise with sorted keys, no insignificant whitespace, UTF-8 characters kept as they are."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(data: bytes | str) -> str:
    """The sha256 of bytes, or of a string's UTF-8 bytes, as 64 hex digits."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def event_hash(
    *,
    prev_hash: str,
    declaration: str,
    seq: int,
    type: str,
    actor: str,
    payload: str,
    occurred_at: str,
) -> str:
    """Hash of one event: sha256(prev_hash + "\\n" + canonical JSON of the other fields, payload as its JSON text)."""
    body = canonical_json(
        {
            "declaration": declaration,
            "seq": seq,
            "type": type,
            "actor": actor,
            "payload": payload,
            "occurred_at": occurred_at,
        }
    )
    return sha256_hex(prev_hash + "\n" + body)
