"""Runs `accord ... --home HOME` in-process, through typer's CliRunner (about 0.1 s a command), for the tests of
the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from flows.cli import app as cli


class Accord:
    """Runs `accord ... --home HOME` in-process and keeps the result."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Any:
        result = self.runner.invoke(cli, [*args, "--home", str(self.home)], catch_exceptions=False)
        assert result.exit_code == code, (
            f"accord {' '.join(args)} -> {result.exit_code}\n{result.output}"
        )
        return result

    def refused(self, *args: str) -> str:
        """Run a command that must be refused: exit 2, nothing on stdout, one `error:` line on stderr."""
        result = self(*args, code=2)
        assert result.stdout == ""
        return one_error_line(result.stderr)

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


def one_error_line(stderr: str) -> str:
    """The single `error:` line a refusal prints, with no traceback."""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]
