"""The list of parties to a declaration, as the secretariat provides it (CSV: code,name,bloc[,role][,email])."""

from __future__ import annotations

import csv
import io

from drafting.errors import InvalidInput
from drafting.negotiation import Bloc, Party, Role

REQUIRED = ("code", "name", "bloc")
MAX_LENGTH = {"code": 40, "name": 200, "email": 200}  # what storage keeps (PostgreSQL refuses longer values)


def parse_parties_csv(text: str, *, source: str = "parties.csv") -> list[Party]:
    """Parse and check the parties file; refuse duplicates, unknown blocs and missing columns."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(f"{source}: missing column(s) {', '.join(missing)}; the header must be code,name,bloc")
    parties: list[Party] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        parties.append(_party(row, source=source, line=line, seen=seen))
    if not parties:
        raise InvalidInput(f"{source}: no parties listed; add one line per party under the header code,name,bloc")
    return parties


def _party(row: dict[str, str], *, source: str, line: int, seen: set[str]) -> Party:
    code, name, bloc = row["code"], row["name"], row["bloc"]
    if not code or not name:
        raise InvalidInput(f"{source} line {line}: code and name are required")
    for column, limit in MAX_LENGTH.items():
        if len(row.get(column) or "") > limit:
            raise InvalidInput(f"{source} line {line}: {column} is longer than {limit} characters; shorten it")
    if code.upper() in seen:
        raise InvalidInput(f"{source} line {line}: party code {code!r} appears twice; each party once")
    seen.add(code.upper())
    blocs = {b.value.lower(): b for b in Bloc}
    if bloc.lower() not in blocs:
        raise InvalidInput(f"{source} line {line}: bloc {bloc!r} for {code} is not EU, CELAC or other")
    role = row.get("role") or Role.DELEGATION.value
    if role not in {r.value for r in Role}:
        raise InvalidInput(f"{source} line {line}: role {role!r} is not delegation, co-presidency or secretariat")
    return Party(code=code, name=name, bloc=blocs[bloc.lower()], role=Role(role), email=row.get("email") or None)


def with_co_presidencies(parties: list[Party], codes: list[str], *, source: str = "parties.csv") -> list[Party]:
    """Mark the co-presidencies; exactly two, each one a listed party."""
    if len(codes) != 2 or codes[0] == codes[1]:
        raise InvalidInput("a declaration needs exactly two co-presidencies: give --co-presidency twice")
    known = {p.code for p in parties}
    for code in codes:
        if code not in known:
            raise InvalidInput(f"co-presidency {code!r} is not a party in {source}; add it there or fix the code")
    return [p.model_copy(update={"role": Role.CO_PRESIDENCY}) if p.code in codes else p for p in parties]
