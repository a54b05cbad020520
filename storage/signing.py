"""The secretariat's Ed25519 key: it signs the log's head at each archive, so that a log rewritten from genesis
with fresh hashes (which the chain alone cannot tell) no longer carries a valid signature.

The private key is a file outside the database (by default ``HOME/keys/secretariat.key``, mode 0600); whoever
holds the database does not hold the key. What is signed is the hash the sealing event would have without its
``signature`` field: it covers every event before it through ``prev_hash``, and everything the seal records
(the sha256 of each page of the bundle). The bundle's verify.py builds the same message with the standard library.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from drafting.canonical import canonical_json, event_hash
from drafting.errors import InvalidInput

ALGORITHM = "ed25519"
KEY_FILE = Path("keys") / "secretariat.key"  # under the home folder unless a path is given
DOMAIN = "accord-signed-head/1"  # a signature over an accord head is never a valid signature of anything else


def default_key_path(home: Path) -> Path:
    """Where `accord key create` puts the key when no path is given."""
    return home / KEY_FILE


def create_key(path: Path) -> str:
    """Write a new private key to ``path`` (0600, never over an existing file); return its public key as hex."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with os.fdopen(_new_key_file(path), "wb") as out:
        out.write(pem)
    return public_hex(key)


def _new_key_file(path: Path) -> int:
    """A new file at ``path`` open for writing, readable by its owner only; never one that exists."""
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(
            f"{path}: a key is already there; keep it (its public key is what auditors check "
            "against), or give another path with --key-file"
        ) from None
    except OSError as error:
        raise InvalidInput(
            f"{path}: cannot write the key ({error.strerror}); give a writable path with --key-file"
        ) from None


# A key as `accord key create` writes it is 119 bytes of PEM; a larger file is not one, and is not read.
MAX_KEY_BYTES = 16 * 1024


def load_key(path: Path) -> Ed25519PrivateKey:
    """The private key at ``path``; refused when others may read it (as ssh refuses), or when it is not one.
    Only a regular file of at most MAX_KEY_BYTES is read (`--key-file /dev/zero` read until memory ran out)."""
    info, data = _key_file(path)
    _check_key_file(path, info, data)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(
            f"{path}: not an unencrypted Ed25519 private key as `accord key create` writes"
        )
    return key


def _key_file(path: Path) -> tuple[os.stat_result, bytes]:
    """The key file's status and its bytes (none read unless it is a regular file of a key's size)."""
    data = b""
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_KEY_BYTES:
            with path.open("rb") as handle:
                data = handle.read(MAX_KEY_BYTES + 1)
    except OSError as error:
        raise InvalidInput(
            f"{path}: cannot read the key ({error.strerror}); create one with `accord key create`"
        ) from None
    return info, data


def _check_key_file(path: Path, info: os.stat_result, data: bytes) -> None:
    """Refuse a key file that is no regular file, is too large, or others may read."""
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        raise InvalidInput(
            f"{path}: not a regular file; give the key file `accord key create` wrote"
        )
    if info.st_size > MAX_KEY_BYTES or len(data) > MAX_KEY_BYTES:
        raise InvalidInput(
            f"{path}: {max(info.st_size, len(data)):,} bytes, more than a key file has "
            f"({MAX_KEY_BYTES:,}); give the key file `accord key create` wrote"
        )
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InvalidInput(
            f"{path}: the key is readable by others (mode {stat.S_IMODE(mode):o}); "
            f"run `chmod 600 {path}`"
        )


def public_hex(key: Ed25519PrivateKey) -> str:
    """The public key as 64 hex characters: what `accord key show` prints and `--key` takes."""
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def parse_public_key(text: str) -> str:
    """A public key given on the command line: 64 hex characters, or a file holding them."""
    found = _hex_key(text)
    path = Path(text)
    if found is None and path.is_file() and path.stat().st_size < 4096:
        words = path.read_text(encoding="utf-8", errors="replace").split()
        found = _hex_key(words[0]) if words else None
    if found is None:
        raise InvalidInput(
            f"--key {text[:80]!r} is not a public key: give the 64 hex characters "
            "`accord key show` prints, or a file holding them"
        )
    return found


def _hex_key(text: str) -> str | None:
    value = text.strip().lower()
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else None


def head_message(declaration: str, seq: int, unsigned_hash: str) -> bytes:
    """The bytes signed for the sealing event ``seq``: its hash computed without the signature field."""
    return f"{DOMAIN}\n{declaration}\n{seq}\n{unsigned_hash}".encode()


def unsigned_hash(
    *,
    prev_hash: str,
    declaration: str,
    seq: int,
    type: str,
    actor: str,
    payload: dict[str, Any],
    occurred_at: str,
) -> str:
    """The event's hash as if its payload had no ``signature``."""
    body = {k: v for k, v in payload.items() if k != "signature"}
    return event_hash(
        prev_hash=prev_hash,
        declaration=declaration,
        seq=seq,
        type=type,
        actor=actor,
        payload=canonical_json(body),
        occurred_at=occurred_at,
    )


def sign(key: Ed25519PrivateKey, message: bytes) -> dict[str, str]:
    """The signature record a sealing event carries."""
    return {"algorithm": ALGORITHM, "key": public_hex(key), "value": key.sign(message).hex()}


def signature_problem(record: Any, message: bytes, public_key: str) -> str | None:
    """What is wrong with a signature record against the given public key, or None when it verifies."""
    if not isinstance(record, dict) or record.get("algorithm") != ALGORITHM:
        return "it carries no Ed25519 signature"
    if record.get("key") != public_key:
        return f"it is signed by key {str(record.get('key'))[:16]}..., not by {public_key[:16]}..."
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(str(record["value"])), message
        )
    except (InvalidSignature, ValueError, KeyError):
        return "its signature does not verify: the log was rewritten without the key"
    return None
