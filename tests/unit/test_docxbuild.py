"""tests/docxbuild.py gives the same bytes for the same body, whenever it runs: tests compare a stored file with
a second build of it (a CI run failed when the two builds fell on either side of a two-second tick)."""

from __future__ import annotations

import time

import pytest

from tests.docxbuild import build_docx

BODY = "<w:p><w:r><w:t>Agreed.</w:t></w:r></w:p>"


def test_a_body_built_an_hour_later_has_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    now = build_docx(BODY)
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert build_docx(BODY) == now
