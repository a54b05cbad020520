"""The task the publishing flows end with: every document printed to PDF and the dashboard that links them."""

from __future__ import annotations

from prefect import task

from flows.pipelines._app import app


@task(name="print-and-publish")
def print_and_publish(slug: str) -> str:
    """Print the documents not yet printed (when LibreOffice is installed) and write index.html; its path."""
    from flows.usecases.dashboard import write_dashboard

    return str(write_dashboard(app(), slug, pdf=True))
