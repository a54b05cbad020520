"""What accord's issued documents are called: a version's Word files in its languages, and the text a version's
state makes it (under silence "Agreed ad referendum", agreed the "Agreed text") with the artifacts that keep it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from drafting.documents import AGREED_TEXT
from drafting.negotiation import Artifact, VersionState

AGREED_KIND = "agreed-text"  # the artifact holding the agreed text as a document
AD_REFERENDUM_KIND = (
    "ad-referendum-text"  # and the text circulated under silence, agreed ad referendum
)


def version_file(label: str, language: str, first: str) -> str:
    """The file name of a version's document in ``language``: Rev.2.docx in the first language, Rev.2.es.docx."""
    return f"{label}.docx" if language == first else f"{label}.{language}.docx"


def version_files(label: str, first: str, documents: Mapping[str, bytes]) -> dict[str, bytes]:
    """A version's documents (by language) by file name."""
    return {version_file(label, lang, first): document for lang, document in documents.items()}


@dataclass(frozen=True)
class StatedText:
    """Version ``label`` written as its state makes it: what its pages call it (``name``), its file name and its
    artifact's kind (in the first language; each further language adds its code to both)."""

    name: str
    file: str
    kind: str

    @classmethod
    def of(cls, label: str, state: VersionState) -> StatedText:
        """Agreed: the "Agreed text"; under silence the version by its label (its status line says ad referendum)."""
        if state is VersionState.AGREED:
            return cls(f"{AGREED_TEXT} ({label})", f"{AGREED_TEXT}.docx", AGREED_KIND)
        return cls(label, f"{label} ad referendum.docx", AD_REFERENDUM_KIND)

    def artifact(self, language: str | None, blob: str, at: str, version: int) -> Artifact:
        """The artifact keeping the text in ``language`` (None: the first), written ``at``, of version number
        ``version``."""
        suffix = "" if language is None else f".{language}"
        return Artifact(
            kind=f"{self.kind}{suffix}",
            name=self.file.replace(".docx", f"{suffix}.docx"),
            blob_sha256=blob,
            created_at=at,
            version=version,
        )
