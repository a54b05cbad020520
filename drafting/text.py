"""A version's text: numbered paragraphs with a stable key, a template slot and a negotiation status."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from drafting.canonical import sha256_hex


class ParagraphStatus(StrEnum):
    UNCHANGED = "unchanged"
    AGREED = "agreed ad ref"
    BRACKETED = "bracketed"
    NEW = "new"


class DraftParagraph(BaseModel):
    """One paragraph of a version."""

    model_config = ConfigDict(frozen=True)

    key: str  # stable across versions: "p007", or "p007.1" for a paragraph added after p007
    text: str
    template_index: int | None = None  # the zero draft paragraph whose style and numbering it takes
    status: ParagraphStatus = ParagraphStatus.UNCHANGED


class DraftText(BaseModel):
    """The text of a version."""

    model_config = ConfigDict(frozen=True)

    paragraphs: list[DraftParagraph]

    @property
    def plain(self) -> str:
        """Paragraph texts joined with newlines: the form hashed and compared everywhere."""
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def sha256(self) -> str:
        return sha256_hex(self.plain)

    def bracketed(self) -> list[DraftParagraph]:
        """The paragraphs still in brackets."""
        return [p for p in self.paragraphs if p.status == ParagraphStatus.BRACKETED]


def zero_draft_text(paragraph_texts: list[str]) -> DraftText:
    """The zero draft: every paragraph keyed by position and styled by its own template slot."""
    return DraftText(
        paragraphs=[
            DraftParagraph(key=f"p{i + 1:03d}", text=text, template_index=i)
            for i, text in enumerate(paragraph_texts)
        ]
    )
