"""`accord verify` rebuilds the state the log implies and compares it with the tables (issue 12, finding 3).

The state tables carry no append-only triggers: an edit there (a delegation made co-presidency, a submission
made current again) was invisible to verify; only replay noticed. (A deleted document and the edited role on
both backends: tests/integration/test_tamper.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit_fixtures import Run, accord, home, negotiated  # noqa: F401 (fixtures)
from tests.audit_scenario import sql


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE submissions SET status = 'current'", "submissions: submission "),
        (
            "UPDATE submissions SET filename = 'other.docx' WHERE number = 1",
            "submissions: submission 1 has filename",
        ),
        (
            "DELETE FROM approvals WHERE id = (SELECT MAX(id) FROM approvals)",
            "approvals: approval of Rev.2 by ",
        ),
        ("UPDATE rounds SET state = 'open' WHERE number = 1", "rounds: round 1 has state 'open'"),
        (
            "UPDATE versions SET state = 'agreed' WHERE label = 'Rev.2'",
            "versions: Rev.2 has state 'agreed'",
        ),
        ("UPDATE decisions SET status = 'superseded'", "decisions: decision 1 "),
        (
            "UPDATE declarations SET timezone = 'Asia/Tokyo'",
            "declaration: declaration has timezone 'Asia/Tokyo'",
        ),
        (
            "INSERT INTO parties (declaration_id, code, name, bloc, role) VALUES (1, 'ZZ', 'Z', 'other', 'co-presidency')",
            "parties: ZZ is in the table but no event records it",
        ),
    ],
)
def test_every_state_table_is_compared_with_the_log(
    home: Path,
    accord: Run,
    statement: str,  # noqa: F811
    expected: str,
) -> None:
    """A whole negotiation (two rounds, decisions, approvals) verifies; one edit in any state table does not."""
    assert accord("verify", "audit").exit_code == 0
    sql(home, statement)
    verified = accord("verify", "audit")
    assert verified.exit_code == 1 and expected in verified.output, verified.output
