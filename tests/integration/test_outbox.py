"""A round's copies are owed from the commit that opens the round: a crash or an error anywhere after it leaves
them owed, `accord status` shows it, and `accord tick` sends what is left: each party's copy exactly once.

The one exception is physical: a crash after the mail server took a party's letter and before accord noted it
sends that party's letter again (at-least-once); the tests name that point and check it costs one letter only.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.adapters.mail import Mail
from flows.usecases import routing
from flows.usecases.deadlines import tick
from flows.usecases.rounds import open_round
from flows.usecases.status import event_log, status
from tests import factories
from tests.fakes import FakeMailer
from tests.outbox_worker import JournalMailer, taken

N = 5  # two co-presidencies and three delegations, each with an address
CODES = [p.code for p in factories.parties(N)]


class Crash(Exception):
    """An injected failure (what a full disk, a bug or a dead process would do at that point)."""


def _create(app: Any, slug: str) -> None:
    from flows.usecases.declarations import create_declaration

    rows = "".join(
        f"{p.code},{p.name},{p.bloc},{p.code.lower()}@example.org\n" for p in factories.parties(N)
    )
    create_declaration(
        app,
        slug=slug,
        title=factories.TITLE,
        zero_draft=factories.zero_draft(),
        zero_draft_name="zero.docx",
        parties_csv="code,name,bloc,email\n" + rows,
        parties_name="parties.csv",
        co_presidencies=list(factories.CO_PRESIDENCIES),
    )


def _distributions(app: Any, slug: str) -> list[dict[str, Any]]:
    return [e["payload"] for e in event_log(app, slug) if e["type"] == "accord.round.distributed"]


def _delivered_once(app: Any, slug: str, mails: list[tuple[str, str]], twice: str = "") -> None:
    """One distribution event naming every party, each party's copy in its folder, one letter each (two for
    ``twice``, the address whose letter the server took just before the crash, both with one Message-ID)."""
    letters = collections.Counter(to for to, _ in mails)
    assert len(set(mails)) == len(CODES) and all(ident for _, ident in mails), (
        "one Message-ID per party"
    )
    [distributed] = _distributions(app, slug)
    assert distributed["parties"] == {code: routing.MAILED for code in CODES}
    assert letters == collections.Counter(
        [f"{c.lower()}@example.org" for c in CODES] + ([twice] if twice else [])
    )
    for code in CODES:
        folder = routing.outbox(app, slug, code)
        assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".txt"], (
            f"{code}: copy and note, no .part"
        )
    assert status(app, slug).as_json()["owed"] == []


def _taken_last(point: str, addresses: list[str]) -> str:
    """At ``mailed:K`` the K-th letter the server took was not noted: that address is sent to twice."""
    return addresses[int(point.removeprefix("mailed:")) - 1] if point.startswith("mailed:") else ""


def _points(app: Any) -> list[str]:
    """Every point of a clean `round open` where a failure can strike: each file write, each mail before and
    after the server takes it, and the distribution event."""
    return (
        ["commit"]
        + [f"write:{k}" for k in range(1, 2 * N + 1)]
        + [f"mail:{k}" for k in range(1, N + 1)]
        + [f"mailed:{k}" for k in range(1, N + 1)]
        + ["record"]
    )


def _inject(app: Any, point: str, monkeypatch: pytest.MonkeyPatch) -> FakeMailer:
    """Wire a failure at ``point`` into the app's ports (and the recording of the event)."""
    name, _, count = point.partition(":")
    left = [int(count or 0)]

    def strike(kind: str) -> Callable[..., None]:
        def maybe(*args: Any) -> None:
            if name == kind:
                left[0] -= 1
                if left[0] == 0:
                    raise Crash(point)

        return maybe

    mailer = FakeMailer(before=strike("mail"), after=strike("mailed"))
    app.mail = mailer
    write, check = app.files.write, strike("write")
    monkeypatch.setattr(
        app.files, "write", lambda path, data, **kw: (check(), write(path, data, **kw))[1]
    )
    if name == "record":

        def fail(*args: Any, **kwargs: Any) -> bool:
            raise Crash(point)

        monkeypatch.setattr(routing, "record", fail)
    return mailer


def test_a_failure_at_any_point_of_round_open_leaves_the_copies_owed_and_tick_sends_each_once(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    for index, point in enumerate(_points(app)):
        slug = f"crash-{index}"
        _create(app, slug)
        open_round(
            app, slug
        )  # committed, its dashboard written: the points are those of the distribution after it
        with monkeypatch.context() as patch:
            mailer = _inject(app, point, patch)
            with pytest.raises(Crash):
                if point == "commit":
                    raise Crash(point)
                routing.distribute_round(app, slug)
        assert _distributions(app, slug) == [], point
        assert [o["event"] for o in status(app, slug).as_json()["owed"]] == [
            "accord.round.distributed"
        ], point
        lines = tick(app, slug)
        assert any(line.startswith("owed accord.round.distributed round 1") for line in lines), (
            point,
            lines,
        )
        _delivered_once(
            app,
            slug,
            [(mail.to, mail.message_id) for mail in mailer.sent],
            twice=_taken_last(point, [mail.to for mail in mailer.sent]),
        )
        sent = len(mailer.sent)
        assert not any(line.startswith("owed") for line in tick(app, slug)), (
            "a second tick sends nothing"
        )
        assert len(mailer.sent) == sent and len(_distributions(app, slug)) == 1


@pytest.mark.parametrize(
    "point", ["commit", "write:1", "write:6", "mail:1", "mail:4", "mailed:3", "record"]
)
def test_killed_at_a_point_of_round_open_then_tick_sends_each_copy_once(
    make_app: Callable[..., Any], database_url: str, tmp_path: Path, point: str
) -> None:
    app = make_app()
    _create(app, factories.SLUG)
    journal = tmp_path / "mail-server.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(factories.ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("PREFECT_API_URL", None)
    worker = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.outbox_worker",
            "--home",
            str(app.home),
            "--url",
            database_url,
            "--journal",
            str(journal),
            "--slug",
            factories.SLUG,
            "--kill",
            point,
        ],
        cwd=factories.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr
    assert _distributions(app, factories.SLUG) == []
    assert status(app, factories.SLUG).as_json()["owed"], "status shows the copies owed"

    app.mail = JournalMailer(journal)
    tick(app, factories.SLUG)
    mails = taken(journal)
    _delivered_once(
        app,
        factories.SLUG,
        [(mail["to"], mail["message_id"]) for mail in mails],
        twice=_taken_last(point, [mail["to"] for mail in mails]),
    )
    tick(app, factories.SLUG)
    assert len(taken(journal)) == len(mails), "a second tick sends nothing"


def test_a_party_code_that_would_write_outside_the_home_is_refused_and_the_others_still_get_theirs(
    make_app: Callable[..., Any], tmp_path: Path
) -> None:
    """Defence in depth: codes the parties file should never let through, put straight into the table."""
    from drafting.negotiation import Party

    app = make_app()
    app.mail = FakeMailer()
    _create(app, factories.SLUG)
    outside = Path("/tmp/x/ABSOLUTE")  # the example
    assert not outside.exists()
    hostile = [
        "../../x",
        str(outside),
        "..",
        "MX/../../../y",
    ]  # NUL: refused earlier, by the stamp (unit-tested)

    def add(uow: Any) -> None:
        declaration = uow.repo.declaration(factories.SLUG)
        for code in hostile:
            uow.repo.add_party(declaration, Party(code=code, name="hostile"))

    app.store.transaction(add)
    before = {p for p in tmp_path.rglob("*") if app.home not in p.parents and p != app.home}
    open_round(app, factories.SLUG)
    sent = routing.distribute_round(app, factories.SLUG)
    assert {p for p in tmp_path.rglob("*") if app.home not in p.parents and p != app.home} == before
    for code in hostile:
        assert sent.parties[code].startswith("failed: refusing to write"), sent.parties[code]
    assert all(sent.parties[code] == routing.MAILED for code in CODES)
    assert not outside.exists() and not Path("/x").exists()


@pytest.mark.parametrize("finisher", ["tick", "serve"])
def test_a_sending_again_cut_short_is_finished_for_its_parties_only(
    make_app: Callable[..., Any], finisher: str
) -> None:
    from flows.serve import reconcile

    app = make_app()
    _create(app, factories.SLUG)
    refused = f"{CODES[-1].lower()}@example.org"
    app.mail = FakeMailer({refused: "failed: 452 mailbox full"})
    open_round(app, factories.SLUG)
    routing.distribute_round(app, factories.SLUG)
    [failed] = status(app, factories.SLUG).as_json()["failed_mail"]
    assert failed["parties"] == {CODES[-1]: "failed: 452 mailbox full"}

    def crash(mail: Mail) -> None:
        raise Crash("resend")

    app.mail = FakeMailer(before=crash)
    with pytest.raises(Crash):
        routing.resend_failed(app, factories.SLUG)
    [owing] = status(app, factories.SLUG).as_json()["owed"]
    assert owing["parties"] == [CODES[-1]] and "resent" in owing["key"]

    app.mail = mailer = FakeMailer()
    if finisher == "tick":
        tick(app, factories.SLUG)
    else:
        reconcile(app, schedule=lambda *args: "run")
    assert [mail.to for mail in mailer.sent] == [refused], "only the party it failed for, once"
    state = status(app, factories.SLUG).as_json()
    assert state["owed"] == [] and state["failed_mail"] == []
    assert len(_distributions(app, factories.SLUG)) == 2


def test_round_open_that_cannot_send_says_the_round_is_open_and_its_copies_owed(
    make_app: Callable[..., Any], accord_env: dict[str, str]
) -> None:
    """Issue 12, finding 4: the round committed, then sending failed; it used to be forgotten (no event, tick
    and resend saw nothing, round open refused). A party code the stamp cannot carry is one such cause."""
    from drafting.negotiation import Party
    from tests.cli_runner import Accord, one_error_line

    app = make_app()
    _create(app, factories.SLUG)

    def add(code: str) -> Callable[[Any], None]:
        return lambda uow: uow.repo.add_party(
            uow.repo.declaration(factories.SLUG), Party(code=code, name="bad")
        )

    app.store.transaction(add("BAD\x07"))
    accord = Accord(app.home)
    opened = accord("round", "open", factories.SLUG, code=2)
    line = one_error_line(opened.stderr)
    assert (
        "round 1 of eu-celac is open but its copies were not all sent" in line
        and "accord tick" in line
    )
    assert "owed: accord.round.distributed round 1" in accord("status", factories.SLUG).stdout
    assert "still owed: accord.round.distributed round 1" in accord("tick", factories.SLUG).stdout
    assert _distributions(app, factories.SLUG) == [], "still owed while the cause is there"

    def mend(
        uow: Any,
    ) -> None:  # the secretariat mends the cause (here: the row that should never have been)
        from sqlalchemy import text

        uow.session.execute(text("DELETE FROM parties WHERE code = :code"), {"code": "BAD\x07"})

    app.store.transaction(mend)
    assert "owed accord.round.distributed round 1" in accord("tick", factories.SLUG).stdout
    [distributed] = _distributions(app, factories.SLUG)
    assert distributed["parties"] == {code: routing.NO_SMTP for code in CODES} | {
        "BAD\x07": "not sent: no longer due"
    }
    assert "owed:" not in accord("status", factories.SLUG).stdout


def test_a_letter_sent_again_carries_the_message_id_of_its_first_attempt(
    make_app: Callable[..., Any],
) -> None:
    """Regression: `accord resend` (a sending again, ``resent`` in its key) gave its letters new Message-IDs, so a
    letter the server had taken although accord noted a failure reached the party twice as two different mails."""
    app = make_app()
    _create(app, factories.SLUG)
    late = f"{CODES[-1].lower()}@example.org"
    tried: list[Mail] = []
    app.mail = FakeMailer({late: "failed: TimeoutError: timed out after DATA"}, before=tried.append)
    open_round(app, factories.SLUG)
    routing.distribute_round(app, factories.SLUG)
    app.mail = FakeMailer(before=tried.append)
    [again] = routing.resend_failed(app, factories.SLUG)
    assert again.parties == {CODES[-1]: routing.MAILED}
    first, resent = [mail.message_id for mail in tried if mail.to == late]
    assert first and resent == first
    assert len({mail.message_id for mail in tried}) == len(CODES), "each party's letter has its own"


def test_the_silence_procedures_letters_have_message_ids(make_app: Callable[..., Any]) -> None:
    """Regression: the silence procedure's letters were sent with no Message-ID (each attempt got the mail
    server's own), so a receiver could not tell a letter sent again from a new one."""
    from flows.usecases.silence import start_silence

    app = make_app()
    _create(app, factories.SLUG)
    app.mail = mailer = FakeMailer()
    start_silence(app, factories.SLUG, "2026-12-24T12:00:00Z")
    ids = {mail.to: mail.message_id for mail in mailer.sent}
    assert len(ids) == len(CODES) and all(ids.values()) and len(set(ids.values())) == len(CODES)
    # a letter sent again (after a crash) keeps its Message-ID: tests/integration/test_silence_outbox.py
