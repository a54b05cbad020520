"""Properties of a whole round, from the parties' Word files to the next revision: whatever the submissions and
whatever the co-presidencies decide, the revision is made of whole words of the base and of accepted or bracketed
alternatives; accepting one party's amendments alone gives its text; rejecting everything gives the base."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from drafting.amendments import words
from drafting.decisions import ACCEPT, REJECT, reconcile
from drafting.merge import Merged, alternative, merge
from drafting.proposals import MARK, base_string
from drafting.revision import next_revision, operations
from drafting.text import DraftText, zero_draft_text
from tests.compilation_fixtures import contribution, sample_base, sample_bytes, tracked

CO = ["ES", "BO"]
PARTIES = {"AR": "Argentina", "AT": "Austria", "MX": "Mexico", "FR": "France"}
INSERTS = ["", "s", "as well as", "UN ", " new words ", "acción", "-related", ", including", "2,5"]


def small_base() -> DraftText:
    """Five paragraphs of the repository's own sample (no ../shared needed): enough to meet every case, small enough
    for many examples."""
    return zero_draft_text([p.text for p in sample_base("water").paragraphs[3:8]])


BASE = small_base()


@st.composite
def party_texts(draw: st.DrawFn) -> list[str]:
    """A party's paragraphs: a few character splices that may cut through words, as Word may store them."""
    texts = [p.text for p in BASE.paragraphs]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(texts) - 1))
        text = texts[index]
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 25)))
        texts[index] = text[:i] + draw(st.sampled_from(INSERTS)) + text[j:]
    return texts


@st.composite
def rounds(draw: st.DrawFn) -> dict[str, list[str]]:
    codes = draw(st.lists(st.sampled_from(sorted(PARTIES)), min_size=1, max_size=3, unique=True))
    return {code: draw(party_texts()) for code in codes}


def merged_of(submissions: dict[str, list[str]]) -> Merged:
    template = sample_bytes("water")
    return merge(
        [
            contribution(tracked(template, BASE, texts, author=PARTIES[code]), BASE, code, n + 1)
            for n, (code, texts) in enumerate(sorted(submissions.items()))
        ]
    )


def revised(merged: Merged, votes: dict[str, dict[str, str]]) -> str:
    resolutions = reconcile(merged, votes, CO)
    text, _ = next_revision(BASE, operations(BASE, merged, resolutions))
    return base_string(text)


@st.composite
def co_decisions(draw: st.DrawFn, merged: Merged) -> dict[str, dict[str, str]]:
    """Each co-presidency's decisions, as accord accepts them: each amendment accepted, rejected or left; each
    conflict decided whole (one alternative, none, or left)."""
    votes: dict[str, dict[str, str]] = {}
    for party in CO:
        mine: dict[str, str] = {}
        for p in merged.proposals:
            if p.group is None:
                choice = draw(st.sampled_from([ACCEPT, REJECT, None]))
                if choice is not None:
                    mine[p.id] = choice
        for group in merged.conflicts:
            kept = draw(st.sampled_from([None, "none", *group.proposals]))
            if kept is not None:
                mine.update({pid: ACCEPT if pid == kept else REJECT for pid in group.proposals})
        votes[party] = mine
    return votes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(), st.data())
def test_any_decisions_give_whole_words_of_the_base_and_of_alternatives(
    submissions: dict[str, list[str]], data: st.DataObject
) -> None:
    merged = merged_of(submissions)
    votes = data.draw(co_decisions(merged))
    text = base_string(BASE)
    allowed = set(words(text))
    for p in merged.proposals:
        allowed |= set(words(p.inserted))
    for group in merged.conflicts:
        for pid in group.proposals:
            allowed |= set(words(alternative(text, group, merged.by_id()[pid])))
    new = revised(merged, votes)
    assert set(words(new)) <= allowed
    typed = [text, *(MARK.join(texts) for texts in submissions.values())]
    assert "  " not in new or any("  " in t for t in typed)  # no doubled space that no one typed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_accepting_one_partys_amendments_gives_its_text_and_rejecting_all_the_base(
    submissions: dict[str, list[str]],
) -> None:
    merged = merged_of(submissions)
    reject = {p.id: REJECT for p in merged.proposals}
    assert revised(merged, {party: reject for party in CO}) == base_string(BASE)
    for code, texts in submissions.items():
        theirs = [p for p in merged.proposals if code in p.parties]
        groups = [p.group for p in theirs if p.group]
        assume(
            len(groups) == len(set(groups))
        )  # two of its amendments in one conflict: no single choice
        accept = {p.id: ACCEPT if code in p.parties else REJECT for p in merged.proposals}
        assert revised(merged, {party: accept for party in CO}) == MARK.join(texts)
