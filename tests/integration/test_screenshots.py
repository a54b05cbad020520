"""The pages a person opens, as a browser shows them (issue 14, Done when): headless chromium renders index.html,
synopsis.html, history.html and blame.html of a demo negotiation at a phone's width (390 px) and a desk's, keeps
each screenshot as a PNG under the test's temporary folder (CI keeps them as artifacts), and checks that the page
has its title, is not blank, and does not run past the right edge."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.demo import SLUG, run_demo
from tests.browser import chromium

PAGES = {
    "index": "index.html",
    "synopsis": "round-1/synopsis.html",
    "history": "audit/history.html",
    "blame": "audit/blame.html",
}
PHONE, DESK = 390, 1280


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo negotiation's folder (no PDFs printed: the pages are what is looked at here)."""
    from flows.usecases import pdf

    home = tmp_path_factory.mktemp("screens") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "libreoffice", lambda: None)
        run_demo(home, parties=6, fresh=False, say=lambda line: None)
    return home / "declarations" / SLUG


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium; skipped, saying why, when it or selenium is absent."""
    with chromium("--hide-scrollbars") as driver:
        yield driver


def colours(png: bytes) -> int:
    """How many different colours a screenshot has (8-bit RGB or RGBA, as chromium writes them)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, header, data = 8, b"", b""
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        chunk = png[at + 8 : at + 8 + length]
        header, data = (
            (chunk, data)
            if kind == b"IHDR"
            else (header, data + chunk if kind == b"IDAT" else data)
        )
        at += 12 + length
    width, height, depth, kind = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and kind in (2, 6), (depth, kind)
    size = 3 if kind == 2 else 4
    raw, stride, rows, previous = zlib.decompress(data), width * size, [], bytearray(width * size)
    for y in range(
        min(height, 400)
    ):  # the top of the page (pure Python is slow: a whole page takes seconds)
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        row = _unfilter(line[0], bytearray(line[1:]), previous, size)
        rows.append(bytes(row))
        previous = row
    return len({row[i : i + size] for row in rows[::7] for i in range(0, stride, size * 5)})


def _unfilter(kind: int, row: bytearray, up: bytearray, size: int) -> bytearray:
    for i in range(len(row)):
        left = row[i - size] if i >= size else 0
        corner = up[i - size] if i >= size else 0
        if kind == 1:
            row[i] = (row[i] + left) & 255
        elif kind == 2:
            row[i] = (row[i] + up[i]) & 255
        elif kind == 3:
            row[i] = (row[i] + (left + up[i]) // 2) & 255
        elif kind == 4:
            p = left + up[i] - corner
            pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - corner)
            row[i] = (
                row[i] + (left if pa <= pb and pa <= pc else up[i] if pb <= pc else corner)
            ) & 255
    return row


@pytest.mark.parametrize("width", [PHONE, DESK])
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_renders_with_its_title_and_fits_the_width(
    browser: Any, folder: Path, tmp_path: Path, name: str, width: int
) -> None:
    browser.set_window_size(width, 900)
    browser.get((folder / PAGES[name]).as_uri())
    title = browser.title
    scroll, inner, text = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth, document.body.innerText]"
    )
    browser.set_window_size(
        width, min(browser.execute_script("return document.documentElement.scrollHeight"), 4000)
    )
    shot = tmp_path / f"{name}-{width}.png"
    assert browser.save_screenshot(str(shot)), shot
    assert "Santa Cruz Declaration" in title, title
    assert (
        len(text) > 500 and "Santa Cruz Declaration" in text
    )  # the page is there, not an error or a blank page
    assert colours(shot.read_bytes()) >= 4, f"{shot} is nearly one colour"
    assert scroll <= inner, (
        f"{PAGES[name]} is {scroll} px wide in a {inner} px window: it runs past the right edge"
    )


def test_a_blank_screenshot_is_told_from_a_page(tmp_path: Path) -> None:
    """The check above can fail: a one-colour PNG (written here by hand) has one colour."""
    width, height = 40, 30
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    assert colours(png) == 1
