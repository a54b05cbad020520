"""index.html as the declaration's dashboard (issue 14, item 4): what it says, that every link it has leads to a file
that is there (and every fragment to an element that is there), the same bytes for the same log, and PDFs linked
when LibreOffice is installed, said to be unavailable when it is not."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from flows.bootstrap import App, bootstrap
from flows.demo import SLUG, run_demo
from flows.publish import NullPublisher
from tests import factories
from tests.cli_runner import Accord

_HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("dashboard") / "home"
    run_demo(home, parties=4, fresh=False, say=lambda line: None)
    return home


def page_of(home: Path, slug: str = SLUG) -> str:
    return (home / "declarations" / slug / "index.html").read_text(encoding="utf-8")


def broken_links(page: Path) -> list[str]:
    """Every link of ``page`` that leads nowhere: a file not there, or a fragment no element of its page has."""
    broken = []
    for href in _HREF.findall(page.read_text(encoding="utf-8")):
        target, _, fragment = unquote(href.replace("&amp;", "&")).partition("#")
        assert not re.match(r"[a-z]+:", target), f"{page.name} links outside: {href}"
        path = (page.parent / target) if target else page
        if not path.is_file():
            broken.append(href)
        elif fragment and f'id="{fragment}"' not in path.read_text(encoding="utf-8"):
            broken.append(href)
    return broken


def test_the_demo_index_is_a_dashboard_of_the_agreed_and_archived_declaration(
    demo_home: Path,
) -> None:
    page = page_of(demo_home)
    assert '<meta name="viewport"' in page and "<script" not in page.lower()
    agreed = re.search(
        r"Rev\.2 agreed on \w{3} \d\d Dec 2026 \d\d:\d\d CET \(\d\d:\d\d UTC\); archived on ", page
    )
    assert agreed is not None and agreed.start() < page.index(
        'id="map"'
    )  # the state first, in the zone
    assert (
        "DEMO/L.1" in page and '<svg class="timeline"' in page and '<svg class="brackets"' in page
    )
    hrefs = set(_HREF.findall(page))
    assert {
        "audit/history.html",
        "audit/blame.html",
        "versions/Rev.1.docx",
        "versions/Agreed%20text.docx",
        "round-1/synopsis.html",
        "round-2/compilation.docx",
        "archive/demo-archive.zip",
    } <= hrefs
    if shutil.which("soffice"):
        assert {
            "versions/Zero%20draft.pdf",
            "versions/Rev.2.pdf",
            "versions/Agreed%20text.pdf",
            "round-1/compilation.pdf",
        } <= hrefs
    assert broken_links(demo_home / "declarations" / SLUG / "index.html") == []


def test_the_paragraph_map_has_one_cell_per_paragraph_with_a_word_and_a_symbol(
    demo_home: Path,
) -> None:
    from flows.usecases.texts import version_text

    app = bootstrap(demo_home, publisher=NullPublisher())
    with app.store.reading() as uow:
        keys = [
            p.key
            for p in version_text(uow.repo.current_version(uow.repo.declaration(SLUG))).paragraphs
        ]
    page = page_of(demo_home)
    cells = re.findall(
        r'<a class="s-([a-z-]+)" href="#text-([^"]+)" title="(\d+): ([a-z ]+)">', page
    )
    assert [key for _, key, _, _ in cells] == keys
    assert {(css, status) for css, _, _, status in cells} == {
        ("agreed", "agreed")
    }  # agreed: every paragraph
    assert f"agreed: {len(keys)}" in page and "bracketed: 0" in page


def test_the_board_says_who_submitted_in_each_round(demo_home: Path) -> None:
    page = page_of(demo_home)
    assert "Round 1 on Zero draft<br>received from 4 of 58 delegations" in page
    assert (
        "Round 2 on Rev.1<br>received from 0 of 58 delegations" in page
    )  # Spain, a co-presidency, submitted
    spain = re.search(r"<tr><td>Spain \(ES\).*?</tr>", page, re.S)
    assert (
        spain is not None and spain.group(0).count("— none") == 1 and spain.group(0).count("✓") == 1
    )


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    app = bootstrap(
        tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", publisher=NullPublisher()
    )
    yield app
    app.store.engine.dispose()


def test_an_open_round_then_its_compilation_are_on_the_page_as_they_happen(app: App) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.dashboard import write_dashboard

    factories.open_declaration(app, n=6, deadline="2027-01-15T18:00:00+01:00")
    folder = app.home / "declarations" / factories.SLUG
    opened = "Round 1 open on Zero draft until Fri 15 Jan 2027 17:00 UTC"
    assert opened in page_of(app.home, factories.SLUG)  # written on opening
    code = factories.delegations(6)[0]
    factories.submit(app, code)
    write_dashboard(app, factories.SLUG)
    page = page_of(app.home, factories.SLUG)
    assert opened in page and "received from 1 of 4 delegations" in page
    close_and_compile(app, factories.SLUG)  # publishes: the page follows without being asked
    page = page_of(app.home, factories.SLUG)
    assert "Round 1 compiled, awaiting decisions: " in page
    _, index = factories.amended_texts(code)
    cells = re.findall(r'<a class="s-([a-z-]+)" href="#text-([^"]+)"', page)
    assert cells[index] == ("amended", f"p{index + 1:03d}")  # its proposal awaits decision
    assert {status for status, _ in cells} == {"amended", "unchanged"}
    assert f'href="round-1/synopsis.html#p{index + 1:03d}"' in page
    assert broken_links(folder / "index.html") == []


def test_the_state_follows_decisions_approval_silence_and_objection(app: App) -> None:
    import json

    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import approve, decide
    from flows.usecases.silence import object_to, start_silence

    factories.open_declaration(app, n=6, deadline="2027-01-15T18:00:00+01:00")
    factories.submit(app, factories.delegations(6)[0])
    close_and_compile(app, factories.SLUG)
    synopsis = json.loads(
        (app.home / "declarations" / factories.SLUG / "round-1" / "synopsis.json").read_text()
    )
    accept = {p["id"]: "accept" for row in synopsis["paragraphs"] for p in row["proposals"]}
    for code in ("ES", "BO"):
        decide(
            app,
            factories.SLUG,
            party=code,
            data=json.dumps({"decisions": accept}).encode(),
            filename="d.json",
        )
    state = re.compile(r'<p class="state"><strong>(.*?)</strong></p>')

    def said() -> str:
        found = state.search(page_of(app.home, factories.SLUG))
        assert found is not None
        return found.group(1)

    approve(app, factories.SLUG, party="ES")
    assert said() == "Rev.1 issued, awaiting approval by Bolivia"
    approve(app, factories.SLUG, party="BO")
    assert said() == "Rev.1 circulated; no round open"
    start_silence(app, factories.SLUG, "2027-02-01T12:00:00Z")
    assert said() == "Rev.1 under silence procedure until Mon 01 Feb 2027 12:00 UTC"
    object_to(app, factories.SLUG, party=factories.delegations(6)[1], reason="paragraph 3")
    assert said() == "Rev.1 circulated; no round open"
    assert "broken by " in page_of(app.home, factories.SLUG)  # on the timeline


def test_the_same_log_gives_the_same_page_and_without_libreoffice_it_says_pdfs_are_not_available(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.usecases import pdf

    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    pages = []
    for name in ("one", "two"):
        run_demo(tmp_path / name, parties=2, fresh=False, say=lambda line: None)
        pages.append((tmp_path / name / "declarations" / SLUG / "index.html").read_bytes())
    assert pages[0] == pages[1]
    text = pages[0].decode("utf-8")
    assert "PDFs are not available: LibreOffice is not installed" in text and ".pdf" not in text


def test_accord_dashboard_out_copies_the_page_and_what_it_links_to_and_no_outbox(
    demo_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    result = Accord(demo_home)("dashboard", SLUG, "--out", str(out))
    assert "dashboard written" in result.stdout
    assert (out / "index.html").read_bytes() == (
        demo_home / "declarations" / SLUG / "index.html"
    ).read_bytes()
    assert (
        broken_links(out / "index.html") == []
        and broken_links(out / "audit" / "history.html") == []
    )
    assert not (out / "outbox").exists() and not list(out.rglob("inbox"))


def test_accord_dashboard_refuses_an_unknown_declaration(demo_home: Path) -> None:
    assert "nowhere" in Accord(demo_home).refused("dashboard", "nowhere")


def test_an_app_without_pages_publishes_documents_but_no_dashboard(app: App) -> None:
    """Replay's scratch app: its folder is thrown away, so the pages are not written there."""
    app.pages = False
    factories.create_declaration(app, n=6)
    folder = app.home / "declarations" / factories.SLUG
    assert (folder / "versions" / "Zero draft.docx").is_file()
    assert not (folder / "index.html").exists() and not (folder / "audit").exists()
