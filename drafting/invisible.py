"""Invisible and look-alike characters in an amendment, found and shown the way GitHub shows them.

A proposal can say something other than what a reader sees: a right-to-left override reorders the words on screen
but not in the text (CVE-2021-42574, "Trojan Source"), a zero-width space splits a word a search then misses, a
no-break space replaces a space, a Cyrillic "а" stands in a Latin word. None is refused (Arabic text needs its
direction marks, French its no-break spaces): each is flagged on the amendment and shown as ``⟨U+202E⟩``.

    findings("pay ‮tnuocca‬")       -> [Finding("bidi-control", "U+202E RIGHT-TO-LEFT OVERRIDE"), ...]
    visible("pay ‮tnuocca‬")        -> "pay ⟨U+202E⟩tnuocca⟨U+202C⟩"

Pure functions of the text: the same file gives the same flags, so a replay gives the same log.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

BIDI_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
ZERO_WIDTH = frozenset(
    {0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF}
)
NO_BREAK_SPACES = frozenset({0x00A0, 0x2007, 0x202F})
# Scripts that share words in ordinary writing (Japanese mixes Kanji and kana): not a look-alike
_COMPATIBLE = ({"CJK", "HIRAGANA", "KATAKANA"}, {"HANGUL", "CJK"})
_WORD = re.compile(r"\w+")
_ASCII_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f]"
)  # ASCII's hidden characters: its controls but \n, \t
_FLAGGED = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in sorted(BIDI_CONTROLS | ZERO_WIDTH | NO_BREAK_SPACES))
    + "]"
)
_KINDS = {
    "bidi-control": "a bidirectional control (it reorders what is shown, not the text)",
    "zero-width": "a zero-width character (invisible; it splits or joins words)",
    "no-break-space": "a no-break space (looks like a space)",
    "mixed-script": "a word mixing scripts (a look-alike letter, e.g. a Cyrillic a in a Latin word)",
}


class Finding(NamedTuple):
    """One invisible or look-alike character (or word) in a text."""

    kind: str  # a key of _KINDS
    detail: str  # the character's code point and name, or the word shown visibly


def findings(text: str) -> list[Finding]:
    """Every invisible character and mixed-script word in ``text``, in order, each character once."""
    if text.isascii():
        return []  # every flagged character is beyond ASCII, and ASCII letters are all Latin: the usual text, at once
    found: dict[Finding, None] = {}
    for match in _FLAGGED.finditer(text):
        char = match.group()
        found[
            Finding(str(_kind(ord(char))), f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}")
        ] = None
    for word in _WORD.findall(text):
        if not word.isascii() and _mixed(word):
            found[Finding("mixed-script", visible(word))] = None
    return list(found)


def visible(text: str) -> str:
    """``text`` with every invisible character and control (but line breaks and tabs) as ⟨U+XXXX⟩."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text  # the usual text, at once: beyond ASCII's controls, nothing in it is hidden
    return "".join(f"⟨U+{ord(c):04X}⟩" if _hidden(c) else c for c in text)


def describe(found: list[Finding], limit: int = 4) -> str:
    """The findings in a phrase: ``a bidirectional control ... (U+202E RIGHT-TO-LEFT OVERRIDE)``."""
    by_kind: dict[str, list[str]] = {}
    for finding in found:
        by_kind.setdefault(finding.kind, []).append(finding.detail)
    parts = []
    for kind, details in by_kind.items():
        more = f" and {len(details) - limit} more" if len(details) > limit else ""
        parts.append(f"{_KINDS[kind]}: {', '.join(details[:limit])}{more}")
    return "; ".join(parts)


def _kind(code: int) -> str | None:
    if code in BIDI_CONTROLS:
        return "bidi-control"
    if code in ZERO_WIDTH:
        return "zero-width"
    if code in NO_BREAK_SPACES:
        return "no-break-space"
    return None


def _hidden(char: str) -> bool:
    if char in "\n\t":
        return False
    if char == " ":
        return False
    # Separators but the ASCII space look like a space and are not one (U+2003 EM SPACE, U+3000, or U+1680 OGHAM
    # SPACE MARK, which most fonts draw as a dash): shown by code point, as Python's isprintable() rules them out
    return _kind(ord(char)) is not None or unicodedata.category(char) in {
        "Cc",
        "Cf",
        "Co",
        "Cn",
        "Zs",
        "Zl",
        "Zp",
    }


def _mixed(word: str) -> bool:
    scripts = {_script(c) for c in word if c.isalpha()}
    if len(scripts) < 2:
        return False
    return not any(scripts <= compatible for compatible in _COMPATIBLE)


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, from its Unicode name (LATIN, CYRILLIC, GREEK, FULLWIDTH, MATHEMATICAL ...)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


HIDDEN_TEXT = "hidden text / invisible character"


def amendment_flags(inserted: str) -> list[str]:
    """What a co-presidency must see next to an amendment whose words hold invisible or look-alike characters:
    one line naming them, with the words as typed (``⟨U+202E⟩``); none for ordinary text."""
    found = findings(inserted)
    if not found:
        return []
    shown = visible(" ".join(inserted.replace("\u2029", " ").split(" ")))
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return [f"{HIDDEN_TEXT}: {describe(found)}; as typed: '{shown}'"]
