"""Builders of WordprocessingML fragments for the reader's tests: runs, tracked changes, paragraphs, tables, and
``read`` that wraps a body into a .docx (``tests.docxbuild``) and reads it."""

from __future__ import annotations

from typing import Any

from drafting.wordml.models import (
    Reading,
)
from drafting.wordml.reader import read_docx
from tests.docxbuild import build_docx

DATE = "2024-05-01T10:00:00Z"


def r(text: str, rpr: str = "") -> str:
    """A run of ordinary text."""
    return (
        f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'
    )


def dr(text: str) -> str:
    """A run of deleted text."""
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def ins(inner: str, cid: str = "1", author: str = "Austria", tag: str = "ins") -> str:
    return f'<w:{tag} w:id="{cid}" w:author="{author}" w:date="{DATE}">{inner}</w:{tag}>'


def dele(inner: str, cid: str = "2", author: str = "Brazil", tag: str = "del") -> str:
    return f'<w:{tag} w:id="{cid}" w:author="{author}" w:date="{DATE}">{inner}</w:{tag}>'


def p(inner: str, mark: str = "", ppr: str = "", para_id: str | None = None) -> str:
    """A paragraph; ``mark`` goes into the paragraph mark's w:rPr (e.g. a w:del flag)."""
    rpr = f"<w:rPr>{mark}</w:rPr>" if mark else ""
    props = f"<w:pPr>{ppr}{rpr}</w:pPr>" if ppr or rpr else ""
    attr = f' w14:paraId="{para_id}"' if para_id else ""
    return f"<w:p{attr}>{props}{inner}</w:p>"


def mark(tag: str, cid: str, author: str = "Austria") -> str:
    return f'<w:{tag} w:id="{cid}" w:author="{author}" w:date="{DATE}"/>'


def cell(inner: str, tcpr: str = "") -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{tcpr}</w:tcPr>{inner}</w:tc>'


def row(*cells: str, trpr: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{''.join(cells)}</w:tr>"


def table(*rows: str) -> str:
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>{"".join(rows)}</w:tbl>'


def read(body: str, **parts: Any) -> Reading:
    return read_docx(build_docx(body, **parts), name="test.docx")


def kinds(reading: Reading, index: int = 0) -> list[tuple[str, str]]:
    return [(seg.kind.value, seg.text) for seg in reading.paragraphs[index].segments]
