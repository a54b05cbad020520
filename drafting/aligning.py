"""A declaration's version in its languages, as values to align: each language's paragraph texts (the first first)
and the paragraphs pending translation, which the concordance expects to differ. The align use case loads the
version and writes the report; nothing here reads a store."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.bilingual import pending_by_language
from drafting.concordance import Concordance, align, concordance_html
from drafting.errors import InvalidInput
from drafting.negotiation import Declaration, Version


@dataclass(frozen=True)
class LanguageVersions:
    """Version ``version`` of ``declaration`` in each language it is held in (``pending``: the numbers of the
    paragraphs pending translation in any of them)."""

    declaration: str
    title: str
    version: str
    texts: dict[str, list[str]]
    pending: set[int]

    @classmethod
    def of(cls, declaration: Declaration, version: Version) -> LanguageVersions:
        """The version's texts as the bilingual model holds them (VersionContent.translations)."""
        texts, pending = language_texts(version, declaration.languages)
        return cls(declaration.slug, declaration.title, version.label, texts, pending)

    def aligned(self) -> Concordance:
        """The concordance of the language versions; InvalidInput for a declaration in one language."""
        if len(self.texts) < 2:
            raise InvalidInput(
                f"{self.declaration} is negotiated in one language ({', '.join(self.texts)}): there is "
                "nothing to align; to compare two Word files, run accord align --files en=A.docx es=B.docx"
            )
        return align(self.texts, pending=self.pending)

    def page(self, concordance: Concordance) -> str:
        """The HTML report, titled with the declaration and the version."""
        return concordance_html(concordance, title=self.title, subtitle=self.version)


def language_texts(row: Version, languages: list[str]) -> tuple[dict[str, list[str]], set[int]]:
    """A version's paragraph texts in each language it is held in (the declaration's first language first), and the
    paragraphs (numbers) pending translation in any of them (the bilingual model: VersionContent.translations)."""
    content = row.content
    texts = {languages[0]: [p.text for p in content.text.paragraphs]} | {
        lang: [p.text for p in t.text.paragraphs] for lang, t in content.translations.items()
    }
    numbers = {p.key: n for n, p in enumerate(content.text.paragraphs, start=1)}
    pending = {
        numbers[k]
        for keys in pending_by_language(languages[0], content).values()
        for k in keys
        if k in numbers
    }
    return texts, pending
