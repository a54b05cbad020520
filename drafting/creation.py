"""A new declaration as values: its parties, zero draft texts and concordance warnings checked from what was given,
and the zero draft's documents in each language. The create use case stores and records them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from drafting import identifiers
from drafting.brackets import ACROSS, FIRST_RULES, RULES
from drafting.documents import (
    render_version,
    version_identity,
    version_stamp,
    zero_draft_from_reading,
)
from drafting.events import DeclarationCreated, VersionIssued, ZeroDraftFile
from drafting.languages import check_languages, concordance_warnings, with_languages
from drafting.lifecycle import ZeroTranslation, check_slug, check_symbol, create
from drafting.negotiation import Declaration, Party, Translation, VersionContent, version_label
from drafting.parties import parse_parties_csv, with_co_presidencies
from drafting.text import DraftText
from drafting.wordml.models import Reading

ZERO = version_label(0)


@dataclass(frozen=True)
class Founding:
    """What a new declaration is given: its zero draft, and in each further language the zero draft aligned with
    it, as (bytes, file name)."""

    slug: str
    title: str
    zero_draft: tuple[bytes, str]
    translations: dict[str, tuple[bytes, str]]
    parties_csv: str
    parties_name: str
    co_presidencies: list[str]
    timezone: str
    languages: tuple[str, ...]
    symbol: str | None
    accept_warnings: bool
    rules: int | None = RULES  # None only when replaying a log from before rules were recorded
    by: str | None = None  # the account that created it through the portal (None: the CLI)

    @property
    def files(self) -> dict[str, tuple[bytes, str]]:
        """Every zero draft given, by language, the first first."""
        return {self.languages[0]: self.zero_draft} | self.translations

    @property
    def templates(self) -> dict[str, bytes]:
        """Every zero draft given as uploaded, by language: the styles of that language's documents."""
        return {lang: data for lang, (data, _) in self.files.items()}


@dataclass(frozen=True)
class NewDeclaration:
    """A declaration checked and read, ready to store (``records_symbol``: False only when replaying a log from
    before symbols, whose documents carry no identity)."""

    declaration: Declaration
    parties: list[Party]
    texts: dict[str, DraftText]
    warnings: list[str]
    records_symbol: bool

    @property
    def first(self) -> str:
        """The first language."""
        return next(iter(self.texts))

    def created(
        self,
        zero_draft: ZeroDraftFile,
        issued: str,
        translations: Mapping[str, ZeroTranslation],
        rules: int | None,
    ) -> tuple[DeclarationCreated, VersionIssued]:
        """The events that record its creation (``issued``: the zero draft's document in the first language;
        ``translations``: in the others)."""
        return create(
            self.declaration,
            self.parties,
            zero_draft,
            issued,
            self.texts[self.first],
            records_symbol=self.records_symbol,
            rules=rules,
            translations=translations,
            accepted_warnings=self.warnings,
        )


def new_declaration(given: Founding, read: Callable[[bytes, str], Reading]) -> NewDeclaration:
    """Check what was given (slug, zone and languages before any file is read) and read the zero drafts."""
    check_slug(given.slug)
    identifiers.time_zone(given.timezone)
    languages = given.languages
    if given.translations:
        languages = check_languages([languages[0], *given.translations])
    parties = _parties(given, languages)
    texts = {
        lang: zero_draft_from_reading(read(data, name), name=name)
        for lang, (data, name) in given.files.items()
    }
    warnings = _warnings(texts, given)
    declaration, records_symbol = _declaration(given, languages)
    return NewDeclaration(declaration, parties, texts, warnings, records_symbol)


def _declaration(given: Founding, languages: tuple[str, ...]) -> tuple[Declaration, bool]:
    """The declaration, and whether its creation records a symbol (None given: a log from before symbols)."""
    recorded = None if given.symbol is None else check_symbol(given.symbol)
    declaration = Declaration(
        slug=given.slug,
        title=given.title,
        languages=list(languages),
        timezone=given.timezone,
        symbol=recorded or "",
    )
    return declaration, recorded is not None


def _parties(given: Founding, languages: tuple[str, ...]) -> list[Party]:
    """The parties file read, the two co-presidencies marked, each party's language checked."""
    source = given.parties_name
    parties = parse_parties_csv(given.parties_csv, source=source)
    parties = with_co_presidencies(parties, given.co_presidencies, source=source)
    return list(with_languages(parties, languages, source=source))


def _warnings(texts: Mapping[str, DraftText], given: Founding) -> list[str]:
    """In several languages, the concordance warnings of the zero drafts (refused unless accepted); since rules
    ACROSS, zero drafts whose bracket groups differ are refused."""
    if len(texts) == 1:
        return []
    across = (given.rules or FIRST_RULES) >= ACROSS
    return concordance_warnings(
        _paragraphs(texts), accept_warnings=given.accept_warnings, brackets=across
    )


def zero_documents(
    new: NewDeclaration, templates: Mapping[str, bytes], at: str
) -> dict[str, bytes]:
    """The zero draft as issued in each language, in the styles of the file given in it, circulated ``at``."""
    declaration = new.declaration
    identity = (
        version_identity(declaration, ZERO, state="circulated", at=at)
        if new.records_symbol
        else None
    )
    return {
        lang: render_version(
            templates[lang],
            text,
            title=declaration.title,
            stamp=version_stamp(declaration.slug, ZERO, None if lang == new.first else lang),
            identity=identity,
        )
        for lang, text in new.texts.items()
    }


def zero_content(
    text: DraftText, template: str, zeros: Mapping[str, ZeroTranslation]
) -> VersionContent:
    """What version 0 records: its text, the file whose styles it takes, and its translations (when any)."""
    if not zeros:
        return VersionContent(text=text, template=template)
    return VersionContent(
        text=text,
        template=template,
        translations={
            lang: Translation(text=z.text, blob=z.issued, template=z.file.original)
            for lang, z in zeros.items()
        },
    )


def _paragraphs(texts: Mapping[str, DraftText]) -> dict[str, list[str]]:
    """Each language's paragraphs as strings."""
    return {lang: [p.text for p in text.paragraphs] for lang, text in texts.items()}
