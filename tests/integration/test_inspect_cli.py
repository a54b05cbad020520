"""`accord inspect` as a delegate's file meets it: the JSON fields, and a refused file as one `error:` line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import docxbuild, factories

CORPUS = factories.SHARED / "corpus" / "real-word"
REQUIRED = {
    "file",
    "sha256",
    "paragraphs",
    "accepted_text",
    "rejected_text",
    "changes",
    "comments",
    "authors",
    "warnings",
}


def accord(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the console script's entry point in a fresh interpreter, as a person would."""
    return subprocess.run(
        [sys.executable, "-c", "from flows.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict]:  # type: ignore[type-arg]
    if not (CORPUS / "manifest.json").exists():
        pytest.skip(f"the real-word corpus is not at {CORPUS}")
    return {entry["file"]: entry for entry in json.loads((CORPUS / "manifest.json").read_text())}


@pytest.mark.parametrize(
    "name",
    [
        "oxsdk_Comment024.docx",
        "oxpt_RP015-MoveFrom-MoveTo.docx",
        "docxreview_test_review_rich.docx",
    ],
)
def test_json_has_every_field_and_matches_the_corpus(name: str, manifest: dict) -> None:  # type: ignore[type-arg]
    done = accord("inspect", str(CORPUS / name), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert REQUIRED <= set(data)
    assert data["accepted_text"] == (CORPUS / name.replace(".docx", ".accepted.txt")).read_text(
        encoding="utf-8"
    )
    assert data["rejected_text"] == (CORPUS / name.replace(".docx", ".rejected.txt")).read_text(
        encoding="utf-8"
    )
    assert data["sha256"] == manifest[name]["sha256"]
    assert len(data["comments"]) == manifest[name]["counts"]["comments"]
    assert {"index", "para_id", "style", "text_accepted", "text_rejected"} <= set(
        data["paragraphs"][0]
    )
    for change in data["changes"]:
        assert {"id", "type", "author", "date", "paragraph", "text"} <= set(change)
    for comment in data["comments"]:
        assert {
            "id",
            "author",
            "initials",
            "date",
            "text",
            "anchor",
            "paragraph",
            "parent",
            "resolved",
        } <= set(comment)


def test_readable_summary_names_authors_and_counts() -> None:
    done = accord(
        "inspect", str(factories.shared_path("corpus/real-word/docxreview_test_review_rich.docx"))
    )
    assert done.returncode == 0, done.stderr
    assert "tracked changes" in done.stdout and "comments" in done.stdout


def _macro_docx() -> bytes:
    """A real declaration with a VBA project slipped in."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(factories.SAMPLE_ZERO_DRAFT) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(60))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, why",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "legacy"),
        (None, "macro"),
    ],
)
def test_a_refused_file_is_one_error_line_and_exit_2(
    content: bytes | None, why: str, tmp_path: Path
) -> None:
    path = tmp_path / "MX.docx"
    path.write_bytes(_macro_docx() if content is None else content)
    done = accord("inspect", str(path), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: MX.docx"), done.stderr
    assert why.lower() in lines[0].lower()
    assert "Traceback" not in done.stderr


def test_the_summary_prints_what_the_file_says_as_written(tmp_path: Path) -> None:
    """Authors and comments are text, not rich markup nor emoji codes: an author named "[/b]" once stopped
    `accord inspect` with "unexpected MarkupError", and ":smile:" became a smiley."""
    date = "2026-01-05T10:00:00Z"
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Water is </w:t></w:r>'
        f'<w:ins w:id="1" w:author="[/b]" w:date="{date}"><w:r><w:t>scarce</w:t></w:r></w:ins>'
        '<w:commentRangeStart w:id="0"/><w:r><w:t>.</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
    )
    comment = (
        f'<w:comment w:id="0" w:author="[bold]Chile[/bold]" w:date="{date}">'
        "<w:p><w:r><w:t>Agreed :smile: [red]</w:t></w:r></w:p></w:comment>"
    )
    path = tmp_path / "[b]CL:flag_cl:.docx"
    path.write_bytes(docxbuild.build_docx(body, comments_xml=comment))
    done = accord("inspect", str(path))
    assert done.returncode == 0, done.stderr
    assert "[b]CL:flag_cl:.docx  sha256" in done.stdout
    assert "[/b]" in done.stdout  # the author, in the table
    assert "💬 [bold]Chile[/bold]: 'Agreed :smile: [red]'" in done.stdout


def _through_typer(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command through the typer app with every command (what `accord inspect` ran before it had a path
    of its own)."""
    return subprocess.run(
        [sys.executable, "-c", "from flows.cli._app import full_app; full_app()()", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "case",
    ["summary", "json", "json-first", "missing", "folder", "pdf", "empty", "commented"],
)
def test_inspect_without_typer_says_what_the_typer_command_says(case: str, tmp_path: Path) -> None:
    """`accord inspect FILE [--json]` runs without typer (flows.cli._inspect): the same stdout, stderr and exit
    code as the typer command, on success and on every kind of refusal."""
    sample = str(factories.SAMPLE_ZERO_DRAFT)
    (tmp_path / "folder.docx").mkdir()
    (tmp_path / "MX.docx").write_bytes(b"%PDF-1.7\n...")
    (tmp_path / "empty.docx").write_bytes(b"")
    args = {
        "summary": ["inspect", sample],
        "json": ["inspect", sample, "--json"],
        "json-first": ["inspect", "--json", sample],
        "missing": ["inspect", str(tmp_path / "nothing.docx")],
        "folder": ["inspect", str(tmp_path / "folder.docx"), "--json"],
        "pdf": ["inspect", str(tmp_path / "MX.docx")],
        "empty": ["inspect", str(tmp_path / "empty.docx")],
        "commented": ["inspect", str(_commented_docx(tmp_path))],
    }[case]
    fast, typed = accord(*args), _through_typer(*args)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        typed.returncode,
        typed.stdout,
        typed.stderr,
    )
    assert fast.returncode == (0 if case in ("summary", "json", "json-first", "commented") else 2)


def _commented_docx(tmp_path: Path) -> Path:
    path = tmp_path / "commented.docx"
    comment = (
        '<w:comment w:id="0" w:author="Chile" w:date="2026-01-05T10:00:00Z">'
        "<w:p><w:r><w:t>Why?</w:t></w:r></w:p></w:comment>"
    )
    body = (
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Water.</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
    )
    path.write_bytes(docxbuild.build_docx(body, comments_xml=comment))
    return path
