"""What a party code, a declaration slug, a user name and a time zone may be: one grammar, checked at the edge.

Identifiers become folder and file names, URL segments, event actors and mail headers, so they follow a rule (as
git's check-ref-format does for refs) instead of being escaped everywhere they are used:

    party code   [A-Z][A-Z0-9-]{1,15}          ES, BO, MX, EU-27   (ISO 3166 alpha-2 and alpha-3 codes fit)
    slug         [a-z0-9][a-z0-9-]{0,62}       eu-celac-2026       (lowercase ASCII: no two differ only by case,
                                                                    no homoglyph, safe on macOS, Windows and SMB)
    user name    1-64 letters, digits, spaces and . ' - _ (any script, NFC); no control or invisible character
    time zone    a name the IANA database knows (zoneinfo): Europe/Brussels, America/Mexico_City, UTC
    language     a BCP 47 primary language subtag that ISO 639-1 assigns: en, es, pt, fr, nl (lowercase)

Reserved words (``secretariat``, ``accord``, ``system`` ... and the device names Windows keeps, ``CON``, ``NUL``,
``COM1`` ...) are refused as codes and slugs in any case: a party coded SECRETARIAT would look like the system actor.
Each check returns the value or raises ``InvalidInput`` naming the value and the rule.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo

from drafting.errors import InvalidInput

CODE_RULE = "an uppercase letter, then 1-15 uppercase letters, digits or '-' (e.g. MX, ES, EU-27)"
SLUG_RULE = "a lowercase letter or digit, then up to 62 lowercase letters, digits or '-' (e.g. eu-celac-2026)"
USER_RULE = "1-64 letters, digits, spaces or . ' - _, with no control or invisible character"

_CODE = re.compile(r"[A-Z][A-Z0-9-]{1,15}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_USER_PUNCTUATION = frozenset(" .'-_")
_USER_MAX = 64

RESERVED = frozenset(
    {
        "accord",
        "admin",
        "all",
        "root",
        "secretariat",
        "system",
        "none",
        "null",
        # device names Windows refuses as file names, whatever the extension
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{n}" for n in range(10)),
        *(f"lpt{n}" for n in range(10)),
    }
)


def party_code(value: str, *, where: str = "party code") -> str:
    """The party code ``value`` if it follows CODE_RULE and is not reserved; else InvalidInput."""
    if not _CODE.fullmatch(value):
        raise InvalidInput(f"{where} {shown(value)} is not a party code: it must be {CODE_RULE}")
    _not_reserved(value, where)
    return value


# ISO 639-1: the two-letter codes BCP 47 uses as primary language subtags (three-letter ones are not needed here);
# declarations and the concordance (drafting.concordance.language_code) both check against it
LANGUAGE_CODES = frozenset(
    """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv
ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne
ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st
su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split()
)


def language(value: str, *, where: str = "language") -> str:
    """The language code ``value`` if it is a BCP 47 primary subtag ISO 639-1 assigns (lowercase); else
    InvalidInput."""
    if value not in LANGUAGE_CODES:
        hint = f"; did you mean {value.lower()!r}?" if value.lower() in LANGUAGE_CODES else ""
        raise InvalidInput(
            f"{where} {shown(value)} is not a language code: give a BCP 47 primary language subtag "
            f"such as en, es, pt or fr{hint}"
        )
    return value


def slug(value: str, *, where: str = "slug") -> str:
    """The declaration slug ``value`` if it follows SLUG_RULE and is not reserved; else InvalidInput."""
    if not _SLUG.fullmatch(value):
        raise InvalidInput(
            f"{where} {shown(value)} is not a declaration slug: it must be {SLUG_RULE}"
        )
    _not_reserved(value, where)
    return value


def user_name(value: str, *, where: str = "user name") -> str:
    """The user name ``value`` in NFC if it follows USER_RULE; else InvalidInput."""
    name = unicodedata.normalize("NFC", value)
    allowed = all(c.isalnum() or c in _USER_PUNCTUATION for c in name)
    if not name.strip() or len(name) > _USER_MAX or not allowed or name != name.strip():
        raise InvalidInput(f"{where} {shown(value)} is not a user name: it must be {USER_RULE}")
    return name


def time_zone(value: str, *, where: str = "--timezone") -> str:
    """The IANA time zone ``value`` if zoneinfo knows it; else InvalidInput."""
    try:
        valid = (
            bool(value)
            and value.isascii()
            and "\x00" not in value
            and zoneinfo.ZoneInfo(value) is not None
        )
    except (ValueError, zoneinfo.ZoneInfoNotFoundError, OSError):
        valid = False
    if not valid:
        raise InvalidInput(
            f"{where} {shown(value)} is not a time zone: give an IANA name such as Europe/Brussels, "
            "America/Mexico_City or UTC"
        )
    return value


def shown(value: str, limit: int = 40) -> str:
    """``value`` quoted for a one-line message: controls and invisible characters as ⟨U+XXXX⟩, cut at ``limit``."""
    visible = "".join(
        c if c.isprintable() and c != "\u00a0" else f"⟨U+{ord(c):04X}⟩" for c in value[:limit]
    )
    return repr(visible) + ("..." if len(value) > limit else "")


def _not_reserved(value: str, where: str) -> None:
    if value.casefold() in RESERVED:
        raise InvalidInput(
            f"{where} {shown(value)} is a reserved word (accord uses it itself); choose another"
        )


REASON_LIMIT = (
    2000  # characters: a paragraph of explanation; the record is not the place for a memorandum
)


def reason(value: str, *, where: str = "--reason") -> str:
    """A reason given for the record, stripped: not empty, at most REASON_LIMIT characters, no control character
    other than a line break or tab; else InvalidInput."""
    text = unicodedata.normalize("NFC", value.strip())
    if not text:
        raise InvalidInput(f"{where} is empty; say why (it goes into the record)")
    if len(text) > REASON_LIMIT:
        raise InvalidInput(
            f"{where} has {len(text):,} characters, more than {REASON_LIMIT:,}; say it shorter and "
            "send the rest as a document"
        )
    if not all(c.isprintable() or c in "\n\t" for c in text):
        bad = next(c for c in text if not (c.isprintable() or c in "\n\t"))
        raise InvalidInput(
            f"{where} holds the control or invisible character U+{ord(bad):04X}; retype it"
        )
    return text
