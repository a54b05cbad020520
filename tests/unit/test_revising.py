"""The next revision as values (drafting.revising): decisions reconciled and applied to each language's text, the
texts kept in step, and what the version and its VersionIssued record."""

from __future__ import annotations

from functools import cache

from drafting.bilingual import tagged
from drafting.brackets import COVER_PAGE
from drafting.merge import Merged, merge
from drafting.revising import (
    RevisedTexts,
    RoundToRevise,
    outcomes,
    revise_texts,
    translation_of,
    version_content,
    version_issued,
)
from tests.compilation_fixtures import sample_base
from tests.unit.test_round_compilation import contributions_on

CO = ["AR", "ES"]


@cache
def _merged(sample: str) -> Merged:
    """Austria shouts the last word of the first paragraph (Mexico's added paragraph left out)."""
    return merge([contributions_on(sample)[0]])


def _revised(languages: dict[str, str], votes: dict[str, str]) -> RevisedTexts:
    first = next(iter(languages))
    merged = {  # as the compilation stores them: a further language's ids tagged with it
        lang: _merged(sample) if lang == first else tagged(_merged(sample), lang)
        for lang, sample in languages.items()
    }
    ids = {lang: [p.id for p in m.proposals] for lang, m in merged.items()}
    return revise_texts(
        RoundToRevise(
            bases={lang: sample_base(sample) for lang, sample in languages.items()},
            merged=merged,
            decisions={
                party: {i: vote for found in ids.values() for i in found}
                for party, vote in votes.items()
            },
            co_presidencies=CO,
            groups=[],
            first_id=1,
            rules=COVER_PAGE,
            pending={lang: [] for lang in languages},
        )
    )


def test_both_accepting_applies_the_amendment_and_nothing_is_pending_in_one_language() -> None:
    revised = _revised({"en": "water"}, {"AR": "accept", "ES": "accept"})
    first = revised.texts["en"].paragraphs[0].text
    assert first.split()[-1].isupper()
    assert outcomes(revised.resolutions) == {"applied": 1, "dropped": 0, "bracketed": 0}
    assert revised.pending == {"en": []} and revised.note == ""
    assert revised.comments == {"en": []}
    issued = version_issued(revised, {}, label="Rev.1", number=2, round_number=1, blob="b" * 64)
    assert (
        issued.translations is None and issued.pending is None
    )  # left out of the payload, as before
    assert version_content(revised, 1, {}).translations == {}


def test_co_presidencies_that_differ_bracket_the_amendment_and_the_document_names_the_group() -> (
    None
):
    revised = _revised({"en": "water"}, {"AR": "accept", "ES": "reject"})
    assert outcomes(revised.resolutions)["bracketed"] == 1
    assert "[" in revised.texts["en"].paragraphs[0].text
    (comment,) = revised.comments["en"]
    assert comment[0] == 0 and "B1" in comment[3]


def test_a_paragraph_amended_in_one_language_is_pending_in_the_other_and_in_both_when_both() -> (
    None
):
    revised = _revised({"en": "water", "es": "water-es"}, {"AR": "accept", "ES": "accept"})
    key = revised.texts["en"].paragraphs[0].key
    # changed in both, it is pending in each: each holds words the other lacks
    assert revised.pending == {"en": [key], "es": [key]}
    merged = {"en": _merged("water"), "es": Merged(proposals=[], conflicts=[])}
    only_english = revise_texts(
        RoundToRevise(
            bases={"en": sample_base("water"), "es": sample_base("water-es")},
            merged=merged,
            decisions={p: {m.id: "accept" for m in merged["en"].proposals} for p in CO},
            co_presidencies=CO,
            groups=[],
            first_id=1,
            rules=COVER_PAGE,
            pending={"en": [], "es": []},
        )
    )
    assert only_english.pending == {"en": [], "es": [key]}
    assert only_english.note.startswith("Translation pending: es 1")
    spanish = translation_of(only_english, "es", blob="c" * 64, template="d" * 64)
    assert spanish.pending == [key]
    issued = version_issued(
        only_english, {"es": spanish}, label="Rev.1", number=2, round_number=1, blob="b" * 64
    )
    assert issued.translations is not None and issued.translations["es"].pending == (key,)
