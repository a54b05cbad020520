"""The bounded memory of the gate, the reader and intake: the least recently used entry goes first."""

from __future__ import annotations

from drafting.lru import Lru


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: Lru[str, int] = Lru(2)
    cache.keep("a", 1)
    cache.keep("b", 2)
    assert cache.recall("a") == 1  # "a" is now the most recent
    cache.keep("c", 3)
    assert list(cache) == ["a", "c"] and cache.recall("b") is None


def test_a_falsy_value_is_still_remembered() -> None:
    cache: Lru[str, tuple[int, ...]] = Lru(4)
    assert cache.keep("none found", ()) == () and cache.recall("none found") == ()
