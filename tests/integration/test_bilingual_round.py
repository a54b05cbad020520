"""A round on the English and the Spanish text (issue 15): each party's copy in its language, each compilation on its
own text, the amendments of both decided in one place (also from the Spanish compilation returned from Word), and a
file made on neither text refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests import factories
from tests.bilingual_fixtures import (
    SLUG,
    accord,  # noqa: F401 (a fixture)
    decide_round_1,
    round_in_two_languages,  # noqa: F401 (a fixture)
    submit_round_1,
)
from tests.cli_runner import Accord


def test_each_party_receives_its_copy_in_its_language(round_in_two_languages: Accord) -> None:
    from drafting.wordml.reader import read_docx

    outbox = round_in_two_languages.home / "declarations" / SLUG / "outbox"
    spanish = read_docx(
        (outbox / "BO" / f"{SLUG}-Zero-draft-BO.es.docx").read_bytes(), name="BO.docx"
    )
    english = read_docx((outbox / "AT" / f"{SLUG}-Zero-draft-AT.docx").read_bytes(), name="AT.docx")
    assert spanish.paragraphs[0].text_accepted.startswith("Declaración de Santa Cruz")
    assert english.paragraphs[0].text_accepted.startswith("Santa Cruz Declaration")
    assert spanish.custom_properties["accord.party"] == "BO"


def test_the_portal_gives_a_delegate_the_copy_in_its_language(
    round_in_two_languages: Accord,
) -> None:
    from drafting.access import AccountRole, Principal
    from drafting.wordml.reader import read_docx
    from flows.bootstrap import bootstrap
    from flows.portal.views import Acting, stamped_copy

    app = bootstrap(round_in_two_languages.home)
    try:
        name, data = stamped_copy(
            app, Acting(Principal(by="account:1", role=AccountRole.DELEGATE), SLUG, "MX")
        )
        english, _ = stamped_copy(
            app, Acting(Principal(by="account:2", role=AccountRole.DELEGATE), SLUG, "DE")
        )
    finally:
        app.store.engine.dispose()
    assert name == f"{SLUG}-Zero-draft-round-1-MX.es.docx" and english.endswith("-DE.docx")
    assert (
        read_docx(data, name=name)
        .paragraphs[0]
        .text_accepted.startswith("Declaración de Santa Cruz")
    )


def test_a_round_on_both_texts_compiles_each_and_decides_in_one_place(
    round_in_two_languages: Accord, tmp_path: Path
) -> None:
    accord = round_in_two_languages
    submit_round_1(accord, tmp_path)
    closed = accord("round", "close", SLUG, "--yes").stdout
    folder = accord.home / "declarations" / SLUG / "round-1"
    assert (folder / "compilation.en.docx").is_file() and (folder / "compilation.es.docx").is_file()
    assert "3 proposals" in closed
    synopsis = json.loads((folder / "synopsis.json").read_text(encoding="utf-8"))
    row = next(r for r in synopsis["paragraphs"] if r["key"] == "p021")
    assert [p["id"] for p in row["proposals"]] == ["P001"]
    assert [(p["id"], p["inserted"].strip()) for p in row["in"]["es"]["proposals"]] == [
        ("P001.es", "con las comunidades")
    ]
    html = (folder / "synopsis.html").read_text(encoding="utf-8")
    assert '<td lang="es">' in html and "con las comunidades" in html and "with communities" in html
    decide_round_1(accord, tmp_path)
    issued = accord.json("log", SLUG)[-1]["payload"]
    assert issued["pending"] == ["p021"]  # changed in both texts: each holds words the other lacks
    assert issued["translations"]["es"]["pending"] == ["p021"]
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_a_co_presidency_decides_on_the_spanish_compilation_returned_from_word(
    round_in_two_languages: Accord, tmp_path: Path
) -> None:
    """The compilation returned is read on the text it was made on (found by alignment): accepting every change of
    compilation.es.docx decides the amendments made on the Spanish text, and leaves the English ones undecided."""
    from tests.word_review import accept_all, returned

    accord = round_in_two_languages
    submit_round_1(accord, tmp_path)
    accord("round", "close", SLUG, "--yes")
    spanish = accord.home / "declarations" / SLUG / "round-1" / "compilation.es.docx"
    back = tmp_path / "compilation-BO.docx"
    back.write_bytes(returned(spanish.read_bytes(), accept_all))
    assert (
        "BO: 2 accepted, 0 rejected, 1 undecided"
        in accord("decide", SLUG, "--party", "BO", str(back)).stdout
    )
    decided = accord.json("log", SLUG)[-1]["payload"]["decisions"]
    assert decided == {"P001.es": "accept", "P002.es": "accept"}
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_a_file_made_on_neither_text_is_refused(round_in_two_languages: Accord) -> None:
    other = factories.shared_path("samples/declarations/eu-celac-drugs-hlm-sample.es.docx")
    error = round_in_two_languages.refused("submit", SLUG, "--party", "MX", str(other))
    assert "refused for MX, it was not made on this version's text in any of its languages" in error
