"""The translator's page (issue 15): per language of the current version, the paragraphs pending translation into
it with their source text, the version's file in that language, and an upload form that runs `accord translate`.

The secretariat's translator and the secretariat may use it (Action.TRANSLATE); everyone else gets 403. A refused
file is shown on the page with the use case's words and logged in the security log with who sent it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from drafting.access import Action, check_upload_name
from drafting.bilingual import pending_by_language
from drafting.errors import AccordError, Forbidden, NotFound
from flows.bootstrap import App
from flows.portal import accounts
from flows.portal.api import address, portal_app
from flows.portal.chair_pages import signed_in_acting
from flows.portal.one_read import OneReadRoute
from flows.portal.pages import check_csrf, download, render
from flows.portal.views import Acting
from flows.portal.work import DOCX
from storage.accounts import Account

if TYPE_CHECKING:
    from flows.usecases.translate import TranslatedVersion

router = APIRouter(include_in_schema=False, route_class=OneReadRoute)


def pending_translation(app: App, slug: str) -> dict[str, Any]:
    """The current version and, per language, the paragraphs pending translation into it (number, source text)."""
    with app.store.reading() as uow:
        row = uow.repo.declaration(slug)
        version = uow.repo.current_version(row)
        first, content = row.first_language, version.content
        texts = {first: content.text} | {lang: t.text for lang, t in content.translations.items()}
        waiting = pending_by_language(first, content)
        languages = []
        for lang, text in texts.items():
            source = next((other for other in texts if other != lang), lang)
            said = {p.key: p.text for p in texts[source].paragraphs}
            languages.append(
                {
                    "code": lang,
                    "source": source,
                    "pending": [
                        {"number": n, "text": said.get(p.key, "")}
                        for n, p in enumerate(text.paragraphs, start=1)
                        if p.key in waiting.get(lang, [])
                    ],
                }
            )
        return {
            "slug": row.slug,
            "title": row.title,
            "version": {"label": version.label, "state": version.state},
            "languages": languages,
        }


def _page(
    request: Request,
    slug: str,
    account: Account,
    csrf: str,
    *,
    done: dict[str, Any] | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "translation.html",
        status,
        seen=pending_translation(portal_app(request), slug),
        account=account,
        csrf=csrf,
        done=done,
        problem=problem,
    )


@router.get("/declarations/{slug}/translation", response_class=HTMLResponse)
def translation(request: Request, slug: str) -> Response:
    """The paragraphs pending translation, per language, with the files and the upload forms."""
    _, account, csrf = signed_in_acting(request, slug, Action.TRANSLATE)
    return _page(request, slug, account, csrf)


@router.get("/declarations/{slug}/translation/{language}.docx")
def version_file(request: Request, slug: str, language: str) -> Response:
    """The current version's Word file in one of its languages."""
    signed_in_acting(request, slug, Action.TRANSLATE)
    with portal_app(request).store.reading() as uow:
        row = uow.repo.declaration(slug)
        version = uow.repo.current_version(row)
        translations = version.content.translations
        if language == row.first_language:
            blob = version.blob_sha256
        elif language in translations:
            blob = translations[language].blob
        else:
            raise NotFound(
                f"{slug!r} is not negotiated in {language!r}: its languages are {row.languages}"
            )
        data, label = uow.blob(blob), version.label
    return download(f"{slug}-{label}.{language}.docx".replace(" ", "-"), data, DOCX)


def _translated(
    request: Request, slug: str, data: bytes, filename: str, *, language: str, role: str, by: str
) -> TranslatedVersion:
    """Run `accord translate` on the uploaded file as the signed-in account (its role, its name)."""
    from flows.usecases.translate import translate

    name = check_upload_name(filename)
    app = portal_app(request)
    return translate(app, slug, language=language, data=data, filename=name, role=role, by=by)


def _done(result: TranslatedVersion) -> dict[str, Any]:
    """What the page says of an upload that was taken."""
    return {
        "version": result.version,
        "language": result.language,
        "aligned": result.aligned,
        "pending": result.pending,
    }


def _refused(
    request: Request, slug: str, language: str, who: tuple[Acting, Account, str], error: AccordError
) -> Response:
    """The page again with why the file was refused, the refusal logged in the security log with who sent it."""
    from flows.portal.app import status_of

    acting, account, csrf = who
    app = portal_app(request)
    accounts.log_refusal(
        app, acting.principal, f"translate {slug} {language}: {error}", address(request)
    )
    return _page(request, slug, account, csrf, problem=str(error), status=status_of(error))


@router.post("/declarations/{slug}/translation", response_class=HTMLResponse)
def upload(
    request: Request,
    slug: str,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    """Run `accord translate` on the file, as the signed-in account; the page again with what was aligned or why
    the file was refused."""
    acting, account, expected = signed_in_acting(request, slug, Action.TRANSLATE)
    check_csrf(expected, csrf)
    data = file.file.read()
    try:
        result = _translated(
            request,
            slug,
            data,
            file.filename or "",
            language=language,
            role=account.role.value,
            by=acting.principal.by,
        )
    except (Forbidden, NotFound):
        raise
    except AccordError as error:
        return _refused(request, slug, language, (acting, account, expected), error)
    return _page(request, slug, account, expected, status=201, done=_done(result))
