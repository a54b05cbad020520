"""The synopsis: a UN-style compilation table a co-presidency can decide from, and the same data as JSON."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from drafting.decisions import reconcile
from drafting.merge import merge
from drafting.proposals import MARK
from drafting.revision import lineage, next_revision, operations
from drafting.synopsis import sentence_around, synopsis, synopsis_html
from drafting.text import zero_draft_text
from tests.compilation_fixtures import (
    NAMES,
    Edits,
    contribution,
    sample_base,
    sample_bytes,
    tracked,
)


@cache
def round_one() -> dict[str, Any]:
    """Austria and Argentina in conflict on the Charter; Peru rewords; Mexico adds a paragraph after 6."""
    template, base = sample_bytes(), sample_base()
    edits = {
        "AT": Edits(base).replace(3, "Charter of the United Nations", "UN Charter"),
        "AR": Edits(base)
        .replace(
            3,
            "Charter of the United Nations",
            "Charter of the United Nations and international law",
        )
        .replace(12, "and", "as well as"),
        "MX": Edits(base).insert_after(5, "Mexico's new paragraph."),
    }
    contributions = [
        contribution(
            tracked(
                template,
                base,
                e.result,
                author=NAMES[code],
                comments={3: "Shorter"} if code == "AT" else None,
            ),
            base,
            code,
            n + 1,
        )
        for n, (code, e) in enumerate(edits.items())
    ]
    return synopsis(
        base,
        merge(contributions),
        contributions,
        names=NAMES,
        declaration="d",
        title="T",
        round_number=1,
        version="Zero draft",
    )


def proposals(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for row in data["paragraphs"] for p in row["proposals"]]


def test_counts_heard_and_silent() -> None:
    data = round_one()
    assert data["counts"] == {
        "amendments": 4,
        "conflicts": 1,
        "parties_heard": 3,
        "parties_silent": 57,
        "brackets": 0,
    }
    assert (
        data["parties"] == ["AR", "AT", "MX"]
        and "ES" in data["silent"]
        and "AT" not in data["silent"]
    )


def test_each_proposal_has_offsets_into_its_paragraphs_base_text() -> None:
    data = round_one()
    for row in data["paragraphs"]:
        for p in row["proposals"]:
            assert row["text"].replace(MARK, "\n")[p["start"] : p["end"]] == p["deleted"]
            assert set(p) >= {"start", "end", "deleted", "inserted", "parties", "conflict", "kind"}


def test_statuses_and_paragraph_numbers() -> None:
    data = round_one()
    status = {row["number"]: row["status"] for row in data["paragraphs"]}
    assert (status["4"], status["13"], status["6"], status["5"]) == (
        "in conflict",
        "amended",
        "amended",
        "unchanged",
    )
    (new,) = [p for p in proposals(data) if p["parties"] == ["MX"]]
    assert new["number"] == "6 bis" and new["kind"] == "insert"


def test_an_amendment_is_shown_in_its_sentence() -> None:
    data = round_one()
    (reword,) = [p for p in proposals(data) if p["inserted"] == "as well as"]
    row = next(r for r in data["paragraphs"] if reword in r["proposals"])
    assert reword["before"].endswith(" ") and reword["after"].startswith(" ")
    shown = reword["before"] + reword["deleted"] + reword["after"]
    assert shown.strip(" …") in row["text"]


def test_sentence_context_is_cut_to_words() -> None:
    paragraph = "First sentence here. " + " ".join(f"w{i}" for i in range(40)) + ". Last one."
    start = paragraph.index("w20")
    before, after = sentence_around(paragraph, start, start + 3)
    assert before.startswith("… ") and "First" not in before and before.endswith("w19 ")
    assert after.endswith(" …") and "Last" not in after


def test_a_conflict_lists_whole_phrase_alternatives_with_their_parties() -> None:
    (conflict,) = round_one()["conflicts"]
    assert conflict["base"] == "Charter of the United Nations"
    assert [(a["parties"], a["text"]) for a in conflict["alternatives"]] == [
        (["AT"], "UN Charter"),
        (["AR"], "Charter of the United Nations and international law"),
    ]
    assert conflict["alternatives"][0]["rationale"] == [{"party": "AT", "text": "Shorter"}]


def test_the_page_is_a_table_with_filters_and_no_external_resource() -> None:
    page = synopsis_html(round_one())
    assert "<table>" in page and '<select id="party">' in page and '<select id="status">' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, no server
    assert "<del>and</del><ins>as well as</ins>" in page and "[AR]" in page
    assert 'Alt 1 <span class="parties">[AT]</span>' in page and "<b>6 bis</b>" in page


def test_the_base_versions_bracket_groups_with_their_holders() -> None:
    template, base = sample_bytes(), sample_base()
    contributions = [
        contribution(
            tracked(
                template, base, Edits(base).replace(12, "and", "as well as").result, author="Peru"
            ),
            base,
            "PE",
        )
    ]
    merged = merge(contributions)
    resolutions = reconcile(
        merged, {"ES": {"P001": "accept"}, "BO": {"P001": "reject"}}, ["ES", "BO"]
    )
    rev1, placed = next_revision(base, operations(base, merged, resolutions))
    data = synopsis(
        rev1,
        merge([]),
        [],
        names=NAMES,
        declaration="d",
        title="T",
        round_number=2,
        version="Rev.1",
        brackets=lineage(placed),
    )
    (group,) = data["brackets"]
    assert group["id"] == "B1" and group["text"] == "[and / as well as]"
    assert [(a["text"], a["parties"], a["held_by"]) for a in group["alternatives"]] == [
        ("and", [], ["BO"]),
        ("as well as", ["PE"], ["ES"]),
    ]
    row = next(r for r in data["paragraphs"] if r["brackets"])
    assert row["status"] == "bracketed" and "B1" in synopsis_html(data)


def test_an_amendment_that_removes_a_bracket_group_resolves_it() -> None:
    """Regression: in round 2 the co-presidencies' compromise showed as fourteen proposals such as "Spain delete: ["
    and "Spain delete: ]"."""
    template, base = sample_bytes(), sample_base()
    peru = contribution(
        tracked(template, base, Edits(base).replace(12, "and", "as well as").result, author="Peru"),
        base,
        "PE",
    )
    merged = merge([peru])
    resolutions = reconcile(
        merged, {"ES": {"P001": "accept"}, "BO": {"P001": "reject"}}, ["ES", "BO"]
    )
    rev1, placed = next_revision(base, operations(base, merged, resolutions))
    kept = (
        Edits(rev1)
        .replace(12, "[and / as well as]", "as well as")
        .replace(20, "strengthen", "further strengthen")
    )
    spain = contribution(tracked(template, rev1, kept.result, author="Spain"), rev1, "ES")
    data = synopsis(
        rev1,
        merge([spain]),
        [spain],
        names=NAMES,
        declaration="d",
        title="T",
        round_number=2,
        version="Rev.1",
        brackets=lineage(placed),
    )
    resolved = [p for p in proposals(data) if p["resolves"]]
    assert [(p["deleted"], p["inserted"], p["resolves"]["summary"]) for p in resolved] == [
        ("[and / as well as]", "as well as", "B1 resolved: keeps 'as well as'")
    ]
    assert len(proposals(data)) == 2 and "B1 resolved: keeps &#39;as well as&#39;" in synopsis_html(
        data
    )
    group = data["brackets"][0]
    row = next(r for r in data["paragraphs"] if r["key"] == group["paragraph"])
    assert row["text"][group["start"] : group["end"]] == "[and / as well as]"


def test_a_file_that_breaks_a_bracket_is_flagged() -> None:
    template, base = sample_bytes(), sample_base()
    rev1 = zero_draft_text(
        [p.text for p in base.paragraphs[:12]]
        + [base.paragraphs[12].text.replace(" and ", " [and / as well as] ", 1)]
    )
    broken = [p.text for p in rev1.paragraphs[:12]] + [
        rev1.paragraphs[12].text.replace("[and", "and", 1)
    ]
    found = contribution(tracked(template, rev1, broken, author="Spain"), rev1, "ES")
    assert [p.deleted for p in found.proposals] == ["[and / as well as]"]
    assert found.problems and found.problems[0].startswith(
        "broken brackets: ES removed one bracket of"
    )


def test_an_amendment_with_invisible_characters_is_flagged_in_synopsis_and_compilation() -> None:
    """Regression: the submission was flagged, but the synopsis gave every amendment ``flags: []`` and the
    compilation said nothing, so the co-presidencies deciding on the amendment never saw it."""
    import io
    import zipfile

    from drafting.compilation import compilation_document
    from tests.compilation_fixtures import COMPILED

    template, base = sample_bytes(), sample_base()
    hidden = Edits(base).replace(
        3, "Charter of the United Nations", "Charter of the United \u202eNations\u202c"
    )
    plain = Edits(base).replace(12, "and", "as well as")
    contributions = [
        contribution(tracked(template, base, e.result, author=NAMES[code]), base, code, n + 1)
        for n, (code, e) in enumerate({"AT": hidden, "AR": plain}.items())
    ]
    merged = merge(contributions)
    data = synopsis(
        base,
        merged,
        contributions,
        names=NAMES,
        declaration="d",
        title="T",
        round_number=1,
        version="Zero draft",
    )
    flagged = {p["parties"][0]: p["flags"] for p in proposals(data)}
    assert flagged["AR"] == []
    assert len(flagged["AT"]) == 1 and flagged["AT"][0].startswith(
        "hidden text / invisible character: a bidirectional"
    )
    assert (
        "U+202E RIGHT-TO-LEFT OVERRIDE" in flagged["AT"][0]
        and "⟨U+202E⟩Nations⟨U+202C⟩" in flagged["AT"][0]
    )
    page = synopsis_html(data)
    assert re.search(r"<ins>[^<]*⟨U\+202E⟩Nations⟨U\+202C⟩[^<]*</ins>", page)
    assert "\u202e" not in page.split("<body")[1]
    docx = compilation_document(
        template, base, merged, names=NAMES, date=COMPILED, stamp={}, title="C"
    )
    comments = zipfile.ZipFile(io.BytesIO(docx)).read("word/comments.xml").decode()
    at = next(p for p in merged.proposals if p.parties == ["AT"])
    assert f"{at.id}: hidden text / invisible character: a bidirectional" in comments
    assert comments.count("hidden text / invisible character") == 1
