"""Field codes: what a Word field would do when a person opens the file or updates its fields.

A field is ``w:fldSimple/@w:instr`` or a complex field: ``w:fldChar`` begin, instruction text (``w:instrText``, or
``w:delInstrText`` inside a deletion, which comes back when the deletion is rejected) split over any number of runs,
then separate and end; fields nest. The gate refuses DDE and DDEAUTO (they start a program: the classic way to
run code from a .docx without macros) and a field whose kind is itself computed by a nested field (``{ { QUOTE 68
68 69 } ... }`` spells DDE). Fields that load content from outside the file (INCLUDETEXT, INCLUDEPICTURE, LINK ...)
are reported, never followed: accord reads text, and people opening the stored original should know.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from drafting.errors import MacroContent
from drafting.wordml._safexml import ascii_compatible, clean, refusal
from drafting.wordml.models import Warning_

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FLD_CHAR, _INSTR, _DEL_INSTR, _FLD_SIMPLE = (
    f"{_W}fldChar",
    f"{_W}instrText",
    f"{_W}delInstrText",
    f"{_W}fldSimple",
)
_TYPE, _INSTR_ATTR = f"{_W}fldCharType", f"{_W}instr"

_RUNS_A_PROGRAM = frozenset({"DDE", "DDEAUTO"})
_LOADS_FROM_OUTSIDE = frozenset(
    {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DATABASE"}
)
_NO_FIELD = "remove the field (Alt+F9 shows field codes in Word), save the file and send it again"
_FIRST_WORDS = re.compile(r'\s*([^\s"]+)\s*(?:"([^"]*)"|(\S+))?')

# Only parts that may hold fields are looked at, and only when their bytes name a field at all.
_MARKERS = (b"instrText", b"delInstrText", b"fldSimple")


@dataclass(frozen=True)
class OutsideField:
    """A field that loads content from outside the file: its kind and target, as written."""

    kind: str
    target: str


@dataclass
class _Field:
    instruction: str = ""
    nested_first: bool = (
        False  # a nested field began before any instruction text: it computes this one's kind
    )
    in_result: bool = False  # after the separator: the shown result, no longer the instruction


def may_hold_fields(data: bytes) -> bool:
    """Whether a part's raw bytes may name a field (cheap test before walking the tree). Only in an encoding
    where ASCII stays ASCII can the bytes tell: a part in UTF-16 or UTF-32 is always walked."""
    return not ascii_compatible(data) or any(marker in data for marker in _MARKERS)


def vet_fields(root: etree._Element, *, part: str, name: str) -> list[OutsideField]:
    """Refuse fields that run a program; return the fields that load content from outside the file."""
    outside = []
    for field in _fields(root):
        kind, target = _kind_and_target(field.instruction)
        if field.nested_first:
            why = f"part {clean(part, 60)!r} has a field whose kind is computed by another field, a way to hide DDE"
            raise refusal(MacroContent, name, why, _NO_FIELD)
        if kind in _RUNS_A_PROGRAM:
            why = f"part {clean(part, 60)!r} has a {kind} field, which starts a program when its fields are updated"
            raise refusal(MacroContent, name, why, _NO_FIELD)
        if kind in _LOADS_FROM_OUTSIDE:
            outside.append(OutsideField(kind, target))
    return outside


def field_warnings(fields: list[OutsideField], name: str) -> list[Warning_]:
    """One warning per kind of outside field, with the first target as an example."""
    warnings = []
    for kind, count in sorted(Counter(field.kind for field in fields).items()):
        first = next(field.target for field in fields if field.kind == kind)
        message = (
            f"{clean(name)}: {count} {kind} field(s) loading content from outside the file, e.g. "
            f"{clean(first, 80)!r}; never fetched by accord, but Word may when fields are updated"
        )
        warnings.append(Warning_(code="external-field", message=message))
    return warnings


def _begun(open_fields: list[_Field]) -> _Field:
    """A field that begins; its parent, if still before any instruction, is marked nested first."""
    parent = open_fields[-1] if open_fields else None
    if parent is not None and not parent.in_result and not parent.instruction.strip():
        parent.nested_first = True
    return _Field()


def _fields(root: etree._Element) -> list[_Field]:
    """Every field of the part (complex ones, nested ones, never-closed ones and simple ones)."""
    done: list[_Field] = []
    open_fields: list[_Field] = []
    for element in root.iter(_FLD_CHAR, _INSTR, _DEL_INSTR, _FLD_SIMPLE):
        if element.tag == _FLD_SIMPLE:
            done.append(_Field(instruction=element.get(_INSTR_ATTR, "")))
        elif element.tag != _FLD_CHAR:  # instruction text: the innermost field's, if in it
            if open_fields and not open_fields[-1].in_result:
                open_fields[-1].instruction += element.text or ""
        elif (kind := element.get(_TYPE)) == "begin":
            open_fields.append(_begun(open_fields))
        elif kind == "separate" and open_fields:
            open_fields[-1].in_result = True
        elif kind == "end" and open_fields:
            done.append(open_fields.pop())
    return done + open_fields


def _kind_and_target(instruction: str) -> tuple[str, str]:
    words = _FIRST_WORDS.match(instruction)
    if words is None:
        return "", ""
    return words.group(1).upper(), words.group(2) if words.group(2) is not None else (
        words.group(3) or ""
    )
