"""Function lengths in drafting/, storage/ and flows/: how many, p50, p90 and max, and the longest ones.

    .venv/bin/python bench/function_lengths.py              # the three packages, the 20 longest functions
    .venv/bin/python bench/function_lengths.py --top 50 flows/cli

A function's length is its body's lines after the docstring (blank lines and comments inside it included);
storage/migrations is left out (each migration is written once and never changed). The house style aims at a p90
of 15 lines; tests/unit/test_function_lengths.py keeps p90 from growing past the figure recorded there.
"""

from __future__ import annotations

import argparse
import ast
import signal
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("drafting", "storage", "flows")
LIMIT = 15  # the house style's p90


class Length(NamedTuple):
    lines: int
    path: str  # relative to the repository
    line: int  # where the def starts
    name: str


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of a function's body, its docstring left out."""
    body = node.body
    first = body[0]
    has_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    if not has_docstring:
        start = first.lineno
    elif len(body) > 1:
        start = body[1].lineno
    else:
        start = node.end_lineno or node.lineno
    return (node.end_lineno or node.lineno) - start + 1


def lengths(roots: list[Path]) -> Iterator[Length]:
    """Every function and method (nested ones too) in ``roots``, folders or files."""
    for root in roots:
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = path.resolve().relative_to(ROOT).as_posix()
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield Length(body_lines(node), where, node.lineno, node.name)


def p90(found: list[Length]) -> float:
    """The 90th percentile of the lengths (statistics.quantiles, exclusive method)."""
    return statistics.quantiles([f.lines for f in found], n=10)[8]


def summary(found: list[Length]) -> str:
    """One line: count, p50, p90, max, and how many are over the house limit."""
    over = sum(1 for f in found if f.lines > LIMIT)
    return (
        f"{len(found)} functions; p50 {statistics.median(f.lines for f in found):g} "
        f"p90 {p90(found):g} max {max(f.lines for f in found)}; {over} over {LIMIT} lines"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "roots", nargs="*", default=list(PACKAGES), help="folders or files to measure"
    )
    parser.add_argument("--top", type=int, default=20, help="how many of the longest to list")
    args = parser.parse_args(argv)
    found = list(lengths([ROOT / root for root in args.roots]))
    if not found:
        print(f"error: no Python functions under {' '.join(args.roots)}", file=sys.stderr)
        return 2
    print(summary(found))
    print(f"\nthe {args.top} longest:")
    for item in sorted(found, key=lambda f: (-f.lines, f.path, f.line))[: args.top]:
        print(f"{item.lines:5d}  {item.path}:{item.line} {item.name}")
    by_file = Counter(f.path for f in found if f.lines > LIMIT)
    print(f"\nfiles with the most functions over {LIMIT} lines:")
    for path, count in by_file.most_common(10):
        print(f"{count:5d}  {path}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    sys.exit(main(sys.argv[1:]))
