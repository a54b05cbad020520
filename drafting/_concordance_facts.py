"""What must agree between two language versions of one paragraph, read in each language's own conventions.

A paragraph's *facts* are its numbers (years, ordinals, amounts with their scale: "EUR 45 billion" and
"45.000 millones de euros" are both 45 000 000 000), percentages ("50 %", "50 per cent", "50 por ciento"),
document symbols ("A/RES/70/1", "S/2024/12", "resolution 64/292"), URLs and quoted names ("…", «…», "…").
Its *label* is the numbering it starts with ("3.", "(a)", "II.").

Numbers are read with the language's separators first (English 1,000.5; Spanish, French, Portuguese... 1.000,5 or
1 000,5) and, where that reading is impossible or the text is ambiguous, with the other convention too: a Spanish
text from Mexico writes 1,000.5. A number matches if any of its readings does. Digits are found inside words
("Agenda2030", "post-2015"). Number words ("veintisiete", "third", "XXI") only stand in for digits that the other
language writes and this one does not, so "the 3rd Conference" / "la Tercera Conferencia" agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NUMBER, PERCENTAGE, SYMBOL, URL, QUOTED = "number", "percentage", "symbol", "URL", "quoted name"

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”«»]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?)]’'"
_SYMBOL = re.compile(r"(?<![\w/.])(?:[A-Z][A-Za-z]*(?:\.\d+)?|\d+)(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+")
_LABEL = re.compile(r"\s*(?:(\d{1,3})[.)]|\(([a-z]{1,4})\)|([a-z])[.)]|([IVXLC]{1,6})[.)])\s")
_SPACE_GROUP = "[ \u00a0\u202f\u2009]"
_NUMBER = re.compile(
    rf"(?<!\d)(?:\d{{1,3}}(?:{_SPACE_GROUP}\d{{3}})+(?:,\d+)?(?![\d.,]\d)|\d+(?:[.,]\d+)*)(?!\d)"
)
_PERCENT = re.compile(
    r"\s*(?:%|per\s?cent\b|percent\b|por\s+ciento\b|por\s+cien\b|por\s+cento\b|pour\s+cent\b|pour\s?cent\b)",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th|\.?[ºª°]|er|re|e|ème)\b", re.IGNORECASE)
_SCALES = [  # longest first: "mil millones" before "mil"
    (re.compile(r"\s+mil\s+millones\b", re.IGNORECASE), Decimal(10) ** 9),
    (re.compile(r"\s+(?:millardos?|milliards?|billion|bn)\b", re.IGNORECASE), Decimal(10) ** 9),
    (re.compile(r"\s+(?:billones|billón|billon|trillion)\b", re.IGNORECASE), Decimal(10) ** 12),
    (
        re.compile(r"\s+(?:millions?|millones|millón|millon|milhões|milhão)\b", re.IGNORECASE),
        Decimal(10) ** 6,
    ),
    (re.compile(r"\s+(?:thousand|mil)\b", re.IGNORECASE), Decimal(10) ** 3),
]
_YEARS = re.compile(r"(?:1[89]|2[01])\d\d/(?:\d\d|(?:1[89]|2[01])\d\d)")
_RANGE_END = re.compile(
    r"(?<!\d)(1[89]|2[01])(\d\d)\s?[-‐–—/]\s?$"
)  # "2015-" before a two-digit year
_QUOTES = re.compile(r"“([^“”]+)”|«([^«»]+)»|\"([^\"]+)\"|„([^„“”]+)[“”]|(?<!\w)‘([^‘’]+)’(?!\w)")
# languages that write 1,000.5; every other one is read as writing 1.000,5 (and 1 000,5)
POINT_DECIMAL = frozenset({"en", "zh", "ja", "ko", "he", "th", "ms", "ga", "mt", "hi"})


@dataclass(frozen=True)
class Fact:
    """One thing in a paragraph that its translation must carry over."""

    kind: str  # NUMBER, PERCENTAGE, SYMBOL, URL or QUOTED
    text: str  # as written
    start: int  # offsets in the paragraph's text
    end: int
    values: tuple[
        str, ...
    ]  # what it may stand for, likeliest first (a number may be read two ways)

    @property
    def described(self) -> str:
        """'year 2030', 'percentage 27 per cent', 'symbol A/RES/70/1'."""
        year = self.text.isdigit() and re.fullmatch(r"1[89]\d\d|2[01]\d\d", self.values[0])
        kind = "year" if self.kind == NUMBER and year else self.kind
        return f"{kind} {self.text}"


def label_of(text: str) -> tuple[str, str]:
    """The numbering a paragraph starts with, as written ("3.") and as compared ("3"); ("", "") if none."""
    match = _LABEL.match(text)
    if not match:
        return "", ""
    number, letters, letter, roman = match.groups()
    compared = number or roman or f"({letters or letter})"
    return match.group().strip(), compared


def facts(text: str, language: str) -> list[Fact]:
    """The facts of one paragraph in ``language``, in reading order (its label excluded)."""
    found, masked = _links_and_symbols(text)
    label = _LABEL.match(masked)
    if label:
        masked = " " * label.end() + masked[label.end() :]
    found += _numbers(text, masked, language)
    found += [_quoted(m) for m in _QUOTES.finditer(text)]
    return sorted(found, key=lambda f: (f.start, f.kind))


def _links_and_symbols(text: str) -> tuple[list[Fact], str]:
    """The paragraph's URLs and document symbols, and its text with them blanked out (so that their digits are
    not read as numbers)."""
    found: list[Fact] = []
    masked = text
    for kind, pattern in ((URL, _URL), (SYMBOL, _SYMBOL)):
        for match in pattern.finditer(masked):
            written = match.group().rstrip(_URL_TAIL if kind == URL else ".-")
            if kind == SYMBOL and (
                not any(c.isdigit() for c in written) or _YEARS.fullmatch(written)
            ):
                continue  # "EU/CELAC" is no symbol; "2020/21" and "2020/2021" are years
            end = match.start() + len(written)
            value = written.lower() if kind == URL else written
            found.append(Fact(kind, written, match.start(), end, (value,)))
            masked = masked[: match.start()] + " " * len(written) + masked[end:]
    return found, masked


def _quoted(match: re.Match[str]) -> Fact:
    inner = next(g for g in match.groups() if g is not None)
    return Fact(
        QUOTED, match.group(), match.start(), match.end(), (" ".join(inner.split()).casefold(),)
    )


def _numbers(text: str, masked: str, language: str) -> list[Fact]:
    found = []
    for match in _NUMBER.finditer(masked):
        readings = _readings(match.group(), language)
        if readings:
            found.append(_number(text, masked, match, _with_century(masked, match, readings)))
    return found


def _with_century(masked: str, match: re.Match[str], readings: tuple[str, ...]) -> tuple[str, ...]:
    """A two-digit year closing a range takes the century of the range's start: "2015-30" is also 2030."""
    if len(match.group()) != 2:
        return readings
    century = _RANGE_END.search(masked, max(0, match.start() - 8), match.start())
    if century and int(century.group(2)) < int(match.group()):
        return (century.group(1) + match.group(), *readings)
    return readings


def _number(text: str, masked: str, match: re.Match[str], readings: tuple[str, ...]) -> Fact:
    """A number as a percentage ("50 per cent"), or with its scale ("45 billion") or ordinal suffix ("3rd")."""
    after = masked[match.end() :]
    percent = _PERCENT.match(after)
    if percent:
        end = match.end() + len(percent.group())
        return Fact(PERCENTAGE, text[match.start() : end], match.start(), end, readings)
    scale, end = _scale(after)
    ordinal = (
        _ORDINAL.match(after) if "." not in match.group() and "," not in match.group() else None
    )
    if ordinal and scale == 1:
        end = len(ordinal.group())
    values = tuple(dict.fromkeys(_plain(Decimal(r) * scale) for r in readings))
    stop = match.end() + end
    return Fact(NUMBER, text[match.start() : stop], match.start(), stop, values)


def _scale(after: str) -> tuple[Decimal, int]:
    for pattern, factor in _SCALES:
        match = pattern.match(after)
        if match:
            return factor, len(match.group())
    return Decimal(1), 0


def _readings(written: str, language: str) -> tuple[str, ...]:
    """The values a number may stand for: in the language's convention first, then in the other one."""
    plain = re.sub(_SPACE_GROUP, "", written)
    if language in POINT_DECIMAL:
        conventions = [(",", "."), (".", ",")]
    else:
        conventions = [(".", ","), (",", ".")]
    values = (_read(plain, group, decimal) for group, decimal in conventions)
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _read(written: str, group: str, decimal: str) -> str | None:
    whole, _, fraction = written.partition(decimal)
    if group in fraction or decimal in fraction:
        return None
    head, *groups = whole.split(group)
    if groups and (not 1 <= len(head) <= 3 or any(len(g) != 3 for g in groups)):
        return None
    try:
        return _plain(Decimal(head + "".join(groups) + ("." + fraction if fraction else "")))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """A number's one spelling: 1000, 1.5, 45000000000."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split()
)
_EN_FIRSTS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
)
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ES_UNITS = (
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis "
    "veintisiete veintiocho veintinueve".split()
)
_ES_TENS = "treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
_ES_FIRSTS = [
    ("primero primera primer primeros primeras", 1),
    ("segundo segunda", 2),
    ("tercero tercera tercer", 3),
    ("cuarto cuarta", 4),
    ("quinto quinta", 5),
    ("sexto sexta", 6),
    ("séptimo séptima", 7),
    ("octavo octava", 8),
    ("noveno novena", 9),
    ("décimo décima", 10),
    ("undécimo undécima", 11),
    ("duodécimo duodécima", 12),
]
_ES_ORDINAL_TENS = (
    "vigésimo trigésimo cuadragésimo quincuagésimo sexagésimo septuagésimo octogésimo nonagésimo"
)


def _words() -> dict[str, dict[str, int]]:
    return {"en": _english_words(), "es": _spanish_words()}


def _english_words() -> dict[str, int]:
    """English number words, cardinal and ordinal, up to a hundred: "twenty-one", "twenty-first"."""
    en = {w: i for i, w in enumerate(_EN_UNITS)} | {w: i + 1 for i, w in enumerate(_EN_FIRSTS)}
    for t, ten in enumerate(_EN_TENS, start=2):
        en |= {ten: 10 * t, ten[:-1] + "ieth": 10 * t}
        en |= {f"{ten}-{u}": 10 * t + i for i, u in enumerate(_EN_UNITS[1:10], start=1)}
        en |= {f"{ten}-{f}": 10 * t + i for i, f in enumerate(_EN_FIRSTS[:9], start=1)}
    return en | {"hundred": 100, "hundredth": 100}


def _spanish_words() -> dict[str, int]:
    """Spanish number words, cardinal and ordinal (both genders), up to a hundred."""
    es = {w: i for i, w in enumerate(_ES_UNITS)} | {"cien": 100, "centésimo": 100, "centésima": 100}
    es |= {w: v for words, v in _ES_FIRSTS for w in words.split()}
    for t, ten in enumerate(_ES_TENS, start=3):
        es |= {ten: 10 * t} | {
            f"{ten} y {u}": 10 * t + i for i, u in enumerate(_ES_UNITS[1:10], start=1)
        }
    for t, ten in enumerate(_ES_ORDINAL_TENS.split(), start=2):
        for stem in (ten, ten[:-1] + "a"):
            es |= {stem: 10 * t} | {
                f"{stem} {w}": 10 * t + v for words, v in _ES_FIRSTS[:9] for w in words.split()
            }
    return es


_WORDS = _words()
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # words, hyphenated ones whole ("twenty-one")
_ROMAN = re.compile(
    r"(?=[MDCLXVI]{2,}$)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
)
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def number_words(text: str, language: str) -> list[str]:
    """The numbers a paragraph writes in words ("veintisiete", "treinta y uno", "third") or Roman numerals ("XXI"),
    as values, a percentage's ("cincuenta por ciento") marked "%50"; one look-up a word (the longest of three, two
    or one words first)."""
    words = _WORDS.get(language, {})
    tokens = list(_TOKEN.finditer(text))
    found, i = [], 0
    while i < len(tokens):
        size = _words_at(tokens, i, words)
        value = words[_joined(tokens[i : i + size])] if size else None
        if value is None and _ROMAN.fullmatch(tokens[i].group()):
            value, size = _roman(tokens[i].group()), 1
        if value is not None:
            percent = _PERCENT.match(text, tokens[i + size - 1].end())
            found.append(f"%{value}" if percent else str(value))
        i += size or 1
    return found


def _words_at(tokens: list[re.Match[str]], i: int, words: dict[str, int]) -> int:
    """How many tokens from ``i`` spell one number (the longest of three, two or one), 0 for none."""
    size = next(
        (n for n in (3, 2, 1) if i + n <= len(tokens) and _joined(tokens[i : i + n]) in words), 0
    )
    if size and i and _joined(tokens[i - 1 : i + 1]) in ("por cien", "per cent"):
        return 0  # the end of "cincuenta por cien", not a hundred
    return size


def _joined(tokens: list[re.Match[str]]) -> str:
    return " ".join(t.group() for t in tokens).casefold()


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
