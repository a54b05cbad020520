"""The portal's rules as pure functions: who may do what, passwords, upload names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.access import (
    AccountRole,
    Action,
    Membership,
    Principal,
    authorize,
    check_account_scope,
    check_upload_name,
    display_name,
    password_problem,
)
from drafting.errors import Forbidden, InvalidInput

PARTIES = {"ES": "co-presidency", "BO": "co-presidency", "MX": "delegation", "FR": "delegation"}
SLUG = "eu-celac"


def principal(role: AccountRole, party: str | None = None, declaration: str = SLUG) -> Principal:
    members = frozenset({Membership(declaration, party)}) if party else frozenset()
    return Principal(by="account:1", role=role, memberships=members)


# Expected outcome per (role, party acted for) and action: the party code acted as, None (no party), or Forbidden.
EXPECTED = {
    (AccountRole.DELEGATE, "MX"): {
        Action.VIEW: "MX",
        Action.SUBMIT: "MX",
        Action.LIST_OWN: "MX",
        Action.DECIDE: Forbidden,
        Action.MANAGE_DELEGATES: Forbidden,
        Action.AUDIT: Forbidden,
        Action.TRANSLATE: Forbidden,
        Action.OBJECT: "MX",
        Action.RUN: Forbidden,
        Action.CREATE: Forbidden,
    },
    (AccountRole.HEAD_OF_DELEGATION, "MX"): {
        Action.VIEW: "MX",
        Action.SUBMIT: "MX",
        Action.LIST_OWN: "MX",
        Action.DECIDE: Forbidden,
        Action.MANAGE_DELEGATES: "MX",
        Action.AUDIT: Forbidden,
        Action.TRANSLATE: Forbidden,
        Action.OBJECT: "MX",
        Action.RUN: Forbidden,
        Action.CREATE: Forbidden,
    },
    (AccountRole.CO_PRESIDENCY, "ES"): {
        Action.VIEW: "ES",
        Action.SUBMIT: "ES",
        Action.LIST_OWN: "ES",
        Action.DECIDE: "ES",
        Action.MANAGE_DELEGATES: Forbidden,
        Action.AUDIT: Forbidden,
        Action.TRANSLATE: Forbidden,
        Action.OBJECT: "ES",
        Action.RUN: Forbidden,
        Action.CREATE: Forbidden,
    },
    (AccountRole.SECRETARIAT, None): {
        Action.VIEW: None,
        Action.SUBMIT: Forbidden,
        Action.LIST_OWN: Forbidden,
        Action.DECIDE: Forbidden,
        Action.MANAGE_DELEGATES: Forbidden,
        Action.AUDIT: None,
        Action.TRANSLATE: None,
        Action.OBJECT: Forbidden,
        Action.RUN: None,
        Action.CREATE: None,
    },
    (AccountRole.AUDITOR, None): {
        Action.VIEW: None,
        Action.SUBMIT: Forbidden,
        Action.LIST_OWN: Forbidden,
        Action.DECIDE: Forbidden,
        Action.MANAGE_DELEGATES: Forbidden,
        Action.AUDIT: None,
        Action.TRANSLATE: Forbidden,
        Action.OBJECT: Forbidden,
        Action.RUN: Forbidden,
        Action.CREATE: Forbidden,
    },
    (AccountRole.TRANSLATOR, None): {
        Action.VIEW: None,
        Action.SUBMIT: Forbidden,
        Action.LIST_OWN: Forbidden,
        Action.DECIDE: Forbidden,
        Action.MANAGE_DELEGATES: Forbidden,
        Action.AUDIT: Forbidden,
        Action.TRANSLATE: None,
        Action.OBJECT: Forbidden,
        Action.RUN: Forbidden,
        Action.CREATE: Forbidden,
    },
}


@pytest.mark.parametrize(
    ("role", "party", "action"), [(r, p, a) for (r, p), row in EXPECTED.items() for a in row]
)
def test_the_matrix_of_roles_and_actions(
    role: AccountRole, party: str | None, action: Action
) -> None:
    expected = EXPECTED[(role, party)][action]
    if expected is Forbidden:
        with pytest.raises(Forbidden):
            authorize(principal(role, party), action, SLUG, PARTIES)
    else:
        assert authorize(principal(role, party), action, SLUG, PARTIES) == expected


def test_every_role_and_action_is_in_the_matrix() -> None:
    assert {role for role, _ in EXPECTED} == set(AccountRole)
    assert all(set(row) == set(Action) for row in EXPECTED.values())


@pytest.mark.parametrize("action", [a for a in Action if a is not Action.CREATE])
def test_a_party_acts_in_no_other_declaration(action: Action) -> None:
    mexico = principal(AccountRole.DELEGATE, "MX", declaration="other")
    with pytest.raises(Forbidden, match="does not act for any party to 'eu-celac'"):
        authorize(mexico, action, SLUG, PARTIES)


@pytest.mark.parametrize(
    "role", [AccountRole.DELEGATE, AccountRole.HEAD_OF_DELEGATION, AccountRole.CO_PRESIDENCY]
)
def test_only_the_secretariat_creates_a_declaration(role: AccountRole) -> None:
    with pytest.raises(Forbidden, match="only the secretariat creates declarations"):
        authorize(principal(role, "ES"), Action.CREATE, "", {})
    assert authorize(principal(AccountRole.SECRETARIAT), Action.CREATE, "", {}) is None


def test_a_membership_of_a_party_no_longer_in_the_declaration_gives_nothing() -> None:
    with pytest.raises(Forbidden):
        authorize(principal(AccountRole.DELEGATE, "VE"), Action.VIEW, SLUG, PARTIES)


def test_an_account_calling_itself_a_co_presidency_cannot_decide_for_a_delegation() -> None:
    # Deciding follows the party's role in the declaration, not the account's claim.
    france_as_chair = principal(AccountRole.CO_PRESIDENCY, "FR")
    with pytest.raises(Forbidden, match="only the co-presidencies decide"):
        authorize(france_as_chair, Action.DECIDE, SLUG, PARTIES)


def test_party_roles_need_a_party_and_the_others_none() -> None:
    check_account_scope(AccountRole.DELEGATE, "MX", SLUG)
    check_account_scope(AccountRole.AUDITOR, None, None)
    with pytest.raises(InvalidInput, match="--party CODE and --declaration SLUG"):
        check_account_scope(AccountRole.DELEGATE, "MX", None)
    with pytest.raises(InvalidInput, match="leave out --party"):
        check_account_scope(AccountRole.SECRETARIAT, "MX", SLUG)


def test_passwords() -> None:
    common = frozenset({"password12345", "qwertyuiopas"})
    assert password_problem("short", common) == "a password has at least 12 characters"
    assert (
        password_problem("Password12345", common) is not None
    )  # case does not rescue a common password
    assert password_problem("correct horse battery", common) is None


@given(st.text())
def test_a_display_name_has_no_control_bidi_or_path(name: str) -> None:
    shown = display_name(name)
    assert "/" not in shown and "\\" not in shown
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in shown)
    assert shown == unicodedata.normalize("NFC", shown) or not shown


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("MX.docx", "MX.docx"),
        ("../../etc/MX.docx", "MX.docx"),
        ("C:\\Users\\mx\\Propuesta Me\u0301xico.docx", "Propuesta M\u00e9xico.docx"),  # NFC
        ("MX\u200b.docx", "MX.docx"),
    ],
)
def test_upload_names_that_are_word_files(name: str, shown: str) -> None:
    assert check_upload_name(name) == shown


@pytest.mark.parametrize(
    "name",
    [
        "invoice\u202excod.exe",  # shown as "invoiceexe.docx" by the right-to-left override
        "MX.docx\x00.exe",
        "MX.doc",
        "MX.docx.zip",
        ".docx",
        "",
    ],
)
def test_upload_names_that_are_not(name: str) -> None:
    with pytest.raises(InvalidInput, match="is not a .docx file"):
        check_upload_name(name)
