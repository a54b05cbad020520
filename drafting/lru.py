"""A mapping that keeps its most recently used entries: what the gate, the reader and intake remember of content
they have seen (by a hash of it), bounded in entries."""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Lru(OrderedDict[K, V]):
    """Keeps the ``maxsize`` most recently used entries; iterating goes from the least recent."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def recall(self, key: K) -> V | None:
        """The value under ``key``, now the most recent, or None."""
        if key not in self:
            return None
        self.move_to_end(key)
        return self[key]

    def keep(self, key: K, value: V) -> V:
        """Store ``value`` under ``key`` as the most recent; the least recent beyond ``maxsize`` go."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.maxsize:
            self.popitem(last=False)
        return value
