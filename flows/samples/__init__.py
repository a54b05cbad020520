"""The demo's own declaration, shipped with accord: a fictional EU-CELAC ministerial declaration on water security
and climate resilience, in English and Spanish (parallel paragraph for paragraph), and its 60 parties.

The source texts (``water-resilience.LANG.txt``) are the originals; the Word files beside them are built from
them by ``python -m flows.samples`` (deterministic; a test checks that they match their source).
"""

from __future__ import annotations

from pathlib import Path

from flows.samples._build import LOCALES, build_docx, paragraphs

__all__ = [
    "LANGUAGES",
    "SAMPLE_NAME",
    "build_docx",
    "docx_path",
    "paragraphs",
    "parties_path",
    "source_path",
    "title",
]

FOLDER = Path(__file__).resolve().parent
SAMPLE_NAME = "water-resilience"
LANGUAGES = tuple(LOCALES)


def source_path(language: str = "en") -> Path:
    """The source text of the sample in ``language`` ("en" or "es")."""
    _check(language)
    return FOLDER / f"{SAMPLE_NAME}.{language}.txt"


def docx_path(language: str = "en") -> Path:
    """The sample's Word file in ``language``, as shipped."""
    _check(language)
    return FOLDER / f"{SAMPLE_NAME}.{language}.docx"


def parties_path() -> Path:
    """The parties file of the sample (header code,name,bloc): the 27 EU and 33 CELAC states."""
    return FOLDER / "eu-celac-parties.csv"


def title(language: str = "en") -> str:
    """The sample declaration's title (its first paragraph)."""
    return paragraphs(source_path(language).read_text(encoding="utf-8"))[0][1]


def _check(language: str) -> None:
    if language not in LOCALES:
        from drafting.errors import InvalidInput

        raise InvalidInput(
            f"language {language!r}: the sample exists in {', '.join(LOCALES)}; choose one of them"
        )
