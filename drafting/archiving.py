"""The archive bundle as values: the seal that vouches for its pages, texts.json, the README, the manifest and
the deterministic zip. The archive use case (flows/usecases/archive.py) loads the records, calls these and
records the seal; the bundle's verify.py checks what they make."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePosixPath
from typing import Any

from drafting.canonical import GENESIS, sha256_hex
from drafting.events import DeclarationArchived
from drafting.negotiation import Event, Version, VersionState

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PDF = "application/pdf"
_MEDIA_TYPES = {".pdf": PDF, ".html": "text/html", ".json": "application/json"}


def media_type(name: str) -> str:
    """The media type a page of the bundle is stored with."""
    return _MEDIA_TYPES.get(PurePosixPath(name).suffix, "text/plain")


def pretty(value: Any) -> bytes:
    """A JSON page of the bundle: sorted keys, one space of indent, UTF-8, a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def reusable(last: Event, label: str, pdf: bytes | None, signing: bool) -> bool:
    """The log's last event already seals this version, with this PDF (or none), signed if a key is given now:
    sealing again would record nothing new."""
    payload = last.payload
    if last.type != DeclarationArchived.TYPE or not isinstance(payload.get("files"), dict):
        return False
    if payload.get("version") != label:
        return False
    if payload.get("pdf") != (sha256_hex(pdf) if pdf is not None else None):
        return False
    return not signing or "signature" in payload


def agreed_or_current(versions: list[Version]) -> Version:
    """The latest agreed version, else the current one."""
    agreed = [v for v in versions if v.state is VersionState.AGREED]
    return (agreed or versions)[-1]


def seal(
    agreed: Version, log: list[Event], pages: dict[str, str], pdf_name: str, by: str | None
) -> DeclarationArchived:
    """The seal of ``agreed`` after ``log``: every page of the bundle by name and sha256 (``pdf_name``: the
    agreed text's PDF among them, when there is one), unsigned."""
    return DeclarationArchived(
        version=agreed.label,
        state=agreed.state.value,
        text_sha256=agreed.text_sha256,
        events=len(log),
        head=log[-1].hash if log else GENESIS,
        files=pages,
        pdf=pages.get(pdf_name),
        by=by or None,
    )


def version_texts(versions: list[Version]) -> list[dict[str, Any]]:
    """texts.json's versions: each one's text and lineage (and its text in each further language)."""
    return [_version_text(v) for v in versions]


def _version_text(version: Version) -> dict[str, Any]:
    content = version.content
    entry = {
        "label": version.label,
        "number": version.number,
        "parent": version.parent,
        "round": content.round,
        "text": content.text.model_dump(mode="json"),
        "lineage": content.lineage,
    }
    # a declaration in several languages: its text in each further language
    if content.translations:
        entry["translations"] = {
            lang: t.text.model_dump(mode="json") for lang, t in content.translations.items()
        }
    return entry


def manifest(
    title: str, sealed: DeclarationArchived, log: list[Event], files: dict[str, bytes]
) -> dict[str, Any]:
    """manifest.json but its format and declaration: the agreed text as sealed, the log's head, the sha256 of
    every file."""
    return {
        "title": title,
        "agreed": {
            "version": sealed.version,
            "state": sealed.state,
            "text_sha256": sealed.text_sha256,
        },
        "events": {"count": len(log), "head": log[-1].hash},
        "files": {name: sha256_hex(data) for name, data in sorted(files.items())},
    }


def _languages_line(languages: list[str]) -> str:
    """The README's line on the further languages' blame pages (none in a declaration in one language)."""
    return "".join(f"blame.{lang}.html  the same for the text in {lang}\n" for lang in languages)


def readme(slug: str, title: str, label: str, languages: list[str]) -> str:
    """README.txt: what the bundle holds and how to verify it."""
    return (
        f"{title}\nArchive of declaration {slug}: {label} and its whole record, sealed by accord.\n\n"
        "Verify it with nothing but Python 3.8+:  python3 verify.py   (or: python3 verify.py BUNDLE.zip)\n"
        "It checks every file against manifest.json, the hash chain of events.jsonl, that the log vouches for\n"
        "every file (documents by the sha256 their events name, this bundle's pages by the sha256 its seal,\n"
        "the last event, records), and recomputes the agreed text from the zero draft and the recorded\n"
        "operations of every revision (texts.json). With --key PUBLIC_KEY (the secretariat's, as\n"
        "`accord key show` prints it) it checks the signed head: a log rewritten without the key fails.\n\n"
        "agreed/      the agreed (or current) text, .docx and PDF\n"
        "versions/    every version as issued        zero-draft/  the zero draft as uploaded\n"
        "rounds/      per round: submissions, compilation and synopsis, decisions\n"
        "editorial/   files of recorded editorial changes\n"
        "history.html the timeline a person reads     blame.html   where every character of the text comes from\n"
        f"{_languages_line(languages)}"
        "agreed.akn.xml  the agreed (or current) text as Akoma Ntoso 3.0 (OASIS LegalDocML)\n"
    )


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deterministic zip: sorted names, fixed times and permissions, maximum deflate."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 3
            info.external_attr = (0o755 if name == "verify.py" else 0o644) << 16
            bundle.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
