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
from drafting.filing import version_file
from drafting.lifecycle import ZeroTranslation
from drafting.negotiation import SECRETARIAT, Declaration, VersionContent, VersionState
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

    @classmethod
    def of(cls, new: NewDeclaration, paths: dict[str, str]) -> CreatedDeclaration:
        """What was created, and where its zero drafts were written (``paths``: by language)."""
        return cls(
            slug=new.declaration.slug,
            parties=len(new.parties),
            zero_draft=paths[new.first],
            paragraphs=len(new.texts[new.first].paragraphs),
            translations={lang: path for lang, path in paths.items() if lang != new.first},
            warnings=new.warnings,
        )


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
        rules=rules,
        by=by,
    )
    return create(app, given)


def create(app: App, given: Founding) -> CreatedDeclaration:
    """Register the declaration ``given``, its parties and the zero draft as version 0, in one transaction; write
    the zero draft's documents in its folder."""
    new = new_declaration(given, app.read)
    issued: dict[str, bytes] = {}
    change(app, lambda uow: _record_creation(uow, app, new, given, issued))
    paths = _write_zero_drafts(app, new, issued)
    publish_dashboard(app, new.declaration.slug)
    return CreatedDeclaration.of(new, paths)


def _record_creation(
    uow: UnitOfWork, app: App, new: NewDeclaration, given: Founding, issued: dict[str, bytes]
) -> None:
    """Store the declaration, its parties and version 0 with its documents, and record its creation."""
    declaration = new.declaration
    if uow.repo.find_declaration(declaration.slug) is not None:
        raise InvalidInput(f"declaration {declaration.slug!r} already exists; choose another slug")
    now = app.now()
    issued.update(zero_documents(new, given.templates, now))
    stored = uow.repo.add_declaration(declaration, now, symbol_recorded=new.records_symbol)
    for party in new.parties:
        uow.repo.add_party(stored, party)
    zero, blob, zeros = _store_zero_drafts(uow, new, given, issued)
    content = zero_content(new.texts[new.first], zero.original, zeros)
    _add_zero_version(uow, stored, content, blob, now)
    for event in new.created(zero, blob, zeros, given.rules):
        uow.record(stored, event.acted_by(given.by), SECRETARIAT, now)


def _store_zero_drafts(
    uow: UnitOfWork, new: NewDeclaration, given: Founding, issued: dict[str, bytes]
) -> tuple[ZeroDraftFile, str, dict[str, ZeroTranslation]]:
    """Each zero draft given and each document issued, stored: the first language's file and document, and in
    each further language both with its text."""
    zero = ZeroDraftFile(original=uow.put_blob(given.zero_draft[0]), filename=given.zero_draft[1])
    blob = uow.put_blob(issued[new.first])
    return zero, blob, _zero_translations(uow, new, given, issued)


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


def _add_zero_version(
    uow: UnitOfWork, declaration: Declaration, content: VersionContent, blob: str, at: str
) -> None:
    """Version 0, circulated as it is created (``blob``: its document in the first language)."""
    uow.repo.add_version(
        declaration,
        content,
        number=0,
        label=ZERO,
        parent=None,
        blob_sha256=blob,
        text_sha256=content.text.sha256,
        state=VersionState.CIRCULATED,
        created_at=at,
    )


def _write_zero_drafts(app: App, new: NewDeclaration, issued: dict[str, bytes]) -> dict[str, str]:
    """The zero draft's documents in the declaration's folder: language -> path."""
    folder = declaration_dir(app, new.declaration.slug)
    paths = {
        lang: confine(folder, "versions", version_file(ZERO, lang, new.first)) for lang in new.texts
    }
    return {lang: str(write_file(app, path, issued[lang])) for lang, path in paths.items()}
