"""Comments: where each range starts and ends in the body, word/comments.xml and word/commentsExtended.xml."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from drafting.errors import InvalidInput
from drafting.wordml._writer_xml import MC, W14, W15, Element, W, add_text, qn, sub
from drafting.wordml.out_models import OutComment, OutParagraph

COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
EXTENDED_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
# Parts that describe the template's own comments and would point at paragraphs that are gone.
STALE_RELS = (
    "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
)

Position = tuple[int, int]  # (paragraph index, run index) in the paragraphs given to the writer


@dataclass
class Anchors:
    """Which comment ranges open before, and close after, each run."""

    starts: dict[Position, list[int]] = field(default_factory=dict)
    ends: dict[Position, list[int]] = field(default_factory=dict)


class ParaIds:
    """Hands out w14:paraId values in a fixed sequence, skipping those the body already uses."""

    def __init__(self, used: Iterable[str]) -> None:
        self.used = {value.upper() for value in used}
        self.counter = 0x10000000

    def next(self) -> str:
        """The next unused paraId."""
        while True:
            self.counter += 1
            value = f"{self.counter:08X}"
            if value not in self.used:
                self.used.add(value)
                return value


def check_comments(comments: Sequence[OutComment]) -> None:
    """Refuse duplicate ids, replies to unknown comments and reply cycles."""
    by_id = {comment.id: comment for comment in comments}
    if len(by_id) != len(comments):
        raise InvalidInput("comments: two comments share an id; give each comment its own id")
    for comment in comments:
        _check_thread(comment, by_id)


def _check_thread(comment: OutComment, by_id: dict[int, OutComment]) -> None:
    """Refuse a comment whose chain of replies reaches an unknown comment or comes back to itself."""
    seen = {comment.id}
    parent = comment.parent
    while parent is not None:
        if parent not in by_id:
            raise InvalidInput(
                f"comment {comment.id} replies to comment {parent}, which was not given; pass it too"
            )
        if parent in seen:
            raise InvalidInput(
                f"comment {comment.id}: its replies form a cycle; a thread needs one first comment"
            )
        seen.add(parent)
        parent = by_id[parent].parent


def _named_runs(
    paragraphs: Sequence[OutParagraph], given: set[int]
) -> tuple[dict[int, Position], dict[int, Position]]:
    """The first and the last run naming each comment; InvalidInput for a run naming one not ``given``."""
    first: dict[int, Position] = {}
    last: dict[int, Position] = {}
    for p_index, paragraph in enumerate(paragraphs):
        for r_index, run in enumerate(paragraph.runs):
            for cid in run.comment_ids:
                if cid not in given:
                    raise InvalidInput(
                        f"paragraph {p_index}, run {run.text[:30]!r}: names comment {cid}, which was not given; "
                        "pass the comment or drop the id"
                    )
                first.setdefault(cid, (p_index, r_index))
                last[cid] = (p_index, r_index)
    return first, last


def plan_anchors(paragraphs: Sequence[OutParagraph], comments: Sequence[OutComment]) -> Anchors:
    """Each comment covers its first to its last run; a reply on no run shares its thread's range."""
    first, last = _named_runs(paragraphs, {comment.id for comment in comments})
    by_id = {comment.id: comment for comment in comments}
    anchors = Anchors()
    for comment in comments:
        root = _anchored(comment, by_id, first)
        anchors.starts.setdefault(first[root], []).append(comment.id)
        anchors.ends.setdefault(last[root], []).append(comment.id)
    return anchors


def _anchored(comment: OutComment, by_id: dict[int, OutComment], first: dict[int, Position]) -> int:
    current: OutComment | None = comment
    while current is not None:
        if current.id in first:
            return current.id
        current = by_id[current.parent] if current.parent is not None else None
    raise InvalidInput(
        f"comment {comment.id} by {comment.author} covers no run; name it in a run's comment_ids"
    )


def comments_part(
    comments: Sequence[OutComment], para_ids: ParaIds
) -> tuple[Element, dict[int, str]]:
    """word/comments.xml, and the paraId of each comment's last paragraph (threads refer to it)."""
    root = etree.Element(qn("w:comments"), nsmap={"w": W, "w14": W14, "mc": MC})
    root.set(f"{{{MC}}}Ignorable", "w14")
    last: dict[int, str] = {}
    for comment in comments:
        node = sub(root, "w:comment", {"w:id": str(comment.id), "w:author": comment.author})
        node.set(qn("w:date"), comment.date)
        node.set(qn("w:initials"), comment.initials)
        for index, text in enumerate(comment.text.split("\n")):
            paragraph = sub(node, "w:p")
            last[comment.id] = para_ids.next()
            paragraph.set(qn("w14:paraId"), last[comment.id])
            if index == 0:
                sub(sub(paragraph, "w:r"), "w:annotationRef")
            add_text(sub(paragraph, "w:r"), text, deleted=False)
    return root, last


def comments_extended_part(comments: Sequence[OutComment], last: dict[int, str]) -> Element:
    """word/commentsExtended.xml: thread parents and the resolved flag, keyed by paragraph id."""
    root = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15, "mc": MC})
    root.set(f"{{{MC}}}Ignorable", "w15")
    for comment in comments:
        entry = etree.SubElement(root, f"{{{W15}}}commentEx")
        entry.set(f"{{{W15}}}paraId", last[comment.id])
        if comment.parent is not None:
            entry.set(f"{{{W15}}}paraIdParent", last[comment.parent])
        entry.set(f"{{{W15}}}done", "1" if comment.resolved else "0")
    return root
