"""Who may do what in the portal: accounts, API tokens and their roles, as pure rules.

A principal is whoever acts: a signed-in account or an API token. Authorization is decided here, from the principal
and the declaration's parties alone, so the web edge, the API and the tests ask one function the same question.
The rules: a party acts only for itself, in the declarations it belongs to; only co-presidencies decide; the
secretariat runs the rounds; the secretariat's translator uploads translations (issue 15) and reads; an auditor
reads and changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from drafting.errors import Forbidden, InvalidInput
from drafting.wordml.gate import display_name

MIN_PASSWORD_LENGTH = 12
INVITATION_HOURS = 72
SESSION_IDLE_HOURS = 8
MAX_FAILURES = 5  # failed sign-ins per account or per address ...
LOCKOUT_MINUTES = 15  # ... within this window lock that account or address for the window


class AccountRole(StrEnum):
    SECRETARIAT = "secretariat"
    CO_PRESIDENCY = "co-presidency"
    DELEGATE = "delegate"
    HEAD_OF_DELEGATION = "head-of-delegation"
    AUDITOR = "auditor"
    TRANSLATOR = "translator"  # the secretariat's translator: aligns a version's languages


PARTY_ROLES = frozenset(
    {AccountRole.CO_PRESIDENCY, AccountRole.DELEGATE, AccountRole.HEAD_OF_DELEGATION}
)
# Those who open and close rounds or decide sign in with a second factor (TOTP) as well as the password.
SECOND_FACTOR_ROLES = frozenset({AccountRole.SECRETARIAT, AccountRole.CO_PRESIDENCY})
# Who may upload a version's translation: the secretariat's translator, or the secretariat itself.
TRANSLATING_ROLES = frozenset({AccountRole.TRANSLATOR, AccountRole.SECRETARIAT})


class Action(StrEnum):
    VIEW = "view"  # the declaration's round, deadline and the principal's own copy
    SUBMIT = "submit"  # a Word file for its party
    LIST_OWN = "list-own"  # its party's earlier submissions
    DECIDE = "decide"  # accept / reject amendments
    MANAGE_DELEGATES = "manage-delegates"  # add and disable the delegates of its own delegation
    AUDIT = "audit"  # history, verify, the log: read only
    TRANSLATE = (
        "translate"  # a version's text in one of its languages, its pending paragraphs translated
    )
    OBJECT = "object"  # break a silence procedure with a reason, for its own party
    RUN = "run"  # open and close rounds, extend deadlines, remind, start a silence, agree, archive
    CREATE = "create"  # a new declaration with its parties and zero draft: the secretariat only


@dataclass(frozen=True)
class Membership:
    """An account or token acting for one party in one declaration."""

    declaration: str
    party: str


@dataclass(frozen=True)
class Principal:
    """Who acts: ``by`` names it in the log (``account:7``, ``token:3``), never an e-mail address."""

    by: str
    role: AccountRole
    memberships: frozenset[Membership] = field(default_factory=frozenset)

    def party_in(self, declaration: str) -> str | None:
        """The party this principal acts for in a declaration, if any."""
        for membership in sorted(self.memberships, key=lambda m: m.party):
            if membership.declaration == declaration:
                return membership.party
        return None


def authorize(
    principal: Principal, action: Action, declaration: str, party_roles: Mapping[str, str]
) -> str | None:
    """The party code the principal acts as for ``action`` on ``declaration`` (None for the secretariat or an
    auditor reading); Forbidden says why not. ``party_roles`` maps the declaration's party codes to their role."""
    if principal.role in _STAFF:
        _check_staff(principal, action)
        return None
    if action is Action.CREATE:  # no declaration yet: no membership to ask about
        raise Forbidden(
            f"{principal.by} acts for a party: only the secretariat creates declarations"
        )
    party = principal.party_in(declaration)
    if party is None or party not in party_roles:
        raise Forbidden(f"{principal.by} does not act for any party to {declaration!r}")
    return _party_may(principal, action, party, party_roles[party])


_STAFF = (AccountRole.AUDITOR, AccountRole.TRANSLATOR, AccountRole.SECRETARIAT)

# Actions that are the staff's alone, and why a party's delegate may not take them.
_STAFF_ONLY = {
    Action.AUDIT: "the log and the audit are for the secretariat and auditors",
    Action.TRANSLATE: "translations are the secretariat's translator's",
    Action.RUN: "the secretariat runs the rounds",
}


def _check_staff(principal: Principal, action: Action) -> None:
    """Forbidden unless the auditor, the translator or the secretariat may take ``action``."""
    role = principal.role
    if role is AccountRole.AUDITOR and action not in (Action.VIEW, Action.AUDIT):
        raise Forbidden(f"{principal.by} is an auditor: auditors read, they do not {action}")
    if role is AccountRole.TRANSLATOR and action not in (Action.VIEW, Action.TRANSLATE):
        raise Forbidden(
            f"{principal.by} is the secretariat's translator: it translates, it does not {action}"
        )
    secretariat_may = (Action.VIEW, Action.AUDIT, Action.TRANSLATE, Action.RUN, Action.CREATE)
    if role is AccountRole.SECRETARIAT and action not in secretariat_may:
        raise Forbidden(
            f"{principal.by} is the secretariat: it does not {action} for a party; the parties do"
        )


def _party_may(principal: Principal, action: Action, party: str, party_role: str) -> str:
    if action in _STAFF_ONLY:
        raise Forbidden(f"{principal.by} acts for {party}: {_STAFF_ONLY[action]}")
    if action is Action.DECIDE and party_role != "co-presidency":
        raise Forbidden(f"{party} may not decide on amendments: only the co-presidencies decide")
    if action is Action.MANAGE_DELEGATES and principal.role is not AccountRole.HEAD_OF_DELEGATION:
        raise Forbidden(
            f"{principal.by} may not manage {party}'s delegates: only its head of delegation does"
        )
    return party


def check_account_scope(role: AccountRole, party: str | None, declaration: str | None) -> None:
    """A party role needs a party and a declaration; the secretariat and auditors have neither."""
    if role in PARTY_ROLES and not (party and declaration):
        raise InvalidInput(
            f"a {role} account acts for one party: give --party CODE and --declaration SLUG"
        )
    if role not in PARTY_ROLES and (party or declaration):
        raise InvalidInput(
            f"a {role} account acts for no party: leave out --party and --declaration"
        )


def password_problem(password: str, common: Collection[str]) -> str | None:
    """Why a password is refused (too short, or among the most common), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password has at least {MIN_PASSWORD_LENGTH} characters"
    if password.lower() in common:
        return "this password is among the 10,000 most common ones; choose another"
    return None


def check_upload_name(filename: str) -> str:
    """The display name of an upload whose real extension is .docx (the gate's hidden-character rule, then the
    portal's: a name that does not end in .docx is refused too); InvalidInput otherwise."""
    name = display_name(filename)
    if not name.lower().endswith(".docx") or name.lower() == ".docx":
        raise InvalidInput(
            f"{name!r} is not a .docx file: upload the Word file (.docx) of your delegation"
        )
    return name
