"""Concordance of language versions: one declaration negotiated in several authentic languages, paragraph by paragraph.

``align`` pairs the paragraphs of one version in each language by position. Different paragraph counts or a
different numbering ("3." against "4.") are *errors*: the texts do not align and nothing else can be trusted.
Otherwise each pair is checked for the facts a translation must carry over (drafting/_concordance_facts.py):
each difference is a *finding*, listed in ``warnings``, that the secretariat may accept explicitly. The first
language given is the reference: every other one is compared with it.

Each pair is also checked for its *bracket groups* (``bracket_spans``): the passages the co-presidencies left in
[brackets] must be as many in every language. A difference is a ``bracket`` finding that makes the pair a mismatch
and is never accepted: it is listed in ``brackets``, apart from ``warnings`` (what creation and a translation
record), since no translation may settle it but the text itself.

``untranslated_changes`` tells which paragraphs of a translator's upload changed without being pending.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from drafting._concordance_facts import (
    NUMBER,
    PERCENTAGE,
    QUOTED,
    SYMBOL,
    URL,
    Fact,
    facts,
    label_of,
    number_words,
)
from drafting._divergence import Divergence, first_divergence
from drafting._language_guess import NAMES, guess_language, knows
from drafting.canonical import canonical_json
from drafting.characters import canonical
from drafting.errors import InvalidInput
from drafting.identifiers import LANGUAGE_CODES
from drafting.templating import page_templates

_CHECKS = {
    NUMBER: NUMBER,
    PERCENTAGE: NUMBER,
    SYMBOL: SYMBOL,
    URL: URL,
    QUOTED: QUOTED,
}  # fact kind -> finding
_STRUCTURE = (
    "numbering",
    "divergence",
)  # findings that make the texts not align: errors, never accepted
BRACKET = "bracket"  # a finding on bracket groups: a mismatch, never accepted, listed apart
_UNACCEPTABLE = (*_STRUCTURE, BRACKET)
_ENV = page_templates()


class PairStatus(StrEnum):
    ALIGNED = "aligned"
    MISMATCH = "mismatch"
    PENDING = "translation pending"


class Finding(BaseModel):
    """One difference between the language versions of a paragraph."""

    model_config = ConfigDict(frozen=True)

    paragraph: int  # 1-based position in the version
    check: str  # "numbering", "number", "symbol", "URL" or "quoted name"
    message: str  # "paragraph 12 (7.): year 2030 in en but year 2035 in es"
    found: dict[str, list[str]] = Field(
        default_factory=dict
    )  # language -> what it has that the other lacks
    spans: dict[str, list[tuple[int, int]]] = Field(
        default_factory=dict
    )  # language -> where, in its text
    accepted: bool = False


class Pair(BaseModel):
    """A paragraph in every language, its status and findings."""

    model_config = ConfigDict(frozen=True)

    paragraph: int
    labels: dict[str, str]  # language -> numbering as written ("3.", "(a)", "")
    texts: dict[str, str]  # language -> text ("" where a language has no such paragraph)
    status: PairStatus
    findings: list[Finding] = Field(default_factory=list)


class Concordance(BaseModel):
    """The alignment of one version's language versions."""

    model_config = ConfigDict(frozen=True)

    languages: list[str]
    pairs: list[Pair]
    errors: list[str]  # structural: the texts do not align
    warnings: list[str]  # per-paragraph findings not accepted
    brackets: list[str] = Field(
        default_factory=list
    )  # bracket groups that differ between languages

    @property
    def aligned(self) -> bool:
        """No structural error, no finding left unaccepted, nothing pending."""
        return not self.errors and all(p.status == PairStatus.ALIGNED for p in self.pairs)

    def counts(self) -> dict[str, int]:
        """How many pairs have each status."""
        return {s.value: sum(p.status == s for p in self.pairs) for s in PairStatus}

    def to_json(self) -> str:
        """The report as canonical JSON (the same concordance gives the same bytes)."""
        return canonical_json(
            self.model_dump(mode="json") | {"aligned": self.aligned, "counts": self.counts()}
        )


def language_code(code: str) -> str:
    """A language as a BCP 47 primary tag in its canonical form ("en", "es"); refuse anything else, as
    declarations do (lowercase only: "EN" is refused with a hint)."""
    if code not in LANGUAGE_CODES:
        hint = (
            f"; did you mean {code.strip().lower()!r}?"
            if code.strip().lower() in LANGUAGE_CODES
            else ""
        )
        raise InvalidInput(
            f"language {code!r} is not a BCP 47 primary language tag; write a two-letter code "
            f"such as en, es, fr or pt{hint}"
        )
    return code


def align(
    versions: Mapping[str, Sequence[str]],
    *,
    pending: Collection[int] = (),
    accepted: Collection[str] = (),
) -> Concordance:
    """Pair the language versions of one version paragraph by paragraph and check each pair; ``pending``:
    paragraph numbers (1-based) awaiting translation, not checked; ``accepted``: warnings accepted before."""
    languages = [language_code(code) for code in versions]
    if len(languages) < 2:
        raise InvalidInput("a concordance needs at least two language versions")
    texts = [list(versions[code]) for code in versions]
    errors, stop = _structure(languages, texts)
    errors = _written_in(languages, texts) + errors
    count = max(len(t) for t in texts)
    pairs = [_pair(index + 1, languages, texts, pending, accepted, stop) for index in range(count)]
    errors += [f.message for p in pairs for f in p.findings if f.check == "numbering"]
    warnings = [
        f.message
        for p in pairs
        for f in p.findings
        if f.check not in _UNACCEPTABLE and not f.accepted
    ]
    brackets = [f.message for p in pairs for f in p.findings if f.check == BRACKET]
    return Concordance(
        languages=languages, pairs=pairs, errors=errors, warnings=warnings, brackets=brackets
    )


def _pair(
    number: int,
    languages: list[str],
    texts: list[list[str]],
    pending: Collection[int],
    accepted: Collection[str],
    stop: int,
) -> Pair:
    """Paragraph ``number`` (1-based) in every language, and what its check found."""
    index = number - 1
    row = {
        lang: t[index] if index < len(t) else "" for lang, t in zip(languages, texts, strict=True)
    }
    findings = _pair_findings(number, row, pending, accepted, stop)
    return Pair(
        paragraph=number,
        labels={lang: label_of(t)[0] for lang, t in row.items()},
        texts=row,
        status=_status(number, pending, findings),
        findings=findings,
    )


def _pair_findings(
    number: int,
    row: dict[str, str],
    pending: Collection[int],
    accepted: Collection[str],
    stop: int,
) -> list[Finding]:
    """None while the paragraph awaits translation; one when the texts diverged before it; else the checks'."""
    if number in pending:
        return []
    if number - 1 >= stop:
        message = f"paragraph {number}: not compared, the texts diverge before it"
        return [Finding(paragraph=number, check="divergence", message=message)]
    return [
        f.model_copy(update={"accepted": f.message in accepted and f.check not in _UNACCEPTABLE})
        for f in _check(number, row)
    ]


def _status(number: int, pending: Collection[int], findings: list[Finding]) -> PairStatus:
    if number in pending:
        return PairStatus.PENDING
    return PairStatus.MISMATCH if any(not f.accepted for f in findings) else PairStatus.ALIGNED


def _written_in(languages: list[str], texts: list[list[str]]) -> list[str]:
    """An error for each version that reads as another language than the one it is given as."""
    errors = []
    for language, paragraphs in zip(languages, texts, strict=True):
        guessed = guess_language(paragraphs)
        if knows(language) and guessed is not None and guessed != language:
            errors.append(
                f"the version given as {language} reads as {NAMES[guessed]}, not {NAMES[language]} (by its "
                f"commonest words); give the {language} text in its place"
            )
    return errors


def _in_words(fact: Fact, words: list[str]) -> str | None:
    """The number (or percentage) among ``words`` that writes ``fact``; None if none does or it is no number."""
    if fact.kind not in (NUMBER, PERCENTAGE):
        return None
    said = [f"%{v}" if fact.kind == PERCENTAGE else v for v in fact.values]
    return next((v for v in said if v in words), None)


def _structure(languages: list[str], texts: list[list[str]]) -> tuple[list[str], int]:
    """An error when the paragraph counts differ, naming where the versions first part; and the index from which
    pairs cannot be trusted (the number of paragraphs when all can)."""
    counts = [len(t) for t in texts]
    if len(set(counts)) == 1:
        return [], counts[0]
    (first, a), *others = zip(languages, texts, strict=True)
    found = _divergences(first, a, others)
    sizes = ", ".join(
        f"{lang} has {n} paragraphs" for lang, n in zip(languages, counts, strict=True)
    )
    if not found:  # cannot happen with different counts; said plainly should it ever
        return [f"the language versions have different paragraph counts ({sizes})"], min(counts)
    where, lang, b = min(found, key=lambda item: _at(item[0]))
    return [
        f"the language versions have different paragraph counts ({sizes}); they first diverge at paragraph "
        f"{_at(where) + 1}: {_parting(where, (first, a), (lang, b))}"
    ], _at(where)


def _at(where: Divergence) -> int:
    return min(i for i in (where.a, where.b) if i is not None)


def _parting(where: Divergence, a: tuple[str, list[str]], b: tuple[str, list[str]]) -> str:
    """'en “Recognizing also…” has no counterpart in es', or the two paragraphs numbered differently."""
    (a_lang, a_texts), (b_lang, b_texts) = a, b
    if where.b is None and where.a is not None:
        return f"{a_lang} “{_snippet(a_texts[where.a])}” has no counterpart in {b_lang}"
    if where.a is None and where.b is not None:
        return f"{b_lang} “{_snippet(b_texts[where.b])}” (its paragraph {where.b + 1}) has no counterpart in {a_lang}"
    assert where.a is not None and where.b is not None
    return (
        f"{a_lang} “{_snippet(a_texts[where.a])}” against {b_lang} “{_snippet(b_texts[where.b])}” "
        f"(its paragraph {where.b + 1}), numbered differently"
    )


def _snippet(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _check(number: int, row: dict[str, str]) -> list[Finding]:
    """The findings of one paragraph: each language compared with the first."""
    (first, text), *others = row.items()
    found = []
    for lang, other in others:
        found += _numbering(number, first, text, lang, other)
        found += _compare(number, (first, text), (lang, other))
        found += bracket_findings(number, (first, text), (lang, other))
    return found


def bracket_spans(text: str) -> list[tuple[int, int]]:
    """The bracket groups of a paragraph: where each outermost "[...]" starts and ends (a lone bracket is none)."""
    spans, depth, opening = [], 0, 0
    for at, char in enumerate(text):
        if char == "[":
            opening = at if depth == 0 else opening
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opening, at + 1))
    return spans


def bracket_findings(number: int, left: tuple[str, str], right: tuple[str, str]) -> list[Finding]:
    """A finding when two languages' texts of paragraph ``number`` hold different numbers of bracket groups:
    "paragraph 25 (8.): no bracketed passage in en, 1 bracketed passage in es; ..."."""
    (a_lang, a_text), (b_lang, b_text) = left, right
    a_spans, b_spans = bracket_spans(a_text), bracket_spans(b_text)
    if len(a_spans) == len(b_spans):
        return []
    label = label_of(a_text)[0]
    where = f"paragraph {number}" + (f" ({label})" if label else "")
    said = f"{bracketed_passages(len(a_spans))} in {a_lang}, {bracketed_passages(len(b_spans))} in {b_lang}"
    return [
        Finding(
            paragraph=number,
            check=BRACKET,
            message=f"{where}: {said}; the bracket groups must be the same in every language",
            found={
                a_lang: [a_text[s:e] for s, e in a_spans],
                b_lang: [b_text[s:e] for s, e in b_spans],
            },
            spans={a_lang: a_spans, b_lang: b_spans},
        )
    ]


def bracketed_passages(n: int, zero: str = "no bracketed passage") -> str:
    """'1 bracketed passage', '2 bracketed passages', or ``zero``."""
    return zero if n == 0 else f"{n} bracketed passage{'' if n == 1 else 's'}"


def _numbering(number: int, first: str, text: str, lang: str, other: str) -> list[Finding]:
    (a, a_key), (b, b_key) = label_of(text), label_of(other)
    if a_key == b_key:
        return []
    said = " but ".join(
        f"numbered “{w}” in {code}" if w else f"not numbered in {code}"
        for w, code in ((a, first), (b, lang))
    )
    return [
        Finding(
            paragraph=number,
            check="numbering",
            message=f"paragraph {number}: {said}",
            found={first: [a], lang: [b]},
        )
    ]


def _compare(number: int, left: tuple[str, str], right: tuple[str, str]) -> list[Finding]:
    (a_lang, a_text), (b_lang, b_text) = left, right
    a_facts, b_facts = facts(a_text, a_lang), facts(b_text, b_lang)
    a_left, b_left = _unmatched(a_facts, b_facts)
    a_left = _spelt_out(a_left, b_text, b_facts, b_lang)
    b_left = _spelt_out(b_left, a_text, a_facts, a_lang)
    a_left, b_left = _quotations(a_left, b_left, a_text, b_text)
    label = label_of(a_text)[0]
    where = f"paragraph {number}" + (f" ({label})" if label else "")
    findings = []
    for check in dict.fromkeys(_CHECKS.values()):
        a_miss = [f for f in a_left if _CHECKS[f.kind] == check]
        b_miss = [f for f in b_left if _CHECKS[f.kind] == check]
        if a_miss or b_miss:
            findings.append(_finding(number, check, where, (a_lang, a_miss), (b_lang, b_miss)))
    return findings


def _finding(
    number: int, check: str, where: str, a: tuple[str, list[Fact]], b: tuple[str, list[Fact]]
) -> Finding:
    """What one side has that the other lacks, for one check."""
    (a_lang, a_miss), (b_lang, b_miss) = a, b
    return Finding(
        paragraph=number,
        check=check,
        message=f"{where}: {_difference(a_miss, a_lang, b_miss, b_lang)}",
        found={a_lang: [f.text for f in a_miss], b_lang: [f.text for f in b_miss]},
        spans={
            a_lang: [(f.start, f.end) for f in a_miss],
            b_lang: [(f.start, f.end) for f in b_miss],
        },
    )


def _difference(a: list[Fact], a_lang: str, b: list[Fact], b_lang: str) -> str:
    said = ", ".join(f.described for f in a) if a else ", ".join(f.described for f in b)
    if a and b:
        return f"{said} in {a_lang} but {', '.join(f.described for f in b)} in {b_lang}"
    return f"{said} in {a_lang if a else b_lang}, missing in {b_lang if a else a_lang}"


def _unmatched(a: list[Fact], b: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """The facts of each side that the other side lacks: same kind and written alike, else same likeliest reading,
    else any same reading (each fact matched once; linear in the facts, however many a paragraph holds)."""
    a_left, b_left = list(a), list(b)
    for rule in (_as_written, _likeliest, _readings):
        a_left, b_left = _match_by(rule, a_left, b_left)
    return a_left, b_left


def _match_by(
    rule: Callable[[Fact], Iterable[str]], a: list[Fact], b: list[Fact]
) -> tuple[list[Fact], list[Fact]]:
    """Match the facts of each side by one rule's keys (each fact once); the facts of each side left unmatched."""
    waiting: dict[str, deque[int]] = {}
    for index, fact in enumerate(b):
        for key in rule(fact):
            waiting.setdefault(key, deque()).append(index)
    taken: set[int] = set()
    unmatched = []
    for fact in a:
        match = next(
            (i for key in rule(fact) for i in _first_free(waiting.get(key, deque()), taken)), None
        )
        if match is None:
            unmatched.append(fact)
        else:
            taken.add(match)
    return unmatched, [f for i, f in enumerate(b) if i not in taken]


def _first_free(candidates: deque[int], taken: set[int]) -> list[int]:
    """The first candidate not yet taken, as a list of at most one (candidates taken are dropped for good)."""
    while candidates and candidates[0] in taken:
        candidates.popleft()
    return [candidates[0]] if candidates else []


def _as_written(fact: Fact) -> tuple[str, ...]:
    return (f"{fact.kind}|{fact.text}",)


def _likeliest(fact: Fact) -> tuple[str, ...]:
    return (f"{fact.kind}|{fact.values[0]}",)


def _readings(fact: Fact) -> tuple[str, ...]:
    return tuple(f"{fact.kind}|{value}" for value in fact.values)


def _divergences(
    first: str, a: list[str], others: list[tuple[str, list[str]]]
) -> list[tuple[Divergence, str, list[str]]]:
    """Where each other language first parts from the first one (those that never part left out)."""
    return [
        (d, lang, b) for lang, b in others if (d := first_divergence(a, first, b, lang)) is not None
    ]


def _spelt_out(
    missing: list[Fact], other: str, other_facts: list[Fact], language: str
) -> list[Fact]:
    """Numbers still missing, less those the other text writes in words ("third", "veintisiete", "XXI",
    "cincuenta por ciento")."""
    if not any(f.kind in (NUMBER, PERCENTAGE) for f in missing):
        return missing
    words = number_words(_blanked(other, other_facts), language)
    left = []
    for fact in missing:
        value = _in_words(fact, words)
        if value is None:
            left.append(fact)
        else:
            words.remove(value)
    return left


def _blanked(text: str, facts: list[Fact]) -> str:
    """The text with its facts blanked out: "por ciento" is no number."""
    pieces, at = [], 0
    for fact in sorted(facts, key=lambda f: f.start):
        pieces += [text[at : max(at, fact.start)], " " * max(0, fact.end - max(at, fact.start))]
        at = max(at, fact.end)
    return "".join([*pieces, text[at:]])


def _quotations(
    a: list[Fact], b: list[Fact], a_text: str, b_text: str
) -> tuple[list[Fact], list[Fact]]:
    """Quoted names are translated: as many on each side is agreement; a name kept as it is counts as found."""
    a_quotes = [f for f in a if f.kind == QUOTED and f.values[0] not in b_text.casefold()]
    b_quotes = [f for f in b if f.kind == QUOTED and f.values[0] not in a_text.casefold()]
    others = ([f for f in a if f.kind != QUOTED], [f for f in b if f.kind != QUOTED])
    if len(a_quotes) == len(b_quotes):
        return others
    return others[0] + a_quotes, others[1] + b_quotes


def untranslated_changes(pending: set[int], old: Sequence[str], new: Sequence[str]) -> list[int]:
    """The paragraphs (1-based) that ``new`` changes from ``old`` and that were not pending translation; a
    paragraph added or removed counts as changed; spacing and canonical spellings (no-break spaces...) do not."""
    changed = [
        i + 1 for i, (a, b) in enumerate(zip(old, new, strict=False)) if _plain(a) != _plain(b)
    ]
    changed += range(min(len(old), len(new)) + 1, max(len(old), len(new)) + 1)
    return [n for n in changed if n not in pending]


def _plain(text: str) -> str:
    return " ".join(canonical(text).split())


def concordance_html(concordance: Concordance, *, title: str, subtitle: str = "") -> str:
    """The concordance as one HTML page: each paragraph in each language side by side, its status and findings
    (the differing facts marked); printable and phone-sized, nothing fetched from elsewhere."""
    rows = [
        {"pair": p, "cells": [(lang, _marked(p, lang)) for lang in concordance.languages]}
        for p in concordance.pairs
    ]
    return _ENV.get_template("concordance.html.j2").render(
        title=title, subtitle=subtitle, c=concordance, rows=rows, counts=concordance.counts()
    )


def _marked(pair: Pair, language: str) -> list[tuple[str, bool]]:
    """A paragraph's text cut into (piece, marked) where findings point."""
    text = pair.texts[language]
    spans = sorted(s for f in pair.findings if not f.accepted for s in f.spans.get(language, []))
    pieces, at = [], 0
    for start, end in spans:
        if start >= at:
            pieces += [(text[at:start], False), (text[start:end], True)]
            at = end
    return [p for p in [*pieces, (text[at:], False)] if p[0]]
