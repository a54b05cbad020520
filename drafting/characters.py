"""One text model for the characters Word and LibreOffice store in more than one way.

A delegation that opens its copy and saves it unchanged must not appear to have changed a word, whichever word
processor it used. LibreOffice, for one, saves the character U+2011 as the element ``w:noBreakHyphen``, U+00AD
as ``w:softHyphen``, a ``w:sym`` as its character in ``w:t``, and trims the spaces at the ends of a ``w:t``
that lacks ``xml:space="preserve"``. Each form below is *read* the same way by the reader (drafting/wordml), and
what still differs between forms is *compared* through ``canonical``:

=====================================================  ========================  =================
stored form (any of)                                   read as (display)         compared as
=====================================================  ========================  =================
``w:noBreakHyphen``                                    "-" (corpus rule [1])     "-"
U+2011 NON-BREAKING HYPHEN in ``w:t``                  U+2011                    "-"
``w:softHyphen``; U+00AD SOFT HYPHEN in ``w:t``        nothing (dropped [1])     nothing
``w:sym``; its character (U+F000-U+F0FF) in ``w:t``    nothing (dropped [1])     nothing
U+00A0 NO-BREAK SPACE, U+202F NARROW NO-BREAK SPACE    kept                      " "
``w:tab``, ``w:ptab``, a tab in ``w:t``                "\\t"                     "\\t"
``w:br`` (any type), ``w:cr``                          "\\n"                     "\\n"
a line feed inside ``w:t``                             " " (as both show it)     " "
spaces at the ends of a ``w:t`` without                dropped (as both do)      dropped
``xml:space="preserve"``
one text in one run, or split over runs and ``w:t``    the joined text           the joined text
=====================================================  ========================  =================

[1] ../shared/corpus/real-word/SOURCES.md: the expected texts of the real-Word corpus read ``w:noBreakHyphen`` as
"-" and drop ``w:sym`` and ``w:softHyphen``; the other stored form of each is read alike. ECMA-376 calls the
non-breaking hyphen a hyphen-minus that does not break, so "-" is its canonical form.

The canonical form is for comparing only: ``conform`` spells a submission's text as the base spells it wherever
the two are canonically equal, so the base's characters (a U+2011, a no-break space) survive into compilations
and revisions. The writer writes U+2011 as it is, in ``w:t``: Word shows the Unicode non-breaking hyphen as one,
LibreOffice reads it as its own non-breaking hyphen (tests/integration/test_libreoffice_characters.py), and accord
reads its own documents back exactly. Where a returned document is aligned with the one accord issued (the
co-presidencies' decisions, drafting/decisions.py), both are compared in canonical form.
``canonical`` maps one character to one character, so offsets in the canonical text are offsets in the text.
"""

from __future__ import annotations

import re

from drafting._diff import word_diff

# Run content elements (local names in the w: namespace) and the text each is read as; w:softHyphen and w:sym
# are read as nothing, so they are not listed.
RUN_ELEMENTS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}

XML_SPACE = " \t\r\n"  # what a w:t without xml:space="preserve" loses at its ends

_STORED = re.compile("[\n\u00ad\uf000-\uf0ff]")
_FOLD = {"\u2011": "-", "\u00a0": " ", "\u202f": " "}


def read_stored(text: str, *, preserved: bool = True) -> str:
    """The text of a ``w:t`` or ``w:delText`` as Word and LibreOffice show it (``preserved``: its xml:space)."""
    if not preserved:
        text = text.strip(XML_SPACE)
    return _STORED.sub(_stored_as, text) if _STORED.search(text) else text


def _stored_as(match: re.Match[str]) -> str:
    return " " if match.group() == "\n" else ""


def canonical(text: str) -> str:
    """The form in which two spellings of one character compare equal (one character for one character)."""
    for (
        spelling,
        folded,
    ) in _FOLD.items():  # str.replace: several times faster than str.translate here
        if spelling in text:
            text = text.replace(spelling, folded)
    return text


def conform(text: str, base: str) -> str:
    """``text`` spelt as ``base`` wherever the two are canonically equal; as long as ``text``, offset for offset."""
    if text == base:
        return text
    canonical_text, canonical_base = canonical(text), canonical(base)
    if canonical_text == text and canonical_base == base:
        return text  # nothing is spelt two ways: the texts differ as they are
    if canonical_text == canonical_base:
        return base
    return _respelt(text, base, word_diff(canonical_base, canonical_text))


def _respelt(text: str, base: str, diffs: list[tuple[int, str]]) -> str:
    """``text`` with the words it shares with ``base`` (``diffs`` of their canonical forms) as ``base`` spells them."""
    pieces: list[str] = []
    at_text = at_base = 0
    for op, piece in diffs:
        size = len(piece)
        if op == 0:
            pieces.append(base[at_base : at_base + size])
        elif op == 1:
            pieces.append(text[at_text : at_text + size])
        at_base += size if op <= 0 else 0
        at_text += size if op >= 0 else 0
    return "".join(pieces)
