"""The parties file (CSV code,name,bloc[,role][,email]) and the two co-presidencies."""

from __future__ import annotations

import pytest

from drafting.errors import InvalidInput
from drafting.negotiation import Bloc, Role
from drafting.parties import parse_parties_csv, with_co_presidencies
from tests import factories


def test_the_sixty_eu_celac_parties() -> None:
    parties = parse_parties_csv(factories.parties_csv(60))
    assert len(parties) == 60 and len({p.code for p in parties}) == 60
    assert sum(p.bloc == Bloc.EU for p in parties) == 27
    assert sum(p.bloc == Bloc.CELAC for p in parties) == 33
    assert all(p.role == Role.DELEGATION and p.email is None for p in parties)
    by_code = {p.code: p for p in parties}
    assert by_code["MX"].name == "Mexico" and by_code["VC"].name == "Saint Vincent and the Grenadines"


def test_fewer_parties_always_include_the_co_presidencies() -> None:
    codes = [p.code for p in parse_parties_csv(factories.parties_csv(4))]
    assert len(codes) == 4 and {"ES", "BO"} <= set(codes)


def test_optional_role_and_email_columns() -> None:
    text = "code,name,bloc,role,email\nUN,UNODC,other,secretariat,desk@example.org\nMX,Mexico,CELAC,,\n"
    un, mx = parse_parties_csv(text)
    assert (un.role, un.email, un.bloc) == (Role.SECRETARIAT, "desk@example.org", Bloc.OTHER)
    assert (mx.role, mx.email) == (Role.DELEGATION, None)


def test_header_and_bloc_are_case_insensitive_and_a_bom_is_ignored() -> None:
    (party,) = parse_parties_csv("\ufeffCode, Name ,BLOC\n MX , Mexico , celac \n")
    assert (party.code, party.name, party.bloc) == ("MX", "Mexico", Bloc.CELAC)


@pytest.mark.parametrize("text, message", [
    ("code,name\nMX,Mexico\n", "missing column(s) bloc"),
    ("code,name,bloc\n", "no parties listed"),
    ("", "missing column(s) code, name, bloc"),
    ("code,name,bloc\nMX,Mexico,CELAC\nmx,Mexico again,CELAC\n", "line 3: party code 'mx' appears twice"),
    ("code,name,bloc\nMX,Mexico,LatAm\n", "line 2: bloc 'LatAm' for MX is not EU, CELAC or other"),
    ("code,name,bloc,role\nMX,Mexico,CELAC,observer\n", "role 'observer'"),
    ("code,name,bloc\n,Mexico,CELAC\n", "line 2: code and name are required"),
    ("code,name,bloc\nMX,,CELAC\n", "line 2: code and name are required"),
])
def test_a_bad_file_is_refused_saying_where_and_why(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_parties_csv(text, source="parties.csv")
    assert message in str(refused.value) and str(refused.value).startswith("parties.csv")
    assert "\n" not in str(refused.value)


def test_co_presidencies_are_marked() -> None:
    parties = with_co_presidencies(parse_parties_csv(factories.parties_csv(6)), ["ES", "BO"])
    roles = {p.code: p.role for p in parties}
    assert roles["ES"] == roles["BO"] == Role.CO_PRESIDENCY
    assert [c for c, r in roles.items() if r == Role.CO_PRESIDENCY] == ["ES", "BO"]


@pytest.mark.parametrize("codes, message", [
    (["ES"], "exactly two co-presidencies"),
    (["ES", "BO", "MX"], "exactly two co-presidencies"),
    (["ES", "ES"], "exactly two co-presidencies"),
    (["ES", "ZZ"], "co-presidency 'ZZ' is not a party in parties.csv"),
])
def test_co_presidencies_must_be_two_listed_parties(codes: list[str], message: str) -> None:
    parties = parse_parties_csv(factories.parties_csv(6))
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        with_co_presidencies(parties, codes)


@pytest.mark.parametrize("row, column", [
    ("X" * 41 + ",Somewhere,other", "code"),
    ("MX," + "M" * 201 + ",CELAC", "name"),
    ("MX,Mexico,CELAC,delegation," + "m" * 190 + "@example.org", "email"),
], ids=["code", "name", "email"])
def test_values_longer_than_storage_keeps_are_refused(row: str, column: str) -> None:
    """Regression: PostgreSQL refused such a file with a traceback at `declaration create`; SQLite kept it."""
    with pytest.raises(InvalidInput, match=f"line 2: {column} is longer than"):
        parse_parties_csv("code,name,bloc,role,email\n" + row + "\n", source="parties.csv")
