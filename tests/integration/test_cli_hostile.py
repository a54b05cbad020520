"""No traceback, ever; limits before reading (issue 12, findings 9, 10 and 11): every command driven with hostile
arguments and environments ends in exit 0, 1 or 2, and a refusal is one `error:` line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from flows.cli import app as cli
from tests import factories

SLUG = "eu-celac"


class Home:
    """A home with the 6-party declaration created, and hostile files beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.files = root / "files"
        self.zero, self.csv = factories.write_inputs(self.files, n=6)
        self.runner = CliRunner()

    def run(
        self, *args: str | Path, env: dict[str, str] | None = None, home: Path | None = None
    ) -> Any:
        """Run accord in-process; an exception escaping the command fails the test here, with its traceback."""
        argv = [str(a) for a in args] + (
            [] if args[0] == "inspect" else ["--home", str(home or self.home)]
        )
        environment = {
            "ACCORD_DATABASE_URL": None,
            "ACCORD_HOME": None,
            "PREFECT_API_URL": None,
            **(env or {}),
        }
        result = self.runner.invoke(cli, argv, env=environment, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"accord {argv} raised {result.exception!r}") from result.exception
        assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
        assert "Traceback" not in result.output and "unexpected " not in result.stderr, (
            argv,
            result.output,
        )
        if (
            result.exit_code and "Usage:" not in result.stderr
        ):  # typer's own usage errors keep their box
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), (argv, result.stderr)
        return result

    def refused(self, *args: str | Path, code: int = 2, **options: Any) -> str:
        result = self.run(*args, **options)
        assert result.exit_code == code, (args, result.output)
        return str(result.stderr.strip())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    made = Home(tmp_path_factory.mktemp("hostile"))
    made.run(
        "declaration",
        "create",
        SLUG,
        "--title",
        "T",
        "--zero-draft",
        made.zero,
        "--parties",
        made.csv,
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
    )
    yield made


# -- each finding, reproduced ---------------------------------------------------------------------------------------


def test_a_date_past_the_last_utc_moment_is_refused_in_words(home: Home) -> None:
    """Regression: OverflowError traceback on ba8d25a."""
    message = home.refused("round", "open", SLUG, "--deadline", "9999-12-31T23:59:59-23:59")
    assert message.startswith(
        "error: --deadline 9999-12-31T23:59:59-23:59 is more than 100 years ahead"
    )


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("nonsense", "the database URL is not one accord can use"),
        ("nosuchdb://x/y", "the database URL is not one accord can use"),
        (
            "postgresql://accord@127.0.0.1:9/accord",
            "cannot reach the database",
        ),  # nothing listens on port 9
    ],
)
def test_a_bad_or_unreachable_database_is_one_error_line(
    home: Home, url: str, fragment: str
) -> None:
    """Regression: ArgumentError / OperationalError tracebacks on ba8d25a."""
    assert fragment in home.refused("status", SLUG, env={"ACCORD_DATABASE_URL": url})


def test_a_corrupt_sqlite_file_is_one_error_line(home: Home, tmp_path: Path) -> None:
    """Regression: DatabaseError traceback on ba8d25a."""
    (tmp_path / "accord.db").write_bytes(b"this is not a database, it is a shopping list" * 100)
    assert "the database is damaged" in home.refused("status", SLUG, home=tmp_path)


def test_a_home_that_is_a_file_is_one_error_line(home: Home) -> None:
    """Regression: FileExistsError / NotADirectoryError tracebacks on ba8d25a."""
    message = home.refused(
        "declaration",
        "create",
        "other",
        "--title",
        "T",
        "--zero-draft",
        home.zero,
        "--parties",
        home.csv,
        "--co-presidency",
        "ES",
        "--co-presidency",
        "BO",
        home=home.csv,
    )
    assert "a file stands where accord needs a folder" in message
    assert "no accord database there" in home.refused("status", SLUG, home=home.csv)


def test_a_full_disk_is_one_error_line(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: OSError (ENOSPC) traceback on ba8d25a. The disk fills while the redline is made (simulated:
    writes are confined to the home or --out now, so /dev/full cannot stand in for the output any more)."""
    import errno

    import flows.usecases.redline

    def full(*args: Any, **kwargs: Any) -> bytes:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "redline.docx"))

    monkeypatch.setattr(flows.usecases.redline, "redline_files", full)
    message = home.refused("diff", home.zero, home.zero, "--out", tmp_path / "redline.docx")
    assert "the disk is full" in message


def test_status_on_a_missing_home_does_not_create_it(home: Home, tmp_path: Path) -> None:
    """Regression: `status` created the home folder and an empty database on ba8d25a."""
    missing = tmp_path / "nowhere"
    assert "no accord database there" in home.refused("status", SLUG, home=missing)
    assert not missing.exists()


def test_a_device_is_refused_before_it_is_read(home: Home) -> None:
    """Regression: `inspect /dev/zero` read until 6 GB on ba8d25a (do not run this one there)."""
    assert "not a regular file" in home.refused("inspect", "/dev/zero")


def test_an_oversized_decisions_file_is_refused_before_it_is_read(
    home: Home, tmp_path: Path
) -> None:
    """Regression: a 43 MB decisions file was read whole (525 MB) on ba8d25a."""
    big = tmp_path / "decisions.json"
    with big.open("wb") as handle:  # sparse: 43 MB that cost no disk
        handle.truncate(43 * 1024 * 1024)
    message = home.refused("decide", SLUG, big, "--party", "ES")
    assert "45,088,768 bytes, more than a decisions file may have (2,097,152)" in message


def test_an_oversized_parties_file_is_refused_before_it_is_read(home: Home, tmp_path: Path) -> None:
    """Issue 12, "limits before reading" for the CSV: a 1 GiB parties file (sparse) is refused by its size, and
    no declaration is made (the unit tests check the size of bytes already read, not the command's edge)."""
    big = tmp_path / "parties.csv"
    with big.open("wb") as handle:
        handle.truncate(1024**3)
    message = home.refused(
        "declaration", "create", "other", "--title", "T", "--zero-draft", home.zero,
        "--parties", big, "--co-presidency", "ES", "--co-presidency", "BO",
    )  # fmt: skip
    assert "1,073,741,824 bytes, more than a parties file may have (262,144)" in message
    assert "other" not in home.run("declaration", "list").stdout


@pytest.mark.parametrize("other", ["EU-CELAC", "Eu-celac", "еu-celac"])  # the last: a Cyrillic е
def test_a_slug_differing_only_by_case_or_by_a_homoglyph_is_refused_at_create(
    home: Home, other: str
) -> None:
    """Issue 12, finding 11: slugs that differ only by case collide on macOS, Windows and SMB shares; one that
    hides a homoglyph looks like another. Refused at the edge, naming the value and the rule; nothing made."""
    message = home.refused(
        "declaration", "create", other, "--title", "T", "--zero-draft", home.zero,
        "--parties", home.csv, "--co-presidency", "ES", "--co-presidency", "BO",
    )  # fmt: skip
    assert f"slug '{other}' is not a declaration slug: it must be" in message
    listed = home.run("declaration", "list").stdout
    assert SLUG in listed and other not in listed
    assert sorted(p.name for p in (home.home / "declarations").iterdir()) == [SLUG]


def test_a_key_file_is_checked_before_it_is_read(home: Home, tmp_path: Path) -> None:
    """Regression found by the fuzz test below (issue 12, finding 10's kind): `key show --key-file /dev/zero` read
    until memory ran out (23 GB, then the kernel killed it). Only a regular file of a key's size is read."""
    assert "not a regular file" in home.refused("key", "show", "--key-file", "/dev/null")
    big = tmp_path / "secretariat.key"
    with big.open("wb") as handle:  # sparse: 1 GiB that costs no disk
        handle.truncate(1024**3)
    big.chmod(0o600)
    assert "1,073,741,824 bytes, more than a key file has (16,384)" in home.refused(
        "key", "show", "--key-file", big
    )


def test_an_objection_reason_has_a_length_limit(home: Home) -> None:
    """Regression: reasons of any length went into the record on ba8d25a."""
    assert "more than 2,000" in home.refused(
        "object", SLUG, "--party", "MX", "--reason", "x" * 5000
    )


@pytest.mark.parametrize(
    "variable, value",
    [
        ("ACCORD_MAX_UPLOAD_BYTES", "lots"),
        ("ACCORD_MAX_UPLOAD_BYTES", "inf"),
        ("ACCORD_MAX_UPLOAD_BYTES", "-1"),
        ("ACCORD_REMINDER_HOURS", "nan"),
        ("ACCORD_HOME", "/dev/null"),
    ],
)
def test_a_hostile_environment_is_one_error_line(home: Home, variable: str, value: str) -> None:
    """Regression: ValueError / OverflowError tracebacks on ba8d25a for the upload limit."""
    home.refused(
        "status",
        SLUG,
        env={variable: value},
        home=home.home if variable != "ACCORD_HOME" else Path(value),
    )


# -- every command, fuzzed -------------------------------------------------------------------------------------------

_TEXT = st.sampled_from(
    [
        "",
        "MX",
        "ES",
        "BO",
        SLUG,
        "../../x",
        "/tmp/x/ABSOLUTE",
        "a\nb",
        "\u202eMX",
        "M\u200bX",
        "secretariat",
        "x" * 3000,
        "-1",
        "9999-12-31T23:59:59-23:59",
        "2026-13-45",
        "Rev.1",
        "Zero draft",
        "1:abc",
        "nan",
    ]
) | st.text(max_size=12)


def _files(home: Home) -> st.SearchStrategy[str]:
    deep = home.files / "deep.json"
    if not deep.exists():
        deep.write_text("[" * 100_000 + "]" * 100_000)
        (home.files / "notes.txt").write_text("Dear colleagues")
    names = [
        home.zero,
        home.csv,
        deep,
        home.files / "notes.txt",
        home.files,
        home.files / "missing.docx",
        "/dev/zero",
        "/dev/null",
    ]
    return st.sampled_from([str(name) for name in names])


def _commands(home: Home) -> st.SearchStrategy[list[str]]:
    t, f = _TEXT, _files(home)
    shapes = [
        st.tuples(st.just("inspect"), f),
        st.tuples(
            st.just("declaration"),
            st.just("create"),
            t,
            st.just("--title"),
            t,
            st.just("--zero-draft"),
            f,
            st.just("--parties"),
            f,
            st.just("--co-presidency"),
            t,
            st.just("--co-presidency"),
            t,
            st.just("--timezone"),
            t,
        ),
        st.tuples(st.just("round"), st.just("open"), t, st.just("--deadline"), t),
        st.tuples(st.just("round"), st.just("close"), t),
        st.tuples(st.just("submit"), t, f, st.just("--party"), t),
        st.tuples(
            st.sampled_from(
                ["status", "log", "revise", "agree", "tick", "resend", "replay", "history"]
            ),
            t,
        ),
        st.tuples(st.just("verify"), t, st.just("--anchor"), t, st.just("--key"), t),
        st.tuples(st.just("key"), st.just("show"), st.just("--key-file"), f),
        st.tuples(st.just("decide"), t, f, st.just("--party"), t),
        st.tuples(st.just("approve"), t, st.just("--party"), t),
        st.tuples(st.just("diff"), t, t, t, st.just("--author"), t),
        st.tuples(st.just("silence"), t, st.just("--until"), t),
        st.tuples(st.just("object"), t, st.just("--party"), t, st.just("--reason"), t),
        st.tuples(st.just("route"), t),
        st.tuples(st.just("blame"), t, st.just("--version"), t),
        st.tuples(
            st.just("export"),
            t,
            st.just("--version"),
            t,
            st.just("--akn"),
            st.sampled_from([str(home.root / "out" / "text.xml"), "/dev/full", str(home.files)]),
        ),
        st.tuples(st.just("edit"), t, st.just("--file"), f, st.just("--reason"), t),
        st.tuples(
            st.just("archive"),
            t,
            st.just("--out"),
            st.just(str(home.root / "out" / "bundle.zip")),
            st.just("--no-pdf"),
        ),
    ]
    return st.one_of(shapes).map(list)


def test_no_command_ends_in_a_traceback(home: Home) -> None:
    """Any command, any of these arguments: exit 0, 1 or 2 and at most one `error:` line (checked in ``run``)."""

    @settings(
        max_examples=int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "60")),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(argv=_commands(home))
    def run(argv: list[str]) -> None:
        home.run(*argv)

    run()
