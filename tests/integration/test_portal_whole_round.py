"""Issue 13's Done when, in a real browser (Debian's chromium through chromedriver): a whole round with nothing on the
command line but `accord user add`. The secretariat creates the declaration and opens the round; two delegations
upload Word files with tracked changes; the secretariat closes the round; both co-presidencies (with TOTP) decide
and approve; the secretariat starts a silence, a delegation objects, the secretariat agrees and archives; an
auditor opens the history, one of its documents and the bundle. Then, from the log: every act names an account,
and `accord verify` passes. Screenshots are saved in the test's temporary folder."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from drafting import events as ev
from flows.bootstrap import App, bootstrap
from flows.publish import NullPublisher
from tests import factories
from tests.browser import chromium
from tests.cli_runner import Accord
from tests.integration.test_portal_browser import click_and_wait, fill, wait_for
from tests.portal_server import serving

PASSWORD = "a long and unusual passphrase"
SLUG = "summit-2027"
TITLE = "Political Declaration of the EU-CELAC Summit"
FAR = "2030-01-15T18:00:00+01:00"  # deadlines and silences the real clock does not reach


@pytest.fixture
def home(tmp_path: Path) -> Iterator[tuple[Path, App]]:
    """The home folder the portal serves and `accord user add --home` writes to (its own SQLite database)."""
    app = bootstrap(tmp_path / "home", publisher=NullPublisher())
    yield tmp_path / "home", app
    app.store.engine.dispose()


class Person:
    """Someone `accord user add` invited: the link's token, and the TOTP once the invitation showed its key."""

    def __init__(self, accord: Accord, email: str, role: str, *scope: str) -> None:
        printed = accord("user", "add", email, "--role", role, *scope).stdout
        found = re.search(r"/invitation/(\S+)", printed)
        assert found, printed
        self.email, self.token = email, found.group(1)
        self.totp: pyotp.TOTP | None = None
        self.used: set[int] = set()

    def code(self) -> str:
        """A code the portal has not seen from this person (each is good once; one step of drift is allowed)."""
        if self.totp is None:
            return ""
        for offset in (0, 30, -30):
            step = int((time.time() + offset) // 30)
            if step not in self.used:
                self.used.add(step)
                return self.totp.at(step * 30)
        raise AssertionError("three sign-ins within one minute: no fresh code")


def accept(browser: Any, base: str, person: Person) -> None:
    """Open the invitation, read the authenticator key where the role has one, set the password."""
    from selenium.webdriver.common.by import By

    browser.get(f"{base}/invitation/{person.token}")
    keys = browser.find_elements(By.CSS_SELECTOR, "code.key")
    values = {"password": PASSWORD, "again": PASSWORD}
    if keys:
        person.totp = pyotp.TOTP(keys[0].text.strip())
        values["code"] = person.code()
    fill(browser, values)
    assert "Your password is set" in browser.page_source, browser.page_source[:2000]


def sign_in(browser: Any, base: str, person: Person) -> None:
    browser.delete_all_cookies()
    browser.get(f"{base}/sign-in")
    fill(browser, {"email": person.email, "password": PASSWORD, "code": person.code()})
    assert "/sign-in" not in browser.current_url, browser.page_source[:2000]


def done(browser: Any) -> str:
    return str(wait_for(browser, "done").text)


def test_a_whole_round_in_the_browser(home: tuple[Path, App], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    folder, app = home
    accord = Accord(folder)
    shots, downloads = tmp_path / "screenshots", tmp_path / "downloads"
    shots.mkdir()
    zero, parties = factories.write_inputs(tmp_path / "inputs", n=6)
    desk = Person(accord, "desk@un.example", "secretariat")
    auditor = Person(accord, "audit@un.example", "auditor")
    prefs = {"download.default_directory": str(downloads)}
    with (
        serving(app) as port,
        chromium("--window-size=1200,1600") as office,
        chromium("--window-size=1200,1600", prefs=prefs) as browser,
    ):
        base = f"http://127.0.0.1:{port}"
        # the secretariat (its own browser, signed in throughout) creates the declaration
        accept(office, base, desk)
        sign_in(office, base, desk)
        office.find_element(By.ID, "to-new-declaration").click()
        office.save_screenshot(str(shots / "1-new-declaration.png"))
        for name, value in {"title": TITLE, "slug": SLUG, "co_presidency_1": "ES"}.items():
            office.find_element(By.NAME, name).send_keys(value)
        office.find_element(By.NAME, "co_presidency_2").send_keys("BO")
        timezone = office.find_element(By.NAME, "timezone")
        timezone.clear()
        timezone.send_keys("Europe/Brussels")
        office.find_element(By.NAME, "zero_draft").send_keys(str(zero))
        office.find_element(By.NAME, "parties").send_keys(str(parties))
        office.save_screenshot(str(shots / "2-new-declaration-filled.png"))
        click_and_wait(office, "#create-declaration")
        assert office.current_url.endswith(f"/declarations/{SLUG}/dashboard"), office.page_source[
            :2000
        ]
        office.save_screenshot(str(shots / "3-created.png"))
        office.find_element(By.NAME, "deadline").send_keys(FAR)
        click_and_wait(office, "#open-round")
        assert "round 1 open on Zero draft" in done(office)
        click_and_wait(office, f"form[action='/declarations/{SLUG}/reminders'] button")
        assert "reminders sent to 4 parties" in done(office)

        # the delegations and co-presidencies exist once the declaration does
        scope = ("--declaration", SLUG)
        austria = Person(accord, "at@example.eu", "delegate", "--party", "AT", *scope)
        belgium = Person(accord, "be@example.eu", "delegate", "--party", "BE", *scope)
        spain = Person(accord, "es@example.eu", "co-presidency", "--party", "ES", *scope)
        bolivia = Person(accord, "bo@example.bo", "co-presidency", "--party", "BO", *scope)
        for delegate in (austria, belgium):
            accept(browser, base, delegate)
            sign_in(browser, base, delegate)
            browser.get(f"{base}/declarations/{SLUG}")
            made = tmp_path / f"{delegate.email}.docx"
            code = delegate.email[:2].upper()
            made.write_bytes(factories.party_submission(code, slug=SLUG))
            browser.find_element(By.NAME, "file").send_keys(str(made))
            click_and_wait(browser, "form[enctype] button[type=submit]")
            assert "accord received submission" in wait_for(browser, "receipt").text
        browser.save_screenshot(str(shots / "4-receipt.png"))

        office.get(f"{base}/declarations/{SLUG}/dashboard")
        click_and_wait(office, "#close-round")
        assert "round 1 closed: 2 submissions" in done(office)

        for chair in (spain, bolivia):
            accept(browser, base, chair)
            sign_in(browser, base, chair)
            browser.get(f"{base}/declarations/{SLUG}/synopsis")
            for choice in browser.find_elements(By.CSS_SELECTOR, "#decisions select"):
                Select(choice).select_by_value("accept")
            click_and_wait(browser, "#decisions button[type=submit]")
            assert "4 accepted, 0 rejected" in done(browser)
        click_and_wait(browser, "#approve")  # Bolivia, still signed in
        assert "Rev.1 approved by BO" in done(browser)
        sign_in(browser, base, spain)
        browser.get(f"{base}/declarations/{SLUG}/synopsis")
        click_and_wait(browser, "#approve")
        assert "circulated" in done(browser)

        office.get(f"{base}/declarations/{SLUG}/dashboard")
        office.find_element(By.NAME, "until").send_keys(FAR)
        click_and_wait(office, "#start-silence")
        assert "Rev.1 under silence" in done(office)
        sign_in(browser, base, austria)
        browser.get(f"{base}/declarations/{SLUG}")
        browser.find_element(By.NAME, "reason").send_keys("paragraph 3 goes back to our capital")
        click_and_wait(browser, "#object")
        assert "broken by AT" in browser.page_source
        office.get(f"{base}/declarations/{SLUG}/dashboard")
        click_and_wait(office, f"form[action='/declarations/{SLUG}/agree'] button")
        assert "Rev.1 of summit-2027 is agreed" in done(office)
        office.find_element(
            By.CSS_SELECTOR, "input[name=pdf]"
        ).click()  # no PDF: LibreOffice is not the point
        click_and_wait(office, f"form[action='/declarations/{SLUG}/archive'] button")
        assert "sealed at event" in done(office)

        accept(browser, base, auditor)
        sign_in(browser, base, auditor)
        browser.get(f"{base}/declarations/{SLUG}/audit")
        assert "The records verify" in browser.page_source
        browser.find_element(By.LINK_TEXT, "History").click()
        browser.save_screenshot(str(shots / "5-history.png"))
        assert "account:" in browser.page_source
        browser.find_element(By.PARTIAL_LINK_TEXT, "be@example.eu").click()  # Belgium's file
        browser.get(f"{base}/declarations/{SLUG}/audit")
        browser.find_element(By.CSS_SELECTOR, f"a[href='/declarations/{SLUG}/bundle']").click()
        wanted = [downloads / "be@example.eu.docx", downloads / f"{SLUG}-archive.zip"]
        WebDriverWait(browser, 60).until(
            lambda _: all(path.exists() for path in wanted), f"not downloaded: {wanted}"
        )
    assert wanted[0].read_bytes() == (tmp_path / "be@example.eu.docx").read_bytes()

    with app.store.reading() as uow:
        log = uow.log(uow.repo.declaration(SLUG))
        ids = {a.email: f"account:{a.id}" for a in uow.accounts.all()}
    acts = [e for e in log if ev.EVENTS[e.type] in ev.ACTS]
    assert {e.type for e in acts} >= {
        "accord.declaration.created",
        "accord.round.opened",
        "accord.round.reminder-sent",
        "accord.submission.received",
        "accord.round.closed",
        "accord.decision.recorded",
        "accord.version.approved",
        "accord.silence.started",
        "accord.silence.broken",
        "accord.version.agreed",
        "accord.declaration.archived",
    }
    unnamed = [(e.seq, e.type) for e in acts if not str(e.payload.get("by")).startswith("account:")]
    assert unnamed == []
    by = {e.type: e.payload["by"] for e in acts}
    assert by["accord.declaration.created"] == ids["desk@un.example"]
    assert by["accord.declaration.archived"] == ids["desk@un.example"]
    assert by["accord.silence.broken"] == ids["at@example.eu"]
    assert by["accord.version.approved"] == ids["es@example.eu"]  # the last approval, Spain's
    assert accord("verify", SLUG).stdout.startswith(f"ok: {len(log)} events")
    assert sorted(p.name for p in shots.iterdir()) == [
        "1-new-declaration.png",
        "2-new-declaration-filled.png",
        "3-created.png",
        "4-receipt.png",
        "5-history.png",
    ]
