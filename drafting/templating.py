"""The Jinja2 environment accord's pages are rendered in (drafting/templates): HTML escaped, block tags trimmed."""

from __future__ import annotations

import jinja2


def page_templates() -> jinja2.Environment:
    """A new environment over drafting/templates (each page module adds its own filters)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("drafting", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
