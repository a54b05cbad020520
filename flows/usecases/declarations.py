"""Create a declaration with its parties and zero draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from drafting.brackets import RULES
from drafting.creation import (
    ZERO,
    Founding,
    NewDeclaration,
    new_declaration,
    zero_content,
    zero_documents,
)
from drafting.errors import InvalidInput
from drafting.events import ZeroDraftFile
from drafting.lifecycle import ZeroTranslation, create
from drafting.negotiation import SECRETARIAT, VersionState
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
    given = Founding(
        slug=slug,
        title=title,
        zero_draft=(zero_draft, zero_draft_name),
        translations=dict(translations or {}),
        parties_csv=parties_csv,
        parties_name=parties_name,
        co_presidencies=co_presidencies,
        timezone=timezone,
        languages=languages,
        symbol=symbol,
        accept_warnings=accept_warnings,
    )
    new = new_declaration(given, app.read)
    issued: dict[str, bytes] = {}
    change(app, lambda uow: _record_creation(uow, app, new, given, rules, by, issued))
    paths = _write_zero_drafts(app, new, issued)
    publish_dashboard(app, slug)
    return CreatedDeclaration(
        slug=slug,
        parties=len(new.parties),
        zero_draft=paths.pop(new.first),
        paragraphs=len(new.texts[new.first].paragraphs),
        translations=paths,
        warnings=new.warnings,
    )


def _record_creation(
    uow: UnitOfWork,
    app: App,
    new: NewDeclaration,
    given: Founding,
    rules: int | None,
    by: str | None,
    issued: dict[str, bytes],
) -> None:
    """Store the declaration, its parties and version 0 with its documents, and record its creation."""
    declaration, first = new.declaration, new.first
    if uow.repo.find_declaration(declaration.slug) is not None:
        raise InvalidInput(f"declaration {declaration.slug!r} already exists; choose another slug")
    now = app.now()
    templates = {lang: data for lang, (data, _) in given.files.items()}
    issued.update(zero_documents(new, templates, now))
    row = uow.repo.add_declaration(declaration, now, symbol_recorded=new.records_symbol)
    for party in new.parties:
        uow.repo.add_party(row, party)
    original = uow.put_blob(given.zero_draft[0])
    blob = uow.put_blob(issued[first])
    zeros = _zero_translations(uow, new, given, issued)
    text = new.texts[first]
    uow.repo.add_version(
        row,
        number=0,
        label=ZERO,
        parent=None,
        blob_sha256=blob,
        text_sha256=text.sha256,
        state=VersionState.CIRCULATED,
        created_at=now,
        content=zero_content(text, original, zeros),
    )
    zero = ZeroDraftFile(original=original, filename=given.zero_draft[1])
    for event in create(
        declaration,
        new.parties,
        zero,
        blob,
        text,
        records_symbol=new.records_symbol,
        rules=rules,
        translations=zeros,
        accepted_warnings=new.warnings,
    ):
        uow.record(row, event.acted_by(by), SECRETARIAT, now)


def _zero_translations(
    uow: UnitOfWork, new: NewDeclaration, given: Founding, issued: dict[str, bytes]
) -> dict[str, ZeroTranslation]:
    """Each further language's zero draft, the file given and the document issued, stored."""
    return {
        lang: ZeroTranslation(
            file=ZeroDraftFile(original=uow.put_blob(data), filename=name),
            issued=uow.put_blob(issued[lang]),
            text=new.texts[lang],
        )
        for lang, (data, name) in given.translations.items()
    }


def _write_zero_drafts(app: App, new: NewDeclaration, issued: dict[str, bytes]) -> dict[str, str]:
    """The zero draft's documents in the declaration's folder: language -> path."""
    folder = declaration_dir(app, new.declaration.slug)
    return {
        lang: str(
            write_file(
                app,
                confine(
                    folder,
                    "versions",
                    f"{ZERO}.docx" if lang == new.first else f"{ZERO}.{lang}.docx",
                ),
                issued[lang],
            )
        )
        for lang in new.texts
    }
