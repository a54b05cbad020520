"""The document sink: every file accord writes goes through it, and lands under the home folder or a path the
user named (`--out`), never elsewhere, whatever a party code, slug or file name says."""

from __future__ import annotations

import os
import threading
import unicodedata
from pathlib import Path
from typing import Protocol

from drafting.errors import InvalidInput

MAX_NAME_BYTES = 255  # the longest file name ext4, APFS and NTFS all accept


def plain_name(name: str) -> str:
    """``name`` if it is one harmless path component; InvalidInput saying why otherwise."""
    why = _why_not_plain(name)
    if why:
        raise InvalidInput(
            f"refusing to write a file named {name[:80]!r}: {why}; "
            "check the party code, slug or file name it came from"
        )
    return name


def _why_not_plain(name: str) -> str:
    if name in ("", ".", ".."):
        return "it is not a file name"
    if "/" in name or "\\" in name:
        return "it contains a path separator"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return "it contains a control or invisible character"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"it is longer than {MAX_NAME_BYTES} bytes"
    return ""


def confine(root: Path, *names: str) -> Path:
    """``root`` joined with plain names, checked (after resolving links) to stay inside ``root``."""
    path = root.joinpath(*(plain_name(name) for name in names))
    inside(root, path)
    return path


def inside(root: Path, path: Path) -> Path:
    """``path`` if, resolved, it lies under ``root`` resolved; InvalidInput otherwise."""
    if "\x00" in str(path):
        raise InvalidInput(f"refusing to write {str(path)[:80]!r}: it contains a NUL character")
    real_root, real = root.resolve(), path.resolve()
    if real != real_root and real_root not in real.parents:
        raise InvalidInput(
            f"refusing to write {path}: it lies outside {root}; accord writes only there"
        )
    return path


class DocumentSink(Protocol):
    """The port: where derived documents go (the outbox folders, compilations, versions, pages the user asked for)."""

    def path(self, *names: str) -> Path:
        """A path under the home made of plain names."""
        ...

    def write(self, path: Path, data: bytes, *, root: Path | None = None) -> Path:
        """Write a document under the home (or ``root``); refuse a path outside it."""
        ...


class FolderSink:
    """Writes documents atomically under one root folder (the home), and at paths the user named."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, *names: str) -> Path:
        """A path under the root made of plain names (e.g. 'declarations', slug, 'outbox', party)."""
        return confine(self.root, *names)

    def write(self, path: Path, data: bytes, *, root: Path | None = None) -> Path:
        """Write a document atomically (a reader never sees half a file) under the home, or under ``root`` (the
        folder of a file the user named with `--out`); a path that resolves outside it is refused."""
        return _atomic(inside(self.root if root is None else root, path), data)

    def write_out(self, path: Path, data: bytes) -> Path:
        """Write the one file the user named on the command line (`--out`), atomically."""
        return write_out(path, data)


def write_out(path: Path, data: bytes) -> Path:
    """Write the one file the user named on the command line (`--out`), atomically (needs no home)."""
    return _atomic(confine(path.parent, path.name), data)


def _atomic(path: Path, data: bytes) -> Path:
    for name in path.parts[1:]:
        if len(name.encode("utf-8")) > MAX_NAME_BYTES:
            raise InvalidInput(
                f"refusing to write {str(path)[:80]}...: a name in it is longer than "
                f"{MAX_NAME_BYTES} bytes"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    # one temporary file per thread: two use cases in one process (the portal, serve) may write one page at once
    tmp = path.with_name(f".{path.name[:200]}.{os.getpid()}.{threading.get_ident()}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
