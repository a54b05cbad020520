"""Two authentic languages must not drift apart (issue 15, rules ACROSS): amendments made on different languages'
texts of one paragraph are one group (drafting.across); a paragraph whose bracket groups differ between the
languages is pending in the one holding fewer (drafting.bilingual.bracket_pending); a translation must carry its
source's bracket groups (drafting.translating)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from drafting.across import across_languages, also_amended
from drafting.bilingual import bracket_pending
from drafting.brackets import ACROSS, COVER_PAGE
from drafting.concordance import align as align_versions
from drafting.concordance import bracket_spans, concordance_html
from drafting.errors import InvalidInput
from drafting.languages import concordance_warnings
from drafting.merge import Merged, MergedProposal
from drafting.negotiation import Translation, VersionContent
from drafting.round_compilation import compile_documents
from drafting.text import DraftParagraph, DraftText
from drafting.translating import Upload, align, bracket_source
from tests.unit.test_round_compilation import _task


def _p(
    pid: str, paragraph: str, parties: list[str], deleted: str = "x", inserted: str = ""
) -> MergedProposal:
    return MergedProposal(
        id=pid,
        start=0,
        end=len(deleted),
        deleted=deleted,
        inserted=inserted,
        paragraph=paragraph,
        parties=parties,
        sources=[pid],
    )


# Austria and Belgium reword paragraph 8's clause in English; Argentina deletes it in Spanish; Croatia alone
# amends paragraph 1 in English, Brazil alone paragraph 9 in Spanish.
ON = {
    "en": Merged(
        proposals=[
            _p("P001", "p017", ["HR"], "", "islands, "),
            _p("P002", "p025", ["AT"], "Take note of", "Welcome"),
            _p(
                "P003",
                "p025",
                ["AT", "BE"],
                "interested States to consider acceding",
                "all States to accede",
            ),
        ],
        conflicts=[],
    ),
    "es": Merged(
        proposals=[
            _p("P001.es", "p025", ["AR"], ", e invitamos a los Estados interesados"),
            _p("P002.es", "p026", ["BR"], "", "los arrecifes de coral, "),
        ],
        conflicts=[],
    ),
}


def test_a_paragraph_amended_in_both_languages_is_one_group_and_one_language_alone_none() -> None:
    groups = across_languages(ON)
    assert [(g.paragraph, g.proposals) for g in groups] == [
        ("p025", {"en": ["P002", "P003"], "es": ["P001.es"]})
    ]
    assert across_languages({"en": ON["en"]}) == []


def test_groups_follow_the_text_order_of_their_paragraphs() -> None:
    later = {
        "en": Merged(
            proposals=[_p("P001", "p010", ["AT"]), _p("P002", "p009.1", ["AT"])], conflicts=[]
        ),
        "es": Merged(
            proposals=[_p("P001.es", "p009.1", ["AR"]), _p("P002.es", "p010", ["AR"])], conflicts=[]
        ),
    }
    assert [g.paragraph for g in across_languages(later)] == ["p009.1", "p010"]


def test_each_languages_first_amendment_on_the_paragraph_names_the_others() -> None:
    groups = across_languages(ON)
    english, spanish = also_amended(groups, ON, "en"), also_amended(groups, ON, "es")
    assert english == {
        "P002": "Also amended in ES: P001.es [AR]: delete ', e invitamos a los Estados interesados'"
    }
    assert list(spanish) == ["P001.es"]
    assert spanish["P001.es"].startswith("Also amended in EN: P002 [AT]: replace 'Take note of'")
    assert "P003 [AT, BE]: replace 'interested States to consider acceding'" in spanish["P001.es"]


def _comments(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/comments.xml").decode()


def test_a_bilingual_compilation_groups_across_languages_counts_and_comments_them() -> None:
    compiled = compile_documents(_task({"en": "water", "es": "water-es"}, rules=ACROSS))
    synopsis = json.loads(compiled.files["synopsis.json"])
    keys = [g["paragraph"] for g in synopsis["across"]]
    assert keys and keys == [g["paragraph"] for g in compiled.stored["across"]]
    assert synopsis["counts"]["across"] == len(keys) and compiled.across == len(keys)
    assert synopsis["counts"]["conflicts"] == len(keys) == compiled.conflicts
    group = synopsis["across"][0]
    assert set(group["languages"]) == {"en", "es"}
    assert all(a["id"].endswith(".es") for a in group["languages"]["es"])
    row = next(r for r in synopsis["paragraphs"] if r["key"] == group["paragraph"])
    assert row["status"] == "in conflict" and set(row["across"]) == {"en", "es"}
    assert "Also amended in ES: P001.es [AT]" in _comments(compiled.files["compilation.en.docx"])
    assert "Also amended in EN: P001 [AT]" in _comments(compiled.files["compilation.es.docx"])
    assert "across languages" in compiled.files["synopsis.html"].decode()


def test_a_declaration_created_before_keeps_its_compilation_as_it_was() -> None:
    compiled = compile_documents(_task({"en": "water", "es": "water-es"}, rules=COVER_PAGE))
    synopsis = json.loads(compiled.files["synopsis.json"])
    assert "across" not in synopsis and "across" not in synopsis["counts"]
    assert "across" not in compiled.stored and compiled.conflicts == 0
    assert "Also amended" not in _comments(compiled.files["compilation.en.docx"])


def _text(*texts: str) -> DraftText:
    return DraftText(
        paragraphs=[DraftParagraph(key=f"p{i:03d}", text=t) for i, t in enumerate(texts, 1)]
    )


def test_the_language_whose_paragraph_was_not_bracketed_follows_the_bracketed_one() -> None:
    texts = {
        "en": _text("1. Welcome it, and invite all States to accede;", "2. Water."),
        "es": _text("1. Tomamos nota[, e invitamos a los Estados];", "2. Agua."),
    }
    assert bracket_pending(texts, {"en": [], "es": []}) == {"en": ["p001"], "es": []}
    # a paragraph already pending stays pending; brackets alike add nothing
    assert bracket_pending(texts, {"en": [], "es": ["p002"]}) == {"en": ["p001"], "es": ["p002"]}
    alike = {"en": _text("1. [A / B]."), "es": _text("1. [A / B].")}
    assert bracket_pending(alike, {}) == {"en": [], "es": []}


def _content(english: str, spanish: str, pending: dict[str, list[str]]) -> VersionContent:
    es = Translation(
        text=_text(spanish, "2. Agua."), blob="b" * 64, template="t" * 64, pending=pending["es"]
    )
    return VersionContent(
        text=_text(english, "2. Water."),
        template="t" * 64,
        translations={"es": es},
        pending=pending["en"],
    )


def _upload(language: str, first: str, rules: int = ACROSS) -> Upload:
    rest = "2. Agua." if language == "es" else "2. Water."
    return Upload("water", "Rev.1", language, f"rev1.{language}.docx", [first, rest], True, rules)


ENGLISH, SPANISH = (
    "1. Welcome it, and invite all States;",
    "1. Acogemos[, e invitamos a los Estados];",
)


def test_a_translation_without_its_sources_brackets_is_refused_naming_the_paragraph() -> None:
    content = _content(ENGLISH, SPANISH, {"en": ["p001"], "es": ["p001"]})
    with pytest.raises(InvalidInput) as refused:
        align(content, "en", _upload("en", ENGLISH))
    assert str(refused.value) == (
        "rev1.en.docx: refused, paragraph 1 has no bracketed passage in en but 1 bracketed passage in es "
        "of Rev.1; the bracket groups must be the same in every language: carry those of es over"
    )
    taken = align(content, "en", _upload("en", "1. Welcome it[, and invite all States];"))
    assert taken.pending == {"en": [], "es": ["p001"]}


def test_a_declaration_created_before_takes_the_translation_as_it_did() -> None:
    content = _content(ENGLISH, SPANISH, {"en": ["p001"], "es": []})
    assert align(content, "en", _upload("en", ENGLISH, rules=COVER_PAGE)).pending == {"en": []}


def test_the_source_of_a_paragraphs_brackets() -> None:
    texts = {"en": _text(ENGLISH), "es": _text(SPANISH)}
    # settled in the other language: that one; pending in both: the one holding most, itself included
    assert bracket_source(texts, {"en": ["p001"]}, "en", 0) == ("es", 1)
    assert bracket_source(texts, {"en": ["p001"], "es": ["p001"]}, "en", 0) == ("es", 1)
    assert bracket_source(texts, {"en": ["p001"], "es": ["p001"]}, "es", 0) == ("es", 1)


def test_the_concordance_finds_bracket_groups_that_differ_and_no_one_may_accept_them() -> None:
    english = ["1. Welcome it, and invite all States;", "2. [Water / Clean water] for all."]
    spanish = ["1. Acogemos[, e invitamos a los Estados];", "2. [Agua / Agua limpia] para todos."]
    found = align_versions({"en": english, "es": spanish})
    message = (
        "paragraph 1 (1.): no bracketed passage in en, 1 bracketed passage in es; the bracket groups must be "
        "the same in every language"
    )
    assert found.brackets == [message] and found.warnings == [] and not found.aligned
    assert [p.status.value for p in found.pairs] == ["mismatch", "aligned"]
    finding = found.pairs[0].findings[0]
    assert finding.check == "bracket" and finding.found["es"] == ["[, e invitamos a los Estados]"]
    assert not align_versions({"en": english, "es": spanish}, accepted=[message]).aligned
    assert align_versions({"en": english, "es": spanish}, pending={1}).brackets == []
    assert json.loads(found.to_json())["brackets"] == [message]
    page = concordance_html(found, title="Water")
    assert "<mark>[, e invitamos a los Estados]</mark>" in page and message in page


def test_bracket_spans_are_the_outermost_groups() -> None:
    assert bracket_spans("a [b [c] d] e [f]") == [(2, 11), (14, 17)]
    assert bracket_spans("a ] b [ c") == []


def test_zero_drafts_bracketed_differently_are_refused_since_rules_4() -> None:
    english, spanish = ["1. Water [for all]."], ["1. Agua para todos."]
    with pytest.raises(
        InvalidInput, match=r"hold different bracket groups: paragraph 1 \(1\.\): 1 bracketed"
    ):
        concordance_warnings({"en": english, "es": spanish}, accept_warnings=True, brackets=True)
    assert concordance_warnings({"en": english, "es": spanish}, accept_warnings=True) == []
