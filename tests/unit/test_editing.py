"""The secretariat's editorial change as values (drafting.editing): who may edit and when, the edited text, the
other languages kept in step, and what the version and VersionEdited record."""

from __future__ import annotations

import pytest

from drafting.editing import (
    Edit,
    check_editable,
    check_editor,
    edited_content,
    edited_text,
    kept_in_step_with,
    kept_translations,
    version_edited,
)
from drafting.errors import Forbidden, InvalidInput, WrongState
from drafting.lifecycle import Round, Version
from drafting.negotiation import RoundState, Translation, VersionContent, VersionState
from drafting.text import DraftText, ParagraphStatus, zero_draft_text

BASE = zero_draft_text(["Agreed.", "[a / b]"])
BRACKETED = DraftText(
    paragraphs=[
        BASE.paragraphs[0],
        BASE.paragraphs[1].model_copy(update={"status": ParagraphStatus.BRACKETED}),
    ]
)


def _edit(*paragraphs: str) -> Edit:
    return Edit(b"docx", "fix.docx", list(paragraphs), "typo")


def _version(state: VersionState) -> Version:
    return Version("eu-celac", 1, "Rev.1", state, "b" * 64, "t" * 64)


def test_only_the_secretariat_edits_and_it_says_why() -> None:
    with pytest.raises(Forbidden, match="ES may not make editorial changes"):
        check_editor("ES", "typo")
    with pytest.raises(InvalidInput, match="--reason is empty"):
        check_editor("secretariat", "  ")
    check_editor("secretariat", "typo")


@pytest.mark.parametrize(
    ("latest", "state", "said"),
    [
        (
            RoundState.OPEN,
            VersionState.CIRCULATED,
            "round 1 of 'eu-celac' is open and not yet decided",
        ),
        (RoundState.CLOSED, VersionState.CIRCULATED, "round 1 of 'eu-celac' is closed"),
        (None, VersionState.SILENCE, "Rev.1 of 'eu-celac' is silence; its text is bound"),
        (RoundState.DECIDED, VersionState.AGREED, "Rev.1 of 'eu-celac' is agreed"),
    ],
)
def test_no_edit_during_a_round_nor_once_the_text_is_bound(
    latest: RoundState | None, state: VersionState, said: str
) -> None:
    current = None if latest is None else Round("eu-celac", 1, "Rev.1", latest, "t")
    with pytest.raises(WrongState, match=said):
        check_editable(current, _version(state))


def test_an_edit_between_rounds_of_a_draft_or_circulated_version_is_allowed() -> None:
    check_editable(
        Round("eu-celac", 1, "Zero draft", RoundState.DECIDED, "t"), _version(VersionState.DRAFT)
    )
    check_editable(None, _version(VersionState.CIRCULATED))


def test_an_edit_that_changes_nothing_is_refused() -> None:
    with pytest.raises(
        InvalidInput, match="fix.docx: its text is the text of Rev.1; there is no change"
    ):
        edited_text(BASE, _edit("Agreed.", "[a / b]"), "Rev.1")


def test_the_edit_keeps_each_paragraph_s_status_and_marks_its_operations_editorial() -> None:
    edited = edited_text(BRACKETED, _edit("Agreed.", "[a / c]"), "Rev.1")
    assert [(p.text, p.status) for p in edited.text.paragraphs] == [
        ("Agreed.", ParagraphStatus.UNCHANGED),
        ("[a / c]", ParagraphStatus.BRACKETED),
    ]
    assert edited.record and all(op["editorial"] and op["reason"] == "typo" for op in edited.record)


def test_in_one_language_the_event_names_no_translation() -> None:
    edited = edited_text(BASE, _edit("Agreed in full.", "[a / b]"), "Rev.1")
    content = edited_content(edited, _edit(), "source", {}, [])
    assert content.editorial is not None and content.editorial.filename == "fix.docx"
    payload = version_edited(content, number=2, parent="Rev.1", blob="doc").payload()
    assert {k: payload[k] for k in ("version", "number", "parent", "blob", "reason", "source")} == {
        "version": "Rev.2",
        "number": 2,
        "parent": "Rev.1",
        "blob": "doc",
        "reason": "typo",
        "source": {"blob": "source", "filename": "fix.docx"},
    }
    assert payload["operations"] == len(edited.record)
    assert "translations" not in payload and "pending" not in payload


def test_in_two_languages_the_changed_paragraph_becomes_pending_in_the_other_language() -> None:
    spanish = zero_draft_text(["Acordado.", "[a / b]"])
    content = VersionContent(
        text=BASE, translations={"es": Translation(text=spanish, blob="es-doc", template="es-zero")}
    )
    edited = edited_text(BASE, _edit("Agreed in full.", "[a / b]"), "Rev.1")
    kept = kept_in_step_with(content, "en", edited.text)
    assert kept.pending == {"en": [], "es": ["p001"]}
    assert kept.texts["es"] == spanish  # its own words, until translated
    assert kept.note == "Translation pending: es 1"
    translations = kept_translations(content, "en", kept, {"es": "es-new"})
    assert (translations["es"].blob, translations["es"].template) == ("es-new", "es-zero")
    assert translations["es"].pending == ["p001"] and translations["es"].translated == []
    recorded = edited_content(edited, _edit(), "source", translations, kept.pending["en"])
    payload = version_edited(recorded, number=2, parent="Rev.1", blob="doc").payload()
    assert payload["pending"] == [] and payload["translations"]["es"]["pending"] == ["p001"]
