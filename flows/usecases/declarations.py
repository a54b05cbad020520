"""Create a declaration with its parties and zero draft."""

from __future__ import annotations

from dataclasses import dataclass

from drafting import identifiers
from drafting.documents import (
    STAMP_DECLARATION,
    STAMP_VERSION,
    render_version,
    version_identity,
    zero_draft_from_reading,
)
from drafting.errors import InvalidInput
from drafting.negotiation import SECRETARIAT, Declaration, Party, version_label
from drafting.parties import parse_parties_csv, with_co_presidencies
from flows.adapters.files import confine
from flows.bootstrap import App
from flows.usecases.common import change, declaration_dir, write_file
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
    symbol: str = "",
) -> CreatedDeclaration:
    """Register the declaration, its parties and the zero draft as version 0, in one transaction."""
    identifiers.slug(slug)
    identifiers.time_zone(timezone)
    parties = with_co_presidencies(parse_parties_csv(parties_csv, source=parties_name), co_presidencies, source=parties_name)
    reading = app.read(zero_draft, zero_draft_name)
    text = zero_draft_from_reading(reading, name=zero_draft_name)
    label = version_label(0)
    declaration = Declaration(slug=slug, title=title, languages=list(languages), timezone=timezone,
                              symbol=_check_symbol(symbol))
    issued: dict[str, bytes] = {}

    def work(uow: UnitOfWork) -> None:
        if uow.repo.find_declaration(slug) is not None:
            raise InvalidInput(f"declaration {slug!r} already exists; choose another slug")
        now = app.now()
        document = issued[label] = render_version(
            zero_draft, text, title=title, stamp={STAMP_DECLARATION: slug, STAMP_VERSION: label},
            identity=version_identity(declaration, label, state="circulated", at=now),
        )
        row = uow.repo.add_declaration(declaration, now)
        for party in parties:
            uow.repo.add_party(row, party)
        original = uow.put_blob(zero_draft)
        blob = uow.put_blob(document)
        uow.repo.add_version(
            row, number=0, label=label, parent_id=None, blob_sha256=blob, text_sha256=text.sha256,
            state="circulated", created_at=now, meta={"text": text.model_dump(mode="json"), "template": original},
        )
        uow.append(row, "accord.declaration.created", SECRETARIAT, {
            "slug": slug, "title": title, "symbol": declaration.symbol, "timezone": timezone,
            "languages": list(languages),
            "parties": [_party_payload(p) for p in parties],
            "zero_draft": {"original": original, "filename": zero_draft_name},
        }, now)
        uow.append(row, "accord.version.issued", SECRETARIAT, {
            "version": label, "number": 0, "blob": blob, "text_sha256": text.sha256,
            "paragraphs": len(text.paragraphs),
        }, now)

    change(app, work)
    path = write_file(app, confine(declaration_dir(app, slug), "versions", f"{label}.docx"), issued[label])
    return CreatedDeclaration(slug=slug, parties=len(parties), zero_draft=str(path), paragraphs=len(text.paragraphs))


def _party_payload(party: Party) -> dict[str, str]:
    return {"code": party.code, "name": party.name, "bloc": party.bloc.value, "role": party.role.value}


def _check_symbol(symbol: str) -> str:
    """A symbol as given (stripped), or "" for the one derived from the slug."""
    symbol = symbol.strip()
    if len(symbol) > 80 or any(not c.isprintable() for c in symbol):
        raise InvalidInput(f"--symbol {symbol[:40]!r} must be at most 80 printable characters, e.g. EU-CELAC/HLM/2026/L.1")
    return symbol
