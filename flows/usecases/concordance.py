"""The concordance of language versions: Word files given on the command line (no database needed), the report's
lines and the files it is written to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from drafting.concordance import Concordance, align, concordance_html, language_code
from drafting.documents import accepted_draft
from drafting.errors import InvalidInput
from drafting.wordml.reader import read_docx


@dataclass(frozen=True)
class Source:
    """One language version as given: its file's name, paragraphs and tracked changes (read as accepted)."""

    language: str
    name: str
    paragraphs: list[str]
    changes: int


def language_files(specs: list[str]) -> dict[str, str]:
    """LANG=FILE arguments as language -> file name; refuse a malformed, repeated or unknown language."""
    files: dict[str, str] = {}
    for spec in specs:
        code, sep, name = spec.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"{spec!r}: give each file as LANG=FILE, e.g. en=ZERO.en.docx es=ZERO.es.docx")
        language = language_code(code)
        if language in files:
            raise InvalidInput(f"{spec!r}: {language} is given twice; give one file per language")
        files[language] = name.strip()
    if len(files) < 2:
        raise InvalidInput("give at least two language versions, e.g. en=ZERO.en.docx es=ZERO.es.docx")
    return files


def read_source(language: str, name: str, data: bytes) -> Source:
    """A Word file's body paragraphs, every tracked change accepted; refuse a file without text."""
    reading = read_docx(data, name=name)
    texts = [p.text for p in accepted_draft(reading, name=name).paragraphs]
    return Source(language=language, name=name, paragraphs=texts, changes=len(reading.changes))


def align_sources(sources: list[Source]) -> Concordance:
    """The concordance of the given language versions (the first is the reference)."""
    return align({s.language: s.paragraphs for s in sources})


def report_lines(concordance: Concordance, sources: list[Source]) -> list[str]:
    """The report as lines to print: what was compared, the counts, the errors, the findings, the verdict."""
    lines = ["; ".join(f"{s.language}: {s.name}, {len(s.paragraphs)} paragraphs"
                       + (f" ({s.changes} tracked changes read as accepted)" if s.changes else "") for s in sources)]
    counts = concordance.counts()
    lines.append(f"{len(concordance.pairs)} paragraphs: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    lines += [f"not aligned: {e}" for e in concordance.errors]
    lines += concordance.warnings
    if concordance.aligned:
        lines.append("The language versions are aligned.")
    else:
        n = len(concordance.warnings)
        lines.append(f"The language versions are not aligned: {len(concordance.errors)} structural error(s), "
                     f"{n} finding{'' if n == 1 else 's'} to check.")
    return lines


def report_page(concordance: Concordance, sources: Mapping[str, str], *, title: str = "") -> str:
    """The HTML report of Word files compared directly."""
    names = {lang: PurePath(name).name for lang, name in sources.items()}
    return concordance_html(concordance, title=title or f"Concordance: {' and '.join(names.values())}",
                            subtitle=", ".join(f"{lang} {name}" for lang, name in names.items()))
