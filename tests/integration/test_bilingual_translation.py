"""The translation step (issue 15): the translator's upload aligns the pending paragraphs (refused when it changes
another, or comes from another role), a version circulated with translation pending says so, a translation service
drafts the pending paragraphs, and the translator's page in the portal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from flows.bootstrap import App
from tests.bilingual_fixtures import (
    SLUG,
    accord,  # noqa: F401 (a fixture)
    margins,
    revised,  # noqa: F401 (a fixture)
    round_in_two_languages,  # noqa: F401 (a fixture)
    translator_file,
)
from tests.cli_runner import Accord


def test_a_translation_aligns_the_pending_paragraphs_and_then_the_version_circulates(
    revised: Accord, tmp_path: Path
) -> None:
    accord = revised
    versions = accord.home / "declarations" / SLUG / "versions"
    assert "Translation pending: en 21; es 21" in margins(versions / "Rev.1.es.docx")
    aligned = accord(
        "align", SLUG, code=1
    ).stdout  # accord align reads the model's texts and what is pending
    assert "48 paragraphs: 47 aligned, 0 mismatch, 1 translation pending" in aligned
    accord("approve", SLUG, "--party", "ES")
    assert "translation pending: en 21; es 21" in accord.refused("approve", SLUG, "--party", "BO")
    done = accord(
        "translate",
        SLUG,
        "--language",
        "es",
        str(
            translator_file(
                accord, tmp_path, "Rev.1.es.docx", {21: "con las comunidades (traducido)"}
            )
        ),
        "--role",
        "translator",
    ).stdout
    assert "Rev.1 in es: paragraph(s) 21 aligned; Translation pending: en 21" in done
    done = accord(
        "translate",
        SLUG,
        "--language",
        "en",
        str(translator_file(accord, tmp_path, "Rev.1.docx", {21: "with communities (translated)"})),
    ).stdout
    assert "every language aligned" in done
    assert (
        "48 paragraphs: 48 aligned, 0 mismatch, 0 translation pending"
        in accord("align", SLUG).stdout
    )
    assert "circulated" in accord("approve", SLUG, "--party", "BO").stdout
    assert "Translation pending" not in margins(versions / "Rev.1.es.docx")
    log = accord.json("log", SLUG)
    assert [e["actor"] for e in log if e["type"] == "accord.version.translated"] == [
        "translator",
        "translator",
    ]
    accord("verify", SLUG)
    assert "replayed byte for byte" in accord("replay", SLUG).stdout


def test_a_translation_that_changes_a_paragraph_not_pending_is_refused_naming_it(
    revised: Accord, tmp_path: Path
) -> None:
    upload = translator_file(
        revised, tmp_path, "Rev.1.es.docx", {21: "traducido", 30: "y algo más"}
    )
    error = revised.refused("translate", SLUG, "--language", "es", str(upload))
    assert (
        "paragraph 30 differs from Rev.1 in es but its translation is not pending (pending: 21)"
        in error
    )
    assert not [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.translated"]


def test_only_the_translator_uploads_a_translation(revised: Accord, tmp_path: Path) -> None:
    upload = translator_file(revised, tmp_path, "Rev.1.es.docx", {21: "traducido"})
    assert "may not upload a translation" in revised.refused(
        "translate", SLUG, "--language", "es", str(upload), "--role", "delegate"
    )


def test_circulated_with_translation_pending_every_document_says_so(revised: Accord) -> None:
    revised("approve", SLUG, "--party", "ES")
    out = revised("approve", SLUG, "--party", "BO", "--pending-translation").stdout
    assert "circulated (Translation pending: en 21; es 21)" in out
    approval = [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.approved"][-1]
    assert approval["payload"]["pending_translation"] is True
    revised("round", "open", SLUG)
    outbox = revised.home / "declarations" / SLUG / "outbox"
    assert "Translation pending: en 21; es 21" in margins(
        outbox / "BO" / f"{SLUG}-Rev.1-BO.es.docx"
    )
    assert "Translation pending: en 21; es 21" in margins(outbox / "AT" / f"{SLUG}-Rev.1-AT.docx")
    assert "replayed byte for byte" in revised("replay", SLUG).stdout


# --- a translation-service hook (issue 15 item 8): an interface, no implementation shipped ---------------------


class _Marking:
    """A stand-in translation service: each paragraph followed by a marker saying from what into what."""

    def __init__(self) -> None:
        self.asked: list[tuple[list[str], str, str]] = []

    def translate(self, paragraphs: list[str], source: str, target: str) -> list[str]:
        self.asked.append((list(paragraphs), source, target))
        return [f"{text} (de {source} a {target})" for text in paragraphs]


def test_without_a_translation_service_a_draft_is_refused(revised: Accord, tmp_path: Path) -> None:
    error = revised.refused(
        "translate", SLUG, "--language", "es", "--draft", str(tmp_path / "draft.docx")
    )
    assert "no translation service is configured (accord ships none" in error
    assert not (tmp_path / "draft.docx").exists()
    assert "give the translated .docx, or --draft OUT.docx" in revised.refused(
        "translate", SLUG, "--language", "es"
    )


def test_a_translation_service_drafts_the_pending_paragraphs_for_the_translator(
    revised: Accord, tmp_path: Path
) -> None:
    """The service is asked for the pending paragraph only (21, from the English text); its draft, as tracked
    changes on Rev.1.es.docx, is accepted by `accord translate` and aligns paragraph 21 in Spanish."""
    from drafting.documents import body_texts
    from drafting.wordml.reader import read_docx
    from flows.adapters import Translator
    from flows.bootstrap import bootstrap
    from flows.usecases.translate import draft_translation

    service = _Marking()
    assert isinstance(service, Translator)
    app = bootstrap(revised.home, translator=service)
    try:
        made = draft_translation(app, SLUG, language="es", out=tmp_path / "draft.es.docx")
    finally:
        app.store.engine.dispose()
    assert made.paragraphs == ["21"] and made.version == "Rev.1"
    [(asked, source, target)] = service.asked
    assert (
        (source, target) == ("en", "es")
        and len(asked) == 1
        and asked[0].endswith("with communities")
    )
    texts = body_texts(read_docx((tmp_path / "draft.es.docx").read_bytes(), name="draft.es.docx"))
    assert texts[20] == f"{asked[0]} (de en a es)"
    done = revised("translate", SLUG, "--language", "es", str(tmp_path / "draft.es.docx")).stdout
    assert "Rev.1 in es: paragraph(s) 21 aligned; Translation pending: en 21" in done


# --- the translator's page in the portal ----------------------------------------------------------------------


def _translator_client(accord: Accord) -> tuple[App, TestClient, str]:
    """A translator account signed in to the portal on ``accord``'s home: (the app, a TestClient, its ``by``)."""
    from drafting.access import AccountRole
    from flows.bootstrap import bootstrap
    from flows.portal import accounts
    from flows.portal.app import create_app

    app = bootstrap(accord.home)
    token = accounts.invite(app, "translator@example.org", AccountRole.TRANSLATOR).token
    accounts.accept(app, token, "a long and unusual passphrase")
    signed = accounts.sign_in(app, "translator@example.org", "a long and unusual passphrase")
    assert signed is not None
    found = accounts.session_account(app, signed.cookie)
    assert found is not None
    client = TestClient(create_app(app))
    client.cookies.set("accord_session", signed.cookie)
    return app, client, found[0].principal.by


def _send(client: TestClient, path: Path, language: str) -> Any:
    page = client.get(f"/declarations/{SLUG}/translation")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return client.post(
        f"/declarations/{SLUG}/translation",
        data={"csrf": csrf.group(1), "language": language},
        files={"file": (path.name, path.read_bytes(), docx)},
    )


def test_a_translator_aligns_the_spanish_text_through_the_portal(
    revised: Accord, tmp_path: Path
) -> None:
    app, client, by = _translator_client(revised)
    try:
        own = client.get(f"/declarations/{SLUG}")
        assert f'href="/declarations/{SLUG}/translation"' in own.text
        page = client.get(f"/declarations/{SLUG}/translation")
        assert page.status_code == 200 and "Rev.1" in page.text
        spanish = page.text.split('id="language-es"')[1]
        assert (
            "<td>21</td>" in spanish and "with communities" in spanish
        )  # the English source of paragraph 21
        download = client.get(f"/declarations/{SLUG}/translation/es.docx")
        assert (
            download.status_code == 200
            and download.content
            == (revised.home / "declarations" / SLUG / "versions" / "Rev.1.es.docx").read_bytes()
        )
        done = _send(
            client,
            translator_file(
                revised, tmp_path, "Rev.1.es.docx", {21: "con las comunidades (traducido)"}
            ),
            "es",
        )
    finally:
        app.store.engine.dispose()
    assert done.status_code == 201, done.text
    assert "Rev.1 in es: paragraph(s) 21 aligned." in done.text
    assert "Translation pending: en 21" in done.text
    translated = [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.translated"]
    assert [(e["actor"], e["payload"]["aligned"], e["payload"]["by"]) for e in translated] == [
        ("translator", ["p021"], by)
    ]
    assert by.startswith("account:")
    assert (
        "48 paragraphs: 47 aligned, 0 mismatch, 1 translation pending"
        in revised("align", SLUG, code=1).stdout
    )
    assert "replayed byte for byte" in revised("replay", SLUG).stdout


def test_the_portal_shows_and_logs_a_translation_that_changes_a_paragraph_not_pending(
    revised: Accord, tmp_path: Path
) -> None:
    app, client, by = _translator_client(revised)
    try:
        upload = translator_file(
            revised, tmp_path, "Rev.1.es.docx", {21: "traducido", 30: "y algo más"}
        )
        refused = _send(client, upload, "es")
        with app.store.reading() as uow:
            logged = [row for row in uow.accounts.security_log() if row[1] == "access.refused"]
    finally:
        app.store.engine.dispose()
    assert refused.status_code == 422, refused.text
    said = "paragraph 30 differs from Rev.1 in es but its translation is not pending (pending: 21)"
    assert said in refused.text
    assert [(by in row[4], said in row[4]) for row in logged] == [(True, True)]
    assert not [e for e in revised.json("log", SLUG) if e["type"] == "accord.version.translated"]
