"""A declaration opened in LibreOffice and saved unchanged is no amendment (issue 16).

Before drafting/characters.py, the Doha, Awaza and trafficking declarations so saved gave 2, 1 and 3 untracked
amendments each: their U+2011 came back as w:noBreakHyphen. Each sample is the zero draft of a declaration; one
delegation submits the sample as LibreOffice saves it, another accord's own copy as LibreOffice saves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flows.bootstrap import bootstrap
from flows.publish import RecordingPublisher
from tests import factories
from tests.libreoffice import Office, resave_with_libreoffice

pytestmark = pytest.mark.libreoffice

DECLARATIONS = factories.SHARED / "samples" / "declarations"


def _samples() -> list[Any]:
    found = sorted(DECLARATIONS.glob("*.docx"))
    if not found:
        reason = f"no sample declarations in {DECLARATIONS} (../shared is absent; set ACCORD_SHARED_DIR)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-samples")]
    return [pytest.param(path, id=path.stem) for path in found]


@pytest.mark.parametrize("sample", _samples())
def test_a_declaration_saved_unchanged_by_libreoffice_is_no_amendment(
    sample: Path, libreoffice: Office, tmp_path: Path
) -> None:
    from flows.usecases.compile import close_and_compile
    from flows.usecases.declarations import create_declaration
    from flows.usecases.rounds import open_round
    from flows.usecases.submissions import submit

    app = bootstrap(tmp_path / "home", url=f"sqlite:///{tmp_path / 'accord.db'}", clock=factories.Clock(),
                    publisher=RecordingPublisher())
    try:
        created = create_declaration(
            app, slug="sample", title=sample.stem, zero_draft=sample.read_bytes(), zero_draft_name=sample.name,
            parties_csv=factories.parties_csv(6), parties_name="parties.csv",
            co_presidencies=list(factories.CO_PRESIDENCIES),
        )
        open_round(app, "sample")
        first, second = factories.delegations(6)[:2]
        for party, source in ((first, sample), (second, Path(created.zero_draft))):
            saved = resave_with_libreoffice(source, tmp_path / party)
            submit(app, "sample", party=party, data=saved.read_bytes(), filename=saved.name)
        compiled = close_and_compile(app, "sample")
    finally:
        app.store.engine.dispose()
    assert (compiled.submissions, compiled.proposals) == (2, 0)
