"""Secrets of the portal: random tokens kept by their sha256, argon2id passwords, the common-password list."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime

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
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]  # zxcvbn ships no types

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS])


def new_totp_secret() -> str:
    """A TOTP secret (160 random bits, base32) for an authenticator app."""
    import pyotp

    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app takes (typed or pasted: the portal shows no QR image)."""
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="accord")


def totp_step(secret: str | None, code: str, at: datetime) -> int | None:
    """The 30-second step whose code this is, when it is right at ``at`` (one step of drift either way)."""
    import hmac

    import pyotp

    code = "".join(code.split())
    if not secret or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(at)
    steps = (now - 1, now, now + 1)
    return next(
        (step for step in steps if hmac.compare_digest(totp.generate_otp(step), code)), None
    )


def totp_ok(secret: str | None, code: str, at: datetime) -> bool:
    """Whether a 6-digit code is right at ``at`` (one 30-second step of drift either way)."""
    return totp_step(secret, code, at) is not None
