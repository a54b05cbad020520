"""A whole negotiation for the audit tests and bench/replay.py: rounds of real Word submissions with tracked changes,
decisions by both co-presidencies (some disagreements -> brackets), approvals, a final round that resolves the
brackets, agreement. And the attacker's tools: SQL behind accord's back, edits inside a bundle.

The clock moves only between actions (``StepClock.step``), as in life: one action reads one moment however often
it looks at the clock.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests import factories

BRACKETS = re.compile(r"\[([^\[\]]*)\]")


class StepClock:
    """A clock that reads the same moment until ``step`` moves it on."""

    def __init__(self, start: datetime = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def step(self, **delta: float) -> datetime:
        """Move on (one minute unless told otherwise)."""
        self.moment += timedelta(**(delta or {"minutes": 1}))
        return self.moment


@dataclass
class Negotiation:
    """What the scenario did, for assertions."""

    slug: str
    rounds: int = 0
    submissions: int = 0
    proposals: int = 0
    versions: list[str] = field(default_factory=list)
    agreed: str | None = None


def current_text(app: Any, slug: str) -> Any:
    """The current version's label and text."""
    from flows.usecases.texts import version_text

    with app.store.reading() as uow:
        row = uow.repo.current_version(uow.repo.declaration(slug))
        return row.label, version_text(row)


def amend(texts: list[str], index: int, name: str, number: int) -> list[str]:
    """The party drops a word of one paragraph and adds a clause to it."""
    out = list(texts)
    words = out[index].split(" ")
    if len(words) > 3:
        del words[2]
    out[index] = " ".join(words) + f" {name} adds clause {number}."
    return out


def resolve(base: Any) -> list[str]:
    """Every bracketed paragraph resolved: the last alternative of each bracket, brackets removed."""
    return [
        BRACKETS.sub(lambda m: m.group(1).split(" / ")[-1], p.text)
        if p.status == "bracketed"
        else p.text
        for p in base.paragraphs
    ]


def submission(
    app: Any, slug: str, code: str, label: str, base: Any, texts: list[str], round_number: int
) -> bytes:
    """A party's Word file: its changes to the round's base as tracked changes, stamped like its outbox copy."""
    from drafting.redline import redline_document

    name = factories.NAMES.get(code, code)
    changed = next(
        (i for i, (a, b) in enumerate(zip(texts, (p.text for p in base.paragraphs))) if a != b), 0
    )
    return redline_document(
        factories.zero_draft(),
        base,
        texts,
        author=name,
        date=factories.REDLINE_DATE,
        comments={changed: f"{name}: our national position (round {round_number})."},
        stamp=factories.stamp(code, slug=slug, version=label, round_number=round_number),
    )


def negotiate(
    app: Any,
    clock: StepClock,
    *,
    slug: str = "audit",
    parties: int = 8,
    rounds: int = 2,
    submitters: int | None = None,
    agree: bool = True,
) -> Negotiation:
    """Create the declaration and run ``rounds`` rounds; the last one resolves every bracket and is agreed."""
    from flows.usecases.submissions import submit

    done = Negotiation(slug=slug)
    factories.create_declaration(app, slug=slug, n=parties)
    delegations = factories.delegations(parties)[: submitters or None]
    for number in range(1, rounds + 1):
        last = number == rounds
        _open(app, clock, slug)
        label, base = current_text(app, slug)
        texts = [p.text for p in base.paragraphs]
        free = [
            i
            for i, p in enumerate(base.paragraphs)
            if len(p.text.split()) >= 6 and "[" not in p.text
        ]
        for j, code in enumerate(delegations):
            clock.step()
            if j == 0 and number > 1:
                mine = resolve(base)
            else:
                mine = amend(
                    texts,
                    free[(j + 7 * number) % len(free)],
                    factories.NAMES.get(code, code),
                    number,
                )
            data = submission(app, slug, code, label, base, mine, number)
            submit(app, slug, party=code, data=data, filename=f"{code}-round-{number}.docx")
            done.submissions += 1
        if number == 1 and len(delegations) > 1:
            _conflict(app, clock, slug, label, base, texts, delegations[:2])
        done.proposals += _decide(app, clock, slug, accept_all=last)
        done.rounds = number
        done.versions.append(current_text(app, slug)[0])
    if agree and not current_text(app, slug)[1].bracketed():
        from flows.usecases.silence import agree as agree_text

        clock.step()
        done.agreed = agree_text(app, slug)
    return done


def _open(app: Any, clock: StepClock, slug: str) -> None:
    from flows.usecases.rounds import open_round

    clock.step(hours=1)
    open_round(app, slug, deadline=(clock.moment + timedelta(days=7)).isoformat())


def _conflict(
    app: Any, clock: StepClock, slug: str, label: str, base: Any, texts: list[str], codes: list[str]
) -> None:
    """Two parties rewrite the same words differently (a conflict group); the second file supersedes its first."""
    from flows.usecases.submissions import submit

    index = next(i for i, t in enumerate(texts) if "Charter of the United Nations" in t)
    for code, words in zip(
        codes, ("the UN Charter", "the Charter of the United Nations and human rights law")
    ):
        clock.step()
        mine = list(texts)
        mine[index] = texts[index].replace("the Charter of the United Nations", words)
        data = submission(app, slug, code, label, base, mine, 1)
        submit(app, slug, party=code, data=data, filename=f"{code}-round-1-revised.docx")


def _decide(app: Any, clock: StepClock, slug: str, *, accept_all: bool) -> int:
    """Close, compile; ES accepts everything (in a conflict, its first alternative), BO rejects every third
    proposal (a whole conflict) unless ``accept_all``; approve."""
    from flows.usecases.compile import close_and_compile
    from flows.usecases.decide import approve, decide

    clock.step(days=7, minutes=1)
    result = close_and_compile(app, slug)
    synopsis = json.loads(
        Path(next(p for p in result.paths if p.endswith("synopsis.json"))).read_text()
    )
    proposals = [p for row in synopsis["paragraphs"] for p in row["proposals"]]
    ids = [p["id"] for p in proposals]
    first = {}  # a conflict is decided whole: its first alternative is the one accepted
    for p in proposals:
        first.setdefault(p["conflict"], p["id"])
    es = {
        p["id"]: "accept" if p["conflict"] is None or first[p["conflict"]] == p["id"] else "reject"
        for p in proposals
    }
    bo_rejects = {
        p["conflict"] or p["id"] for n, p in enumerate(proposals) if n % 3 == 1 and not accept_all
    }
    votes = {
        "ES": es,
        "BO": {
            i: "reject" if (p["conflict"] or i) in bo_rejects else es[i]
            for i, p in zip(ids, proposals, strict=True)
        },
    }
    for party in ("ES", "BO"):
        clock.step(hours=2)
        decide(
            app,
            slug,
            party=party,
            data=json.dumps({"decisions": votes[party]}).encode(),
            filename=f"{party}.json",
        )
    for party in ("BO", "ES"):
        clock.step(hours=1)
        approve(app, slug, party=party)
    return len(ids)


# --- the attacker's tools, and running a bundle's verify.py --------------------------------------------------


def sql(home: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    """Change the database behind accord's back, first dropping the append-only triggers as an attacker would."""
    connection = sqlite3.connect(home / "accord.db")
    connection.execute("DROP TRIGGER IF EXISTS events_no_update")
    connection.execute("DROP TRIGGER IF EXISTS events_no_delete")
    for statement in statements:
        connection.execute(statement, params if "?" in statement else ())
    connection.commit()
    connection.close()


def query(home: Path, statement: str) -> list[tuple[Any, ...]]:
    """Read the database directly."""
    connection = sqlite3.connect(home / "accord.db")
    rows = connection.execute(statement).fetchall()
    connection.close()
    return rows


def verify_py(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a bundle's verify.py with the standard library alone (-I -S: no site-packages, no PYTHONPATH)."""
    script = target / "verify.py" if target.is_dir() else target
    return subprocess.run(
        [sys.executable, "-I", "-S", str(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def unpack(bundle: Path, folder: Path) -> Path:
    """Unzip a bundle into a folder."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder


def flip_document(home: Path, table: str) -> None:
    """Change one byte of the first document of a table (submissions, or artifacts: a compilation)."""
    digest = query(home, f"SELECT blob_sha256 FROM {table} ORDER BY id LIMIT 1")[0][0]
    data = bytearray(query(home, f"SELECT data FROM blobs WHERE sha256 = '{digest}'")[0][0])
    data[len(data) // 2] ^= 0x20
    sql(home, f"UPDATE blobs SET data = ? WHERE sha256 = '{digest}'", params=(bytes(data),))


def silent_edit(
    home: Path, old: str = "cooperation", new: str = "unconditional cooperation"
) -> None:
    """The pen-holder's silent edit: Rev.2's stored text changed, no event, no lineage."""
    meta = json.loads(query(home, "SELECT meta FROM versions WHERE label = 'Rev.2'")[0][0])
    paragraph = next(p for p in meta["text"]["paragraphs"] if old in p["text"])
    paragraph["text"] = paragraph["text"].replace(old, new, 1)
    sql(home, "UPDATE versions SET meta = ? WHERE label = 'Rev.2'", params=(json.dumps(meta),))


def rewrite(
    bundle: Path, name: str, change: Callable[[bytes], bytes], *, manifest: bool = True
) -> None:
    """Change a file of an unpacked bundle, and (unless told not to) its sha256 in the manifest too."""
    from drafting.canonical import sha256_hex

    path = bundle / name
    path.write_bytes(change(path.read_bytes()))
    if manifest:
        listed = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        listed["files"][name] = sha256_hex(path.read_bytes())
        (bundle / "manifest.json").write_text(json.dumps(listed), encoding="utf-8")
