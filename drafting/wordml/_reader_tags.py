"""Namespace URIs and Clark-notation tag names the reader compares against (plain string equality is fastest)."""

from __future__ import annotations

from lxml import etree

from drafting.characters import RUN_ELEMENTS, XML_SPACE, read_stored
from drafting.wordml.models import ChangeType

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(local: str) -> str:
    """Return the Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{local}"


# block level
P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    w("p"),
    w("tbl"),
    w("tr"),
    w("tc"),
    w("sdt"),
    w("sdtContent"),
    w("customXml"),
)
ALT_CHUNK, SECT_PR, TXBX_CONTENT = w("altChunk"), w("sectPr"), w("txbxContent")
FOOTNOTE, ENDNOTE = w("footnote"), w("endnote")

# properties
P_PR, R_PR, TBL_PR, TBL_GRID, TR_PR, TC_PR, TBL_PR_EX = (
    w("pPr"),
    w("rPr"),
    w("tblPr"),
    w("tblGrid"),
    w("trPr"),
    w("tcPr"),
    w("tblPrEx"),
)
P_STYLE, R_STYLE, VANISH, COLOR, HIGHLIGHT, SHD = (
    w("pStyle"),
    w("rStyle"),
    w("vanish"),
    w("color"),
    w("highlight"),
    w("shd"),
)
NUM_PR = w("numPr")

# runs and run content
R = w("r")
T, DEL_TEXT = w("t"), w("delText")
COMMENT_RANGE_START, COMMENT_RANGE_END, COMMENT_REFERENCE = (
    w("commentRangeStart"),
    w("commentRangeEnd"),
    w("commentReference"),
)

# revision wrappers
INS, DEL, MOVE_FROM, MOVE_TO = w("ins"), w("del"), w("moveFrom"), w("moveTo")
CELL_INS, CELL_DEL = w("cellIns"), w("cellDel")

# inline containers whose children are runs (walked through transparently)
INLINE_CONTAINERS = frozenset(
    {w("hyperlink"), w("smartTag"), w("fldSimple"), w("dir"), w("bdo"), CUSTOM_XML}
)

# graphic objects that may hold text boxes (excluded from the text, scanned for changes and comments)
GRAPHIC_HOSTS = frozenset({w("drawing"), w("pict"), w("object")})

ALTERNATE_CONTENT, MC_CHOICE = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice"

# run content -> text, as drafting/characters.py reads it (w:t and w:delText are handled apart, by text_of)
RUN_TEXT = {w(name): text for name, text in RUN_ELEMENTS.items()}
A_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def text_of(element: etree._Element) -> str:
    """The text of a w:t or w:delText as Word and LibreOffice show it (drafting/characters.py)."""
    text = element.text
    if not text:
        return ""
    if text[0] in XML_SPACE or text[-1] in XML_SPACE:
        return read_stored(text, preserved=element.get(A_XML_SPACE) == "preserve")
    return read_stored(text)


# formatting changes, wherever they sit
FORMAT_CHANGES = frozenset(
    w(name)
    for name in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "tblPrExChange",
        "numberingChange",
        "cellMerge",
    )
)

# w:numPr/w:ins marks numbering added to a paragraph: a formatting change like numberingChange
NUMBERING_CHANGES = frozenset({INS, *FORMAT_CHANGES})

# property children worth a look (one set-membership test per child is the cheapest filter)
PARAGRAPH_PROPS = frozenset({P_STYLE, R_PR, SHD, SECT_PR, NUM_PR, *FORMAT_CHANGES})
MARK_PROPS = frozenset({INS, DEL, MOVE_FROM, MOVE_TO, *FORMAT_CHANGES})
ROW_PROPS = frozenset({INS, DEL, *FORMAT_CHANGES})
CELL_PROPS = frozenset({CELL_INS, CELL_DEL, SHD, *FORMAT_CHANGES})
LOOK_PROPS = frozenset({VANISH, COLOR, HIGHLIGHT, SHD, R_STYLE})

WRAPPER_TYPES = {
    INS: ChangeType.INSERT,
    DEL: ChangeType.DELETE,
    MOVE_FROM: ChangeType.MOVE_FROM,
    MOVE_TO: ChangeType.MOVE_TO,
}
MARK_TYPES = {
    INS: ChangeType.PARAGRAPH_INSERT,
    MOVE_TO: ChangeType.PARAGRAPH_INSERT,
    DEL: ChangeType.PARAGRAPH_DELETE,
    MOVE_FROM: ChangeType.PARAGRAPH_DELETE,
}

# attributes
A_ID, A_AUTHOR, A_DATE, A_VAL, A_FILL = w("id"), w("author"), w("date"), w("val"), w("fill")
A_INITIALS, A_TYPE = w("initials"), w("type")
A_PARA_ID = f"{{{W14_NS}}}paraId"
