"""Rebuild the sample's Word files from their source texts: `python -m flows.samples`."""

from __future__ import annotations

from flows.samples import LANGUAGES, build_docx, docx_path, source_path

for language in LANGUAGES:
    data = build_docx(source_path(language).read_text(encoding="utf-8"), language=language)
    docx_path(language).write_bytes(data)
    print(f"{docx_path(language).name}: {len(data)} bytes")
