"""The repository hands out values without a read per row: what a page or a use case reads does not grow with the
number of parties (values hold no rows, so the repository remembers the rows it has seen in the transaction)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from flows.usecases import status
from tests import factories


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    event.listen(app.store.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(app.store.engine, "before_cursor_execute", seen)


def statements(app: Any, work: Callable[[], object]) -> int:
    with counting(app) as seen:
        work()
    return len(seen)


def test_status_and_submit_read_as_much_for_few_parties_as_for_many(app: Any) -> None:
    small, large = "small", "large"
    for slug, parties in ((small, 4), (large, 14)):
        factories.open_declaration(app, slug=slug, n=parties)
        for code in factories.delegations(parties)[:-1]:
            factories.submit(app, code, slug=slug)
    last = {slug: factories.delegations(n)[-1] for slug, n in ((small, 4), (large, 14))}
    assert statements(app, lambda: status.status(app, small)) == statements(
        app, lambda: status.status(app, large)
    )
    assert statements(app, lambda: factories.submit(app, last[small], slug=small)) == statements(
        app, lambda: factories.submit(app, last[large], slug=large)
    )
