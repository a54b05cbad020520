"""Edit a .docx in LibreOffice (UNO) as a delegate would: changes recorded, words added at the end of paragraphs,
saved as Word 2007-365. Runs under Debian's /usr/bin/python3 (the only interpreter with ``uno``), never the venv:

    /usr/bin/python3 tests/lo_edit.py --connect PIPE_NAME SOURCE OUT PARAGRAPH=WORDS...

PARAGRAPH is 1-based among the body's paragraphs (tables skipped). The document is loaded without a view, as in
tests/lo_probe.py (with libreoffice-writer-nogui a frame may crash soffice).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from lo_probe import _prop, connect  # the same directory: run as a script, sys.path[0] is tests/


def edit(ctx: Any, source: Path, out: Path, additions: dict[int, str]) -> None:
    """Load ``source``, record changes, add each paragraph's words at its end, store as ``out``."""
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    doc.load(
        (
            _prop("URL", source.resolve().as_uri()),
            _prop("FilterName", "MS Word 2007 XML"),
            _prop("Hidden", True),
        )
    )
    try:
        doc.setPropertyValue("RecordChanges", True)
        paragraphs = []
        found = doc.getText().createEnumeration()
        while found.hasMoreElements():
            element = found.nextElement()
            if element.supportsService("com.sun.star.text.Paragraph"):
                paragraphs.append(element)
        for number, words in sorted(additions.items()):
            paragraph = paragraphs[number - 1]
            paragraph.getText().insertString(paragraph.getEnd(), words, False)
        doc.storeToURL(out.resolve().as_uri(), (_prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


def main(argv: list[str]) -> int:
    if argv[:1] != ["--connect"] or len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    pipe, source, out, *changes = argv[1:]
    additions = {
        int(number): words for number, words in (change.split("=", 1) for change in changes)
    }
    edit(connect(pipe), Path(source), Path(out), additions)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
