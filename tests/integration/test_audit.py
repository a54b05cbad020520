"""The audit end to end: replay, history, blame, editorial changes, the archive bundle and its verify.py, and every
kind of tampering (through SQL, as an attacker with the database would) caught by replay, `accord verify`, the
archive and the bundle's own verify.py."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from drafting.canonical import event_hash
from drafting.errors import Forbidden, IntegrityError, WrongState
from flows.bootstrap import bootstrap
from flows.publish import NullPublisher
from tests import factories
from tests.audit_scenario import (
    StepClock,
    current_text,
    flip_document,
    negotiate,
    query,
    rewrite,
    silent_edit,
    sql,
    unpack,
    verify_py,
)

SLUG = "audit"
Run = Callable[..., Any]


@pytest.fixture(scope="module")
def negotiated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two rounds among six parties (brackets in round 1, resolved in round 2), and a refused file; not yet agreed."""
    folder = tmp_path_factory.mktemp("negotiated")
    clock = StepClock()
    app = bootstrap(folder / "home", url=f"sqlite:///{folder / 'accord.db'}", clock=clock, publisher=NullPublisher())
    try:
        negotiate(app, clock, slug=SLUG, parties=6, rounds=2, agree=False)
        _refused_file(app, clock)
    finally:
        app.store.engine.dispose()
    return folder


def _refused_file(app: Any, clock: StepClock) -> None:
    from drafting.errors import RefusedFile
    from flows.usecases.submissions import submit

    clock.step()
    with pytest.raises(RefusedFile):
        submit(app, SLUG, party="AT", data=b"not a word file", filename="notes.txt")


@pytest.fixture
def home(negotiated: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the negotiated database, for one test to change as it likes."""
    shutil.copy(negotiated / "accord.db", tmp_path / "accord.db")
    yield tmp_path


@pytest.fixture
def make(home: Path) -> Iterator[Callable[[], Any]]:
    """Apps on the copy (a step clock starting after the negotiation), disposed at the end."""
    made: list[Any] = []

    def build() -> Any:
        clock = StepClock(factories.Clock().moment.replace(year=2027))
        app = bootstrap(home / "home", url=f"sqlite:///{home / 'accord.db'}", clock=clock, publisher=NullPublisher())
        app.step = clock.step
        made.append(app)
        return app

    yield build
    for app in made:
        app.store.engine.dispose()


@pytest.fixture
def accord(home: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `accord ...` in-process on the copy; returns the result (exit_code, output)."""
    from flows.cli import app as cli

    monkeypatch.setenv("ACCORD_HOME", str(home / "home"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{home / 'accord.db'}")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args])


# --- replay ------------------------------------------------------------------------------------------------------


def test_replay_of_a_multi_round_negotiation_is_byte_identical(make: Callable[[], Any], accord: Run) -> None:
    from flows.usecases.replay import replay

    report = replay(make(), SLUG)
    count = query_events(make())
    assert report.events == count and report.rederived == count - 1 and report.recorded == 1  # the refused file
    assert report.documents >= 20 and report.rows > 20
    result = accord("replay", SLUG)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {count} events replayed byte for byte")


def query_events(app: Any) -> int:
    from flows.usecases.status import event_log

    return len(event_log(app, SLUG))


def _first(home: Path, type: str) -> int:
    return int(query(home, f"SELECT min(seq) FROM events WHERE type = '{type}'")[0][0])


def _payload(home: Path) -> str:
    seq = _first(home, "accord.submission.received")
    sql(home, f"""UPDATE events SET payload = replace(payload, '"late":false', '"late":true') WHERE seq = {seq}""")
    return f"event {seq} "


def _submitted(home: Path) -> str:
    flip_document(home, "submissions")
    return f"event {_first(home, 'accord.submission.received')} "


def _compiled(home: Path) -> str:
    flip_document(home, "artifacts")
    return "the stored document was altered"


def _revision(home: Path) -> str:
    silent_edit(home)
    return "Rev.2"  # replay checks the records first: "version Rev.2: its text does not match ..."


TAMPERING: dict[str, Callable[[Path], str]] = {
    "an event's payload": _payload, "a submitted document": _submitted, "a compilation document": _compiled,
    "a revision's text": _revision,
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_any_change_is_caught_by_replay_verify_and_the_archive(kind: str, home: Path, accord: Run,
                                                               tmp_path: Path) -> None:
    where = TAMPERING[kind](home)
    replayed = accord("replay", SLUG)
    assert replayed.exit_code == 1 and where in replayed.output, replayed.output
    assert replayed.output.startswith("error: ") and len(replayed.output.strip().splitlines()) == 1
    verified = accord("verify", SLUG)
    assert verified.exit_code == 1, verified.output  # a silent edit of a revision's text included
    archived = accord("archive", SLUG, "--out", tmp_path / "bundle.zip", "--no-pdf")
    assert archived.exit_code == 1 and not (tmp_path / "bundle.zip").exists(), archived.output


def test_a_log_rewritten_with_fresh_hashes_is_still_caught_by_replay(home: Path, accord: Run) -> None:
    """The attacker recomputes every hash after the change, so the chain verifies; re-deriving it does not."""
    seq = _first(home, "accord.decision.recorded")
    rows = query(home, "SELECT seq, type, actor, payload, occurred_at, hash FROM events ORDER BY seq")
    prev = rows[seq - 2][5]
    for number, type_, actor, payload, occurred_at, _ in rows[seq - 1:]:
        if number == seq:
            payload = payload.replace('"accept"', '"reject"', 1)
        digest = event_hash(prev_hash=prev, declaration=SLUG, seq=number, type=type_, actor=actor, payload=payload,
                            occurred_at=occurred_at)
        sql(home, f"UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = {number}",
            params=(payload, prev, digest))
        prev = digest
    assert accord("verify", SLUG).exit_code == 0  # the chain alone cannot tell
    replayed = accord("replay", SLUG)
    assert replayed.exit_code == 1 and f"event {seq} (accord.decision.recorded)" in replayed.output


# --- history and blame ---------------------------------------------------------------------------------------------


def test_history_is_a_timeline_with_every_document(accord: Run, tmp_path: Path) -> None:
    result = accord("history", SLUG, "--json")
    data = json.loads(result.stdout)
    assert [v["label"] for v in data["versions"]] == ["Zero draft", "Rev.1", "Rev.2"]
    first = data["rounds"][0]
    assert len(first["decisions"]) == 2 and first["revision"] == "Rev.1"
    assert {p["outcome"] for p in first["proposals"]} == {"applied", "bracketed"}
    assert any(e["type"] == "accord.submission.refused" for e in data["timeline"])
    page = tmp_path / "audit" / "history.html"
    assert accord("history", SLUG, "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    links = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert len(links) >= data["documents"] and all((page.parent / link).is_file() for link in links)
    assert "Round 2 on Rev.1" in html


def test_history_pages_escape_what_parties_wrote(make: Callable[[], Any]) -> None:
    from flows.usecases.history import history, history_html

    data = history(make(), SLUG)
    data["rounds"][0]["submissions"][0]["filename"] = "<script>alert(1)</script>.docx"
    data["timeline"][0]["summary"] = "<img src=x onerror=alert(1)>"
    html = history_html(data)
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;img src=x" in html


def test_blame_attributes_every_character_to_the_zero_draft_or_a_decided_proposal(make: Callable[[], Any],
                                                                                  accord: Run, tmp_path: Path) -> None:
    result = accord("blame", SLUG, "--json", "--html", tmp_path / "blame.html")
    blamed = json.loads(result.stdout)  # "wrote blame.html" goes to stderr
    assert blamed["version"] == "Rev.2"
    assert "".join(s["text"] for s in blamed["spans"]) == current_text(make(), SLUG)[1].plain
    assert {s["source"] for s in blamed["spans"]} == {"zero-draft", "proposal"} and blamed["removed"] == []
    for span in (s for s in blamed["spans"] if s["source"] == "proposal"):
        decided = span["decided"]
        assert span["party"] and span["round"] in (1, 2) and span["proposal"]
        assert decided["outcome"] == "applied" or decided["resolved"]["outcome"] == "applied", span
    assert "#1f77b4" in (tmp_path / "blame.html").read_text(encoding="utf-8")
    rev1 = json.loads(accord("blame", SLUG, "--version", "Rev.1", "--json").stdout)
    assert any(s["decided"] and s["decided"]["outcome"] == "bracketed" for s in rev1["spans"])


def test_blame_flags_an_edit_injected_without_a_record(home: Path, accord: Run, tmp_path: Path) -> None:
    silent_edit(home)
    silent_edit(home, old="prevention", new="")
    blamed = json.loads(accord("blame", SLUG, "--json").stdout)
    untraceable = [s for s in blamed["spans"] if s["source"] == "untraceable"]
    assert [s["text"].strip() for s in untraceable] == ["unconditional"] and untraceable[0]["introduced"] == "Rev.2"
    assert [r["text"].strip() for r in blamed["removed"]] == ["prevention"]
    assert accord("blame", SLUG, "--html", tmp_path / "b.html").exit_code == 0
    assert 'class="untraceable"' in (tmp_path / "b.html").read_text(encoding="utf-8")


# --- editorial changes ----------------------------------------------------------------------------------------------


def test_an_editorial_change_is_recorded_attributed_and_replayed(make: Callable[[], Any], accord: Run,
                                                                 tmp_path: Path) -> None:
    from drafting.documents import render_version
    from drafting.text import DraftText
    from flows.usecases.decide import approve
    from flows.usecases.editorial import edit
    from flows.usecases.replay import replay
    from flows.usecases.rounds import open_round

    app = make()
    _, text = current_text(app, SLUG)
    changed = [p.model_copy(update={"text": p.text.replace("cooperation", "co-operation")}) for p in text.paragraphs]
    file = tmp_path / "edited.docx"
    file.write_bytes(render_version(factories.zero_draft(), DraftText(paragraphs=changed), title="t", stamp={}))
    with pytest.raises(Forbidden):
        edit(app, SLUG, data=file.read_bytes(), filename=file.name, reason="style", actor="ES")
    result = accord("edit", SLUG, "--file", file, "--reason", "house style: co-operation")
    assert result.exit_code == 0 and result.output.startswith("Rev.3:"), result.output
    for party in ("ES", "BO"):
        app.step()
        approve(app, SLUG, party=party)
    blamed = json.loads(accord("blame", SLUG, "--json").stdout)
    editorial = [s for s in blamed["spans"] if s["source"] == "editorial"]
    assert editorial and all(s["party"] == "secretariat" for s in editorial)
    assert editorial[0]["decided"] == {"outcome": "editorial", "reason": "house style: co-operation"}
    assert "untraceable" not in {s["source"] for s in blamed["spans"]}
    assert replay(app, SLUG).events == query_events(app)
    app.step()
    open_round(app, SLUG)
    with pytest.raises(WrongState, match="round 3"):
        edit(app, SLUG, data=file.read_bytes(), filename=file.name, reason="again")


# --- the archive bundle --------------------------------------------------------------------------------------------


@pytest.fixture
def agreed(make: Callable[[], Any]) -> Any:
    """The copy with Rev.2 agreed by silence: a first silence broken by an objection, a second one expired."""
    from flows.usecases.silence import adopt, expire, object_to, start_silence

    app = make()
    for objection in (True, False):
        start_silence(app, SLUG, (app.step() + timedelta(days=2)).isoformat())
        if objection:
            app.step(hours=1)
            object_to(app, SLUG, party="AT", reason="one more day, please")
    app.step(days=3)
    assert expire(app, SLUG) is not None and adopt(app, SLUG) == "Rev.2"
    return app


def test_the_bundle_verifies_alone_and_through_accord(agreed: Any, accord: Run, tmp_path: Path) -> None:
    from drafting.canonical import sha256_hex
    from flows.usecases.replay import replay

    bundle = tmp_path / "audit.zip"
    result = accord("archive", SLUG, "--out", bundle, "--no-pdf")
    assert result.exit_code == 0, result.output
    standalone = verify_py(unpack(bundle, tmp_path / "unpacked"))
    assert standalone.returncode == 0, standalone.stdout + standalone.stderr
    assert "recomputes from the zero draft" in standalone.stdout and "ok:" in standalone.stdout
    assert verify_py(tmp_path / "unpacked", str(bundle)).returncode == 0
    for target in (bundle, tmp_path / "unpacked"):
        checked = accord("verify", target)
        assert checked.exit_code == 0 and "hash chain verifies" in checked.output, checked.output
    archived = json.loads(accord("log", SLUG, "--json").stdout)[-1]
    assert archived["type"] == "accord.declaration.archived"
    assert archived["payload"]["bundle_sha256"] == sha256_hex(bundle.read_bytes())
    assert archived["payload"]["version"] == "Rev.2" and archived["payload"]["state"] == "agreed"
    report = replay(agreed, SLUG)  # the archive is rebuilt byte for byte too
    assert {"accord.declaration.archived", "accord.silence.broken", "accord.silence.expired",
            "accord.version.agreed"} <= set(report.by_type)


def test_the_bundle_is_deterministic(agreed: Any) -> None:
    from flows.usecases.archive import build_bundle, zip_bytes

    with agreed.store.reading() as uow:
        first = zip_bytes(build_bundle(uow, SLUG)[0])
    with agreed.store.reading() as uow:
        second = zip_bytes(build_bundle(uow, SLUG)[0])
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = {i.filename for i in infos}
    assert {"manifest.json", "verify.py", "events.jsonl", "texts.json", "agreed/audit-Rev.2.docx"} <= names
    assert any(n.startswith("rounds/round-02/compilation/synopsis") for n in names)
    assert any(n.startswith("rounds/round-01/decisions/") for n in names)


BUNDLE_TAMPERING: dict[str, tuple[Callable[[Path], None], str]] = {
    "a document": (lambda b: rewrite(b, _a_submission(b), lambda d: d + b"x", manifest=False), "manifest"),
    "a document and the manifest": (lambda b: rewrite(b, _a_submission(b), lambda d: d + b"x"),
                                    "not a document the event log records"),
    "an event and the manifest": (lambda b: rewrite(b, "events.jsonl", lambda d: d.replace(b'"AT"', b'"BE"', 1)),
                                  "hash does not match"),
    "the agreed text and the manifest": (lambda b: rewrite(b, "texts.json", lambda d: d.replace(
        b"cooperation", b"coordination", 1)), "text_sha256"),
    "a lineage operation and the manifest": (lambda b: rewrite(b, "texts.json", lambda d: d.replace(
        b"adds clause 2.", b"adds clause 9.", 1)), "lineage"),
    "an added file": (lambda b: (b / "extra.txt").write_text("hello"), "not in the manifest"),
}


def _a_submission(bundle: Path) -> str:
    return next(p.relative_to(bundle).as_posix() for p in sorted(bundle.glob("rounds/round-01/submissions/*")))


@pytest.mark.parametrize("kind", sorted(BUNDLE_TAMPERING))
def test_the_bundles_verify_py_catches_any_change(kind: str, agreed: Any, accord: Run, tmp_path: Path) -> None:
    from flows.usecases.archive import archive

    bundle = tmp_path / "audit.zip"
    archive(agreed, SLUG, bundle, convert=None)
    folder = unpack(bundle, tmp_path / "unpacked")
    change, message = BUNDLE_TAMPERING[kind]
    change(folder)
    result = verify_py(folder)
    assert result.returncode == 1 and result.stdout.splitlines()[-1].startswith("MISMATCH:"), result.stdout
    assert message in result.stdout
    checked = accord("verify", folder)
    assert checked.exit_code == 1 and message in checked.output


def test_an_sql_edit_reaches_an_unsealed_bundle_and_its_verify_py_catches_it(agreed: Any, home: Path,
                                                                           tmp_path: Path) -> None:
    from flows.usecases.archive import archive, build_bundle, zip_bytes

    silent_edit(home)
    with pytest.raises(IntegrityError, match="Rev.2"):
        archive(agreed, SLUG, tmp_path / "refused.zip", convert=None)
    with agreed.store.reading() as uow:
        bundle = tmp_path / "forged.zip"
        bundle.write_bytes(zip_bytes(build_bundle(uow, SLUG)[0]))
    result = verify_py(unpack(bundle, tmp_path / "forged"), str(bundle))
    assert result.returncode == 1 and "Rev.2: its text does not match the text_sha256" in result.stdout


@pytest.mark.libreoffice
def test_the_bundle_carries_a_pdf_when_libreoffice_is_installed(agreed: Any, tmp_path: Path) -> None:
    from flows.usecases.archive import archive, soffice_pdf
    from flows.usecases.replay import replay

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice headless is absent: apt-get install libreoffice-writer-nogui")
    made = archive(agreed, SLUG, tmp_path / "audit.zip", convert=soffice_pdf)
    assert made.pdf
    with zipfile.ZipFile(tmp_path / "audit.zip") as bundle:
        assert bundle.read("agreed/audit-Rev.2.pdf").startswith(b"%PDF")
    assert replay(agreed, SLUG).by_type["accord.declaration.archived"] > 0  # the stored PDF stands in for LibreOffice


# --- the limits found -------------------------------------------------------------------------------------------------


def test_replay_of_a_declaration_sharing_its_database(tmp_path: Path) -> None:
    """Regression: submissions were numbered by global row id in the log, so only a lone declaration replayed."""
    from flows.usecases.replay import replay

    clock = StepClock()
    app = bootstrap(tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", clock=clock,
                    publisher=NullPublisher())
    try:
        negotiate(app, clock, slug="first", parties=3, rounds=1, agree=False)
        negotiate(app, clock, slug="second", parties=3, rounds=1, agree=False)
        replay(app, "second")
    finally:
        app.store.engine.dispose()


def test_every_audit_command_has_help_and_an_example(accord: Run) -> None:
    from flows.cli import audit_cmd

    for name in ("history", "replay", "blame", "edit", "archive"):
        assert accord(name, "--help").exit_code == 0
        assert "Example: accord " + name in (getattr(audit_cmd, name).__doc__ or "")


class TickingClock(StepClock):
    """A wall clock in miniature: every reading is one second later, so a use case reading it twice differs."""

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def test_replay_holds_when_the_clock_moves_between_readings(tmp_path: Path) -> None:
    """Regression: decide read the clock again for the revision it issued, so replay diverged at Rev.1."""
    from flows.bootstrap import bootstrap
    from flows.usecases.replay import replay

    clock = TickingClock()
    app = bootstrap(tmp_path / "home", url=f"sqlite:///{tmp_path / 'ticking.db'}", clock=clock)
    done = negotiate(app, clock, slug="ticking", parties=4, rounds=2)
    assert done.versions == ["Rev.1", "Rev.2"]
    report = replay(app, "ticking")
    assert report.events > 0
