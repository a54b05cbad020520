"""Secrets of the portal: random tokens kept by their sha256, argon2id passwords, the common-password list."""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

COMMON_PASSWORDS = 10_000

# argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, t=3, 64 MiB, p=4).
_HASHER = PasswordHasher()


def new_token() -> str:
    """A fresh secret: 32 random bytes, URL-safe text (invitations, API tokens, session cookies)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """How a token is stored and looked up: a 32-byte random value needs no salt or slow hash, only sha256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """An argon2id hash of a password (salted, with its parameters)."""
    return _HASHER.hash(password)


def check_password(hashed: str | None, password: str) -> bool:
    """Whether a password matches its stored hash; a missing hash still costs one hash, so timing says nothing."""
    try:
        return _HASHER.verify(hashed or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _HASHER.hash(new_token())


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords: the head of zxcvbn's ranked list (MIT licence; from Xato's corpus)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS])
