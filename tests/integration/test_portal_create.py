"""The secretariat creates a declaration in the portal (issue 13: a whole round from the browser): the page runs the
use case `accord declaration create` runs, the event names the account, replay agrees; every refusal is said on the
page with nothing created; every other role is refused (403) and logged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from drafting.access import AccountRole
from drafting.identifiers import SLUG_RULE
from flows import samples
from flows.bootstrap import App, bootstrap
from flows.publish import NullPublisher
from tests import factories
from tests.integration.test_portal_roles import csrf_of, person

PASSWORD = "a long and unusual passphrase"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE = "/new-declaration"


@pytest.fixture
def app(tmp_path: Path, clock: factories.Clock) -> App:
    return bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )


FIELDS = {
    "title": "Political Declaration of the EU-CELAC Summit",
    "slug": "summit-2027",
    "language": "en",
    "timezone": "Europe/Brussels",
    "co_presidency_1": "ES",
    "co_presidency_2": "BO",
}


def post(client: TestClient, files: dict[str, Any], **fields: str) -> Any:
    csrf = csrf_of(client.get(PAGE).text)
    return client.post(
        PAGE,
        data={"csrf": csrf, **FIELDS, **fields},
        files=files,
        follow_redirects=False,
    )


def zero(name: str = "zero-draft.docx", data: bytes | None = None) -> tuple[str, bytes, str]:
    return (name, factories.zero_draft() if data is None else data, DOCX)


def parties(text: str | None = None, name: str = "parties.csv") -> tuple[str, bytes, str]:
    return (name, (factories.parties_csv(6) if text is None else text).encode(), "text/csv")


def log(app: App, slug: str) -> list[Any]:
    with app.store.reading() as uow:
        found = uow.repo.find_declaration(slug)
        return [] if found is None else uow.log(found)


def test_the_secretariat_creates_a_declaration_and_the_event_names_its_account(
    app: App, clock: factories.Clock
) -> None:
    from flows.usecases.replay import replay

    desk = person(app, clock, "desk@un.example", AccountRole.SECRETARIAT)
    assert 'href="/new-declaration"' in desk.get("/").text  # linked from the secretariat's home
    made = post(desk, {"zero_draft": zero(), "parties": parties()})
    assert made.status_code == 303, made.text[:500]
    assert made.headers["location"] == "/declarations/summit-2027/dashboard"
    created = log(app, "summit-2027")
    with app.store.reading() as uow:
        account = uow.accounts.find("desk@un.example")
        row = uow.repo.declaration("summit-2027")
        assert (row.title, row.timezone) == (FIELDS["title"], "Europe/Brussels")
        chairs = sorted(p.code for p in uow.repo.parties(row) if p.role == "co-presidency")
    assert account is not None and chairs == ["BO", "ES"]
    assert [e.type for e in created] == ["accord.declaration.created", "accord.version.issued"]
    assert created[0].payload["by"] == f"account:{account.id}"
    assert created[0].payload["zero_draft"]["filename"] == "zero-draft.docx"
    assert len(created[0].payload["parties"]) == 6
    assert "Zero draft" in desk.get("/declarations/summit-2027/dashboard").text
    assert replay(app, "summit-2027").events == 2  # the same use case again, with the account


def test_a_bilingual_declaration_with_the_demo_parties(app: App, clock: factories.Clock) -> None:
    desk = person(app, clock, "desk@un.example", AccountRole.SECRETARIAT)
    made = post(
        desk,
        {
            "zero_draft": ("water.en.docx", samples.docx_path("en").read_bytes(), DOCX),
            "translation": ("water.es.docx", samples.docx_path("es").read_bytes(), DOCX),
        },
        translation_language="es",
        demo_parties="yes",
    )
    assert made.status_code == 303, made.text[:800]
    payload = log(app, "summit-2027")[0].payload
    assert payload["languages"] == ["en", "es"] and len(payload["parties"]) == 60
    assert payload["translations"]["es"]["filename"] == "water.es.docx"


@pytest.mark.parametrize(
    ("files", "fields", "said"),
    [
        ({}, {"slug": "Summit 2027"}, SLUG_RULE),
        ({}, {"slug": "secretariat"}, "reserved"),
        ({}, {"timezone": "Europe/Atlantis"}, "Europe/Atlantis"),
        ({}, {"co_presidency_2": "XX"}, "XX"),
        ({"zero_draft": zero("zero-draft.docx\u202eexe.txt")}, {}, "is not a .docx file"),
        ({"zero_draft": zero(data=b"not a zip at all")}, {}, "zero-draft.docx"),
        ({"parties": parties("code,name\nAT,Austria\n")}, {}, "parties.csv"),
        ({"parties": parties(name="parties.xlsx")}, {}, "is not a .csv file"),
        ({"parties": None}, {}, "no parties"),
        ({}, {"demo_parties": "yes"}, "not both"),
        ({"zero_draft": None}, {}, "no zero draft"),
        ({}, {"title": " "}, "the title is empty"),
    ],
)
def test_a_refusal_is_said_on_the_page_and_nothing_is_created(
    app: App, clock: factories.Clock, files: dict[str, Any], fields: dict[str, str], said: str
) -> None:
    desk = person(app, clock, "desk@un.example", AccountRole.SECRETARIAT)
    chosen = {
        name: file
        for name, file in ({"zero_draft": zero(), "parties": parties()} | files).items()
        if file is not None
    }
    answer = post(desk, chosen, **fields)
    assert answer.status_code == 422, answer.text[:500]
    problem = re.search(r'id="problem">(.*?)</p>', answer.text, re.S)
    assert problem and said.replace("'", "&#39;") in problem.group(1), answer.text[:1500]
    assert 'name="title" value="' in answer.text  # the form again, what was typed kept
    with app.store.reading() as uow:
        assert uow.repo.all_declarations() == []


def test_a_zero_draft_over_the_limit_is_refused_before_the_use_case_reads_it(
    tmp_path: Path, clock: factories.Clock
) -> None:
    from drafting.wordml.gate import GateLimits

    small = bootstrap(
        tmp_path / "home",
        url=f"sqlite:///{tmp_path / 'accord.db'}",
        clock=clock,
        publisher=NullPublisher(),
    )
    small.settings.limits = GateLimits(max_upload_bytes=4096)
    desk = person(small, clock, "desk@un.example", AccountRole.SECRETARIAT)
    answer = post(desk, {"zero_draft": zero(data=b"PK" + b"\0" * 5000), "parties": parties()})
    assert answer.status_code == 422 and "larger than the limit of 4,096 bytes" in answer.text
    body = post(desk, {"zero_draft": zero(data=b"\0" * 400_000), "parties": parties()})
    assert (
        body.status_code == 413
    )  # the whole request past two drafts and a parties file: refused while read


def test_a_form_without_its_csrf_token_is_refused(app: App, clock: factories.Clock) -> None:
    desk = person(app, clock, "desk@un.example", AccountRole.SECRETARIAT)
    answer = desk.post(
        PAGE,
        data=FIELDS,
        files={"zero_draft": zero(), "parties": parties()},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and log(app, "summit-2027") == []


@pytest.mark.parametrize(
    ("role", "party"),
    [
        (AccountRole.AUDITOR, None),
        (AccountRole.TRANSLATOR, None),
        (AccountRole.DELEGATE, "AT"),
        (AccountRole.CO_PRESIDENCY, "ES"),
    ],
)
def test_only_the_secretariat_creates_and_a_refusal_is_logged(
    app: App, clock: factories.Clock, role: AccountRole, party: str | None
) -> None:
    factories.create_declaration(app, n=6)
    other = person(app, clock, f"{role}@example.org", role, party)
    assert "/new-declaration" not in other.get("/").text
    assert other.get(PAGE, follow_redirects=False).status_code == 403
    answer = other.post(
        PAGE,
        data={"csrf": "x", **FIELDS},
        files={"zero_draft": zero(), "parties": parties()},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and log(app, "summit-2027") == []
    with app.store.reading() as uow:
        refused = [e for e in uow.accounts.security_log() if e.kind == "access.refused"]
    assert len(refused) == 2 and all('"what":"create "' in e.detail for e in refused)


def test_the_page_speaks_spanish(app: App, clock: factories.Clock) -> None:
    desk = person(app, clock, "desk@un.example", AccountRole.SECRETARIAT)
    page = desk.get(PAGE, headers={"accept-language": "es-MX,es;q=0.9"}).text
    assert "Crear una declaración" in page and "Copresidencia 1" in page
    assert "Europe/Brussels" in page  # the zones offered
