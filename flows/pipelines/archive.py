"""archive: an agreed text is sealed with the whole record into an archive bundle."""

from __future__ import annotations

from prefect import flow, task

from flows.adapters.files import confine
from flows.pipelines._app import app
from flows.pipelines._publish import print_and_publish
from flows.usecases.common import declaration_dir


@task(name="seal")
def seal(slug: str, version: str) -> str:
    """Write the sealed bundle into the declaration's archive folder and return its path."""
    from flows.usecases.archive import (
        archive as write_bundle,  # the archive use case (issue 5, point 5)
    )

    name = f"{slug}-{(version or 'agreed').replace(' ', '-')}.zip"
    out = confine(declaration_dir(app(), slug), "archive", name)
    write_bundle(app(), slug, out=out)
    return str(out)


@flow(name="archive", persist_result=False)
def archive(slug: str, version: str = "", event_id: str = "", occurred: str = "") -> str:
    """Seal the agreed text and the record into a bundle (triggered by accord.version.agreed)."""
    sealed = seal(slug, version)
    print_and_publish(slug)
    return sealed
