"""The parties file (CSV code,name,bloc[,email]) and the two co-presidencies."""

from __future__ import annotations

import pytest

from drafting.errors import InvalidInput
from drafting.identifiers import party_code
from drafting.negotiation import Bloc, Role
from drafting.parties import decode_parties_csv, parse_parties_csv, with_co_presidencies
from tests import factories


def test_the_sixty_eu_celac_parties() -> None:
    parties = parse_parties_csv(factories.parties_csv(60))
    assert len(parties) == 60 and len({p.code for p in parties}) == 60
    assert sum(p.bloc == Bloc.EU for p in parties) == 27
    assert sum(p.bloc == Bloc.CELAC for p in parties) == 33
    assert all(p.role == Role.DELEGATION and p.email is None for p in parties)
    by_code = {p.code: p for p in parties}
    assert (
        by_code["MX"].name == "Mexico" and by_code["VC"].name == "Saint Vincent and the Grenadines"
    )


def test_fewer_parties_always_include_the_co_presidencies() -> None:
    codes = [p.code for p in parse_parties_csv(factories.parties_csv(4))]
    assert len(codes) == 4 and {"ES", "BO"} <= set(codes)


def test_optional_email_column() -> None:
    text = "code,name,bloc,email\nUNODC,UN Office on Drugs and Crime,other,desk@example.org\nMX,Mexico,CELAC,\n"
    un, mx = parse_parties_csv(text)
    assert (un.role, un.email, un.bloc) == (Role.DELEGATION, "desk@example.org", Bloc.OTHER)
    assert (mx.role, mx.email) == (Role.DELEGATION, None)


def test_header_and_bloc_are_case_insensitive_and_a_bom_is_ignored() -> None:
    (party,) = parse_parties_csv("\ufeffCode, Name ,BLOC\n MX , Mexico , celac \n")
    assert (party.code, party.name, party.bloc) == ("MX", "Mexico", Bloc.CELAC)


@pytest.mark.parametrize(
    "text, message",
    [
        ("code,name\nMX,Mexico\n", "line 1: missing column(s) bloc"),
        ("code,name,bloc\n", "no parties listed"),
        ("", "line 1: missing column(s) code, name, bloc"),
        (
            "code,name,bloc\nMX,Mexico,CELAC\nMX,Mexico again,CELAC\n",
            "line 3: party code 'MX' appears twice",
        ),
        (
            "code,name,bloc\nMX,Mexico,LatAm\n",
            "line 2: bloc 'LatAm' for MX is not EU, CELAC or other",
        ),
        ("code,name,bloc\n,Mexico,CELAC\n", "line 2: code and name are required"),
        ("code,name,bloc\nMX,,CELAC\n", "line 2: code and name are required"),
    ],
)
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


@pytest.mark.parametrize(
    "codes, message",
    [
        (["ES"], "exactly two co-presidencies"),
        (["ES", "BO", "MX"], "exactly two co-presidencies"),
        (["ES", "ES"], "exactly two co-presidencies"),
        (["ES", "ZZ"], "co-presidency 'ZZ' is not a party in parties.csv"),
    ],
)
def test_co_presidencies_must_be_two_listed_parties(codes: list[str], message: str) -> None:
    parties = parse_parties_csv(factories.parties_csv(6))
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        with_co_presidencies(parties, codes)


@pytest.mark.parametrize(
    "row, column",
    [
        ("X" * 41 + ",Somewhere,other", "code"),
        ("MX," + "M" * 201 + ",CELAC", "name"),
        ("MX,Mexico,CELAC," + "m" * 190 + "@example.org", "email"),
    ],
    ids=["code", "name", "email"],
)
def test_values_longer_than_storage_keeps_are_refused(row: str, column: str) -> None:
    """Regression: PostgreSQL refused such a file with a traceback at `declaration create`; SQLite kept it."""
    with pytest.raises(InvalidInput, match=f"line 2: {column} is longer than"):
        parse_parties_csv("code,name,bloc,email\n" + row + "\n", source="parties.csv")


# Regressions for issue 12, finding 6: the parties file bypassed the rules (each case passed, or ended in a
# traceback, on ba8d25a).
@pytest.mark.parametrize(
    "text, message",
    [
        (
            "code,name,bloc,role\nMX,Mexico,CELAC,co-presidency\n",
            "line 1: unknown column(s) 'role'; roles are given",
        ),
        ("code,name,bloc,notes\nMX,Mexico,CELAC,x\n", "line 1: unknown column(s) 'notes'"),
        ("code,name,bloc,code\nMX,Mexico,CELAC,BO\n", "line 1: column(s) 'code' given twice"),
        (
            "code,name,bloc\nSECRETARIAT,The secretariat,other\n",
            "line 2: party code 'SECRETARIAT' is a reserved word",
        ),
        ("code,name,bloc\nACCORD,Accord,other\n", "line 2: party code 'ACCORD' is a reserved word"),
        ("code,name,bloc\nCON,Console,other\n", "line 2: party code 'CON' is a reserved word"),
        (
            "code,name,bloc\nsecretariat,The secretariat,other\n",
            "line 2: party code 'secretariat' is not a party code",
        ),
        (
            "code,name,bloc\n/tmp/x/ABSOLUTE,Somewhere,other\n",
            "line 2: party code '/tmp/x/ABSOLUTE' is not a party code",
        ),
        (
            "code,name,bloc\n../../../x,Somewhere,other\n",
            "line 2: party code '../../../x' is not a party code",
        ),
        ("code,name,bloc\n..,Somewhere,other\n", "line 2: party code '..' is not a party code"),
        ("code,name,bloc\n.,Somewhere,other\n", "line 2: party code '.' is not a party code"),
        (
            "code,name,bloc\nM\x00X,Somewhere,other\n",
            "line 2: party code 'M⟨U+0000⟩X' is not a party code",
        ),
        (
            'code,name,bloc\n"M\nX",Somewhere,other\n',
            "line 3: party code 'M⟨U+000A⟩X' is not a party code",
        ),
        (
            "code,name,bloc\nM\u200bX,Somewhere,other\n",
            "line 2: party code 'M⟨U+200B⟩X' is not a party code",
        ),
        ("code,name,bloc\nMX,Mexico,CELAC,extra\n", "line 2: 4 fields, the header has 3"),
        (
            "code,name,bloc\nMX,Mex\u202eico,CELAC\n",
            "line 2: name 'Mex⟨U+202E⟩ico' holds a control",
        ),
        (
            "code,name,bloc,email\nMX,Mexico,CELAC,a@b.org\nBcc: x@y.org\n",
            "line 3: code and name are required",
        ),
        ('code,name,bloc,email\nMX,Mexico,CELAC,"a@b.org\nBcc: x@y.org"\n', "line 3: email"),
        (
            "code,name,bloc\n" + "".join(f"P{n},Somewhere,other\n" for n in range(600)),
            "line 502: more than 500 parties",
        ),
    ],
)
def test_the_parties_file_cannot_bypass_the_rules(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_parties_csv(text, source="parties.csv")
    assert message in str(refused.value) and str(refused.value).startswith("parties.csv")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "data, message",
    [
        ("code,name,bloc\nMX,México,CELAC\n".encode("latin-1"), "parties.csv line 2: not UTF-8"),
        ("code,name,bloc\nMX,Mexico,CELAC\n".encode("utf-16"), "parties.csv line 1: not UTF-8"),
        (
            b"code,name,bloc\n" + b"AB,x,other\n" * 30_000,
            "more than a parties file holds (262,144)",
        ),
    ],
)
def test_only_utf8_within_the_size_limit_is_decoded(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode_parties_csv(data, source="parties.csv")


def test_a_utf8_bom_is_tolerated_and_names_keep_their_accents() -> None:
    text = decode_parties_csv(
        "\ufeffcode,name,bloc\nMX,México,CELAC\n".encode(), source="parties.csv"
    )
    (party,) = parse_parties_csv(text)
    assert (party.code, party.name) == ("MX", "México")


def test_the_demo_and_the_sixty_codes_follow_the_grammar() -> None:
    from flows.demo_parties import parties_csv as demo_csv

    for code in [
        p.code for p in parse_parties_csv(demo_csv()) + parse_parties_csv(factories.parties_csv(60))
    ]:
        assert party_code(code) == code
