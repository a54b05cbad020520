"""A real browser (Debian's chromium through chromedriver): a delegate accepts the invitation, sets a password,
signs in, downloads the stamped copy, uploads a Word file with tracked changes and reads the receipt; another
party's delegate cannot see it. Screenshots of each page are saved in the test's temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drafting.access import AccountRole
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.publish import NullPublisher
from tests import factories
from tests.browser import chromium
from tests.portal_server import serving

PASSWORD = "a long and unusual passphrase"
SLUG = factories.SLUG


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless chromium downloading into tmp_path/downloads; skipped when it or selenium is absent."""
    with chromium("--window-size=1200,1400", prefs={"download.default_directory": str(tmp_path / "downloads")}) as driver:
        yield driver


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    app = bootstrap(tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", publisher=NullPublisher())
    factories.open_declaration(app, n=6, deadline="2027-01-15T18:00:00+01:00")
    yield app
    app.store.engine.dispose()


def wait_for(driver: Any, element_id: str) -> Any:
    """The element once the page that has it has loaded (a form's answer comes after the click returns)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    return WebDriverWait(driver, 60).until(expected_conditions.presence_of_element_located((By.ID, element_id)),
                                           f"no #{element_id} in {driver.current_url}:\n{driver.page_source[:2000]}")


def fill(driver: Any, values: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    for name, value in values.items():
        driver.find_element(By.NAME, name).send_keys(value)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 60).until(lambda _: _gone(page), "the form's answer never came")


def _gone(element: Any) -> bool:
    """Whether the page that held ``element`` was replaced. Selenium's staleness_of expects a StaleElementReference
    error; chromedriver sometimes answers "Node with given id does not belong to the document" (a plain
    WebDriverException) for the same state, which failed a CI run."""
    from selenium.common.exceptions import WebDriverException

    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False


def test_a_delegate_works_in_the_browser(app: App, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    shots = tmp_path / "screenshots"
    shots.mkdir()
    invitation = accounts.invite(app, "delegate@austria.example", AccountRole.DELEGATE, party="AT", declaration=SLUG)
    other = accounts.invite(app, "delegate@belgium.example", AccountRole.DELEGATE, party="BE", declaration=SLUG)
    accounts.accept(app, other.token, PASSWORD)
    upload = tmp_path / "AT-proposals.docx"
    upload.write_bytes(factories.party_submission("AT"))
    with serving(app) as port:
        base = f"http://127.0.0.1:{port}"
        browser.get(f"{base}/invitation/{invitation.token}")
        browser.save_screenshot(str(shots / "1-invitation.png"))
        fill(browser, {"password": PASSWORD, "again": PASSWORD})
        assert "Your password is set" in browser.page_source
        fill(browser, {"email": "delegate@austria.example", "password": PASSWORD})
        browser.save_screenshot(str(shots / "2-declarations.png"))
        browser.find_element(By.LINK_TEXT, SLUG).click()
        assert "Round 1 on Zero draft: open" in browser.page_source
        browser.find_element(By.CSS_SELECTOR, f"a[href='/declarations/{SLUG}/copy']").click()
        browser.find_element(By.NAME, "file").send_keys(str(upload))
        browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
        receipt = wait_for(browser, "receipt").text
        browser.save_screenshot(str(shots / "3-receipt.png"))
        assert "accord received submission 1 of round 1" in receipt
        assert "proposes this clause" in receipt and factories.sha256_of(upload.read_bytes()) in receipt
        copy = tmp_path / "downloads" / f"{SLUG}-Zero-draft-round-1-AT.docx"
        WebDriverWait(browser, 60).until(lambda _: copy.exists(), "the stamped copy was not downloaded")
        assert copy.read_bytes()[:2] == b"PK"
        browser.delete_all_cookies()
        browser.get(f"{base}/sign-in")
        fill(browser, {"email": "delegate@belgium.example", "password": PASSWORD})
        browser.get(f"{base}/declarations/{SLUG}")
        browser.save_screenshot(str(shots / "4-other-delegate.png"))
        assert "You act for Belgium (BE)" in browser.page_source
        assert "AT-proposals.docx" not in browser.page_source and "proposes this clause" not in browser.page_source
    assert sorted(p.name for p in shots.iterdir()) == ["1-invitation.png", "2-declarations.png", "3-receipt.png",
                                                       "4-other-delegate.png"]
