"""The concordance of language versions: of a declaration's version (its report written beside the synopsis), or of
Word files given on the command line (no database needed: the storage layer is imported only for a declaration)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from drafting.concordance import Concordance, align, concordance_html, language_code
from drafting.documents import body_texts
from drafting.errors import InvalidInput
from drafting.wordml.reader import read_docx

if TYPE_CHECKING:
    from drafting.aligning import LanguageVersions
    from flows.bootstrap import App

REPORT = "concordance.html"


@dataclass(frozen=True)
class Source:
    """One language version as given: its file's name, paragraphs and tracked changes (read as accepted)."""

    language: str
    name: str
    paragraphs: list[str]
    changes: int


def _language_file(spec: str) -> tuple[str, str]:
    """One LANG=FILE argument as its language code and file name."""
    code, sep, name = spec.partition("=")
    if not sep or not name.strip():
        raise InvalidInput(
            f"{spec!r}: give each file as LANG=FILE, e.g. en=ZERO.en.docx es=ZERO.es.docx"
        )
    return language_code(code), name.strip()


def language_files(specs: list[str]) -> dict[str, str]:
    """LANG=FILE arguments as language -> file name; refuse a malformed, repeated or unknown language."""
    files: dict[str, str] = {}
    for spec in specs:
        language, name = _language_file(spec)
        if language in files:
            raise InvalidInput(f"{spec!r}: {language} is given twice; give one file per language")
        files[language] = name
    if len(files) < 2:
        raise InvalidInput(
            "give at least two language versions, e.g. en=ZERO.en.docx es=ZERO.es.docx"
        )
    return files


def read_source(language: str, name: str, data: bytes) -> Source:
    """A Word file's body paragraphs, every tracked change accepted; refuse a file without text."""
    reading = read_docx(data, name=name)
    texts = body_texts(reading)
    if not any(t.strip() for t in texts):
        raise InvalidInput(
            f"{name}: the file has no text; give the Word file of the {language} version"
        )
    return Source(language=language, name=name, paragraphs=texts, changes=len(reading.changes))


def align_sources(sources: list[Source]) -> Concordance:
    """The concordance of the given language versions (the first is the reference)."""
    return align({s.language: s.paragraphs for s in sources})


def report_lines(concordance: Concordance, sources: list[Source]) -> list[str]:
    """The report as lines to print: what was compared, the counts, the errors, the findings, the verdict."""
    counts = concordance.counts()
    return [
        "; ".join(_compared(s) for s in sources),
        f"{len(concordance.pairs)} paragraphs: "
        + ", ".join(f"{n} {status}" for status, n in counts.items()),
        *(f"not aligned: {e}" for e in concordance.errors),
        *concordance.warnings,
        *concordance.brackets,
        _verdict(concordance),
    ]


def _compared(source: Source) -> str:
    """One language version as the report names it: its file, its paragraphs, its tracked changes if any."""
    changes = f" ({source.changes} tracked changes read as accepted)" if source.changes else ""
    return f"{source.language}: {source.name}, {len(source.paragraphs)} paragraphs{changes}"


def _verdict(concordance: Concordance) -> str:
    """Aligned, or not and why: how many structural errors and findings to check."""
    if concordance.aligned:
        return "The language versions are aligned."
    n = len(concordance.warnings) + len(concordance.brackets)
    return (
        f"The language versions are not aligned: {len(concordance.errors)} structural error(s), "
        f"{n} finding{'' if n == 1 else 's'} to check."
    )


def report_page(concordance: Concordance, sources: Mapping[str, str], *, title: str = "") -> str:
    """The HTML report of Word files compared directly."""
    names = {lang: PurePath(name).name for lang, name in sources.items()}
    return concordance_html(
        concordance,
        title=title or f"Concordance: {' and '.join(names.values())}",
        subtitle=", ".join(f"{lang} {name}" for lang, name in names.items()),
    )


@dataclass(frozen=True)
class VersionReport:
    """A declaration's version aligned in its languages, and where its HTML report was written."""

    version: str
    concordance: Concordance
    sources: list[Source]
    page: Path  # where the HTML report was written
    html: str


def align_version(app: App, slug: str, *, label: str | None = None) -> VersionReport:
    """Align a version (default: the current one) in the declaration's languages; write the HTML report beside the
    synopsis of the round on it (else beside the version's Word file)."""
    held, rounds = _held(app, slug, label)
    concordance = held.aligned()
    sources = [
        Source(language=lang, name=f"{held.version} ({lang})", paragraphs=p, changes=0)
        for lang, p in held.texts.items()
    ]
    page = held.page(concordance)
    path = _write_report(app, slug, held.version, rounds, page)
    return VersionReport(held.version, concordance, sources, page=path, html=page)


def _held(app: App, slug: str, label: str | None) -> tuple[LanguageVersions, list[int]]:
    """The version (default: the current one) in its languages, and the rounds opened on it."""
    from drafting.aligning import LanguageVersions  # here: `accord align --files` needs no version

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        row = (
            uow.repo.version(declaration, label) if label else uow.repo.current_version(declaration)
        )
        rounds = [r.number for r in uow.repo.rounds(declaration) if r.base_version == row.label]
        return LanguageVersions.of(declaration, row), rounds


def _write_report(app: App, slug: str, version: str, rounds: list[int], page: str) -> Path:
    """The report written beside the synopsis of the last round on the version, else beside its Word file."""
    from flows.adapters.files import confine
    from flows.usecases.common import declaration_dir, round_dir, write_file

    if rounds:
        path = confine(round_dir(app, slug, rounds[-1]), REPORT)
    else:
        path = confine(declaration_dir(app, slug), "versions", f"{version}.{REPORT}")
    write_file(app, path, page.encode("utf-8"))
    return path
