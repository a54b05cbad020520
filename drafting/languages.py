"""A declaration in several authentic languages: which languages, who works in which, whether the texts align,
and on which language's text a party's file was made (found by alignment, never by trusting a field)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from drafting import identifiers
from drafting.concordance import align
from drafting.errors import InvalidInput, RefusedFile
from drafting.invisible import visible
from drafting.negotiation import Party

# A file is taken as made on a language's text when this share of its words (as it was before the party's tracked
# changes) is that text's; a Spanish file against an English text shares names and numbers only (~0.1-0.2).
MATCH = 0.6


def check_languages(languages: Sequence[str], *, where: str = "--zero-draft") -> tuple[str, ...]:
    """The declaration's languages in order: each a BCP 47 primary subtag, none twice; else InvalidInput."""
    for code in languages:
        identifiers.language(code, where=where)
    repeated = sorted({code for code in languages if languages.count(code) > 1})
    if repeated:
        raise InvalidInput(
            f"{where}: language {', '.join(repeated)} given twice; give one zero draft per language"
        )
    return tuple(languages)


def with_languages(
    parties: Sequence[Party], languages: Sequence[str], *, source: str
) -> list[Party]:
    """Each party with its language: the declaration's first unless the parties file names one of the others;
    a language the declaration is not negotiated in is refused."""
    for party in parties:
        if party.language is not None and party.language not in languages:
            raise InvalidInput(
                f"{source}: {party.code}'s language {party.language!r} is not one of the declaration's "
                f"({', '.join(languages)}); give a zero draft in it or change the party's language"
            )
    several = (
        len(languages) > 1
    )  # in one language a party's is the declaration's: recorded as none, as before
    return [
        p.model_copy(update={"language": (p.language or languages[0]) if several else None})
        for p in parties
    ]


def concordance_warnings(
    versions: Mapping[str, Sequence[str]],
    *,
    accept_warnings: bool,
    what: str = "the zero drafts",
    brackets: bool = False,
) -> list[str]:
    """The concordance warnings of aligned language versions (``what``: of what, for messages), when accepted;
    InvalidInput naming the paragraphs when the versions do not align, when warnings were found and not
    accepted, or (``brackets``: rules ACROSS) when their bracket groups differ."""
    found = align(versions)
    if found.errors:
        raise InvalidInput(
            f"{what} ({', '.join(versions)}) do not align: {'; '.join(found.errors)}; "
            "give language versions with the same paragraphs, numbered alike"
        )
    if brackets and found.brackets:
        raise InvalidInput(
            f"{what} ({', '.join(versions)}) hold different bracket groups: {'; '.join(found.brackets)}; "
            "bracket the same passages in every language"
        )
    if found.warnings and not accept_warnings:
        raise InvalidInput(
            f"{len(found.warnings)} concordance warning(s) between {what}: "
            f"{'; '.join(found.warnings)}; correct them, or accept them with --accept-warnings"
        )
    return list(found.warnings)


def likeness(made_on: Sequence[str], text: Sequence[str]) -> float:
    """How much of ``text``'s words a file's original text (before its tracked changes) shares: 0 to 1."""
    mine, theirs = " ".join(made_on).split(), " ".join(text).split()
    if not mine or not theirs:
        return 0.0
    matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(mine), len(theirs))


def base_language(
    made_on: Sequence[str], texts: Mapping[str, Sequence[str]], *, name: str, party: str
) -> str:
    """The language whose text a file was made on (its text before the party's changes), by alignment with each
    language's text; RefusedFile when it matches none."""
    scores = {language: likeness(made_on, text) for language, text in texts.items()}
    best = max(scores, key=lambda language: scores[language])
    if scores[best] < MATCH:
        shown = ", ".join(f"{language} {score:.0%}" for language, score in scores.items())
        raise RefusedFile(
            f"{visible(name)[:80]}: refused for {party}, it was not made on this version's text in any "
            f"of its languages (words shared: {shown}); make the changes on the copy accord sent"
        )
    return best
