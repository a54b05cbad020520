"""The translation-service port (issue 15, item 8): an interface only. accord ships no implementation: machine
translation is out of scope (nothing may be downloaded at run time), and a deployment that has a service wires one
in with ``flows.bootstrap.bootstrap(translator=...)``. With one, ``accord translate SLUG --language es --draft OUT``
writes the pending paragraphs' machine translation as tracked changes for the translator to review and upload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Translator(Protocol):
    """A translation service: paragraphs of a text in ``source`` as ``target`` says them, in the same order
    (language codes are BCP 47 primary tags: en, es, pt ...)."""

    def translate(self, paragraphs: Sequence[str], source: str, target: str) -> list[str]:
        """One translated paragraph per paragraph given."""
        ...
