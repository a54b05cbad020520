"""Party codes, slugs, user names, time zones and reasons follow one grammar (drafting/identifiers.py)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting import identifiers
from drafting.errors import InvalidInput

_PATH_UNSAFE = re.compile(r"[/\\.\x00-\x1f\s]")


@given(st.text(max_size=24))
def test_an_accepted_party_code_is_a_safe_file_name(value: str) -> None:
    try:
        code = identifiers.party_code(value)
    except InvalidInput as refused:
        assert str(refused).startswith("party code ") and "\n" not in str(refused)
        return
    assert code.isascii() and code == code.upper() and not _PATH_UNSAFE.search(code)
    assert code.casefold() not in identifiers.RESERVED


@given(st.text(max_size=70))
def test_an_accepted_slug_is_lowercase_ascii_so_no_two_differ_only_by_case(value: str) -> None:
    try:
        slug = identifiers.slug(value)
    except InvalidInput as refused:
        assert "is not a declaration slug" in str(refused) or "reserved word" in str(refused)
        assert "\n" not in str(refused)
        return
    assert (
        slug.isascii()
        and slug == slug.lower()
        and not _PATH_UNSAFE.search(slug)
        and len(slug) <= 63
    )


@given(st.text(max_size=80))
def test_an_accepted_user_name_has_no_control_or_invisible_character(value: str) -> None:
    try:
        name = identifiers.user_name(value)
    except InvalidInput as refused:
        assert "is not a user name" in str(refused) and "\n" not in str(refused)
        return
    assert name == unicodedata.normalize("NFC", name) and 0 < len(name) <= 64
    assert all(unicodedata.category(c)[0] != "C" for c in name)


@pytest.mark.parametrize("value", ["ES", "BO", "MX", "EU-27", "VC", "P0", "CELAC"])
def test_iso_and_bloc_codes_are_party_codes(value: str) -> None:
    assert identifiers.party_code(value) == value


@pytest.mark.parametrize(
    "value, why",
    [
        ("secretariat", "is not a party code"),
        ("SECRETARIAT", "reserved word"),
        ("Accord", "is not a party code"),
        ("ACCORD", "reserved word"),
        ("NUL", "reserved word"),
        ("COM1", "reserved word"),
        ("M", "is not a party code"),
        ("mx", "is not a party code"),
        ("../X", "is not a party code"),
        ("MX\n", "is not a party code"),
        ("Ｍ Ｘ", "is not a party code"),
        ("MХ", "is not a party code"),  # fullwidth; a Cyrillic Х
    ],
)
def test_reserved_and_malformed_codes_are_refused_naming_value_and_rule(
    value: str, why: str
) -> None:
    with pytest.raises(InvalidInput, match=why) as refused:
        identifiers.party_code(value)
    assert "\n" not in str(refused.value) and identifiers.shown(value) in str(refused.value)


@pytest.mark.parametrize(
    "value",
    [
        "EU-CELAC",
        "eu_celac",
        "eu-celac/../x",
        "еu-celac",  # a Cyrillic е: a homoglyph
        "eu\u200bcelac",
        "-celac",
        "",
        "a" * 64,
        "accord",
        "secretariat",
        "con",
    ],
)
def test_slugs_that_differ_by_case_or_hide_homoglyphs_cannot_exist(value: str) -> None:
    with pytest.raises(InvalidInput, match="slug"):
        identifiers.slug(value)


@pytest.mark.parametrize("value", ["eu-celac", "eu-celac-2026", "un-ga-2025", "a", "0", "demo"])
def test_plain_slugs_pass(value: str) -> None:
    assert identifiers.slug(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "Europe",
        "Europe/Brusels",
        "../../etc/passwd",
        "",
        "UTC\x00",
        "Europe/Brussels\n",
        "/usr/share/zoneinfo/UTC",
    ],
)
def test_unknown_time_zones_are_refused(value: str) -> None:
    """Regression (issue 12, finding 4): `--timezone Europe` was accepted at create and broke `round open`."""
    with pytest.raises(InvalidInput, match="is not a time zone"):
        identifiers.time_zone(value)


@pytest.mark.parametrize(
    "value", ["UTC", "Europe/Brussels", "America/Mexico_City", "America/La_Paz"]
)
def test_iana_time_zones_pass(value: str) -> None:
    assert identifiers.time_zone(value) == value


def test_a_reason_is_limited_and_visible() -> None:
    assert identifiers.reason("  paragraph 12\nneeds work ") == "paragraph 12\nneeds work"
    for value, why in [
        ("", "empty"),
        ("x" * 2001, "more than 2,000"),
        ("ok\u202eko", r"U\+202E"),
        ("a\x00", r"U\+0000"),
    ]:
        with pytest.raises(InvalidInput, match=why):
            identifiers.reason(value)


def test_shown_makes_invisible_characters_visible_on_one_line() -> None:
    assert identifiers.shown("M\u200bX\n\u00a0") == "'M⟨U+200B⟩X⟨U+000A⟩⟨U+00A0⟩'"
    assert identifiers.shown("x" * 50).endswith("...")
