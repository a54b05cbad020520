"""The list of parties to a declaration, as the secretariat provides it (CSV: code,name,bloc[,email][,language]).

The file is strict, because its codes become folder names and actors in the log: UTF-8 only (a BOM is tolerated),
at most ``MAX_BYTES`` and ``MAX_ROWS``, exactly the columns of ``COLUMNS`` (``REQUIRED`` ones must be there, any
other, or one given twice, is refused), no row longer than the header, codes by ``drafting.identifiers``. Roles
never come from the file: the co-presidencies are named on the command line (``--co-presidency``). Every refusal
reads ``parties.csv line N: ...``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from drafting.errors import InvalidInput
from drafting.identifiers import language, party_code, shown
from drafting.negotiation import Bloc, Party, Role

REQUIRED = ("code", "name", "bloc")
OPTIONAL = (
    "email",
    "language",
)  # a new optional column is one more name here and one in ``_party``
COLUMNS = REQUIRED + OPTIONAL
MAX_LENGTH = {
    "code": 16,
    "name": 200,
    "email": 200,
}  # what storage keeps (PostgreSQL refuses longer values)
MAX_BYTES = 256 * 1024  # 60 parties take ~2 KB; checked before the file is read
MAX_ROWS = 500
_HEADER = ",".join(REQUIRED)


def decode_parties_csv(data: bytes, *, source: str = "parties.csv") -> str:
    """The parties file's text: at most MAX_BYTES of UTF-8 (a BOM tolerated); else InvalidInput."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"{source}: {len(data):,} bytes is more than a parties file holds ({MAX_BYTES:,}); "
            "give one line per party"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"{source} line {line}: not UTF-8 (byte {error.start}); save the file as CSV UTF-8"
        ) from None


def parse_parties_csv(text: str, *, source: str = "parties.csv") -> list[Party]:
    """Parse and check the parties file; refuse duplicates, unknown blocs, unknown or repeated columns."""
    _check_size(text, source)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        parties = _read_parties(reader, source)
    except csv.Error as error:
        raise InvalidInput(
            f"{source} line {reader.line_num}: not a readable CSV line ({error})"
        ) from None
    if not parties:
        raise InvalidInput(
            f"{source}: no parties listed; add one line per party under the header {_HEADER}"
        )
    return parties


def _check_size(text: str, source: str) -> None:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidInput(
            f"{source}: more than {MAX_BYTES:,} bytes; a parties file holds one line per party"
        )


def _read_parties(reader: Any, source: str) -> list[Party]:
    """The header, then one party per line that is not blank."""
    header = _header(next(reader, []), source)
    parties: list[Party] = []
    seen: set[str] = set()
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, e.g. at the end
        row = _row(cells, header, len(parties), f"{source} line {reader.line_num}")
        parties.append(_party(row, source=source, line=reader.line_num, seen=seen))
    return parties


def _row(cells: list[str], header: list[str], count: int, where: str) -> dict[str, str]:
    """A line's cells by column (missing ones empty), refused past the last party a file may list or when it has
    more fields than the header."""
    if count >= MAX_ROWS:
        raise InvalidInput(f"{where}: more than {MAX_ROWS} parties; is this the right file?")
    if len(cells) > len(header):
        raise InvalidInput(
            f"{where}: {len(cells)} fields, the header has {len(header)} "
            f"({','.join(header)}); quote values that hold a comma"
        )
    padded = cells + [""] * len(header)
    return {column: cell.strip() for column, cell in zip(header, padded, strict=False)}


def _header(cells: list[str], source: str) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(
            f"{source} line 1: missing column(s) {', '.join(missing)}; the header must be "
            f"{_HEADER} (optionally {','.join(OPTIONAL)})"
        )
    _check_known_once(header, source)
    return header


def _check_known_once(header: list[str], source: str) -> None:
    """InvalidInput for a column given twice or one accord does not know."""
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InvalidInput(
            f"{source} line 1: column(s) {', '.join(map(shown, repeated))} given twice; keep one"
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        why = "; roles are given on the command line (--co-presidency)" if "role" in unknown else ""
        raise InvalidInput(
            f"{source} line 1: unknown column(s) {', '.join(map(shown, unknown))}{why}; "
            f"the columns are {','.join(COLUMNS)}"
        )


def _party(row: dict[str, str], *, source: str, line: int, seen: set[str]) -> Party:
    code, name, where = row["code"], row["name"], f"{source} line {line}"
    if not code or not name:
        raise InvalidInput(f"{where}: code and name are required")
    _check_lengths(row, where)
    party_code(code, where=f"{where}: party code")
    if code in seen:
        raise InvalidInput(f"{where}: party code {code!r} appears twice; each party once")
    seen.add(code)
    _check_printable(row, where)
    bloc = _bloc(row["bloc"], code, where)
    email = _email(row.get("email") or None, code, where)
    spoken = _language(row.get("language") or None, code, where)
    return Party(
        code=code, name=name, bloc=bloc, role=Role.DELEGATION, email=email, language=spoken
    )


def _check_lengths(row: dict[str, str], where: str) -> None:
    for column, limit in MAX_LENGTH.items():
        if len(row.get(column) or "") > limit:
            raise InvalidInput(f"{where}: {column} is longer than {limit} characters; shorten it")


def _check_printable(row: dict[str, str], where: str) -> None:
    for column in ("name", "email"):
        if not all(c.isprintable() for c in row.get(column, "")):
            raise InvalidInput(
                f"{where}: {column} {shown(row[column])} holds a control or invisible "
                "character; retype it"
            )


def _bloc(bloc: str, code: str, where: str) -> Bloc:
    blocs = {b.value.lower(): b for b in Bloc}
    if bloc.lower() not in blocs:
        raise InvalidInput(f"{where}: bloc {shown(bloc)} for {code} is not EU, CELAC or other")
    return blocs[bloc.lower()]


def _language(spoken: str | None, code: str, where: str) -> str | None:
    if spoken is not None:
        language(spoken, where=f"{where}: language of {code}")
    return spoken


def _email(email: str | None, code: str, where: str) -> str | None:
    if email is not None and (email.count("@") != 1 or any(c.isspace() for c in email)):
        raise InvalidInput(f"{where}: email {shown(email)} for {code} is not one mail address")
    return email


def with_co_presidencies(
    parties: list[Party], codes: list[str], *, source: str = "parties.csv"
) -> list[Party]:
    """Mark the co-presidencies; exactly two, each one a listed party."""
    if len(codes) != 2 or codes[0] == codes[1]:
        raise InvalidInput(
            "a declaration needs exactly two co-presidencies: give --co-presidency twice"
        )
    known = {p.code for p in parties}
    for code in codes:
        if code not in known:
            raise InvalidInput(
                f"co-presidency {shown(code)} is not a party in {source}; add it there or fix the code"
            )
    return [
        p.model_copy(update={"role": Role.CO_PRESIDENCY}) if p.code in codes else p for p in parties
    ]


def receiving_copies(parties: Sequence[Party]) -> list[str]:
    """The codes of the parties each sent their own copy of a round's text: delegations and co-presidencies."""
    return [p.code for p in parties if p.role in (Role.DELEGATION, Role.CO_PRESIDENCY)]
