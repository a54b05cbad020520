"""One XML parser for every part of an untrusted package: no DTDs, no entities, no network, bounded size and depth.

Two lines of defence. ``check_raw_xml`` looks at the raw bytes before any parser does: a ``<!`` that opens
neither a comment nor a CDATA section (so ``<!DOCTYPE``, ``<!ENTITY``, ``<!ELEMENT`` ...) is refused whatever the
byte encoding (UTF-8, UTF-16 and UTF-32 in both byte orders, with or without BOM), and an encoding declaration
other than the UTF and ASCII-compatible ones (UTF-7, EBCDIC ...) is refused because it could hide one.
``parse_part`` runs that check again, then parses with lxml locked down and checks depth and size.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import TypeVar

from lxml import etree

from drafting.errors import NotAWordFile, RefusedFile, UnsafeXml

MAX_DEPTH = 200
MAX_TAGS = 1_000_000  # ~120 MB of lxml tree at worst; a 1,000-page Word document stays far below
MAX_BYTES = (
    32 * 1024 * 1024
)  # per part; a document.xml this large is a book of several thousand pages

_E = TypeVar("_E", bound=RefusedFile)
_MESSAGE_FIELD = 120
_RESEND = "save the file again from Word and send it again"


def clean(text: str, width: int = _MESSAGE_FIELD) -> str:
    """Make an untrusted string (file or part name, link target) safe to print on one line."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= width else printable[: width - 3] + "..."


def size_text(size: int) -> str:
    """A byte count as people read it: "884 bytes", "3.5 MiB"."""
    return f"{size / 2**20:.3g} MiB" if size >= 2**20 else f"{size} bytes"


def refusal(cls: type[_E], name: str, why: str, todo: str) -> _E:
    """Build a refusal whose message is one line: file, why, what to do."""
    return cls(f"{clean(name)}: refused, {why}; {todo}")


def is_hidden(ch: str) -> bool:
    """A character a person does not see in a file name: control (Cc), format (Cf: zero-width characters and the
    bidirectional overrides U+202A-202E, U+2066-2069) and the line and paragraph separators."""
    return unicodedata.category(ch) in {"Cf", "Cc"} or ch in "\u2028\u2029"


def display_name(name: str) -> str:
    """An upload's name for display: NFC, its last path component only (never a path), without hidden characters."""
    shown = unicodedata.normalize("NFC", "".join(c for c in name if not is_hidden(c)))
    return shown.replace("\\", "/").rsplit("/", 1)[-1].strip()


def check_upload_name(name: str) -> None:
    """Refuse a name that hides its real extension behind invisible or direction controls: "minutes\u202excod.exe"
    shows as "minutesexe.docx" (the hostile-file catalogue's RLO trick). The name without them, in NFC, must end
    in .docx; a name without such characters is only displayed, never trusted."""
    hidden = [c for c in name if is_hidden(c)]
    if not hidden:
        return
    real = unicodedata.normalize("NFC", "".join(c for c in name if c not in hidden)).rstrip(". ")
    extension = real.rsplit(".", 1)[-1].casefold() if "." in real.rsplit("/", 1)[-1] else ""
    if extension != "docx":
        why = (
            f"its name hides its real extension ({'.' + extension if extension else 'none'}) behind invisible "
            f"characters (U+{ord(hidden[0]):04X})"
        )
        raise refusal(
            NotAWordFile, name, why, "rename it to a plain name ending in .docx and send it again"
        )


# ``<!`` opening anything but a comment or CDATA, in each encoding a parser might pick.
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _declaration_pattern(encoding: str) -> re.Pattern[bytes]:
    def lit(text: str) -> bytes:
        return re.escape(text.encode(encoding))

    return re.compile(lit("<!") + b"(?!" + lit("--") + b"|" + lit("[CDATA[") + b")")


_DECLARATIONS = tuple(_declaration_pattern(enc) for enc in _ENCODINGS)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_NO_BOM = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_ENCODING_DECL = re.compile(r"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_SAFE_ENCODING = re.compile(
    r"(utf-?(8|16|32)(-?[lb]e)?|us-ascii|ascii|iso-8859-\d{1,2}|latin-?1|(windows|cp)-?125\d)"
)


def _sniff_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding the bytes start in and the BOM length, or None for a start no Word part has."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    for head, encoding in _NO_BOM:
        if data.startswith(head):
            return encoding, 0
    if b"\x00" in data[:4]:  # UCS-4 in odd byte orders and the like
        return None
    return "utf-8", 0


def ascii_compatible(data: bytes) -> bool:
    """Whether markup in these bytes is ASCII bytes (UTF-8 and what declares itself so; not UTF-16 or UTF-32), so
    that a byte search for a tag name can tell whether the part holds one."""
    sniffed = _sniff_encoding(data)
    return sniffed is not None and sniffed[0] == "utf-8"


_DECLARES_ENTITIES = (
    "declares a DOCTYPE or ENTITY, which Word never writes and which hides entity attacks (billion laughs, "
    "external files)"
)


def check_raw_xml(data: bytes, *, part: str, name: str) -> None:
    """Refuse DOCTYPE/ENTITY (any ``<!`` declaration) and exotic encodings on the raw bytes, before parsing."""
    where = f"part {clean(part, 60)!r}"
    # b"!": a cheap pre-filter, since every encoding of "<!" contains the byte 0x21
    if b"!" in data and any(pattern.search(data) for pattern in _DECLARATIONS):
        raise _unsafe(name, f"{where} {_DECLARES_ENTITIES}")
    head = _head(data)
    if head is None:  # EBCDIC, UCS-4 2143 ...
        raise _unsafe(name, f"{where} is in a byte encoding Word never writes")
    declared = _ENCODING_DECL.match(head)
    if declared and not _SAFE_ENCODING.fullmatch(declared.group(1).strip().lower()):
        raise _unsafe(
            name,
            f"{where} declares the encoding {clean(declared.group(1), 30)!r}, which Word never writes and "
            "which can hide markup",
        )


def _head(data: bytes) -> str | None:
    """The first 512 bytes of a part as text, in the encoding its bytes show; None when that encoding is none
    Word writes or the text does not start with markup."""
    sniffed = _sniff_encoding(data)
    if sniffed is None:
        return None
    head = data[sniffed[1] : sniffed[1] + 512].decode(sniffed[0], errors="replace")
    return None if head.strip() and not head.lstrip().startswith("<") else head


def _unsafe(name: str, message: str) -> UnsafeXml:
    """The refusal of a part that is not XML as Word writes it."""
    return refusal(UnsafeXml, name, message, _RESEND)


_local = threading.local()  # lxml parsers must not be shared between threads


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            huge_tree=False,  # keeps libxml2's own caps: depth 256, 10 MB per text node
            remove_blank_text=False,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


@functools.lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    return etree.XPath("boolean(/" + "/".join(["*"] * (depth + 1)) + ")")


def _too_deep(name: str, part: str, depth: int) -> UnsafeXml:
    return refusal(
        UnsafeXml,
        name,
        f"part {clean(part, 60)!r} nests elements more than {depth} deep, which no real document does",
        _RESEND,
    )


def parse_part(
    data: bytes,
    *,
    part: str,
    name: str,
    max_depth: int = MAX_DEPTH,
    max_tags: int = MAX_TAGS,
    max_bytes: int = MAX_BYTES,
) -> etree._Element:
    """Parse one package part; refuse DTDs, entities, malformed XML, absurd nesting and absurd size."""
    # Both bound the tree lxml would build: bytes for text, tags (an upper bound on elements) for nodes.
    if len(data) > max_bytes or data.count(b"<") > max_tags:
        why = (
            f"part {clean(part, 60)!r} is larger than {size_text(max_bytes)} or {max_tags} XML tags"
        )
        raise refusal(UnsafeXml, name, f"{why} (memory exhaustion?)", _RESEND)
    check_raw_xml(data, part=part, name=name)
    root = _parsed(data, part, name, max_depth)
    if root.getroottree().docinfo.internalDTD is not None:  # any DOCTYPE, internal subset or not
        raise _unsafe(name, f"part {clean(part, 60)!r} declares a DOCTYPE, which Word never writes")
    if _deeper_than(max_depth)(root):
        raise _too_deep(name, part, max_depth)
    return root


def _parsed(data: bytes, part: str, name: str, max_depth: int) -> etree._Element:
    """The part's tree, with lxml's hardened parser; a syntax error refused in words."""
    try:
        return etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in (exc.msg or "").lower():
            raise _too_deep(name, part, max_depth) from None
        why = f"part {clean(part, 60)!r} is not well-formed XML ({clean(exc.msg or '', 80)})"
        raise _unsafe(name, why) from None
