"""The exceptions accord raises.

Every error a person can cause derives from ``AccordError`` and carries a one-line message that says what
went wrong, where (which file or party), why, and what to do. Only the edges (CLI, web) turn them into
messages and exit codes.

    AccordError
    ├── RefusedFile            an upload did not pass the safety gate or could not be read
    │   ├── NotAWordFile       not a zip / not a WordprocessingML package
    │   ├── LegacyOrEncrypted  OLE container: legacy .doc or password-protected .docx
    │   ├── MacroContent       vbaProject, activeX and other executable parts
    │   ├── ExternalContent    attachedTemplate, subDocument, frame, OLE links, altChunk
    │   ├── ZipBomb            size, ratio or entry-count limits exceeded
    │   ├── BadZipEntry        duplicate, overlapping, absolute or traversing entry names
    │   └── UnsafeXml          DOCTYPE / ENTITY declarations, absurd nesting, malformed XML
    ├── NotFound               an unknown declaration, party, version, round or proposal
    ├── Forbidden              the actor may not do this (a party acting for another, a non-co-presidency deciding)
    ├── WrongState             the action does not fit the current state (round closed, no round open ...)
    ├── InvalidInput           a malformed argument or file that is not an upload (CSV, JSON decisions ...)
    └── IntegrityError         a hash chain or stored blob does not verify
"""

from __future__ import annotations


class AccordError(Exception):
    """Root of every error accord raises on purpose."""


class RefusedFile(AccordError):
    """An uploaded file was refused; the message says why and what to do."""


class NotAWordFile(RefusedFile):
    """The upload is not a .docx (zip) package with a WordprocessingML main part."""


class LegacyOrEncrypted(RefusedFile):
    """The upload is an OLE compound file: a legacy .doc or a password-protected .docx."""


class MacroContent(RefusedFile):
    """The upload carries macros or other executable content."""


class ExternalContent(RefusedFile):
    """The upload pulls content from outside itself (templates, sub-documents, frames, OLE links)."""


class ZipBomb(RefusedFile):
    """The upload exceeds a size, ratio or entry-count limit."""


class BadZipEntry(RefusedFile):
    """The upload's zip directory is malformed or hostile (duplicates, overlaps, traversal)."""


class UnsafeXml(RefusedFile):
    """A part carries DOCTYPE/ENTITY declarations, absurd nesting, or is not well-formed."""


class NotFound(AccordError):
    """An unknown declaration, party, version, round or proposal."""


class Forbidden(AccordError):
    """The actor is not allowed to do this."""


class WrongState(AccordError):
    """The action does not fit the declaration's current state."""


class InvalidInput(AccordError):
    """A malformed argument or input file."""


class IntegrityError(AccordError):
    """A hash chain or stored blob does not verify."""
