"""A declaration in several languages (issue 15): language codes, each party's language, on which language's
text a file was made (found by alignment), and a revision's texts kept in step."""

from __future__ import annotations

import pytest

from drafting.bilingual import in_step, language_of, reanchored, tag
from drafting.errors import InvalidInput, RefusedFile
from drafting.identifiers import language
from drafting.languages import base_language, check_languages, likeness, with_languages
from drafting.negotiation import Party
from drafting.parties import parse_parties_csv
from drafting.text import DraftParagraph, DraftText
from flows import samples


def _texts(lang: str) -> list[str]:
    return [
        text
        for _, text in samples.paragraphs(samples.source_path(lang).read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("code", ["en", "es", "pt", "fr", "nl"])
def test_a_bcp47_primary_tag_is_a_language(code: str) -> None:
    assert language(code) == code


@pytest.mark.parametrize("code", ["xx", "EN", "eng", "en-GB", "", "e", "es "])
def test_anything_else_is_refused_naming_the_code(code: str) -> None:
    with pytest.raises(InvalidInput, match="is not a language code"):
        language(code, where="--zero-draft")


def test_a_language_given_twice_is_refused() -> None:
    with pytest.raises(InvalidInput, match="es given twice"):
        check_languages(["en", "es", "es"])


def test_the_parties_file_names_a_language_and_others_take_the_first() -> None:
    parties = parse_parties_csv("code,name,bloc,language\nES,Spain,EU,\nBO,Bolivia,CELAC,es\n")
    assert [
        (p.code, p.language) for p in with_languages(parties, ("en", "es"), source="p.csv")
    ] == [("ES", "en"), ("BO", "es")]


def test_a_party_language_that_is_not_the_declarations_is_refused() -> None:
    parties = [Party(code="BR", name="Brazil", language="pt")]
    with pytest.raises(InvalidInput, match="BR's language 'pt' is not one of the declaration's"):
        with_languages(parties, ("en", "es"), source="p.csv")


def test_an_unknown_language_in_the_parties_file_is_refused_naming_the_line() -> None:
    with pytest.raises(
        InvalidInput, match="line 2: language of BO 'spanish' is not a language code"
    ):
        parse_parties_csv("code,name,bloc,language\nBO,Bolivia,CELAC,spanish\n")


def test_a_file_is_taken_as_made_on_the_text_it_aligns_with() -> None:
    texts = {"en": _texts("en"), "es": _texts("es")}
    amended = list(texts["es"])
    amended[5] = amended[5] + " y algo más"
    assert base_language(amended, texts, name="BO.docx", party="BO") == "es"
    assert base_language(texts["en"], texts, name="AT.docx", party="AT") == "en"
    assert likeness(texts["es"], texts["en"]) < 0.3  # names and numbers only


def test_a_file_that_matches_neither_text_is_refused() -> None:
    texts = {"en": _texts("en"), "es": _texts("es")}
    with pytest.raises(
        RefusedFile, match="BO.docx: refused for BO, it was not made on this version's text"
    ):
        base_language(
            ["Un texto cualquiera que no es la declaración."] * 40,
            texts,
            name="BO.docx",
            party="BO",
        )


# --- keeping the texts of a revision in step (drafting/bilingual.py) ------------------------------------------


def _text(*pairs: tuple[str, str]) -> DraftText:
    return DraftText(paragraphs=[DraftParagraph(key=k, text=t) for k, t in pairs])


def test_a_paragraph_changed_in_one_language_is_pending_in_the_other() -> None:
    old = {
        "en": _text(("p001", "one"), ("p002", "two")),
        "es": _text(("p001", "uno"), ("p002", "dos")),
    }
    new = {
        "en": _text(("p001", "one more"), ("p002", "two")),
        "es": _text(("p001", "uno"), ("p002", "dos más")),
    }
    texts, pending = in_step(old, new, {})
    assert pending == {"en": ["p002"], "es": ["p001"]}
    assert [p.text for p in texts["es"].paragraphs] == ["uno", "dos más"]


def test_a_paragraph_added_in_one_language_is_added_to_the_other_pending_and_a_deletion_deletes_in_all() -> (
    None
):
    old = {
        "en": _text(("p001", "one"), ("p002", "two")),
        "es": _text(("p001", "uno"), ("p002", "dos")),
    }
    new = {
        "en": _text(("p001", "one"), ("p001.1", "one bis"), ("p002", "two")),
        "es": _text(("p001", "uno")),
    }
    texts, pending = in_step(old, new, {"en": ["p001"]})
    assert (
        [p.key for p in texts["es"].paragraphs]
        == [p.key for p in texts["en"].paragraphs]
        == ["p001", "p001.1"]
    )
    assert texts["es"].paragraphs[1].text == "one bis"  # until the translator's upload
    assert pending == {"en": ["p001"], "es": ["p001.1"]}  # what was pending stays pending


def test_ids_of_another_language_say_which_text_they_were_made_on() -> None:
    assert tag("P001", "es") == "P001.es"
    assert (language_of("P001.es", "en"), language_of("C01", "en")) == ("es", "en")


def test_comments_follow_their_paragraph_when_the_texts_are_put_in_step() -> None:
    before, after = (
        _text(("p001", "a"), ("p002", "b")),
        _text(("p001", "a"), ("p001.1", "x"), ("p002", "b")),
    )
    assert reanchored([(1, 0, 1, "B1")], before, after) == [(2, 0, 1, "B1")]


def _synopsis(statuses: dict[str, str], parties: list[str]) -> dict[str, object]:
    return {
        "paragraphs": [{"key": key, "status": status} for key, status in statuses.items()],
        "parties": parties,
        "party_names": {"AR": "Argentina", "AT": "Austria", "BR": "Brazil"},
        "counts": {"amendments": 1, "conflicts": 0, "brackets": 0},
        "problems": [],
        "conflicts": [],
        "brackets": [],
        "version": "Zero draft",
    }


def test_a_paragraph_amended_in_any_language_is_amended_in_the_synopsis() -> None:
    # regression: the status column came from the first language alone ("unchanged" beside Spanish amendments)
    from drafting.bilingual import side_by_side

    en = _synopsis(
        {"p1": "unchanged", "p2": "amended", "p3": "unchanged", "p4": "bracketed"}, ["AT"]
    )
    es = _synopsis(
        {"p1": "amended", "p2": "unchanged", "p3": "in conflict", "p4": "unchanged"}, ["AR", "BR"]
    )
    both = side_by_side(en, {"es": es}, languages=["en", "es"])
    assert [row["status"] for row in both["paragraphs"]] == [
        "amended",
        "amended",
        "in conflict",
        "bracketed",
    ]
    assert both["parties"] == ["AR", "AT", "BR"] and both["counts"]["amendments"] == 2
