"""The demo's console line on a circulated revision counts the bracketed paragraphs of every language it holds,
not the first language's only."""

from __future__ import annotations

from flows.demo import bracketed_line


def test_one_language_is_said_without_a_list() -> None:
    assert bracketed_line({"en": 3}) == "3 paragraphs bracketed"
    assert bracketed_line({"fr": 1}) == "1 paragraph bracketed"


def test_languages_that_agree_are_said_once_with_their_codes() -> None:
    assert bracketed_line({"en": 3, "es": 3}) == "3 paragraphs bracketed (en, es)"
    assert bracketed_line({"en": 0, "es": 0}) == "0 paragraphs bracketed (en, es)"


def test_languages_that_differ_each_say_their_count() -> None:
    assert bracketed_line({"en": 3, "es": 2}) == "3 paragraphs bracketed in en and 2 in es"
    assert bracketed_line({"en": 1, "es": 0, "fr": 1}) == (
        "1 paragraph bracketed in en, 0 in es and 1 in fr"
    )
