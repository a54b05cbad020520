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
from drafting.wording import count, listing
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

    def bracketed(self) -> dict[str, int]:
        """Language -> how many of the current version's paragraphs are bracketed, the first language first."""
        with self.app.store.reading() as uow:
            current = uow.repo.current_version(uow.repo.declaration(SLUG))
            texts = texts_by_language(current, self.language)
        return {language: len(text.bracketed()) for language, text in texts.items()}


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
    demo = _demo(home, say, runner_for, language, bilingual)
    _create(demo)
    _round_one(demo, parties)
    _round_two(demo)
    _adopt(demo)
    demo.outputs["overview"] = str(_overview(demo))
    return demo.outputs


def _demo(
    home: Path,
    say: Callable[[str], None],
    runner_for: Callable[[Path], Callable[..., Any]] | None,
    language: str,
    bilingual: bool,
) -> Demo:
    """The demo's application on simulated time, with the runner of its steps (in-process by default)."""
    runner = runner_for(home) if runner_for else None
    clock = DemoClock()
    app = bootstrap(home, clock=clock)
    run = runner or (lambda _step, fn, *a, **k: fn(*a, **k))
    return Demo(app, clock, say, run, language=language, bilingual=bilingual)


def _create(demo: Demo) -> None:
    from flows.usecases.declarations import create_declaration

    fields = _declaration(demo)
    created = demo.run("create-declaration", create_declaration, demo.app, **fields)
    demo.say(
        f"declaration created: {created.parties} parties, zero draft of {created.paragraphs} paragraphs"
    )


def _declaration(demo: Demo) -> dict[str, Any]:
    """What the demo's declaration is created with: the sample's zero draft and parties, Spain and Bolivia
    co-presiding."""
    sample = sample_path(demo.language)
    return {
        "slug": SLUG,
        "title": samples.title(demo.language),
        "zero_draft": sample.read_bytes(),
        "zero_draft_name": sample.name,
        "parties_csv": bilingual_parties_csv() if demo.bilingual else parties_csv(),
        "parties_name": samples.parties_path().name,
        "co_presidencies": list(CO_PRESIDENCIES),
        "timezone": ZONE,
    } | _spanish_text(demo)


def _spanish_text(demo: Demo) -> dict[str, Any]:
    """In a bilingual demo, the Spanish zero draft beside the English one; the secretariat accepts the
    concordance warnings of its own sample (parallel paragraph for paragraph)."""
    if not demo.bilingual:
        return {}
    spanish = sample_path("es")
    return {"translations": {"es": (spanish.read_bytes(), spanish.name)}, "accept_warnings": True}


def _submit_round(
    demo: Demo, version: str, edits: dict[tuple[str, str], tuple[list[str], dict[int, str]]]
) -> None:
    from flows.usecases.submissions import submit

    for (code, name), (new_texts, comments) in edits.items():
        data = _redlined_copy(demo, code, name, version, new_texts, comments)
        filename = f"{code}.docx"
        receipt = demo.run(
            "ingest-submission", submit, demo.app, SLUG, party=code, data=data, filename=filename
        )
        late = " (late)" if receipt.late else ""
        demo.say(f"  {name}: submission {receipt.submission} received{late}")


def _redlined_copy(
    demo: Demo, code: str, name: str, version: str, new_texts: list[str], comments: dict[int, str]
) -> bytes:
    """The party's stamped copy of ``version`` with its edits as tracked changes, 37 minutes after the last."""
    copy = _outbox_copy(demo, code, version)
    when = demo.clock.advance(minutes=37)
    base = demo.texts_in(demo.language_of(code)) if demo.bilingual else demo.texts()
    return redline_document(
        copy, base, new_texts, author=name, date=when, comments=comments, stamp=_stamp_of(copy)
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
    edits = {(code, name): _scripted(demo, code, name) for code, name in delegations(count)}
    _submit_round(demo, opened.version, edits)
    _compile_and_decide(demo, strict_bolivia=True)


def _scripted(demo: Demo, code: str, name: str) -> tuple[list[str], dict[int, str]]:
    """A delegation's scripted edits of the text in its language, and its comments."""
    language = demo.language_of(code)
    texts = demo.texts_in(language) if demo.bilingual else demo.texts()
    base = [p.text for p in texts.paragraphs]
    return scripted_edits(base, code, name, language, bilingual=demo.bilingual)


def _compile_and_decide(demo: Demo, *, strict_bolivia: bool) -> None:
    compiled = _close(demo)
    spain, bolivia = _decisions(_synopsis_proposals(compiled.paths), strict_bolivia)
    _decide(demo, {"ES": spain, "BO": bolivia})
    if demo.bilingual:
        _translate(demo)
    _approve(demo)


def _close(demo: Demo) -> Any:
    """Close the round after its deadline and compile it; its documents are the demo's outputs."""
    from flows.usecases.compile import close_and_compile

    demo.clock.advance(days=7, minutes=1)
    compiled = demo.run("close-round", close_and_compile, demo.app, SLUG)
    demo.say(
        f"round {compiled.round} closed: {count(compiled.submissions, 'submission')} -> "
        f"{count(compiled.proposals, 'proposal')}, {count(compiled.conflicts, 'conflict group')}"
    )
    for path in compiled.paths:
        demo.outputs[f"round {compiled.round} {Path(path).name}"] = path
    return compiled


def _synopsis_proposals(paths: list[str]) -> list[dict[str, Any]]:
    """Every proposal of the round's synopsis.json, in the order of its paragraphs."""
    synopsis = json.loads(Path(next(p for p in paths if p.endswith(".json"))).read_text())
    return [
        p
        for row in synopsis["paragraphs"]
        for p in [
            *row["proposals"],
            *(q for other in row.get("in", {}).values() for q in other["proposals"]),
        ]
    ]


def _decide(demo: Demo, decisions_of: dict[str, dict[str, str]]) -> None:
    """Each co-presidency sends its decisions as a JSON file, twenty hours apart."""
    from flows.usecases.decide import decide

    for code, decisions in decisions_of.items():
        demo.clock.advance(hours=20)
        data = json.dumps({"decisions": decisions}).encode()
        name = f"decisions-{code}.json"
        receipt = demo.run("decide", decide, demo.app, SLUG, party=code, data=data, filename=name)
        demo.say(f"  {code} decided: {receipt.accepted} accepted, {receipt.rejected} rejected")


def _approve(demo: Demo) -> None:
    """Both co-presidencies approve the revision, three hours apart: it is circulated."""
    from flows.usecases.decide import approve

    for code in CO_PRESIDENCIES:
        demo.clock.advance(hours=3)
        result = demo.run("approve", approve, demo.app, SLUG, party=code)
    demo.say(
        f"{result['version']} approved by both co-presidencies and circulated; "
        + bracketed_line(demo.bracketed())
    )


def bracketed_line(counts: dict[str, int]) -> str:
    """How many paragraphs are bracketed, said once when every language agrees ("3 paragraphs bracketed (en, es)";
    one language: no list), else per language ("3 paragraphs bracketed in en and 2 in es")."""
    (first, n), *others = counts.items()
    said = f"{count(n, 'paragraph')} bracketed"
    if all(m == n for m in counts.values()):
        return f"{said} ({', '.join(counts)})" if others else said
    return f"{said} in {listing([first, *(f'{m} in {language}' for language, m in others)])}"


def _decisions(
    proposals: list[dict[str, Any]], strict: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """Spain accepts all but the later alternatives of a conflict; Bolivia disagrees on some (-> brackets): on an
    amendment it decides the other way, on a conflict (decided whole) it keeps the base."""
    spain, bolivia, seen = {}, {}, set()
    conflicts = proposals_conflicts(proposals)
    for i, p in enumerate(proposals):
        conflict = p["conflict"]
        spain[p["id"]] = "accept" if (conflict is None or conflict not in seen) else "reject"
        seen.add(conflict)
        disagree = strict and (i % 5 == 2)
        keep_base = strict and conflict is not None and conflict == conflicts[0]
        bolivia[p["id"]] = _bolivia(
            conflict, spain[p["id"]], disagree=disagree, keep_base=keep_base
        )
    return spain, bolivia


def _bolivia(conflict: str | None, spain: str, *, disagree: bool, keep_base: bool) -> str:
    """Bolivia's decision beside Spain's: on an amendment the other way when it disagrees; on a conflict (decided
    whole) a rejection when it keeps the base."""
    if conflict is None:
        if disagree:
            return "reject" if spain == "accept" else "accept"
        return spain
    return "reject" if keep_base else spain


def proposals_conflicts(proposals: list[dict[str, Any]]) -> list[str]:
    """The conflict ids of the synopsis's proposals, in order."""
    return sorted({p["conflict"] for p in proposals if p["conflict"]})


def _round_two(demo: Demo) -> None:
    opened = _open(demo, days=5)
    demo.say(
        f"round {opened.number} open on {opened.version}: co-presidencies propose compromise on the brackets"
    )
    _submit_round(demo, opened.version, _compromises(demo))
    _compile_and_decide(demo, strict_bolivia=False)


def _compromises(demo: Demo) -> dict[tuple[str, str], tuple[list[str], dict[int, str]]]:
    """Each co-presidency resolves the brackets of the text it works on (Spain always; in a bilingual demo,
    Bolivia the Spanish text's, if it has any)."""
    compromises: dict[tuple[str, str], tuple[list[str], dict[int, str]]] = {}
    presidencies = (("ES", "Spain"), ("BO", "Bolivia")) if demo.bilingual else (("ES", "Spain"),)
    for code, name in presidencies:
        texts = demo.texts_in(demo.language_of(code)) if demo.bilingual else demo.texts()
        if code == "ES" or texts.bracketed():
            resolved = [
                _resolve_brackets(p.text) if p.status == "bracketed" else p.text
                for p in texts.paragraphs
            ]
            compromises[(code, name)] = (resolved, {})
    return compromises


def _translate(demo: Demo) -> None:
    """The secretariat's translator carries each language's decided amendments into the other (the demo's table
    of counterparts), one upload per language with paragraphs pending."""
    label, keys, pending = _pending_translation(demo)
    for language, waiting in pending.items():
        if waiting:
            _translate_into(demo, label, language, [keys.index(k) for k in waiting])


def _pending_translation(demo: Demo) -> tuple[str, list[str], dict[str, list[str]]]:
    """The current version's label, its paragraph keys, and the keys pending translation in each language."""
    with demo.app.store.reading() as uow:
        content = uow.repo.current_version(uow.repo.declaration(SLUG)).content
        keys = [p.key for p in content.text.paragraphs]
        pending = {"en": content.pending, "es": content.translations["es"].pending}
        label = uow.repo.current_version(uow.repo.declaration(SLUG)).label
    return label, keys, pending


def _translate_into(demo: Demo, label: str, language: str, indexes: list[int]) -> None:
    """One upload: the version's document in ``language`` with the pending paragraphs translated."""
    from flows.usecases.translate import translate

    data, name = _translation(demo, label, language, indexes)
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
    demo.say(f"  translator: {label} in {language}, paragraph(s) {', '.join(done.aligned)} aligned")


def _translation(demo: Demo, label: str, language: str, indexes: list[int]) -> tuple[bytes, str]:
    """The translator's file: the version's document in ``language``, the paragraphs ``indexes`` rewritten."""
    from drafting.redline import redline_document

    base = demo.texts_in(language)
    texts = {lang: [p.text for p in demo.texts_in(lang).paragraphs] for lang in ("en", "es")}
    new = translated(texts, language, indexes)
    name = f"{label}.{language}.docx"
    document = demo.app.files.path(
        "declarations", SLUG, "versions", name if language == "es" else f"{label}.docx"
    )
    when = demo.clock.advance(hours=2)
    data = redline_document(document.read_bytes(), base, new, author="Translator", date=when)
    return data, name


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
