"""`accord user add|list|disable`, `accord token create|list|revoke` and `accord portal`: the portal's door."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from flows.cli._common import Home, Json, app_for, edge, emit_json

if TYPE_CHECKING:  # imported when a command runs: `accord --help` does not pay for it
    from drafting.access import AccountRole

user_app = typer.Typer(
    help="Portal accounts: invite a person with a role, list the accounts, disable one.",
    no_args_is_help=True,
)
token_app = typer.Typer(
    help="API tokens of a party in a declaration: create one (shown once), list, revoke.",
    no_args_is_help=True,
)

PORTAL_URL_ENV = "ACCORD_PORTAL_URL"
ROLES = "secretariat, co-presidency, delegate, head-of-delegation or auditor"

Party = Annotated[
    str | None,
    typer.Option("--party", help="The party's code (party roles only).", show_default=False),
]
Slug = Annotated[
    str | None,
    typer.Option(
        "--declaration", help="The declaration's slug (party roles only).", show_default=False
    ),
]
Url = Annotated[
    str | None,
    typer.Option(
        "--url",
        help=f"The portal's address as people reach it (default ${PORTAL_URL_ENV} or http://127.0.0.1:8000).",
        show_default=False,
    ),
]


def portal_url(url: str | None) -> str:
    """Where people reach the portal, without a trailing slash."""
    return (url or os.environ.get(PORTAL_URL_ENV) or "http://127.0.0.1:8000").rstrip("/")


@user_app.command("add")
@edge
def add(
    email: str,
    role: Annotated[str, typer.Option("--role", help=f"One of {ROLES}.")],
    party: Party = None,
    declaration: Slug = None,
    url: Url = None,
    home: Home = None,
) -> None:
    """Create an account and print its one-time invitation link (valid 72 hours).

    Example: accord user add delegate@sre.gob.mx --role delegate --party MX --declaration eu-celac
    """
    from flows.portal.accounts import invite

    account_role = _role(role)
    app = app_for(home)
    invitation = invite(app, email, account_role, party=party, declaration=declaration)
    link = f"{portal_url(url)}/invitation/{invitation.token}"
    typer.echo(
        f"invited {invitation.account.email} as {role}; the link works once, until {invitation.expires_at}:"
    )
    typer.echo(link)
    _mail(app, invitation, link)


def _role(role: str) -> AccountRole:
    """The account role named on the command line; InvalidInput when it names none."""
    from drafting.access import AccountRole
    from drafting.errors import InvalidInput

    try:
        return AccountRole(role)
    except ValueError:
        raise InvalidInput(f"--role {role!r} is not a role; give one of {ROLES}") from None


def _mail(app: Any, invitation: Any, link: str) -> None:
    """The invitation mailed when SMTP is set up (otherwise the printed link is all)."""
    from flows.portal.recovery import mail_invitation

    mailed = mail_invitation(app, invitation, link)  # None: no SMTP settings
    if mailed is not None:
        typer.echo(f"mail to {invitation.account.email}: {mailed}")


@user_app.command("list")
@edge
def list_(json: Json = False, home: Home = None) -> None:
    """List the accounts: address, role, parties, whether a password is set, disabled.

    Example: accord user list --json
    """
    with app_for(home).store.reading() as uow:
        rows = [_account_row(a) for a in uow.accounts.all()]
    if json:
        emit_json(rows)
        return
    for row in rows:
        state = "disabled" if row["disabled"] else ("active" if row["password"] else "invited")
        typer.echo(f"{row['email']}\t{row['role']}\t{' '.join(row['parties']) or '-'}\t{state}")


@user_app.command("disable")
@edge
def disable(email: str, home: Home = None) -> None:
    """Disable an account: it can no longer sign in and its sessions end now.

    Example: accord user disable former.delegate@sre.gob.mx
    """
    from flows.portal.accounts import disable as disable_account

    typer.echo(f"disabled {disable_account(app_for(home), email).email}")


@token_app.command("create")
@edge
def create(
    party: Annotated[str, typer.Option("--party", help="The party's code.")],
    declaration: Annotated[str, typer.Option("--declaration", help="The declaration's slug.")],
    home: Home = None,
) -> None:
    """Create an API token for a party in a declaration and print it once (only its hash is kept).

    Example: accord token create --party MX --declaration eu-celac
    """
    from flows.portal.accounts import create_token

    token, secret = create_token(app_for(home), declaration, party)
    typer.echo(
        f"token {token.id} for {party} in {declaration}; keep it now, it is not shown again:",
        err=True,
    )
    typer.echo(secret)


@token_app.command("list")
@edge
def list_tokens(json: Json = False, home: Home = None) -> None:
    """List the API tokens (never their secrets): id, declaration, party, created, revoked.

    Example: accord token list
    """
    with app_for(home).store.reading() as uow:
        rows = [_token_row(t) for t in uow.accounts.tokens()]
    if json:
        emit_json(rows)
        return
    for row in rows:
        typer.echo(
            f"{row['id']}\t{row['declaration']}\t{row['party']}\t{row['created_at']}\t"
            f"{'revoked ' + row['revoked_at'] if row['revoked_at'] else 'active'}"
        )


@token_app.command("revoke")
@edge
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (`accord token list`).")],
    home: Home = None,
) -> None:
    """Revoke an API token: every request with it answers 401 from now on.

    Example: accord token revoke 3
    """
    from flows.portal.accounts import revoke_token

    token = revoke_token(app_for(home), token_id)
    typer.echo(
        f"revoked token {token.id} ({token.membership.party} in {token.membership.declaration})"
    )


@edge
def portal(
    home: Home = None,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8000,
) -> None:
    """Serve the delegations' portal (browser pages and the API under /api/v1) until interrupted.

    Example: accord portal --host 0.0.0.0 --port 8000
    """
    import uvicorn

    from flows.portal.app import create_app, freeze_startup_heap

    typer.echo(
        f"accord portal on http://{host}:{port}/ (API: /api/v1, its OpenAPI: /api/v1/openapi.json)"
    )
    web = create_app(app_for(home))
    freeze_startup_heap()
    uvicorn.run(
        web,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=True,
        server_header=False,
    )


def _account_row(a: Any) -> dict[str, Any]:
    """An account as `accord user list` shows it."""
    return {
        "email": a.email,
        "role": a.role.value,
        "disabled": a.disabled,
        "password": a.has_password,
        "parties": sorted(f"{m.declaration}/{m.party}" for m in a.memberships),
    }


def _token_row(t: Any) -> dict[str, Any]:
    """An API token as `accord token list` shows it (never its secret)."""
    return {
        "id": t.id,
        "declaration": t.membership.declaration,
        "party": t.membership.party,
        "created_at": t.created_at,
        "revoked_at": t.revoked_at,
    }
