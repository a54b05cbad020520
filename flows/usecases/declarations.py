"""Create a declaration with its parties and zero draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from drafting import identifiers
from drafting.brackets import RULES
from drafting.documents import (
    STAMP_DECLARATION,
    STAMP_LANGUAGE,
    STAMP_VERSION,
    render_version,
    version_identity,
    zero_draft_from_reading,
)
from drafting.errors import InvalidInput
from drafting.events import ZeroDraftFile
from drafting.languages import check_languages, concordance_warnings, with_languages
from drafting.lifecycle import ZeroTranslation, check_slug, check_symbol, create
from drafting.negotiation import (
    SECRETARIAT,
    Declaration,
    Translation,
    VersionContent,
    VersionState,
    version_label,
)
from drafting.parties import parse_parties_csv, with_co_presidencies
from drafting.text import DraftText
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, write_file
from flows.usecases.dashboard import publish_dashboard
from storage import UnitOfWork


@dataclass(frozen=True)
class CreatedDeclaration:
    slug: str
    parties: int
    zero_draft: str  # path of the issued zero draft (in the first language)
    paragraphs: int
    translations: dict[str, str] = field(
        default_factory=dict
    )  # language -> path of its issued zero draft
    warnings: list[str] = field(default_factory=list)  # the concordance warnings accepted


def create_declaration(
    app: App,
    *,
    slug: str,
    title: str,
    zero_draft: bytes,
    zero_draft_name: str,
    parties_csv: str,
    parties_name: str,
    co_presidencies: list[str],
    timezone: str = "UTC",
    languages: tuple[str, ...] = ("en",),
    symbol: str | None = "",
    rules: int | None = RULES,
    translations: Mapping[str, tuple[bytes, str]] | None = None,
    accept_warnings: bool = False,
    by: str | None = None,
) -> CreatedDeclaration:
    """Register the declaration, its parties and the zero draft as version 0, in one transaction (``rules``: None
    only when replaying a log from before rules were recorded, see drafting.brackets).
    ``translations``: the zero draft (bytes, file name) in each further language, aligned paragraph by paragraph
    with the first (``languages[0]``); its concordance warnings are refused unless ``accept_warnings``.
    ``by``: the account that created it through the portal (None: the CLI)."""
    check_slug(slug)  # before the zero draft is read
    identifiers.time_zone(timezone)
    translations = dict(translations or {})
    if translations:
        languages = check_languages([languages[0], *translations])
    parties = with_co_presidencies(
        parse_parties_csv(parties_csv, source=parties_name), co_presidencies, source=parties_name
    )
    parties = with_languages(parties, languages, source=parties_name)
    reading = app.read(zero_draft, zero_draft_name)
    text = zero_draft_from_reading(reading, name=zero_draft_name)
    other_texts = {
        lang: zero_draft_from_reading(app.read(data, name), name=name)
        for lang, (data, name) in translations.items()
    }
    warnings = (
        concordance_warnings(
            _paragraphs({languages[0]: text, **other_texts}), accept_warnings=accept_warnings
        )
        if translations
        else []
    )
    label = version_label(0)
    # None: replaying a log from before symbols, whose documents carry no identity (see drafting.lifecycle.create)
    recorded = None if symbol is None else check_symbol(symbol)
    declaration = Declaration(
        slug=slug, title=title, languages=list(languages), timezone=timezone, symbol=recorded or ""
    )
    issued: dict[str, bytes] = {}

    def work(uow: UnitOfWork) -> None:
        if uow.repo.find_declaration(slug) is not None:
            raise InvalidInput(f"declaration {slug!r} already exists; choose another slug")
        now = app.now()
        identity = (
            None
            if recorded is None
            else version_identity(declaration, label, state="circulated", at=now)
        )
        document = issued[label] = render_version(
            zero_draft,
            text,
            title=title,
            stamp={STAMP_DECLARATION: slug, STAMP_VERSION: label},
            identity=identity,
        )
        row = uow.repo.add_declaration(declaration, now, symbol_recorded=recorded is not None)
        for party in parties:
            uow.repo.add_party(row, party)
        original = uow.put_blob(zero_draft)
        blob = uow.put_blob(document)
        zeros: dict[str, ZeroTranslation] = {}
        for lang, other in other_texts.items():
            data, name = translations[lang]
            issued[lang] = render_version(
                data,
                other,
                title=title,
                identity=identity,
                stamp={STAMP_DECLARATION: slug, STAMP_VERSION: label, STAMP_LANGUAGE: lang},
            )
            zeros[lang] = ZeroTranslation(
                file=ZeroDraftFile(original=uow.put_blob(data), filename=name),
                issued=uow.put_blob(issued[lang]),
                text=other,
            )
        content = VersionContent(text=text, template=original)
        if zeros:
            content = VersionContent(
                text=text,
                template=original,
                translations={
                    lang: Translation(text=z.text, blob=z.issued, template=z.file.original)
                    for lang, z in zeros.items()
                },
            )
        uow.repo.add_version(
            row,
            number=0,
            label=label,
            parent=None,
            blob_sha256=blob,
            text_sha256=text.sha256,
            state=VersionState.CIRCULATED,
            created_at=now,
            content=content,
        )
        zero = ZeroDraftFile(original=original, filename=zero_draft_name)
        for event in create(
            declaration,
            parties,
            zero,
            blob,
            text,
            records_symbol=recorded is not None,
            rules=rules,
            translations=zeros,
            accepted_warnings=warnings,
        ):
            uow.record(row, event.acted_by(by), SECRETARIAT, now)

    change(app, work)
    folder = declaration_dir(app, slug)
    path = write_file(app, confine(folder, "versions", f"{label}.docx"), issued[label])
    others = {
        lang: str(
            write_file(app, confine(folder, "versions", f"{label}.{lang}.docx"), issued[lang])
        )
        for lang in other_texts
    }
    publish_dashboard(app, slug)
    return CreatedDeclaration(
        slug=slug,
        parties=len(parties),
        zero_draft=str(path),
        paragraphs=len(text.paragraphs),
        translations=others,
        warnings=warnings,
    )


def _paragraphs(texts: Mapping[str, DraftText]) -> dict[str, list[str]]:
    return {lang: [p.text for p in text.paragraphs] for lang, text in texts.items()}
