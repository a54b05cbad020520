"""The bundle's verify.py checks Ed25519 by RFC 8032 arithmetic where `cryptography` is not installed: it must
give the answer `cryptography` gives, for valid signatures and for every kind of wrong one."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from flows.bundle_verify import _cryptography_verify, _rfc8032_verify

# RFC 8032, section 7.1, TEST 2 (one-byte message).
PUBLIC = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
SIGNATURE = bytes.fromhex(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
)


def test_the_rfc_8032_vector() -> None:
    assert _rfc8032_verify(PUBLIC, b"\x72", SIGNATURE)
    assert not _rfc8032_verify(PUBLIC, b"\x73", SIGNATURE)


@pytest.mark.parametrize("case", range(25))
def test_the_arithmetic_agrees_with_cryptography(case: int) -> None:
    draw = random.Random(case)  # fixed cases: the same keys, messages and flipped bits every run
    key = Ed25519PrivateKey.from_private_bytes(draw.randbytes(32))
    message, flip = draw.randbytes(draw.randrange(200)), draw.randrange(64 * 8)
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    signature = key.sign(message)
    assert _rfc8032_verify(public, message, signature) and _cryptography_verify(
        public, message, signature
    )
    bad = bytearray(signature)
    bad[flip // 8] ^= 1 << (flip % 8)
    assert _rfc8032_verify(public, message, bytes(bad)) == _cryptography_verify(
        public, message, bytes(bad)
    )
    assert not _rfc8032_verify(public, message + b"!", signature)
