"""Integration fixtures: one LibreOffice for the whole test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.libreoffice import Office, libreoffice_available, shared_office


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[Office]:
    """The session's headless soffice (started once); skips the test when LibreOffice is not installed."""
    if not libreoffice_available():
        pytest.skip(
            "LibreOffice headless is absent: apt-get install libreoffice-writer-nogui python3-uno"
        )
    office = shared_office()
    yield office
    office.stop()
