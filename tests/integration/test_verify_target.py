"""`accord verify X`: X is an archive bundle when it is a path ending in .zip, a path with a folder in it, or a
folder here holding a bundle's manifest.json; a declaration slug otherwise. A bare name that could be both is
refused; the output says which was verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.bootstrap import bootstrap
from flows.publish import NullPublisher
from tests import factories
from tests.cli_runner import Accord

SLUG = factories.SLUG


@pytest.fixture
def accord(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Accord:
    """A home holding one declaration; the commands run in an empty folder of their own."""
    url = f"sqlite:///{tmp_path / 'accord.db'}"
    app = bootstrap(tmp_path / "home", url=url, clock=factories.Clock(), publisher=NullPublisher())
    try:
        factories.create_declaration(app, n=6)
    finally:
        app.store.engine.dispose()
    monkeypatch.setenv("ACCORD_DATABASE_URL", url)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    return Accord(tmp_path / "home")


def test_a_folder_named_like_the_declaration_does_not_make_it_a_bundle(accord: Accord) -> None:
    (Path(SLUG) / "notes").mkdir(
        parents=True
    )  # the regression: this folder was taken for an unpacked bundle
    result = accord("verify", SLUG)
    assert (
        result.stdout.startswith("ok: ")
        and f"documents of the declaration {SLUG!r} verify" in result.stdout
    )


def test_a_bundle_folder_named_like_a_slug_is_refused_as_ambiguous(accord: Accord) -> None:
    Path(SLUG).mkdir()
    Path(SLUG, "manifest.json").write_text("{}", encoding="utf-8")
    message = accord.refused("verify", SLUG)
    assert "both a declaration slug and the bundle folder" in message and f"./{SLUG}" in message


@pytest.mark.parametrize(
    ("target", "said"),
    [
        (
            f"./{SLUG}",
            "manifest format is None, expected 'accord-archive/1'",
        ),  # read as the bundle it names
        (f"{SLUG}.zip", f"{SLUG}.zip: no such bundle"),
    ],
)
def test_a_path_is_a_bundle(accord: Accord, target: str, said: str) -> None:
    Path(SLUG).mkdir()
    Path(SLUG, "manifest.json").write_text("{}", encoding="utf-8")
    assert said in accord.refused("verify", target)
