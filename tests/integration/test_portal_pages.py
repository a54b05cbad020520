"""The portal's browser pages: the authorization matrix (every route x every role), CSRF, throttling, sessions,
cookies, security headers and languages."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from drafting.access import AccountRole
from flows.bootstrap import App, bootstrap
from flows.portal import accounts
from flows.portal.app import create_app
from flows.publish import NullPublisher
from tests import factories

SLUG = factories.SLUG
PASSWORD = "a long and unusual passphrase"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Who signs in: (role, party, declaration). "other-party" acts for BO in "other" only.
PEOPLE = {
    "secretariat": (AccountRole.SECRETARIAT, None, None),
    "auditor": (AccountRole.AUDITOR, None, None),
    "translator": (AccountRole.TRANSLATOR, None, None),
    "delegate": (AccountRole.DELEGATE, "AT", SLUG),
    "head-of-delegation": (AccountRole.HEAD_OF_DELEGATION, "BE", SLUG),
    "co-presidency": (AccountRole.CO_PRESIDENCY, "ES", SLUG),
    "other-party": (AccountRole.DELEGATE, "BO", "other"),
}

ROUTES = [
    "GET /",
    f"GET /declarations/{SLUG}",
    f"GET /declarations/{SLUG}/copy",
    f"POST /declarations/{SLUG}/submissions",
    "GET /declarations/other",
    f"GET /api/v1/declarations/{SLUG}",
    f"POST /api/v1/declarations/{SLUG}/decisions",
]
API_NEEDS_A_TOKEN = {ROUTES[5]: 401, ROUTES[6]: 401}  # a browser session never opens the API
# The pages of every role, per person in the order of EXPECTED's rows. Round 1 of eu-celac is open and nothing is
# compiled, so an allowed action the state forbids answers 409 (not 403): the authorization passed. Actions that
# would end the round (close, archive) are asked of "other", which no one else here changes.
PERSONS = [
    "no session",
    "secretariat",
    "auditor",
    "translator",
    "delegate",
    "head-of-delegation",
    "co-presidency",
    "other-party",
]
DOCUMENTS = f"GET /declarations/{SLUG}/documents/"  # the history's links
MORE: dict[str, list[int]] = {
    f"GET /declarations/{SLUG}/synopsis": [303, 403, 403, 403, 403, 403, 200, 403],
    f"GET /declarations/{SLUG}/compilation": [303, 403, 403, 403, 403, 403, 409, 403],
    f"POST /declarations/{SLUG}/decisions": [303, 403, 403, 403, 403, 403, 409, 403],
    f"POST /declarations/{SLUG}/decisions/file": [303, 403, 403, 403, 403, 403, 409, 403],
    f"POST /declarations/{SLUG}/approve": [303, 403, 403, 403, 403, 403, 409, 403],
    f"GET /declarations/{SLUG}/redline?first=Zero+draft&second=Zero+draft": [
        303,
        200,
        200,
        200,
        200,
        200,
        200,
        403,
    ],
    f"POST /declarations/{SLUG}/objection": [303, 403, 403, 403, 409, 409, 409, 403],
    f"GET /declarations/{SLUG}/dashboard": [303, 200, 403, 403, 403, 403, 403, 403],
    f"POST /declarations/{SLUG}/round/open": [303, 409, 403, 403, 403, 403, 403, 403],
    "POST /declarations/other/round/close": [303, 409, 403, 403, 403, 403, 403, 403],
    f"POST /declarations/{SLUG}/reminders": [303, 200, 403, 403, 403, 403, 403, 403],
    "POST /declarations/other/round/deadline": [303, 409, 403, 403, 403, 403, 403, 403],
    f"POST /declarations/{SLUG}/silence": [303, 409, 403, 403, 403, 403, 403, 403],
    f"POST /declarations/{SLUG}/agree": [303, 409, 403, 403, 403, 403, 403, 403],
    "POST /declarations/other/archive": [303, 200, 403, 403, 403, 403, 403, 403],
    f"GET /declarations/{SLUG}/audit": [303, 200, 200, 403, 403, 403, 403, 403],
    f"GET /declarations/{SLUG}/history": [303, 200, 200, 403, 403, 403, 403, 403],
    f"GET /declarations/{SLUG}/blame": [303, 200, 200, 403, 403, 403, 403, 403],
    f"GET /declarations/{SLUG}/bundle": [303, 404, 404, 403, 403, 403, 403, 403],
    f"GET /declarations/{SLUG}/delegates": [303, 403, 403, 403, 403, 200, 403, 403],
    f"POST /declarations/{SLUG}/delegates": [303, 403, 403, 403, 403, 201, 403, 403],
    # the head may disable its own delegates only; FORM names AT's delegate, whom BE's head may not (403, logged)
    f"POST /declarations/{SLUG}/delegates/disable": [303, 403, 403, 403, 403, 403, 403, 403],
    # the translator's page: the translator and the secretariat; eu-celac's round is open, so an upload is 409
    f"GET /declarations/{SLUG}/translation": [303, 200, 403, 200, 403, 403, 403, 403],
    f"GET /declarations/{SLUG}/translation/en.docx": [303, 200, 403, 200, 403, 403, 403, 403],
    f"POST /declarations/{SLUG}/translation": [303, 409, 403, 409, 403, 403, 403, 403],
    # creating a declaration: the secretariat only (FORM has no slug: the page says so, 422)
    "GET /new-declaration": [303, 200, 403, 403, 403, 403, 403, 403],
    "POST /new-declaration": [303, 422, 403, 403, 403, 403, 403, 403],
    # the history's documents: the secretariat's original zero draft is for the secretariat, auditors and
    # co-presidencies; the issued (circulated) zero draft for everyone in the declaration
    f"{DOCUMENTS}zero-draft/zero-draft.docx": [303, 200, 200, 403, 403, 403, 200, 403],
    f"{DOCUMENTS}versions/00-Zero_draft.docx": [303, 200, 200, 200, 200, 200, 200, 403],
}
FORM = {
    "decide:P001": "accept",
    "reason": "we object",
    "until": "2026-12-11T18:00:00+01:00",
    "deadline": "",
    "email": "delegate@example.org",
}
EXPECTED: dict[str, list[int]] = {  # per person, in the order of ROUTES (303: to the sign-in form)
    "no session": [303, 303, 303, 303, 303, 401, 401],
    "secretariat": [200, 200, 403, 403, 200, 401, 401],
    "auditor": [200, 200, 403, 403, 200, 401, 401],
    "translator": [
        200,
        200,
        403,
        403,
        200,
        401,
        401,
    ],  # reads every declaration; submits for no party
    "delegate": [200, 200, 200, 201, 403, 401, 401],
    "head-of-delegation": [200, 200, 200, 201, 403, 401, 401],
    "co-presidency": [200, 200, 200, 201, 403, 401, 401],
    "other-party": [200, 403, 403, 403, 200, 401, 401],
}


@pytest.fixture(scope="module")
def portal(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[App, dict[str, tuple[str, str]]]]:
    """eu-celac (six parties, round 1 open) and "other" (ES, BO); one signed-in session per person."""
    folder = tmp_path_factory.mktemp("portal")
    app = bootstrap(
        folder / "home", url=f"sqlite:///{folder / 'accord.db'}", publisher=NullPublisher()
    )
    factories.open_declaration(app, n=6)
    factories.create_declaration(app, slug="other", n=2)
    sessions = {}
    for person, (role, party, declaration) in PEOPLE.items():
        email = f"{person}@example.org"
        token = accounts.invite(app, email, role, party=party, declaration=declaration).token
        secret = accounts.invitation_totp(
            app, token
        )  # the secretariat and co-presidencies have a second factor
        code = pyotp.TOTP(secret).now() if secret else ""
        accounts.accept(app, token, PASSWORD, code=code)
        # a code is good once: the sign-in takes the next step's (accepted within one step of drift)
        code = pyotp.TOTP(secret).at(time.time() + 30) if secret else ""
        signed = accounts.sign_in(app, email, PASSWORD, code=code)
        assert signed is not None
        sessions[person] = (signed.cookie, signed.csrf)
    yield app, sessions
    app.store.engine.dispose()


def request(client: TestClient, route: str, csrf: str = "", party: str = "AT") -> Any:
    method, path = route.split(" ", 1)
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if path.startswith("/api/") and path.endswith("/decisions"):
        return client.post(path, json={"decisions": {"P001": "accept"}}, follow_redirects=False)
    if path.endswith(("/submissions", "/decisions/file", "/translation")):
        return client.post(
            path,
            data={"csrf": csrf, "language": "en"},
            follow_redirects=False,
            files={"file": (f"{party}.docx", factories.party_submission(party), DOCX)},
        )
    invited = (
        {"email": "invited@example.org"} if path.endswith("/delegates") else {}
    )  # a new address
    return client.post(path, data={"csrf": csrf, **FORM, **invited}, follow_redirects=False)


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("route", ROUTES + list(MORE))
def test_the_authorization_matrix(
    portal: tuple[App, dict[str, tuple[str, str]]], person: str, route: str
) -> None:
    app, sessions = portal
    client = TestClient(create_app(app))
    cookie, csrf = sessions.get(person, ("", ""))
    if cookie:
        client.cookies.set("accord_session", cookie)
    party = (PEOPLE[person][1] if person in PEOPLE else None) or "AT"
    response = request(client, route, csrf, party)
    expected = (
        EXPECTED[person][ROUTES.index(route)]
        if route in ROUTES
        else MORE[route][PERSONS.index(person)]
    )
    assert response.status_code == expected, response.text[:300]
    if response.status_code == 303:
        assert response.headers["location"] == "/sign-in"


def test_the_matrix_covers_every_role() -> None:
    assert {role for role, _, _ in PEOPLE.values()} == set(AccountRole)
    assert all(len(row) == len(ROUTES) for row in EXPECTED.values())
    assert PERSONS == list(EXPECTED) and all(len(row) == len(PERSONS) for row in MORE.values())


def test_the_matrix_covers_every_route_of_the_portal(tmp_path: Path) -> None:
    """A page added without its row in the matrix fails here."""
    from starlette.routing import Route

    web = create_app(bootstrap(tmp_path / "home", url="sqlite://", publisher=NullPublisher()))
    served = {
        f"{method} {route.path}"
        for route in web.routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    covered = {
        re.sub(r"\?.*", "", r)
        .replace(f"/{SLUG}", "/{slug}")
        .replace("/other/", "/{slug}/")
        .replace("/other", "/{slug}")
        .replace("/en.docx", "/{language}.docx")
        .split("/documents/")[0]
        + ("/documents/{path:path}" if "/documents/" in r else "")
        for r in ROUTES + list(MORE)
    }
    unchecked = {
        "GET /api/v1/openapi.json",
        "GET /static/portal.css",
        "GET /sign-in",
        "POST /sign-in",
        "POST /sign-out",
        "GET /invitation/{token}",
        "POST /invitation/{token}",
        "GET /language/{lang}",
        "GET /reset",
        "POST /reset",
        "POST /reset/confirm",
        "GET /api/v1/declarations/{slug}/submissions",
        "POST /api/v1/declarations/{slug}/submissions",
    }
    assert served - unchecked <= covered, sorted(served - unchecked - covered)


@pytest.fixture
def app(tmp_path: Path, clock: factories.Clock) -> App:
    app = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    factories.open_declaration(app, n=6, deadline="2026-12-04T18:00:00+01:00")
    return app


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def invite_and_accept(app: App, client: TestClient, email: str = "at@example.org") -> None:
    invitation = accounts.invite(app, email, AccountRole.DELEGATE, party="AT", declaration=SLUG)
    form = client.get(f"/invitation/{invitation.token}")
    done = client.post(
        f"/invitation/{invitation.token}",
        follow_redirects=False,
        data={"password": PASSWORD, "again": PASSWORD, "csrf": csrf_of(form.text)},
    )
    assert done.status_code == 303 and done.headers["location"] == "/sign-in?note=accepted"


def sign_in(client: TestClient, email: str = "at@example.org", password: str = PASSWORD) -> Any:
    form = client.get("/sign-in")
    return client.post(
        "/sign-in",
        follow_redirects=False,
        data={"email": email, "password": password, "csrf": csrf_of(form.text)},
    )


def test_a_delegate_accepts_signs_in_downloads_uploads_and_sees_the_receipt(app: App) -> None:
    client = TestClient(create_app(app), base_url="https://portal.test")
    invite_and_accept(app, client)
    signed = sign_in(client)
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert (
        "accord_session=" in cookie
        and "HttpOnly" in cookie
        and "SameSite=lax" in cookie
        and "Secure" in cookie
    )
    page = client.get(f"/declarations/{SLUG}?tz=America/Mexico_City")
    assert "Fri 04 Dec 2026 11:00 CST" in page.text  # 18:00 in Brussels is 11:00 in Mexico City
    assert (
        "Your stamped copy" in page.text and "built-in method" not in page.text
    )  # t.copy was dict.copy
    copy = client.get(f"/declarations/{SLUG}/copy")
    assert copy.status_code == 200 and copy.content[:2] == b"PK"
    receipt = client.post(
        f"/declarations/{SLUG}/submissions",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("AT.docx", factories.party_submission("AT"), DOCX)},
    )
    assert receipt.status_code == 201
    assert "accord received submission 1 of round 1" in receipt.text
    assert "proposes this clause" in receipt.text
    assert factories.sha256_of(factories.party_submission("AT")) in receipt.text
    with app.store.reading() as uow:
        event = uow.log(uow.repo.declaration(SLUG))[-1]
        account = uow.accounts.find("at@example.org")
    assert (
        account is not None
        and event.actor == "AT"
        and event.payload["by"] == f"account:{account.id}"
    )
    refused = client.post(
        f"/declarations/{SLUG}/submissions",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("AT.docx", b"not a word file", DOCX)},
    )
    assert refused.status_code == 422 and "Refused" in refused.text


def test_a_session_cookie_is_not_secure_over_plain_http(app: App) -> None:
    client = TestClient(create_app(app))
    invite_and_accept(app, client)
    assert "Secure" not in sign_in(client).headers["set-cookie"]


def test_forms_without_the_csrf_token_are_refused(app: App) -> None:
    client = TestClient(create_app(app))
    invite_and_accept(app, client)
    assert sign_in(client).status_code == 303
    for token in ("", "forged"):
        response = client.post(
            f"/declarations/{SLUG}/submissions",
            data={"csrf": token},
            files={"file": ("AT.docx", factories.party_submission("AT"), DOCX)},
        )
        assert response.status_code == 403
        assert client.post("/sign-out", data={"csrf": token}).status_code == 403
    assert (
        client.get("/", follow_redirects=False).status_code == 200
    )  # the forged sign-out did nothing
    stranger = TestClient(create_app(app))  # no CSRF cookie: a form posted from elsewhere
    assert (
        stranger.post(
            "/sign-in", data={"email": "at@example.org", "password": PASSWORD, "csrf": "x"}
        ).status_code
        == 403
    )


def test_sign_in_is_throttled_after_five_failures(app: App, clock: factories.Clock) -> None:
    client = TestClient(create_app(app))
    invite_and_accept(app, client)
    for _ in range(5):
        failed = sign_in(client, password="not the password at all")
        assert failed.status_code == 401 and "too many attempts" in failed.text
    assert sign_in(client).status_code == 401
    clock.advance(minutes=15)
    assert sign_in(client).status_code == 303


def test_signing_out_revokes_the_session(app: App) -> None:
    client = TestClient(create_app(app))
    invite_and_accept(app, client)
    sign_in(client)
    cookie = client.cookies.get("accord_session")
    home = client.get("/")
    assert (
        client.post(
            "/sign-out", data={"csrf": csrf_of(home.text)}, follow_redirects=False
        ).status_code
        == 303
    )
    replayed = TestClient(create_app(app))
    replayed.cookies.set("accord_session", cookie or "")
    response = replayed.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sign-in?note=expired"


def test_an_invitation_page_refuses_weak_and_mismatched_passwords(app: App) -> None:
    client = TestClient(create_app(app))
    invitation = accounts.invite(
        app, "be@example.org", AccountRole.DELEGATE, party="BE", declaration=SLUG
    )
    form = client.get(f"/invitation/{invitation.token}")
    for password, again, message in (
        ("qwerty123456", "qwerty123456", "among the 10,000 most common"),
        (PASSWORD, PASSWORD + "x", "The two passwords differ"),
    ):
        response = client.post(
            f"/invitation/{invitation.token}",
            data={"password": password, "again": again, "csrf": csrf_of(form.text)},
        )
        assert response.status_code == 422 and message in response.text
    assert client.get("/invitation/not-a-token").status_code == 404


def test_pages_carry_the_security_headers_and_need_no_script(app: App) -> None:
    client = TestClient(create_app(app))
    page = client.get("/sign-in")
    policy = page.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert (
        "<script" not in page.text and "http" not in page.text.split("<body>")[1]
    )  # no CDN, no script
    css = client.get("/static/portal.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_every_message_exists_in_both_languages_and_none_hides_behind_a_dict_method() -> None:
    # Jinja looks `t.copy` up as an attribute first: a key named like a dict method renders the method.
    from flows.portal.i18n import MESSAGES

    assert set(MESSAGES["en"]) == set(MESSAGES["es"])
    assert not set(MESSAGES["en"]) & set(dir(dict))


def test_the_language_follows_the_browser_until_the_user_chooses(app: App) -> None:
    client = TestClient(create_app(app))
    assert (
        "Iniciar sesión"
        in client.get("/sign-in", headers={"accept-language": "es-MX,es;q=0.9"}).text
    )
    assert "Sign in" in client.get("/sign-in", headers={"accept-language": "fr, en;q=0.5"}).text
    client.get("/language/es?back=/sign-in")
    assert "Iniciar sesión" in client.get("/sign-in", headers={"accept-language": "en"}).text
    assert (
        client.get("/language/en?back=//evil.example", follow_redirects=False).headers["location"]
        == "/"
    )


def test_a_co_presidency_enrols_its_authenticator_and_signs_in_with_the_code(
    app: App, clock: factories.Clock
) -> None:
    client = TestClient(create_app(app))
    invitation = accounts.invite(
        app, "es@example.org", AccountRole.CO_PRESIDENCY, party="ES", declaration=SLUG
    )
    form = client.get(f"/invitation/{invitation.token}")
    key = re.search(r'<code class="key">([A-Z2-7]+)</code>', form.text)
    assert key and "otpauth://totp/accord:es%40example.org?secret=" in form.text
    totp = pyotp.TOTP(key.group(1))
    missing = client.post(
        f"/invitation/{invitation.token}",
        data={"password": PASSWORD, "again": PASSWORD, "csrf": csrf_of(form.text)},
    )
    assert missing.status_code == 422 and "authenticator app" in missing.text
    done = client.post(
        f"/invitation/{invitation.token}",
        follow_redirects=False,
        data={
            "password": PASSWORD,
            "again": PASSWORD,
            "csrf": csrf_of(form.text),
            "code": totp.at(clock.moment),
        },
    )
    assert done.status_code == 303
    assert sign_in(client, "es@example.org").status_code == 401
    reused = client.post(
        "/sign-in",
        follow_redirects=False,
        data={
            "email": "es@example.org",
            "password": PASSWORD,
            "code": totp.at(clock.moment),
            "csrf": csrf_of(client.get("/sign-in").text),
        },
    )
    assert reused.status_code == 401  # the code that confirmed the enrolment is spent
    clock.advance(seconds=30)
    page = client.get("/sign-in")
    signed = client.post(
        "/sign-in",
        follow_redirects=False,
        data={
            "email": "es@example.org",
            "password": PASSWORD,
            "code": totp.at(clock.moment),
            "csrf": csrf_of(page.text),
        },
    )
    assert signed.status_code == 303
    again = client.post(
        "/sign-in",
        follow_redirects=False,
        data={
            "email": "es@example.org",
            "password": PASSWORD,
            "code": totp.at(clock.moment),
            "csrf": csrf_of(client.get("/sign-in").text),
        },
    )
    assert again.status_code == 401  # a code reused within its window is refused (regression)
    with app.store.reading() as uow:
        assert uow.accounts.security_log()[-1][1:3] == ("sign-in.failed", "es@example.org")


def test_an_auditor_s_home_lists_every_declaration_and_a_delegate_s_only_its_own(app: App) -> None:
    factories.create_declaration(app, slug="other", n=2)
    auditor, delegate = TestClient(create_app(app)), TestClient(create_app(app))
    accounts.accept(
        app, accounts.invite(app, "audit@example.org", AccountRole.AUDITOR).token, PASSWORD
    )
    assert sign_in(auditor, "audit@example.org").status_code == 303
    invite_and_accept(app, delegate)
    assert sign_in(delegate).status_code == 303
    links = re.compile(r'href="/declarations/([^"]+)"')
    assert links.findall(auditor.get("/").text) == [SLUG, "other"]
    assert links.findall(delegate.get("/").text) == [SLUG]
