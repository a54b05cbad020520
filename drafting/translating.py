"""A translator's upload as values: which paragraphs it may change (only those pending translation into its language),
the texts with them aligned, the concordance warnings, and what the version then records (its content and
VersionTranslated); who may upload one; the version to translate (Translating: its checks) and what a translation
service is asked for (TranslationRequest). The translate use case loads the version and renders and records the
documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from drafting import identifiers
from drafting.access import TRANSLATING_ROLES, AccountRole
from drafting.bilingual import pending_by_language, pending_note
from drafting.brackets import ACROSS, FIRST_RULES
from drafting.concordance import bracket_spans, bracketed_passages, untranslated_changes
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.events import SourceFile, VersionTranslated
from drafting.filing import version_files
from drafting.languages import concordance_warnings
from drafting.lifecycle import Round
from drafting.negotiation import Declaration, Translation, Version, VersionContent, VersionState
from drafting.provenance import editorial_operations, history_fields, mark_translation
from drafting.revising import issued_translations
from drafting.revision import lineage
from drafting.text import DraftParagraph, DraftText, ParagraphStatus

# the actor of a translation in the log: the secretariat's translator; and who may upload one (drafting.access)
TRANSLATOR = AccountRole.TRANSLATOR.value
ROLES = tuple(sorted(role.value for role in TRANSLATING_ROLES))


def may_upload(role: str) -> None:
    """Only the roles in ``ROLES`` upload a translation (Forbidden else)."""
    if role not in ROLES:
        raise Forbidden(
            f"--role {identifiers.shown(role)} may not upload a translation: the secretariat's "
            f"translator does (--role {TRANSLATOR})"
        )


@dataclass(frozen=True)
class TranslatorFile:
    """The translator's file as read: its language, name and bytes, its paragraphs' texts."""

    language: str
    filename: str
    data: bytes
    paragraphs: list[str]
    accept_warnings: bool = False


@dataclass(frozen=True)
class Upload:
    """A translator's file for version ``label`` of ``declaration`` in ``language``: its paragraphs' texts."""

    declaration: str
    label: str
    language: str
    filename: str
    paragraphs: list[str]
    accept_warnings: bool
    rules: int = FIRST_RULES  # the declaration's (drafting.brackets): since ACROSS, bracket groups must agree


@dataclass(frozen=True)
class Aligned:
    """Each language's text once the upload is taken, and what stays pending (``aligned``: the keys of the
    paragraphs aligned; ``numbers``: their numbers)."""

    first: str
    language: str
    texts: dict[str, DraftText]
    pending: dict[str, list[str]]
    aligned: list[str]
    numbers: list[str]
    warnings: list[str]
    made: list[dict[str, Any]]

    @property
    def note(self) -> str:
        """What is still pending translation, as the headers say it ("": every language aligned)."""
        return pending_note(self.texts[self.first], self.pending)

    @property
    def others(self) -> str:
        """The languages the translation was made from."""
        return ", ".join(lang for lang in self.texts if lang != self.language)


def version_texts(content: VersionContent, first: str) -> dict[str, DraftText]:
    """A version's text in each of its languages, the first first."""
    return {first: content.text} | {lang: t.text for lang, t in content.translations.items()}


def align(content: VersionContent, first: str, upload: Upload) -> Aligned:
    """Take the upload as the text in its language: only paragraphs pending translation into it may differ (else
    InvalidInput); none pending is WrongState; the concordance is checked again."""
    language, texts = upload.language, version_texts(content, first)
    pending = pending_by_language(first, content)
    keys = [p.key for p in texts[language].paragraphs]
    waiting = _waiting(upload, texts[language], set(pending.get(language, [])))
    if upload.rules >= ACROSS:
        _same_brackets(texts, pending, upload, keys)
    made = lineage(editorial_operations(texts[language], upload.paragraphs))
    texts[language] = _taken(texts[language], upload, waiting)
    warnings = _warnings(texts, upload)
    pending[language] = []
    aligned, shown = [k for k in keys if k in waiting], numbers(keys, waiting).split(", ")
    return Aligned(first, language, texts, pending, aligned, shown, warnings, made)


def _warnings(texts: dict[str, DraftText], upload: Upload) -> list[str]:
    """The concordance warnings of the texts with the upload taken (accepted, or InvalidInput)."""
    return concordance_warnings(
        {lang: [p.text for p in t.paragraphs] for lang, t in texts.items()},
        accept_warnings=upload.accept_warnings,
        what=f"the texts of {upload.label} with {upload.filename}",
    )


def _waiting(upload: Upload, text: DraftText, waiting: set[str]) -> set[str]:
    """The keys pending translation into the upload's language (``text``: its text now), which alone it may
    change: none pending is WrongState, a change to another paragraph InvalidInput."""
    if not waiting:
        raise WrongState(
            f"{upload.label} of {upload.declaration!r} has no paragraph pending translation into "
            f"{upload.language}; there is nothing to upload"
        )
    keys, old = [p.key for p in text.paragraphs], [p.text for p in text.paragraphs]
    wrong = untranslated_changes({keys.index(k) + 1 for k in waiting}, old, upload.paragraphs)
    if wrong:
        raise InvalidInput(
            f"{upload.filename}: refused, paragraph {wrong[0]} differs from {upload.label} in {upload.language} "
            f"but its translation is not pending (pending: {numbers(keys, waiting)}); change only those"
        )
    return waiting


def _taken(text: DraftText, upload: Upload, waiting: set[str]) -> DraftText:
    """The text in the upload's language with its paragraphs' words; since ACROSS, a pending paragraph that now
    holds bracket groups is bracketed, one whose bracket groups are gone agreed (as a revision would have it)."""
    return DraftText(
        paragraphs=[
            p.model_copy(
                update={"text": words}
                | (_status(p, words) if upload.rules >= ACROSS and p.key in waiting else {})
            )
            for p, words in zip(text.paragraphs, upload.paragraphs, strict=True)
        ]
    )


def _status(paragraph: DraftParagraph, words: str) -> dict[str, ParagraphStatus]:
    """A translated paragraph's status: bracketed with bracket groups; agreed once they are gone."""
    if bracket_spans(words):
        return {"status": ParagraphStatus.BRACKETED}
    return (
        {"status": ParagraphStatus.AGREED} if paragraph.status == ParagraphStatus.BRACKETED else {}
    )


def _same_brackets(
    texts: dict[str, DraftText], pending: dict[str, list[str]], upload: Upload, keys: list[str]
) -> None:
    """Refuse an upload whose paragraph, among those it aligns, has other bracket groups than its source's."""
    for index, key in enumerate(keys):
        if key not in pending.get(upload.language, []):
            continue
        source, expected = bracket_source(texts, pending, upload.language, index)
        made = len(bracket_spans(upload.paragraphs[index]))
        if made != expected:
            raise InvalidInput(
                f"{upload.filename}: refused, paragraph {index + 1} has "
                f"{bracketed_passages(made)} in {upload.language} but "
                f"{bracketed_passages(expected, 'none')} in {source} of {upload.label}; the bracket groups "
                f"must be the same in every language: carry those of {source} over"
            )


def bracket_source(
    texts: dict[str, DraftText], pending: dict[str, list[str]], language: str, index: int
) -> tuple[str, int]:
    """The language paragraph ``index`` of ``language`` takes its bracket groups from, and how many: another
    language in which it is not pending; if it is pending in all, the one whose text holds the most (the
    language whose text was not bracketed follows the bracketed one), ``language`` itself last."""
    key = texts[language].paragraphs[index].key
    counts = {
        lang: len(bracket_spans(t.paragraphs[index].text))
        for lang, t in texts.items()
        if lang != language
    }
    settled = [lang for lang in counts if key not in pending.get(lang, [])]
    if settled:
        return settled[0], counts[settled[0]]
    counts[language] = len(bracket_spans(texts[language].paragraphs[index].text))
    most = max(counts, key=lambda lang: counts[lang])
    return most, counts[most]


def translated_content(
    content: VersionContent, aligned: Aligned, blobs: dict[str, str]
) -> tuple[VersionContent, dict[str, Translation]]:
    """The version's content with the upload aligned (``blobs``: each further language's new document), and its
    translations."""
    first = aligned.first
    marked = mark_translation(aligned.made, aligned.others)
    translations = _translations(content, aligned, blobs, marked)
    stored = content.stored() | {
        "text": aligned.texts[first].model_dump(mode="json"),
        "pending": aligned.pending.get(first, []),
        "translations": {k: v.model_dump(mode="json") for k, v in translations.items()},
    }
    # what the translator changed, for blame (in a further language: in its translation)
    if aligned.language == first:
        stored["translated"] = [*content.translated, marked]
    return VersionContent.model_validate(stored), translations


def _translations(
    content: VersionContent, aligned: Aligned, blobs: dict[str, str], marked: list[dict[str, Any]]
) -> dict[str, Translation]:
    """Each further language's translation once the upload is aligned (``marked``: what the translator changed,
    kept in the upload's language)."""
    return {
        lang: Translation(
            text=aligned.texts[lang],
            blob=blobs[lang],
            template=t.template,
            pending=aligned.pending.get(lang, []),
            **history_fields(
                t.lineage, [*t.translated, *([marked] if lang == aligned.language else [])]
            ),
        )
        for lang, t in content.translations.items()
    }


def version_translated(
    aligned: Aligned,
    translations: dict[str, Translation],
    *,
    label: str,
    blob: str,
    source: SourceFile,
    by: str | None,
) -> VersionTranslated:
    """The event that records the translation (``blob``: the version's new document in the first language)."""
    text = aligned.texts[aligned.first]
    return VersionTranslated(
        version=label,
        language=aligned.language,
        blob=blob,
        text_sha256=text.sha256,
        paragraphs=len(text.paragraphs),
        aligned=tuple(aligned.aligned),
        pending=tuple(aligned.pending.get(aligned.first, [])),
        source=source,
        translations=issued_translations(translations),
        warnings=tuple(aligned.warnings),
        by=by,
    )


def numbers(keys: list[str], chosen: set[str] | list[str]) -> str:
    """The paragraph numbers of the chosen keys: "3, 7"."""
    return ", ".join(str(n) for n, key in enumerate(keys, start=1) if key in chosen)


@dataclass(frozen=True)
class TranslationRequest:
    """What a translation service is asked for: the paragraphs of version ``label`` pending translation into
    ``language`` (``keys``, in its order; ``own``: every key of its text), in the words of ``source`` (``said``)."""

    label: str
    language: str
    source: str
    own: list[str]
    keys: list[str]
    said: list[str]

    @property
    def numbers(self) -> list[str]:
        """The numbers of the paragraphs asked for."""
        return numbers(self.own, self.keys).split(", ")

    def check(self, made: Sequence[object]) -> None:
        """Refuse a service's answer that is not one text per paragraph asked for (InvalidInput)."""
        if len(made) != len(self.keys) or not all(isinstance(t, str) for t in made):
            raise InvalidInput(
                f"--draft: the translation service gave {len(made)} texts for {len(self.keys)} paragraphs; "
                "nothing was written"
            )

    def texts(self, made: Sequence[str], base: DraftText) -> list[str]:
        """The document's paragraphs (``base``: as it reads) with the service's texts in place of those asked for."""
        new = dict(zip(self.keys, made, strict=True))
        return [new.get(key, p.text) for key, p in zip(self.own, base.paragraphs, strict=True)]


@dataclass(frozen=True)
class Translating:
    """A declaration's current version, to be translated, and its latest round (None: none yet)."""

    declaration: Declaration
    version: Version
    latest: Round | None

    @property
    def first(self) -> str:
        """The declaration's first language."""
        return self.declaration.first_language

    @cached_property
    def texts(self) -> dict[str, DraftText]:
        """The version's text in each of its languages, the first first."""
        return version_texts(self.version.content, self.first)

    def check(self, language: str) -> None:
        """A translation into ``language`` may be taken: one of the version's languages (InvalidInput), the
        version still changing and no round open on it (WrongState)."""
        slug, label, state = self.declaration.slug, self.version.label, self.version.state
        if language not in self.texts:
            raise InvalidInput(
                f"--language {language}: {slug!r} is negotiated in "
                f"{', '.join(self.texts)}; translate into one of them"
            )
        if state not in (VersionState.DRAFT.value, VersionState.CIRCULATED.value):
            raise WrongState(f"{label} of {slug!r} is {state}; its text no longer changes")
        if self.latest is not None and self.latest.is_open:
            raise WrongState(
                f"round {self.latest.number} of {slug!r} is open on {label}; translate before "
                "a round opens, or after it closes"
            )

    def align(self, file: TranslatorFile, rules: int) -> Aligned:
        """Take the translator's file (checked as ``check``, then as ``align``); ``rules``: the declaration's
        (drafting.brackets)."""
        self.check(file.language)
        slug, label = self.declaration.slug, self.version.label
        upload = Upload(
            slug, label, file.language, file.filename, file.paragraphs, file.accept_warnings, rules
        )
        return align(self.version.content, self.first, upload)

    def request(self, language: str) -> TranslationRequest:
        """What to ask a translation service for to translate into ``language`` (checked as ``check``; none
        pending is WrongState); the source is the first other language."""
        self.check(language)
        waiting = set(pending_by_language(self.first, self.version.content).get(language, []))
        if not waiting:
            raise WrongState(
                f"{self.version.label} of {self.declaration.slug!r} has no paragraph pending translation into "
                f"{language}; there is nothing to translate"
            )
        source = next(lang for lang in self.texts if lang != language)
        own = [p.key for p in self.texts[language].paragraphs]
        keys = [key for key in own if key in waiting]
        said = {p.key: p.text for p in self.texts[source].paragraphs}
        return TranslationRequest(
            self.version.label, language, source, own, keys, [said[k] for k in keys]
        )

    def blob(self, language: str) -> str:
        """The version's document in ``language``."""
        content = self.version.content
        return (
            self.version.blob_sha256
            if language == self.first
            else content.translations[language].blob
        )


def circulated_files(
    version: Version, first: str, documents: Mapping[str, bytes]
) -> dict[str, bytes]:
    """A version's documents by file name if it is circulated (its files in versions/ follow it); a draft's none."""
    if version.state == VersionState.DRAFT.value:
        return {}
    return version_files(version.label, first, documents)
