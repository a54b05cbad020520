"""Read a .docx through LibreOffice (UNO) and print what LibreOffice sees, as JSON, one object per file.

Runs under Debian's /usr/bin/python3 (the only interpreter with the ``uno`` module), never the venv:

    /usr/bin/python3 tests/lo_probe.py [--connect PIPE_NAME] FILE...

With --connect it talks to a soffice already accepting on that pipe; without, it starts a private one and stops it.
Documents are loaded WITHOUT a view (a bare TextDocument model and XLoadable.load): with libreoffice-writer-nogui,
opening a document that has comments in a frame crashes soffice. Accept-all / reject-all texts are computed from
LibreOffice's own text portions (RedlineType Insert/Delete, IsStart), since accepting changes needs a dispatcher.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

SOFFICE = "/usr/bin/soffice"
INSERT, DELETE = "Insert", "Delete"


def _prop(name: str, value: Any) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def connect(pipe: str, timeout: float = 60.0) -> Any:
    """Return the remote component context of a soffice accepting on ``pipe``, waiting up to ``timeout`` s."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def load(ctx: Any, path: Path) -> Any:
    """Load a file into a TextDocument model that has no frame or view."""
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    args = (
        _prop("URL", path.resolve().as_uri()),
        _prop("FilterName", "MS Word 2007 XML"),
        _prop("ReadOnly", True),
        _prop("Hidden", True),
    )
    doc.load(args)
    return doc


class _Views:
    """Accumulates the shown, accepted and rejected paragraph texts while portions are walked in order."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.styles: list[str] = []
        self.fonts: list[str] = []
        self.labels: list[str] = []
        self.accepted: list[str] = [""]
        self.rejected: list[str] = [""]
        self.open: dict[
            str, str
        ] = {}  # redline identifier -> type, for redlines started but not yet ended

    def text(self, value: str) -> None:
        kinds = set(self.open.values())
        if DELETE not in kinds:
            self.accepted[-1] += value
        if INSERT not in kinds:
            self.rejected[-1] += value

    def paragraph_end(self, shown: str) -> None:
        # A redline still open at the end of a paragraph covers its mark.
        self.shown.append(shown)
        kinds = set(self.open.values())
        if DELETE not in kinds:
            self.accepted.append("")
        if INSERT not in kinds:
            self.rejected.append("")


def _text(value: str) -> str:
    # LibreOffice shows a line break as U+000A and a tab as U+0009 already; a paragraph end never appears here.
    return value


def _walk_paragraph(paragraph: Any, views: _Views, comment_ranges: list[str]) -> None:
    views.styles.append(paragraph.ParaStyleName)
    views.labels.append(paragraph.ListLabelString)
    font = ""
    portions = paragraph.createEnumeration()
    while portions.hasMoreElements():
        portion = portions.nextElement()
        kind = portion.TextPortionType
        if kind == "Redline":
            ident = portion.RedlineIdentifier
            if portion.IsStart:
                views.open[ident] = portion.RedlineType
            else:
                views.open.pop(ident, None)
        elif kind == "Text":
            font = font or portion.CharFontName
            views.text(_text(portion.getString()))
        elif kind in ("Annotation", "AnnotationEnd"):
            comment_ranges.append(kind)
    views.fonts.append(font)  # the font of the paragraph's first text
    views.paragraph_end(paragraph.getString())


def _walk(text: Any, views: _Views, comment_ranges: list[str]) -> None:
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        element = paragraphs.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                _walk(element.getCellByName(name), views, comment_ranges)
        else:
            _walk_paragraph(element, views, comment_ranges)


def _date(value: Any) -> str:
    return f"{value.Year:04d}-{value.Month:02d}-{value.Day:02d}T{value.Hours:02d}:{value.Minutes:02d}:{value.Seconds:02d}"


def _redlines(doc: Any) -> list[dict[str, str]]:
    found = []
    redlines = doc.getRedlines().createEnumeration()
    while redlines.hasMoreElements():
        redline = redlines.nextElement()
        found.append(
            {
                "type": redline.RedlineType,
                "author": redline.RedlineAuthor,
                "date": _date(redline.RedlineDateTime),
            }
        )
    return found


def _comments(doc: Any) -> list[dict[str, str]]:
    found = []
    fields = doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation"):
            found.append(
                {"author": field.Author, "initials": field.Initials, "text": field.Content}
            )
    return found


def read(ctx: Any, path: Path) -> dict[str, Any]:
    """Everything the tests compare, read from one document through LibreOffice."""
    doc = load(ctx, path)
    try:
        doc.ShowChanges = True  # hidden deletions would leave the body otherwise
        views, comment_ranges = _Views(), list[str]()
        _walk(doc.getText(), views, comment_ranges)
        return {
            "file": str(path),
            "paragraphs": views.shown,
            "styles": views.styles,
            "fonts": views.fonts,
            "list_labels": views.labels,
            "accepted": "\n".join(views.accepted[:-1]),
            "rejected": "\n".join(views.rejected[:-1]),
            "redlines": _redlines(doc),
            "comments": _comments(doc),
            "comment_anchors": comment_ranges.count("Annotation"),
            "title": doc.getDocumentProperties().Title,
            "custom_properties": _custom(doc),
        }
    finally:
        doc.close(True)


def _custom(doc: Any) -> dict[str, str]:
    props = doc.getDocumentProperties().getUserDefinedProperties()
    return {
        p.Name: str(props.getPropertyValue(p.Name))
        for p in props.getPropertySetInfo().getProperties()
    }


def start_office(pipe: str, profile: Path) -> subprocess.Popen[bytes]:
    """Start a headless soffice with a private profile, accepting UNO connections on ``pipe``."""
    return subprocess.Popen(
        [
            SOFFICE,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _main(argv: list[str]) -> int:
    pipe = None
    if argv[:1] == ["--connect"]:
        pipe, argv = argv[1], argv[2:]
    office = profile = None
    if pipe is None:
        profile = Path(tempfile.mkdtemp(prefix="accord-lo-"))
        pipe = f"accord_probe_{os.getpid()}"
        office = start_office(pipe, profile)
    try:
        ctx = connect(pipe)
        for name in argv:
            print(json.dumps(read(ctx, Path(name)), ensure_ascii=False), flush=True)
        if office is not None:
            _terminate(ctx)
    finally:
        if office is not None and profile is not None:
            _stop(office)
            shutil.rmtree(profile, ignore_errors=True)
    return 0


def _terminate(ctx: Any) -> None:
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        desktop.terminate()
    except Exception:  # the bridge drops as soffice exits
        pass


def _stop(office: subprocess.Popen[bytes]) -> None:
    try:
        office.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(office.pid, 9)
        office.wait()


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
