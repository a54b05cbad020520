"""`accord user` and `accord token`: invitations printed once, the account list, disabling, tokens and revocation."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.bootstrap import bootstrap
from flows.portal import accounts
from flows.publish import NullPublisher
from tests import factories
from tests.cli_runner import Accord

SLUG = factories.SLUG


@pytest.fixture
def accord(accord_env: dict[str, str]) -> Accord:
    home = Path(accord_env["ACCORD_HOME"])
    factories.create_declaration(bootstrap(home, publisher=NullPublisher()), n=6)
    return Accord(home)


def test_user_add_prints_a_link_that_accepts_once(accord: Accord) -> None:
    out = accord(
        "user",
        "add",
        "Delegate@Austria.example",
        "--role",
        "delegate",
        "--party",
        "AT",
        "--declaration",
        SLUG,
        "--url",
        "https://portal.example/",
    ).stdout
    link = out.splitlines()[-1]
    assert link.startswith("https://portal.example/invitation/")
    token = link.rsplit("/", 1)[1]
    app = bootstrap(accord.home, publisher=NullPublisher())
    assert (
        accounts.accept(app, token, "a long and unusual passphrase").email
        == "delegate@austria.example"
    )
    listed = accord.json("user", "list")
    assert listed == [
        {
            "email": "delegate@austria.example",
            "role": "delegate",
            "disabled": False,
            "password": True,
            "parties": [f"{SLUG}/AT"],
        }
    ]
    assert (
        accord("user", "disable", "delegate@austria.example").stdout
        == "disabled delegate@austria.example\n"
    )
    assert accord.json("user", "list")[0]["disabled"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "king"], "--role 'king' is not a role"),
        (["--role", "delegate"], "give --party CODE and --declaration SLUG"),
        (["--role", "auditor", "--party", "AT", "--declaration", SLUG], "leave out --party"),
        (["--role", "delegate", "--party", "ZZ", "--declaration", SLUG], "'ZZ' is not a party"),
    ],
)
def test_user_add_refuses_in_one_line(accord: Accord, args: list[str], message: str) -> None:
    assert message in accord.refused("user", "add", "x@example.org", *args)
    assert accord.json("user", "list") == []


def test_a_token_is_printed_once_and_revoked(accord: Accord) -> None:
    result = accord("token", "create", "--party", "ES", "--declaration", SLUG)
    secret = result.stdout.strip()
    assert "not shown again" in result.stderr and len(secret) >= 43
    app = bootstrap(accord.home, publisher=NullPublisher())
    assert accounts.token_principal(app, secret) is not None
    [listed] = accord.json("token", "list")
    assert secret not in str(listed) and listed["party"] == "ES" and listed["revoked_at"] is None
    assert accord("token", "revoke", str(listed["id"])).stdout.startswith(
        f"revoked token {listed['id']} (ES"
    )
    assert accounts.token_principal(app, secret) is None
    assert "token 99 does not exist" in accord.refused("token", "revoke", "99")


def test_disabling_an_unknown_account_is_refused(accord: Accord) -> None:
    assert "nobody@example.org has no account" in accord.refused(
        "user", "disable", "nobody@example.org"
    )
