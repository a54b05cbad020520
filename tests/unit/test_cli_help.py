"""Every `accord` command, subcommands included, has help text and an `Example:` line that runs that command.

The click command tree is walked by duck typing: typer 0.29 ships its own copy of click (``typer._click``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from flows.cli import app


def _tree() -> Any:
    return typer.main.get_command(app)


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    if _is_group(command):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], (*path, name))
    return found


def _is_group(command: Any) -> bool:
    return isinstance(getattr(command, "commands", None), dict)


COMMANDS = _walk(_tree())
LEAVES = [(path, command) for path, command in COMMANDS if not _is_group(command)]
GROUPS = [(path, command) for path, command in COMMANDS if _is_group(command)]


def _id(path: tuple[str, ...]) -> str:
    return " ".join(("accord", *path))


def test_the_tree_has_the_negotiation_commands() -> None:
    names = {_id(path) for path, _ in LEAVES}
    assert {
        "accord declaration create",
        "accord round open",
        "accord round close",
        "accord submit",
        "accord status",
        "accord log",
        "accord verify",
        "accord inspect",
    } <= names


@pytest.mark.parametrize("path, command", GROUPS, ids=[_id(p) for p, _ in GROUPS])
def test_every_group_says_what_it_is_for(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"{_id(path)} has no help text"


@pytest.mark.parametrize("path, command", LEAVES, ids=[_id(p) for p, _ in LEAVES])
def test_every_command_has_help_and_an_example(path: tuple[str, ...], command: Any) -> None:
    help_text = (command.help or "").strip()
    assert help_text, f"{_id(path)} has no help text"
    assert (command.short_help or help_text.splitlines()[0]).strip(), (
        f"{_id(path)} has no one-line summary"
    )
    examples = [
        line.strip() for line in help_text.splitlines() if line.strip().startswith("Example:")
    ]
    assert examples, f"{_id(path)}: add an 'Example: {_id(path)} ...' line to its docstring"
    assert all(e.removeprefix("Example:").strip().startswith(_id(path)) for e in examples), (
        f"{_id(path)}: the example must run this very command: {examples}"
    )
    for parameter in command.params:
        if getattr(parameter, "param_type_name", "") == "option" and not parameter.hidden:
            assert parameter.help, f"{_id(path)}: option {parameter.opts[0]} has no help text"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[_id(p) for p, _ in COMMANDS])
def test_help_prints_for_every_command(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    if not _is_group(dict(COMMANDS)[path]):
        assert "Example:" in result.output


PANELS = ["Set up", "Rounds", "Decisions", "Silence and agreement", "Audit", "Operations"]
WORKFLOW = [
    "declaration",
    "round",
    "submit",
    "decide",
    "approve",
    "silence",
    "agree",
    "verify",
    "archive",
]
PYTHON_TYPE = re.compile(
    r"<[a-z_]+(\[[^\]]*\])?>"
)  # what typer prints by default: <str>, <list[str]>, <bool>


def _help(*path: str) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def test_top_level_help_groups_commands_in_workflow_order() -> None:
    output = _help()
    positions = [output.index(f"─ {panel} ─") for panel in PANELS]
    assert positions == sorted(positions), "panels out of workflow order"
    assert "─ Commands ─" not in output, "a command has no panel (give it a rich_help_panel)"
    lines = {
        line.split()[1]: i
        for i, line in enumerate(output.splitlines())
        if line.startswith("│ ") and len(line.split()) > 1
    }
    assert [lines[name] for name in WORKFLOW] == sorted(lines[name] for name in WORKFLOW), lines


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[_id(p) for p, _ in COMMANDS])
def test_help_shows_no_python_types(path: tuple[str, ...]) -> None:
    found = PYTHON_TYPE.search(_help(*path))
    assert found is None, (
        f"{_id(path)} --help shows {found.group(0) if found else ''}; name the value in words"
    )


@pytest.mark.parametrize("command", ["decide", "approve"])
def test_party_of_a_decision_is_a_co_presidency(command: str) -> None:
    option = next(p for p in dict(LEAVES)[(command,)].params if "--party" in p.opts)
    assert "co-presidenc" in option.help


def test_declarations_can_be_listed_and_an_early_close_confirmed() -> None:
    assert ("declaration", "list") in dict(LEAVES)
    close = dict(LEAVES)[("round", "close")]
    assert any("--yes" in p.opts for p in close.params)
    assert "--yes" in _help("round", "close")
