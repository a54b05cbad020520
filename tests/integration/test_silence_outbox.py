"""A silence's notice is owed from the commit that starts the silence (issue 12, "side effects after commit are
owed"): a crash or an error anywhere after it leaves the notice owed, `accord status` shows it, and `accord tick`
(or `accord serve` when it starts) sends what is left: each party's notice exactly once. As for a round's copies,
a crash after the mail server took a letter and before accord noted it sends that one letter twice, with one
Message-ID."""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.usecases import routing, silence
from flows.usecases.deadlines import tick
from flows.usecases.status import status
from tests import factories
from tests.fakes import FakeMailer
from tests.integration.test_outbox import CODES, Crash, _create, _inject, _taken_last

UNTIL = "2026-12-24T12:00:00Z"
NOTICE = "accord.silence.started"


def _owed(app: Any, slug: str) -> list[dict[str, Any]]:
    return list(status(app, slug).as_json()["owed"])


def _writes_of_a_clean_start(app: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many files a silence's start writes once committed (its stated texts, each party's note and copy)."""
    _create(app, "probe")
    app.mail = FakeMailer()
    written: list[Path] = []
    write = app.files.write
    with monkeypatch.context() as patch:
        patch.setattr(
            app.files,
            "write",
            lambda path, data, **kw: (written.append(path), write(path, data, **kw))[1],
        )
        silence.start_silence(app, "probe", UNTIL)
    assert len(written) >= 2 * len(CODES)
    return len(written)


def _noticed_once(app: Any, slug: str, mailer: FakeMailer, twice: str = "") -> None:
    """Each party's notice in its folder and one letter each (two for ``twice``, with one Message-ID)."""
    letters = collections.Counter(mail.to for mail in mailer.sent)
    assert letters == collections.Counter(
        [f"{c.lower()}@example.org" for c in CODES] + ([twice] if twice else [])
    )
    ids = {(mail.to, mail.message_id) for mail in mailer.sent}
    assert len(ids) == len(CODES) and all(ident for _, ident in ids), "one Message-ID per party"
    for code in CODES:
        folder = routing.outbox(app, slug, code)
        assert sorted(p.name for p in folder.iterdir()) == [
            f"{slug}-Zero-draft.docx",
            f"{slug}-silence-1.txt",
        ], code
    assert _owed(app, slug) == []


def _crashed_start(app: Any, slug: str, point: str, monkeypatch: pytest.MonkeyPatch) -> FakeMailer:
    """Create ``slug`` and start its silence with a crash at ``point`` ("commit": right after the commit, before
    anything is written or sent); the mailer that saw what went out."""
    _create(app, slug)
    with monkeypatch.context() as patch:
        mailer = _inject(app, point, patch)
        if point == "commit":

            def crash(*args: Any) -> None:
                raise Crash(point)

            patch.setattr(silence, "write_stated_texts", crash)
        with pytest.raises(Crash):
            silence.start_silence(app, slug, UNTIL)
    return mailer


def test_a_failure_at_any_point_after_the_silence_starts_leaves_its_notice_owed_and_tick_sends_each_once(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    writes = _writes_of_a_clean_start(app, monkeypatch)
    points = (
        ["commit"]
        + [f"write:{k}" for k in range(1, writes + 1)]
        + [f"mail:{k}" for k in range(1, len(CODES) + 1)]
        + [f"mailed:{k}" for k in range(1, len(CODES) + 1)]
    )
    for index, point in enumerate(points):
        slug = f"silent-{index}"
        mailer = _crashed_start(app, slug, point, monkeypatch)
        assert [s.state for s in silence.silences(app, slug)] == ["running"], point
        [owing] = _owed(app, slug)
        assert owing["event"] == NOTICE and owing["key"] == {"silence": 1}, point
        lines = tick(app, slug)
        assert any(line.startswith(f"owed {NOTICE} silence 1") for line in lines), (point, lines)
        _noticed_once(app, slug, mailer, twice=_taken_last(point, [m.to for m in mailer.sent]))
        sent = len(mailer.sent)
        assert not any(line.startswith("owed") for line in tick(app, slug)), (
            "a second tick: nothing"
        )
        assert len(mailer.sent) == sent, point


def test_an_error_after_the_commit_is_said_and_the_notice_stays_owed_until_tick(
    make_app: Callable[..., Any],
) -> None:
    """A full disk while writing one party's notice: the silence has started; the use case says the notice is
    owed (rather than raising as if nothing had happened), and the parties reached are not sent to again."""
    app = make_app()
    _create(app, factories.SLUG)
    app.mail = mailer = FakeMailer()
    write, full = app.files.write, routing.outbox(app, factories.SLUG, CODES[2])

    def disk_full(path: Path, data: bytes, **kw: Any) -> Any:
        if full in path.parents:
            raise OSError(28, "No space left on device")
        return write(path, data, **kw)

    app.files.write = disk_full  # type: ignore[method-assign]
    started = silence.start_silence(app, factories.SLUG, UNTIL)
    assert "No space left on device" in started.notice_owed and started.notified is None
    reached = {mail.to.split("@")[0].upper() for mail in mailer.sent}
    [owing] = _owed(app, factories.SLUG)  # from the blocked party on: the sending stopped there
    assert CODES[2] in owing["parties"] and set(owing["parties"]) == set(CODES) - reached
    app.files.write = write  # type: ignore[method-assign]
    tick(app, factories.SLUG)
    _noticed_once(app, factories.SLUG, mailer)


def test_a_notice_owed_for_a_silence_no_longer_running_is_settled_unsent(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A party objected before tick ran: the notice of a broken silence is not sent out late."""
    app = make_app()
    mailer = _crashed_start(app, factories.SLUG, "commit", monkeypatch)
    silence.object_to(app, factories.SLUG, party=CODES[-1], reason="not yet")
    lines = tick(app, factories.SLUG)
    assert any("silence 1 of eu-celac is not running" in line for line in lines), lines
    assert mailer.sent == [] and _owed(app, factories.SLUG) == []


def test_serve_finishes_an_owed_notice_when_it_starts(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.serve import reconcile

    app = make_app()
    mailer = _crashed_start(app, factories.SLUG, "mail:2", monkeypatch)
    reconcile(app, schedule=lambda *args: "run")
    assert sorted(m.to for m in mailer.sent) == sorted(f"{c.lower()}@example.org" for c in CODES)
    assert _owed(app, factories.SLUG) == []  # the one reached before the crash is not sent to again


def test_the_cli_says_the_silence_started_and_its_notice_is_owed(
    make_app: Callable[..., Any], accord_env: dict[str, str]
) -> None:
    """`accord silence` after the commit could not write a party's folder: one error line, exit 2; `accord status`
    lists the notice owed; once the cause is mended `accord tick` sends it."""
    from tests.cli_runner import Accord, one_error_line

    app = make_app()
    _create(app, factories.SLUG)
    blocked = routing.outbox(app, factories.SLUG, CODES[1])
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the party's folder goes")
    accord = Accord(app.home)
    started = accord("silence", factories.SLUG, "--until", UNTIL, code=2)
    line = one_error_line(started.stderr)
    assert "silence 1 of eu-celac has started but its notice was not sent" in line, line
    assert "accord tick" in line
    assert f"owed: {NOTICE} silence 1" in accord("status", factories.SLUG).stdout
    assert f"still owed: {NOTICE} silence 1" in accord("tick", factories.SLUG).stdout
    blocked.unlink()
    assert f"owed {NOTICE} silence 1" in accord("tick", factories.SLUG).stdout
    assert "owed:" not in accord("status", factories.SLUG).stdout
    assert sorted(p.name for p in blocked.iterdir()) == [
        f"{factories.SLUG}-Zero-draft.docx",
        f"{factories.SLUG}-silence-1.txt",
    ]
