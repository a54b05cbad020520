"""The secretariat's page that creates a declaration: title, slug, the zero draft (and its text in a second language),
the parties (a CSV file, or the demo's 60), the two co-presidencies and the time zone, through the use case that
`accord declaration create` runs; the declaration.created event names the account. Every file is hostile: the
request is refused past its limit while it streams in (middleware.UploadLimit), each file again on its own limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from drafting.access import Action
from drafting.errors import AccordError, Forbidden, InvalidInput
from flows.bootstrap import App
from flows.portal import accounts, views
from flows.portal.api import address, portal_app
from flows.portal.one_read import OneReadRoute
from flows.portal.pages import check_csrf, render, signed_in
from flows.portal.timefmt import all_zones
from storage.accounts import Account

router = APIRouter(include_in_schema=False, route_class=OneReadRoute)
PATH = "/new-declaration"  # not under /declarations/: "new" is a valid slug


def body_limit(max_upload_bytes: int, envelope: int) -> int:
    """The most a creation's request may carry: two zero drafts and a parties file, and the form around them."""
    from drafting.parties import MAX_BYTES

    return 2 * max_upload_bytes + MAX_BYTES + envelope


@dataclass(frozen=True)
class Upload:
    """A file of the form, read no further than its limit."""

    name: str
    data: bytes


def _read(file: UploadFile | None, limit: int, what: str) -> Upload | None:
    """The file chosen for a field (None when none was), refused past ``limit`` bytes."""
    if file is None or not file.filename:
        return None
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            f"the {what} is larger than the limit of {limit:,} bytes; send a smaller file"
        )
    return Upload(file.filename, data)


def _parties(uploaded: Upload | None, demo: bool) -> tuple[str, str]:
    """The parties file's text and name: the uploaded CSV, or the demo's (sample) file."""
    from drafting.parties import decode_parties_csv
    from drafting.wordml.gate import display_name
    from flows.demo_parties import parties_csv

    if uploaded is not None and demo:
        raise InvalidInput("give either a parties file or the demo's parties, not both")
    if uploaded is None:
        if not demo:
            raise InvalidInput(
                "no parties: upload a parties file (CSV) or choose the demo's parties"
            )
        return parties_csv(), "parties.csv (demo)"
    name = display_name(uploaded.name)
    if not name.lower().endswith(".csv"):
        raise InvalidInput(f"{name!r} is not a .csv file: upload the parties as CSV UTF-8")
    return decode_parties_csv(uploaded.data, source=name), name


@dataclass(frozen=True)
class _Names:
    """The form's identifiers, checked by their rules."""

    slug: str
    timezone: str
    chairs: list[str]


def _names(fields: dict[str, Any]) -> _Names:
    """The slug, the time zone and the co-presidencies, checked before any file is read."""
    from drafting import identifiers

    slug = identifiers.slug(fields["slug"].strip(), where="the slug")
    timezone = identifiers.time_zone(fields["timezone"].strip() or "UTC", where="the time zone")
    chairs = [
        identifiers.party_code(c.strip().upper(), where="a co-presidency")
        for c in fields["co_presidencies"]
    ]
    return _Names(slug, timezone, chairs)


def _zero_draft(fields: dict[str, Any]) -> Upload:
    """The zero draft's file, once the title is known not to be empty."""
    if not fields["title"].strip():
        raise InvalidInput("the title is empty: give the declaration's title")
    draft: Upload | None = fields["zero_draft"]
    if draft is None:
        raise InvalidInput("no zero draft: choose its Word file (.docx)")
    return draft


def _languages(fields: dict[str, Any]) -> tuple[str, ...]:
    """The zero draft's language, then the translation's when one is given."""
    from drafting.languages import check_languages

    first = fields["language"].strip() or "en"
    given = [first, fields["translation_language"].strip()] if fields["translation"] else [first]
    return check_languages(given, where="the languages")


def create(app: App, acting: views.Acting, fields: dict[str, Any]) -> str:
    """Create the declaration from the form's fields through the CLI's use case; its slug."""
    from drafting.access import check_upload_name
    from flows.usecases.declarations import create_declaration

    names, draft = _names(fields), _zero_draft(fields)
    languages, other = _languages(fields), fields["translation"]
    csv_text, csv_name = _parties(fields["parties"], fields["demo_parties"])
    created = create_declaration(
        app,
        slug=names.slug,
        title=fields["title"].strip(),
        zero_draft=draft.data,
        zero_draft_name=check_upload_name(draft.name),
        parties_csv=csv_text,
        parties_name=csv_name,
        co_presidencies=names.chairs,
        timezone=names.timezone,
        languages=languages[:1],
        translations={languages[1]: (other.data, check_upload_name(other.name))} if other else None,
        accept_warnings=fields["accept_warnings"],
        by=acting.principal.by,
    )
    accounts.log_action(
        app, acting.principal, f"declaration.created {names.slug}", parties=created.parties
    )
    return names.slug


def _form(
    request: Request, account: Account, csrf: str, given: dict[str, Any], problem: str, status: int
) -> Response:
    return render(
        request,
        "new_declaration.html",
        status,
        account=account,
        csrf=csrf,
        given=given,
        problem=problem,
        zones=all_zones(),
    )


def _allowed(request: Request) -> tuple[views.Acting, Account, str]:
    account, csrf = signed_in(request)
    acting = views.allow(
        portal_app(request), account.principal, Action.CREATE, "", address(request)
    )
    return acting, account, csrf


BLANK: dict[str, Any] = {
    "title": "",
    "slug": "",
    "language": "en",
    "translation_language": "es",
    "timezone": "UTC",
    "co_presidencies": ["", ""],
    "demo_parties": False,
    "accept_warnings": False,
}


@router.get(PATH, response_class=HTMLResponse)
def new_declaration(request: Request) -> Response:
    """The form that creates a declaration (the secretariat only)."""
    _, account, csrf = _allowed(request)
    return _form(request, account, csrf, BLANK, "", 200)


Text = Annotated[str, Form()]
Optional = Annotated[UploadFile | None, File()]


@router.post(PATH, response_class=HTMLResponse)
def create_page(
    request: Request,
    csrf: Text = "",
    title: Text = "",
    slug: Text = "",
    language: Text = "en",
    translation_language: Text = "es",
    timezone: Text = "UTC",
    co_presidency_1: Text = "",
    co_presidency_2: Text = "",
    demo_parties: Text = "",
    accept_warnings: Text = "",
    zero_draft: Optional = None,
    translation: Optional = None,
    parties: Optional = None,
) -> Response:
    """Create it; the dashboard of the new declaration, or the form again saying why not."""
    from drafting.parties import MAX_BYTES

    acting, account, expected = _allowed(request)
    check_csrf(expected, csrf)
    app = portal_app(request)
    given = {
        "title": title,
        "slug": slug,
        "language": language,
        "translation_language": translation_language,
        "timezone": timezone,
        "co_presidencies": [co_presidency_1, co_presidency_2],
        "demo_parties": bool(demo_parties),
        "accept_warnings": bool(accept_warnings),
    }
    limit = app.settings.limits.max_upload_bytes
    try:
        created = create(
            app,
            acting,
            given
            | {
                "zero_draft": _read(zero_draft, limit, "zero draft"),
                "translation": _read(translation, limit, "second language's zero draft"),
                "parties": _read(parties, MAX_BYTES, "parties file"),
            },
        )
    except Forbidden:
        raise
    except AccordError as error:
        from flows.portal.app import status_of

        return _form(request, account, expected, given, str(error), status_of(error))
    return RedirectResponse(f"/declarations/{created}/dashboard", status_code=303)
