"""A package's members once inflated: the parts by name with their fingerprints, and the cache of large members
that copies of one template share (see ``_zipcheck.open_zip``)."""

from __future__ import annotations

import hashlib
import struct
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class Members:
    """The decompressed parts by name, and each part's fingerprint.

    A fingerprint is the sha256 of the member as stored (method, CRC-32, size and compressed bytes). Inflating is
    deterministic, so equal fingerprints mean equal content: a verdict or a reading that depends only on a part's
    bytes can be remembered by fingerprint, which costs a hash of the compressed bytes (13 KB for the samples'
    styles) instead of inflating and hashing 350 KB.
    """

    parts: dict[str, bytes] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)


class InflatedParts:
    """Large members already inflated, by fingerprint, least recently used first out; bounded in bytes.

    60 delegations return copies of one template, whose two style parts (790 KB inflated in the samples) then need
    inflating once. Small members are cheap to inflate and not kept."""

    def __init__(self, budget: int = 32 * 1024 * 1024, minimum: int = 64 * 1024) -> None:
        self.budget, self.minimum = budget, minimum
        self.parts: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0

    def get(self, fingerprint: str) -> bytes | None:
        part = self.parts.get(fingerprint)
        if part is not None:
            self.parts.move_to_end(fingerprint)
        return part

    def put(self, fingerprint: str, part: bytes) -> None:
        if len(part) < self.minimum or len(part) > self.budget // 4 or fingerprint in self.parts:
            return
        self.parts[fingerprint] = part
        self.size += len(part)
        while self.size > self.budget:
            self.size -= len(self.parts.popitem(last=False)[1])


def member_fingerprint(method: int, crc: int, size: int, stored: bytes) -> str:
    """The sha256 of what determines a member's inflated bytes and what zipfile checks them against."""
    digest = hashlib.sha256(struct.pack("<HLQ", method, crc, size))
    digest.update(stored)
    return digest.hexdigest()
