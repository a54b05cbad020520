"""`accord demo`: a whole negotiation on the sample shipped with accord (flows/samples), from zero draft to archived
agreed text. Nothing outside the repository is needed."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from drafting.errors import InvalidInput
from drafting.moments import local_time
from drafting.redline import redline_document
from drafting.text import DraftText
from drafting.wording import count
from flows import samples
from flows.adapters.files import write_out
from flows.bootstrap import App, bootstrap, iso
from flows.demo_parties import (
    CO_PRESIDENCIES,
    bilingual_parties_csv,
    check_language,
    delegations,
    parties_csv,
    party_language,
    scripted_edits,
    translated,
)
from flows.usecases.texts import texts_by_language, version_text
from storage.repository import version_content

SLUG = "demo"
MARKER = ".accord-demo"
ZONE = "Europe/Brussels"  # the demo declaration's time zone: its documents, pages and lines say times in it
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
_BRACKET = re.compile(r"\[([^\[\]]*)\]")


def sample_path(language: str = "en") -> Path:
    """The demo's declaration in ``language``: the sample shipped with accord (flows/samples)."""
    return samples.docx_path(language)


@dataclass
class DemoClock:
    """Simulated time: every step of the negotiation happens at a known moment, so documents are reproducible."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> str:
        self.now += timedelta(**delta)
        return iso(self.now)


@dataclass
class Demo:
    app: App
    clock: DemoClock
    say: Callable[[str], None]
    run: Callable[..., Any]
    language: str = "en"
    outputs: dict[str, str] = field(default_factory=dict)
    bilingual: bool = (
        False  # English and Spanish: CELAC delegations on the Spanish text, EU ones on the English
    )

    def texts_in(self, language: str) -> DraftText:
        """The current version's text in ``language`` (the first language: ``texts``)."""
        with self.app.store.reading() as uow:
            current = uow.repo.current_version(uow.repo.declaration(SLUG))
            return texts_by_language(current, "en")[language]

    def language_of(self, code: str) -> str:
        return party_language(code) if self.bilingual else self.language

    def texts(self) -> DraftText:
        with self.app.store.reading() as uow:
            return version_text(uow.repo.current_version(uow.repo.declaration(SLUG)))


def prepare_home(home: Path, fresh: bool) -> None:
    """Use an empty folder, or one an earlier demo made (recreated with --fresh)."""
    if home.exists() and any(home.iterdir()):
        if not (home / MARKER).exists():
            raise InvalidInput(
                f"{home}: folder is not empty and was not made by `accord demo`; give another --home"
            )
        if not fresh:
            raise InvalidInput(
                f"{home}: an earlier demo is there; add --fresh to run it again from scratch"
            )
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    write_out(home / MARKER, b"made by accord demo\n")


def run_demo(
    home: Path,
    *,
    parties: int,
    fresh: bool,
    say: Callable[[str], None],
    runner_for: Callable[[Path], Callable[..., Any]] | None = None,
    language: str = "en",
    bilingual: bool = False,
) -> dict[str, str]:
    """Run the negotiation in ``language`` (``bilingual``: in English and Spanish, with a translation step after
    each revision); ``runner(step, fn, *args, **kw)`` runs each step (directly, or as a Prefect flow)."""
    check_language(language)  # before anything is written
    if bilingual and language != "en":
        raise InvalidInput(
            "--bilingual negotiates the English and the Spanish text together; leave --language en"
        )
    prepare_home(home, fresh)
    runner = runner_for(home) if runner_for else None
    clock = DemoClock()
    demo = Demo(
        bootstrap(home, clock=clock),
        clock,
        say,
        runner or (lambda _step, fn, *a, **k: fn(*a, **k)),
        language=language,
        bilingual=bilingual,
    )
    _create(demo)
    _round_one(demo, parties)
    _round_two(demo)
    _adopt(demo)
    demo.outputs["overview"] = str(_overview(demo))
    return demo.outputs


def _create(demo: Demo) -> None:
    from flows.usecases.declarations import create_declaration

    sample = sample_path(demo.language)
    spanish = sample_path("es")
    # the secretariat accepts the concordance warnings of its own sample (parallel paragraph for paragraph)
    bilingual: dict[str, Any] = (
        {"translations": {"es": (spanish.read_bytes(), spanish.name)}, "accept_warnings": True}
        if demo.bilingual
        else {}
    )
    created = demo.run(
        "create-declaration",
        create_declaration,
        demo.app,
        slug=SLUG,
        title=samples.title(demo.language),
        zero_draft=sample.read_bytes(),
        zero_draft_name=sample.name,
        parties_csv=bilingual_parties_csv() if demo.bilingual else parties_csv(),
        parties_name=samples.parties_path().name,
        co_presidencies=list(CO_PRESIDENCIES),
        timezone=ZONE,
        **bilingual,
    )
    demo.say(
        f"declaration created: {created.parties} parties, zero draft of {created.paragraphs} paragraphs"
    )


def _submit_round(
    demo: Demo, version: str, edits: dict[tuple[str, str], tuple[list[str], dict[int, str]]]
) -> None:
    from flows.usecases.submissions import submit

    for (code, name), (new_texts, comments) in edits.items():
        copy = _outbox_copy(demo, code, version)
        when = demo.clock.advance(minutes=37)
        base = demo.texts_in(demo.language_of(code)) if demo.bilingual else demo.texts()
        data = redline_document(
            copy, base, new_texts, author=name, date=when, comments=comments, stamp=_stamp_of(copy)
        )
        receipt = demo.run(
            "ingest-submission",
            submit,
            demo.app,
            SLUG,
            party=code,
            data=data,
            filename=f"{code}.docx",
        )
        demo.say(
            f"  {name}: submission {receipt.submission} received"
            + (" (late)" if receipt.late else "")
        )


def _outbox_copy(demo: Demo, code: str, version: str) -> bytes:
    """The copy of ``version`` sent to the party (its outbox also holds other rounds' copies and circulations)."""
    from flows.usecases.routing import outbox

    suffix = ".es" if demo.bilingual and demo.language_of(code) == "es" else ""
    return (
        outbox(demo.app, SLUG, code) / f"{SLUG}-{version.replace(' ', '-')}-{code}{suffix}.docx"
    ).read_bytes()


def _stamp_of(document: bytes) -> dict[str, str]:
    from drafting.wordml.reader import read_docx

    return read_docx(document).custom_properties


def _open(demo: Demo, days: int) -> Any:
    """Open the next round and send each party its stamped copy (what distribute-round does under `accord serve`)."""
    from flows.usecases.rounds import open_round
    from flows.usecases.routing import distribute_round

    opened = demo.run(
        "open-round",
        open_round,
        demo.app,
        SLUG,
        deadline=iso(demo.clock.now + timedelta(days=days)),
    )
    demo.run("distribute-round", distribute_round, demo.app, SLUG, opened.number)
    return opened


def _round_one(demo: Demo, count: int) -> None:
    opened = _open(demo, days=7)
    demo.say(
        f"round {opened.number} open on {opened.version}, deadline {local_time(opened.deadline, ZONE)}; "
        "each party has its stamped copy in its outbox"
    )

    def edits_of(code: str, name: str) -> tuple[list[str], dict[int, str]]:
        language = demo.language_of(code)
        base = [
            p.text for p in (demo.texts_in(language) if demo.bilingual else demo.texts()).paragraphs
        ]
        return scripted_edits(base, code, name, language, bilingual=demo.bilingual)

    edits = {(code, name): edits_of(code, name) for code, name in delegations(count)}
    _submit_round(demo, opened.version, edits)
    _compile_and_decide(demo, strict_bolivia=True)


def _compile_and_decide(demo: Demo, *, strict_bolivia: bool) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import approve, decide

    demo.clock.advance(days=7, minutes=1)
    compiled = demo.run("close-round", close_and_compile, demo.app, SLUG)
    demo.say(
        f"round {compiled.round} closed: {count(compiled.submissions, 'submission')} -> "
        f"{count(compiled.proposals, 'proposal')}, {count(compiled.conflicts, 'conflict group')}"
    )
    for path in compiled.paths:
        demo.outputs[f"round {compiled.round} {Path(path).name}"] = path
    synopsis = json.loads(Path(next(p for p in compiled.paths if p.endswith(".json"))).read_text())
    proposals = [
        p
        for row in synopsis["paragraphs"]
        for p in [
            *row["proposals"],
            *(q for other in row.get("in", {}).values() for q in other["proposals"]),
        ]
    ]
    spain, bolivia = _decisions(proposals, strict_bolivia)
    for code, decisions in (("ES", spain), ("BO", bolivia)):
        demo.clock.advance(hours=20)
        receipt = demo.run(
            "decide",
            decide,
            demo.app,
            SLUG,
            party=code,
            data=json.dumps({"decisions": decisions}).encode(),
            filename=f"decisions-{code}.json",
        )
        demo.say(f"  {code} decided: {receipt.accepted} accepted, {receipt.rejected} rejected")
    if demo.bilingual:
        _translate(demo)
    for code in CO_PRESIDENCIES:
        demo.clock.advance(hours=3)
        result = demo.run("approve", approve, demo.app, SLUG, party=code)
    demo.say(
        f"{result['version']} approved by both co-presidencies and circulated; "
        f"{count(len(demo.texts().bracketed()), 'paragraph')} bracketed"
    )


def _decisions(
    proposals: list[dict[str, Any]], strict: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """Spain accepts all but the later alternatives of a conflict; Bolivia disagrees on some (-> brackets): on an
    amendment it decides the other way, on a conflict (decided whole) it keeps the base."""
    spain, bolivia, seen = {}, {}, set()
    for i, p in enumerate(proposals):
        first_alt = p["conflict"] not in seen
        seen.add(p["conflict"])
        spain[p["id"]] = "accept" if (p["conflict"] is None or first_alt) else "reject"
        disagree = strict and (i % 5 == 2)
        if p["conflict"] is None:
            bolivia[p["id"]] = (
                ("reject" if spain[p["id"]] == "accept" else "accept")
                if disagree
                else spain[p["id"]]
            )
        else:
            bolivia[p["id"]] = (
                "reject"
                if strict and p["conflict"] == proposals_conflicts(proposals)[0]
                else spain[p["id"]]
            )
    return spain, bolivia


def proposals_conflicts(proposals: list[dict[str, Any]]) -> list[str]:
    """The conflict ids of the synopsis's proposals, in order."""
    return sorted({p["conflict"] for p in proposals if p["conflict"]})


def _round_two(demo: Demo) -> None:
    opened = _open(demo, days=5)
    demo.say(
        f"round {opened.number} open on {opened.version}: co-presidencies propose compromise on the brackets"
    )
    compromises: dict[tuple[str, str], tuple[list[str], dict[int, str]]] = {}
    for code, name in (
        (("ES", "Spain"), ("BO", "Bolivia")) if demo.bilingual else (("ES", "Spain"),)
    ):
        texts = demo.texts_in(demo.language_of(code)) if demo.bilingual else demo.texts()
        if (
            code == "ES" or texts.bracketed()
        ):  # each co-presidency resolves the brackets of the text it works on
            resolved = [
                _resolve_brackets(p.text) if p.status == "bracketed" else p.text
                for p in texts.paragraphs
            ]
            compromises[(code, name)] = (resolved, {})
    _submit_round(demo, opened.version, compromises)
    _compile_and_decide(demo, strict_bolivia=False)


def _translate(demo: Demo) -> None:
    """The secretariat's translator carries each language's decided amendments into the other (the demo's table
    of counterparts), one upload per language with paragraphs pending."""
    from drafting.redline import redline_document
    from flows.usecases.translate import translate

    with demo.app.store.reading() as uow:
        content = version_content(uow.repo.current_version(uow.repo.declaration(SLUG)))
        keys = [p.key for p in content.text.paragraphs]
        pending = {"en": content.pending, "es": content.translations["es"].pending}
        label = uow.repo.current_version(uow.repo.declaration(SLUG)).label
    for language, waiting in pending.items():
        if not waiting:
            continue
        base = demo.texts_in(language)
        texts = {lang: [p.text for p in demo.texts_in(lang).paragraphs] for lang in ("en", "es")}
        new = translated(texts, language, [keys.index(k) for k in waiting])
        name = f"{label}.{language}.docx"
        document = demo.app.files.path(
            "declarations", SLUG, "versions", name if language == "es" else f"{label}.docx"
        )
        data = redline_document(
            document.read_bytes(), base, new, author="Translator", date=demo.clock.advance(hours=2)
        )
        done = demo.run(
            "translate",
            translate,
            demo.app,
            SLUG,
            language=language,
            data=data,
            filename=name,
            accept_warnings=True,
        )  # the table of counterparts keeps numbers and symbols as they were
        demo.say(
            f"  translator: {label} in {language}, paragraph(s) {', '.join(done.aligned)} aligned"
        )


def _resolve_brackets(text: str) -> str:
    """A compromise: keep the last alternative of each bracket, without the brackets."""
    return _BRACKET.sub(lambda m: m.group(1).split(" / ")[-1], text)


def _adopt(demo: Demo) -> None:
    from flows.usecases import silence
    from flows.usecases.archive import archive

    until = iso(demo.clock.now + timedelta(days=3))
    demo.run("start-silence", silence.start_silence, demo.app, SLUG, until=until)
    demo.say(f"silence procedure until {local_time(until, ZONE)}")
    demo.clock.advance(days=3, minutes=1)
    demo.run("end-silence", silence.end_silence, demo.app, SLUG)
    demo.say("silence not broken: text agreed")
    bundle = demo.app.files.path("declarations", SLUG, "archive", f"{SLUG}-archive.zip")
    demo.run("archive", archive, demo.app, SLUG, out=bundle)
    demo.outputs["archive"] = str(bundle)
    demo.say(f"archived: {bundle}")


def _overview(demo: Demo) -> Path:
    """The declaration's dashboard (index.html), with every document printed to PDF when LibreOffice is installed."""
    from flows.usecases.dashboard import write_dashboard
    from flows.usecases.pdf import libreoffice

    return Path(
        demo.run("dashboard", write_dashboard, demo.app, SLUG, pdf=libreoffice() is not None)
    )
