"""Every writer of accord with hostile names: nothing lands outside the home (or the `--out` the user named).

Party codes, slugs and upload names are validated where they enter (issue 12: drafting/identifiers.py); these
tests go around that validation, straight to the writers, to check the defence behind it: one function
(flows.adapters.files) resolves and checks every path, and refuses in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drafting.errors import InvalidInput
from flows.usecases import routing
from flows.usecases.common import declaration_dir, round_dir, write_file
from tests import factories
from tests.cli_runner import Accord
from tests.fakes import FakeMailer

HOSTILE = ["../../x", "/tmp/x/ABSOLUTE", "..", "a/../../b", "A\x00B", "x" * 300]


def _outside(tmp_path: Path, home: Path) -> set[Path]:
    return {p for p in tmp_path.rglob("*") if p != home and home not in p.parents}


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_the_folders_of_a_declaration_refuse_a_hostile_slug(
    make_app: Callable[..., Any], tmp_path: Path, name: str
) -> None:
    app = make_app()
    before = _outside(tmp_path, app.home)
    for folder in (
        lambda: declaration_dir(app, name),
        lambda: round_dir(app, name, 1),
        lambda: routing.outbox(app, "eu-celac", name),
    ):
        with pytest.raises(InvalidInput, match="refusing to write"):
            write_file(app, folder() / "x.docx", b"data")
    assert _outside(tmp_path, app.home) == before and not Path("/tmp/x/ABSOLUTE").exists()


@pytest.mark.parametrize("name", ["../../../x.docx", "a/../../../x.docx", "A\x07B.docx"], ids=repr)
def test_filing_a_submission_with_a_hostile_file_name_writes_nothing_outside(
    make_app: Callable[..., Any], tmp_path: Path, name: str
) -> None:
    """(A NUL in the name cannot even be stored on PostgreSQL; the sink's own test covers NUL.)"""
    from flows.usecases.submissions import submit

    app = make_app(mail=FakeMailer())
    factories.open_declaration(app, n=4)
    code = factories.delegations(4)[0]
    receipt = submit(
        app, factories.SLUG, party=code, data=factories.party_submission(code), filename=name
    )
    before = _outside(tmp_path, app.home)
    with pytest.raises(InvalidInput, match="refusing to write"):
        routing.file_submission(app, factories.SLUG, receipt.submission)
    assert _outside(tmp_path, app.home) == before


def test_the_redline_out_with_a_name_too_long_is_refused_in_words(tmp_path: Path) -> None:
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_bytes(factories.zero_draft())
    new.write_bytes(factories.party_submission(factories.delegations(4)[0]))
    line = Accord(tmp_path / "home").refused(
        "diff", str(old), str(new), "--out", str(tmp_path / ("x" * 300 + ".docx"))
    )
    assert "refusing to write" in line and "255 bytes" in line


def test_history_blame_and_archive_write_under_the_out_the_user_named(
    make_app: Callable[..., Any], tmp_path: Path
) -> None:
    from flows.usecases.archive import archive
    from flows.usecases.blame import write_blame
    from flows.usecases.history import write_history

    app = make_app()
    factories.create_declaration(app, n=4)
    chosen = tmp_path / "chosen"
    written = [
        *write_history(app, factories.SLUG, chosen / "history.html"),
        write_blame(app, factories.SLUG, None, chosen / "blame.html"),
        Path(archive(app, factories.SLUG, chosen / "bundle.zip", convert=None).path),
    ]
    assert all(chosen in path.parents for path in written), written
    with pytest.raises(InvalidInput, match="refusing to write"):
        write_blame(app, factories.SLUG, None, chosen / ("x" * 300 + ".html"))
