"""A co-presidency's decisions and approvals as values: the commands (``Decide``: the file it returned, which kind
it is and the events that record or refuse it; ``Approve``), the round decisions are taken on, which language's
compilation a returned Word file answers, the counts the co-presidency is told, and what an approval reports. The
decide use case loads, calls and records; nothing here touches a log."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from drafting.bilingual import combined
from drafting.canonical import sha256_hex
from drafting.decisions import decisions_from_docx
from drafting.errors import InvalidInput, WrongState
from drafting.events import (
    ApprovalRefused,
    DecisionRecorded,
    DecisionRefused,
    VersionApproved,
    VersionCirculated,
)
from drafting.languages import base_language
from drafting.lifecycle import Round, Version
from drafting.merge import Merged, StoredCompilation
from drafting.negotiation import Decision, RoundState
from drafting.text import DraftText
from drafting.wordml.models import Reading


@dataclass(frozen=True)
class Decide:
    """A co-presidency's decisions, as it returned them: the compilation .docx marked up, or a .json file (``by``:
    who acted for it through the portal; None: the CLI)."""

    party: str
    data: bytes
    filename: str
    by: str | None = None

    @property
    def kind(self) -> str:
        """ "json" or "docx", by the file's name (any case); any other file is refused."""
        name = self.filename.lower()
        for kind in ("json", "docx"):
            if name.endswith(f".{kind}"):
                return kind
        raise InvalidInput(
            f"{self.filename}: decisions come as the compilation .docx or a .json file"
        )

    def decision(self, blob: str, decisions: dict[str, str], at: str) -> Decision:
        """The decisions as the round keeps them (``blob``: the file as stored; ``at``: when received)."""
        return Decision(party=self.party, blob_sha256=blob, decisions=decisions, received_at=at)

    def recorded(self, round_number: int, blob: str, decisions: dict[str, str]) -> DecisionRecorded:
        """The event that records the decisions (``blob``: the file as stored)."""
        return DecisionRecorded(
            round=round_number,
            party=self.party,
            blob=blob,
            filename=self.filename,
            decisions=decisions,
            by=self.by,
        )

    def refused(self, reason: str) -> DecisionRefused:
        """The event that records the file refused, with why."""
        return DecisionRefused(
            party=self.party,
            filename=self.filename,
            sha256=sha256_hex(self.data),
            size=len(self.data),
            reason=reason,
            by=self.by,
        )


@dataclass(frozen=True)
class Approve:
    """A co-presidency's approval of the draft revision (``pending_translation``: it circulates with translation
    pending, which every document then states; ``by``: who acted through the portal)."""

    party: str
    pending_translation: bool = False
    by: str | None = None

    def approve(
        self, version: Version, co_presidencies: Collection[str]
    ) -> list[VersionApproved | VersionCirculated]:
        """The approval, and the circulation when it completes the set (see ``Version.approve``)."""
        approval, *circulation = version.approve(
            self.party,
            co_presidencies,
            pending=version.pending,
            pending_translation=self.pending_translation,
        )
        return [approval.acted_by(self.by), *circulation]

    def refused(self, reason: str) -> ApprovalRefused:
        """The event that records the approval refused, with why."""
        return ApprovalRefused(party=self.party, reason=reason, by=self.by)


def compiled_round(
    slug: str, latest: Round | None, stored: StoredCompilation | None
) -> tuple[Round, StoredCompilation]:
    """The round decisions are taken on: the latest, closed and compiled (``stored``: its compilation); else
    WrongState saying what the latest round is."""
    if latest is None or stored is None or not latest.awaiting_decisions():
        decided = latest is not None and latest.state is RoundState.DECIDED
        raise WrongState(
            f"{slug!r}: the latest round is {'decided' if decided else 'not compiled'}; "
            "decisions are taken on a closed, compiled round"
        )
    return latest, stored


def every_proposal(merged: Mapping[str, Merged]) -> Merged:
    """The proposals on every language's text as one (``merged``: by language, the first first)."""
    first = next(iter(merged))
    return combined(merged[first], {k: v for k, v in merged.items() if k != first})


def decisions_from_compilation(
    reading: Reading,
    bases: Mapping[str, DraftText],
    merged: Mapping[str, Merged],
    names: dict[str, str],
    returned: Decide,
) -> dict[str, str]:
    """The decisions marked in a returned compilation (``bases`` and ``merged``: by language, the first first);
    in several languages, the compilation of the text it was made on, found by alignment."""
    language = next(iter(bases))
    if len(bases) > 1:
        made_on = [p.text_rejected for p in reading.paragraphs if p.container == "body"]
        language = base_language(
            made_on,
            {k: [p.text for p in t.paragraphs] for k, t in bases.items()},
            name=returned.filename,
            party=returned.party,
        )
    return decisions_from_docx(reading, bases[language], merged[language], names)


def tally(decisions: Mapping[str, str], proposals: Merged) -> tuple[int, int, int]:
    """How many proposals were accepted, rejected and left undecided."""
    accepted = sum(1 for v in decisions.values() if v == "accept")
    return accepted, len(decisions) - accepted, len(proposals.proposals) - len(decisions)


def approval_report(version: Version, *, circulated: bool) -> dict[str, Any]:
    """What an approval reports: the version, who has approved it, whether it went out, what is still pending
    translation (only when something is)."""
    return {
        "version": version.label,
        "approved_by": sorted(version.approved_by),
        "circulated": circulated,
        **({"pending_translation": version.pending} if version.pending else {}),
    }
