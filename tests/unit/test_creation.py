"""A new declaration as values (drafting.creation): what is checked before any file is read, the zero drafts read,
and version 0's documents and content in one language or two."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drafting.creation import ZERO, Founding, new_declaration, zero_content, zero_documents
from drafting.documents import STAMP_LANGUAGE, STAMP_VERSION
from drafting.errors import InvalidInput
from drafting.events import ZeroDraftFile
from drafting.lifecycle import ZeroTranslation
from drafting.wordml.models import Reading
from drafting.wordml.reader import read_docx
from tests import factories
from tests.compilation_fixtures import sample_bytes

AT = "2026-11-29T10:00:00Z"


def _given(**changes: object) -> Founding:
    given = Founding(
        slug="water",
        title="Water",
        zero_draft=(sample_bytes("water"), "water.en.docx"),
        translations={},
        parties_csv=factories.parties_csv(10),
        parties_name="parties.csv",
        co_presidencies=list(factories.CO_PRESIDENCIES),
        timezone="Europe/Brussels",
        languages=("en",),
        symbol="WATER/L.1",
        accept_warnings=True,
    )
    return replace(given, **changes)  # type: ignore[arg-type]


def _read(data: bytes, name: str) -> Reading:
    return read_docx(data, name=name)


def test_a_bad_slug_zone_or_repeated_language_is_refused_before_any_file_is_read() -> None:
    def unread(data: bytes, name: str) -> Reading:
        raise AssertionError(f"{name} was read")

    bilingual = {"en": (sample_bytes("water-es"), "water.es.docx")}
    for bad in ({"slug": "Not a slug"}, {"timezone": "Mars/Olympus"}, {"translations": bilingual}):
        with pytest.raises(InvalidInput):
            new_declaration(_given(**bad), unread)


def test_one_language_gets_one_zero_draft_with_its_identity_and_no_translations() -> None:
    new = new_declaration(_given(), _read)
    assert new.first == "en" and new.records_symbol and new.warnings == []
    assert len(new.parties) == 10
    documents = zero_documents(new, {"en": sample_bytes("water")}, AT)
    stamp = read_docx(documents["en"]).custom_properties
    assert stamp[STAMP_VERSION] == ZERO and STAMP_LANGUAGE not in stamp
    assert zero_content(new.texts["en"], "t" * 64, {}).translations == {}


def test_a_declaration_replayed_from_before_symbols_records_none() -> None:
    assert not new_declaration(_given(symbol=None), _read).records_symbol


def test_each_further_language_gets_its_zero_draft_stamped_with_it() -> None:
    es = {"es": (sample_bytes("water-es"), "water.es.docx")}
    new = new_declaration(_given(translations=es), _read)
    assert list(new.texts) == ["en", "es"] and new.declaration.languages == ["en", "es"]
    documents = zero_documents(
        new, {"en": sample_bytes("water"), "es": sample_bytes("water-es")}, AT
    )
    assert read_docx(documents["es"]).custom_properties[STAMP_LANGUAGE] == "es"
    zero = ZeroTranslation(
        file=ZeroDraftFile(original="o" * 64, filename="water.es.docx"),
        issued="i" * 64,
        text=new.texts["es"],
    )
    content = zero_content(new.texts["en"], "t" * 64, {"es": zero})
    assert content.translations["es"].blob == "i" * 64
    assert content.translations["es"].template == "o" * 64
