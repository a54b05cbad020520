"""A version as Akoma Ntoso 3.0 (OASIS LegalDocML), the UN's document standard: a ``<statement
name="declaration">`` with preface, preamble and operative paragraphs, FRBR identity, and the negotiation's
lifecycle and workflow from the event log.

Paragraph ``eId``s come from the paragraphs' stable keys (``p007`` -> ``para_p007``), so a paragraph keeps its
eId from the zero draft to the agreed text. The same inputs give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from drafting.documents import status_of
from drafting.events import VersionEdited, VersionIssued
from drafting.negotiation import Declaration, Event, Party, Version
from drafting.text import DraftText

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_LANGUAGES = {
    "en": "eng",
    "es": "spa",
    "fr": "fra",
    "pt": "por",
    "de": "deu",
    "it": "ita",
    "nl": "nld",
}
_OPERATIVE = re.compile(r"^\s*(\d+\.|[IVXLC]+\.)\s")  # "1. Commit to ..." or a heading "II. ..."
_HEADING = re.compile(r"^\s*([IVXLC]+\.)\s+(.*)$")
_NUMBER = re.compile(r"^\s*(\d+\.|\([a-z]{1,3}\))\s+(.*)$", re.S)
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot carry these


class AknEvent(BaseModel):
    """One recorded event, as the export needs it."""

    model_config = ConfigDict(frozen=True)

    seq: int
    type: str  # accord's event type, e.g. accord.version.issued
    actor: str  # a party code or "secretariat"
    at: str  # ISO 8601 UTC
    version: str | None = None  # the version the event concerns, if any

    @classmethod
    def of(cls, event: Event) -> AknEvent:
        """A recorded event as the export needs it."""
        version = event.payload.get("version")
        return cls(
            seq=event.seq, type=event.type, actor=event.actor, at=event.occurred_at, version=version
        )


class AknVersion(BaseModel):
    """The version exported: its label, number, text and the recorded time it was issued."""

    model_config = ConfigDict(frozen=True)

    label: str
    number: int
    text: DraftText
    issued_at: str
    state: str

    @classmethod
    def of(cls, version: Version, language: str | None = None) -> AknVersion:
        """A version exported in ``language`` (None: its first; else one of its translations)."""
        content = version.content
        text = content.text if language is None else content.translations[language].text
        return cls(
            label=version.label,
            number=version.number,
            text=text,
            issued_at=version.created_at,
            state=version.state,
        )


_ISSUED = (VersionIssued.TYPE, VersionEdited.TYPE)


def lifecycle_events(events: Sequence[Event], number: int) -> list[AknEvent]:
    """The log's events up to the issue of the version after version ``number``: its lifecycle and workflow."""
    following = [
        e.seq for e in events if e.type in _ISSUED and e.payload.get("number", -1) > number
    ]
    cut = min(following, default=events[-1].seq + 1 if events else 1)
    return [AknEvent.of(e) for e in events if e.seq < cut]


def expressed_in(declaration: Declaration, language: str | None) -> Declaration:
    """The declaration with the expression's language first (None: as it is, its first language)."""
    if language is None:
        return declaration
    others = [x for x in declaration.languages if x != language]
    return declaration.model_copy(update={"languages": [language, *others]})


# What each event is in AKN terms: (lifecycle type or None, workflow step name or None).
_EVENTS: dict[str, tuple[str | None, str | None]] = {
    "accord.declaration.created": ("generation", "created"),
    "accord.version.issued": ("amendment", "issued"),
    "accord.version.edited": ("amendment", "edited"),
    "accord.round.opened": (None, "round-opened"),
    "accord.round.closed": (None, "round-closed"),
    "accord.submission.received": (None, "submitted"),
    "accord.decision.recorded": (None, "decided"),
    "accord.version.approved": (None, "approved"),
    "accord.version.circulated": (None, "circulated"),
    "accord.silence.started": (None, "silence-started"),
    "accord.silence.broken": (None, "silence-broken"),
    "accord.version.agreed": (None, "agreed"),
}


def akn_statement(
    declaration: Declaration,
    version: AknVersion,
    parties: Sequence[Party],
    events: Sequence[AknEvent],
    *,
    created_at: str,
) -> bytes:
    """The version as an Akoma Ntoso 3.0 document (UTF-8 bytes)."""
    ET.register_namespace("", AKN)
    root = _el(None, "akomaNtoso")
    statement = _el(root, "statement", name="declaration")
    iris = _Iris(declaration, version, created_at)
    _meta(_el(statement, "meta"), declaration, version, parties, events, iris)
    _text(statement, declaration, version)
    for element in root.iter():
        if element.text:
            element.text = _NOT_XML.sub("", element.text)
    ET.indent(root, space=" ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _text(statement: ET.Element, declaration: Declaration, version: AknVersion) -> None:
    """The version's paragraphs as the statement's preface (its title lines), preamble and main body."""
    texts = [p.text for p in version.text.paragraphs]
    keys = [p.key for p in version.text.paragraphs]
    preface, preamble, body = split_text(texts)
    _preface(_el(statement, "preface"), declaration, version, [texts[i] for i in preface])
    if preamble:
        block = _el(statement, "preamble")
        for i in preamble:
            _el(block, "p", eId=f"preamble__p_{_safe(keys[i])}").text = texts[i]
    _main_body(_el(statement, "mainBody"), [(keys[i], texts[i]) for i in body])


def split_text(texts: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """Indices of the preface (title lines), the preamble (what comes before the first operative paragraph or
    heading) and the operative body; a text with no numbered paragraph is all body after its title."""
    first = next((i for i, t in enumerate(texts) if _OPERATIVE.match(t)), None)
    if first is None:
        return [0] if texts else [], [], list(range(1, len(texts)))
    preface = [0] if first > 0 else []
    while preface and preface[-1] + 1 < first and not texts[preface[-1] + 1].rstrip().endswith(","):
        preface.append(
            preface[-1] + 1
        )  # the place-and-date line under the title; "We, ...," opens the preamble
    return preface, list(range(len(preface), first)), list(range(first, len(texts)))


class _Iris:
    """FRBR IRIs: the work is the declaration, an expression one version in one language, the manifestation
    this XML file."""

    def __init__(self, declaration: Declaration, version: AknVersion, created_at: str) -> None:
        self.work = f"/akn/un/statement/declaration/{created_at[:4]}/{_safe(declaration.slug)}"
        self.language = _LANGUAGES.get(
            declaration.languages[0] if declaration.languages else "en", "eng"
        )
        self.expression = (
            f"{self.work}/{self.language}@{_safe(version.label.lower().replace('.', '-'))}"
        )
        self.created = created_at[:10]
        self.issued = version.issued_at[:10]


def _meta(
    meta: ET.Element,
    declaration: Declaration,
    version: AknVersion,
    parties: Sequence[Party],
    events: Sequence[AknEvent],
    iris: _Iris,
) -> None:
    _identification(_el(meta, "identification", source="#accord"), declaration, version, iris)
    _lifecycle(meta, events, iris)
    _workflow(meta, events)
    _references(meta, parties, events, iris)


def _identification(
    identification: ET.Element, declaration: Declaration, version: AknVersion, iris: _Iris
) -> None:
    """The FRBR work (the declaration), expression (this version) and manifestation (this file)."""
    work = _el(identification, "FRBRWork")
    _frbr(work, f"{iris.work}/!main", iris.work, iris.created, "creation", alias=declaration.symbol)
    _el(work, "FRBRauthor", href="#secretariat")
    _el(work, "FRBRcountry", value="un")
    _el(work, "FRBRname", value=declaration.title)
    expression = _el(identification, "FRBRExpression")
    _frbr(expression, f"{iris.expression}/!main", iris.expression, iris.issued, version.label)
    _el(expression, "FRBRauthor", href="#secretariat")
    _el(expression, "FRBRversionNumber", value=version.label)
    _el(expression, "FRBRlanguage", language=iris.language)
    manifestation = _el(identification, "FRBRManifestation")
    uri, file = f"{iris.expression}/!main.xml", f"{iris.expression}.akn"
    _frbr(manifestation, uri, file, iris.issued, "generation")
    _el(manifestation, "FRBRauthor", href="#accord")
    _el(manifestation, "FRBRformat", value="application/akn+xml")


def _frbr(
    parent: ET.Element, this: str, uri: str, date: str, name: str, alias: str | None = None
) -> None:
    _el(parent, "FRBRthis", value=this)
    _el(parent, "FRBRuri", value=uri)
    if alias:
        _el(parent, "FRBRalias", value=alias, name="symbol")
    _el(parent, "FRBRdate", date=date, name=name)


def _lifecycle(meta: ET.Element, events: Sequence[AknEvent], iris: _Iris) -> None:
    lifecycle = _el(meta, "lifecycle", source="#secretariat")
    made = [e for e in events if _EVENTS.get(e.type, (None, None))[0]]
    if not made:  # the schema wants one event at least: the work's creation
        _event_ref(lifecycle, eid="evt_0", date=iris.created, kind="generation")
    for event in made:
        kind, concept = _EVENTS[event.type]
        date, refers = event.at[:10], f"#{concept}"
        _event_ref(lifecycle, f"evt_{event.seq}", date, kind or "amendment", refers_to=refers)


def _event_ref(
    lifecycle: ET.Element, eid: str, date: str, kind: str, refers_to: str | None = None
) -> None:
    """One event of the lifecycle (the event's concept, when it has one, in ``refers_to``)."""
    attributes = {"eId": eid, "date": date, "source": "#original", "type": kind}
    if refers_to is not None:
        attributes["refersTo"] = refers_to
    _el(lifecycle, "eventRef", **attributes)


def _workflow(meta: ET.Element, events: Sequence[AknEvent]) -> None:
    steps = [e for e in events if _EVENTS.get(e.type, (None, None))[1]]
    if not steps:
        return
    workflow = _el(meta, "workflow", source="#secretariat")
    for event in steps:
        _el(
            workflow,
            "step",
            eId=f"step_{event.seq}",
            date=event.at[:10],
            by=f"#{_actor(event.actor)}",
            refersTo=f"#{_EVENTS[event.type][1]}",
        )


def _references(
    meta: ET.Element, parties: Sequence[Party], events: Sequence[AknEvent], iris: _Iris
) -> None:
    references = _el(meta, "references", source="#accord")
    original = f"{iris.work}/{iris.language}@zero-draft/!main"
    _el(references, "original", eId="original", href=original, showAs="Zero draft")
    for code, name in _concepts(events):
        _el(references, "TLCEvent", eId=code, href=f"/ontology/event/accord/{code}", showAs=name)
    _organization(references, "secretariat", "Secretariat")
    _organization(references, "accord", "accord")
    for party in sorted(parties, key=lambda p: p.code):
        if _actor(party.code) not in ("secretariat", "accord"):
            _organization(references, _actor(party.code), party.name)
    for role in sorted({p.role.value for p in parties}):
        role_id = _safe(role)
        href = f"/ontology/role/accord/{role_id}"
        _el(references, "TLCRole", eId=f"role_{role_id}", href=href, showAs=role)


def _organization(references: ET.Element, eid: str, name: str) -> None:
    href = f"/ontology/organization/accord/{eid}"
    _el(references, "TLCOrganization", eId=eid, href=href, showAs=name)


def _concepts(events: Iterable[AknEvent]) -> list[tuple[str, str]]:
    used = {step for e in events if (step := _EVENTS.get(e.type, (None, None))[1])}
    return [
        (step, step.replace("-", " "))
        for _, step in _EVENTS.values()
        if step in used and step is not None
    ]


def _preface(
    preface: ET.Element, declaration: Declaration, version: AknVersion, lines: Sequence[str]
) -> None:
    title, *rest = [*lines] or [declaration.title]
    _el(_el(preface, "p", eId="preface__p_title"), "docTitle").text = title
    for n, line in enumerate(rest, start=1):
        _el(preface, "p", eId=f"preface__p_{n}").text = line
    _el(_el(preface, "p", eId="preface__p_symbol"), "docNumber").text = declaration.symbol
    _el(_el(preface, "p", eId="preface__p_version"), "docStage").text = version.label
    _el(_el(preface, "p", eId="preface__p_status"), "docStatus").text = status_of(version.state)


def _main_body(body: ET.Element, paragraphs: Sequence[tuple[str, str]]) -> None:
    if not paragraphs:
        _el(_el(body, "paragraph", eId="para_empty"), "content").append(ET.Element(f"{{{AKN}}}p"))
        return
    for key, text in paragraphs:
        heading = _HEADING.match(text)
        if heading:
            container = _el(body, "hcontainer", eId=f"hcontainer_{_safe(key)}", name="heading")
            _el(container, "num").text = heading.group(1)
            _el(container, "heading").text = heading.group(2)
            continue
        numbered = _NUMBER.match(text)
        paragraph = _el(body, "paragraph", eId=f"para_{_safe(key)}")
        if numbered:
            _el(paragraph, "num").text = numbered.group(1)
        _el(_el(paragraph, "content"), "p").text = numbered.group(2) if numbered else text


def _actor(code: str) -> str:
    return "secretariat" if code == "secretariat" else f"party_{_safe(code.lower())}"


def _safe(text: str) -> str:
    return _UNSAFE.sub("-", text)


def _el(parent: ET.Element | None, tag: str, **attributes: str) -> ET.Element:
    name = f"{{{AKN}}}{tag}"
    return (
        ET.Element(name, attributes) if parent is None else ET.SubElement(parent, name, attributes)
    )
