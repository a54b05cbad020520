"""Create a declaration with its parties and zero draft."""

from __future__ import annotations

from dataclasses import dataclass

from drafting import identifiers
from drafting.brackets import RULES
from drafting.documents import (
    STAMP_DECLARATION,
    STAMP_VERSION,
    render_version,
    version_identity,
    zero_draft_from_reading,
)
from drafting.errors import InvalidInput
from drafting.events import ZeroDraftFile
from drafting.lifecycle import check_slug, check_symbol, create
from drafting.negotiation import SECRETARIAT, Declaration, VersionContent, VersionState, version_label
from drafting.parties import parse_parties_csv, with_co_presidencies
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, write_file
from flows.usecases.dashboard import publish_dashboard
from storage import UnitOfWork


@dataclass(frozen=True)
class CreatedDeclaration:
    slug: str
    parties: int
    zero_draft: str  # path of the issued zero draft
    paragraphs: int


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
) -> CreatedDeclaration:
    """Register the declaration, its parties and the zero draft as version 0, in one transaction (``rules``: None
    only when replaying a log from before rules were recorded, see drafting.brackets)."""
    check_slug(slug)  # before the zero draft is read
    identifiers.time_zone(timezone)
    parties = with_co_presidencies(parse_parties_csv(parties_csv, source=parties_name), co_presidencies, source=parties_name)
    reading = app.read(zero_draft, zero_draft_name)
    text = zero_draft_from_reading(reading, name=zero_draft_name)
    label = version_label(0)
    # None: replaying a log from before symbols, whose documents carry no identity (see drafting.lifecycle.create)
    recorded = None if symbol is None else check_symbol(symbol)
    declaration = Declaration(slug=slug, title=title, languages=list(languages), timezone=timezone,
                              symbol=recorded or "")
    issued: dict[str, bytes] = {}

    def work(uow: UnitOfWork) -> None:
        if uow.repo.find_declaration(slug) is not None:
            raise InvalidInput(f"declaration {slug!r} already exists; choose another slug")
        now = app.now()
        identity = None if recorded is None else version_identity(declaration, label, state="circulated", at=now)
        document = issued[label] = render_version(
            zero_draft, text, title=title, stamp={STAMP_DECLARATION: slug, STAMP_VERSION: label}, identity=identity,
        )
        row = uow.repo.add_declaration(declaration, now, symbol_recorded=recorded is not None)
        for party in parties:
            uow.repo.add_party(row, party)
        original = uow.put_blob(zero_draft)
        blob = uow.put_blob(document)
        uow.repo.add_version(
            row, number=0, label=label, parent_id=None, blob_sha256=blob, text_sha256=text.sha256,
            state=VersionState.CIRCULATED.value, created_at=now, content=VersionContent(text=text, template=original),
        )
        zero = ZeroDraftFile(original=original, filename=zero_draft_name)
        for event in create(declaration, parties, zero, blob, text, records_symbol=recorded is not None, rules=rules):
            uow.record(row, event, SECRETARIAT, now)

    change(app, work)
    path = write_file(app, confine(declaration_dir(app, slug), "versions", f"{label}.docx"), issued[label])
    publish_dashboard(app, slug)
    return CreatedDeclaration(slug=slug, parties=len(parties), zero_draft=str(path), paragraphs=len(text.paragraphs))
