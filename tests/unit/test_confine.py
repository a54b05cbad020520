"""Every file accord writes is confined: hostile names are refused before anything is written, anywhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafting.errors import InvalidInput
from flows.adapters.files import FolderSink, confine, plain_name, write_out
from tests.fakes import MemorySink

HOSTILE = [
    "../../x",
    "..",
    ".",
    "",
    "/tmp/x/ABSOLUTE",
    "a/b",
    "a\\b",
    "A\x00B",
    "MX\n",
    "x" * 256,
    "é" * 128,
    "MX\u202e",
    "M\u200bX",
]


def _everything(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_a_hostile_name_is_refused_in_words(name: str) -> None:
    with pytest.raises(InvalidInput, match="refusing to write"):
        plain_name(name)


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_the_sink_writes_nothing_for_a_hostile_name(tmp_path: Path, name: str) -> None:
    home = tmp_path / "home"
    sink = FolderSink(home)
    with pytest.raises(InvalidInput):
        sink.write(sink.path("declarations", "eu-celac", "outbox", name, "copy.docx"), b"data")
    with pytest.raises(InvalidInput):
        sink.write(sink.path("declarations", name), b"data")
    assert _everything(tmp_path) == set(), "nothing written, not even a folder"


def test_plain_names_pass_and_land_under_the_home(tmp_path: Path) -> None:
    sink = FolderSink(tmp_path / "home")
    written = sink.write(
        sink.path("declarations", "eu-celac", "outbox", "MX", "eu-celac-Rev.1-MX.docx"), b"data"
    )
    assert written.read_bytes() == b"data"
    assert (tmp_path / "home") in written.parents
    assert [p.name for p in written.parent.iterdir()] == [written.name], (
        "no temporary file left beside it"
    )


@pytest.mark.parametrize(
    "outside", ["../outside.docx", "/tmp/accord-outside.docx", "a/../../outside.docx"]
)
def test_a_path_built_around_the_checks_is_still_refused(tmp_path: Path, outside: str) -> None:
    home = tmp_path / "home"
    with pytest.raises(InvalidInput, match="outside"):
        FolderSink(home).write(home / outside, b"data")
    assert (
        not (tmp_path / "outside.docx").exists() and not Path("/tmp/accord-outside.docx").exists()
    )


def test_a_link_out_of_the_home_is_not_followed(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    (home / "declarations").mkdir(parents=True)
    elsewhere.mkdir()
    os.symlink(elsewhere, home / "declarations" / "eu-celac")
    sink = FolderSink(home)
    with pytest.raises(InvalidInput, match="outside"):
        sink.write(home / "declarations" / "eu-celac" / "copy.docx", b"data")
    with pytest.raises(InvalidInput, match="outside"):
        confine(home, "declarations", "eu-celac", "copy.docx")
    assert list(elsewhere.iterdir()) == []


def test_the_users_out_is_written_where_named_and_only_there(tmp_path: Path) -> None:
    out = tmp_path / "chosen" / "redline.docx"
    assert write_out(out, b"data").read_bytes() == b"data"
    with pytest.raises(InvalidInput):
        write_out(tmp_path / ("x" * 300 + ".docx"), b"data")
    with pytest.raises(InvalidInput):
        FolderSink(tmp_path / "home").write(
            tmp_path / "chosen" / "documents" / ".." / ".." / "x", b"", root=out.parent
        )


def test_the_memory_sink_refuses_what_the_folder_sink_refuses(tmp_path: Path) -> None:
    sink = MemorySink(tmp_path / "home")
    sink.write(sink.path("declarations", "eu-celac", "a.txt"), b"a")
    with pytest.raises(InvalidInput):
        sink.write(tmp_path / "home" / ".." / "x", b"x")
    assert list(sink.files.values()) == [b"a"] and not list(tmp_path.iterdir())


def test_threads_writing_one_file_at_once_each_replace_it_whole(tmp_path: Path) -> None:
    """Two use cases in one process (the portal, serve) publish the same page at once: each write goes through
    its own temporary file (one per process was shared, and a thread's rename found it gone)."""
    import threading

    sink = FolderSink(tmp_path / "home")
    path = sink.path("declarations", "eu-celac", "index.html")
    payloads = [bytes([65 + i]) * 200_000 for i in range(8)]
    start, failures = threading.Barrier(len(payloads)), []

    def write(data: bytes) -> None:
        start.wait()
        try:
            for _ in range(20):
                sink.write(path, data)
        except OSError as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert path.read_bytes() in payloads
    assert [p.name for p in path.parent.iterdir()] == ["index.html"]
