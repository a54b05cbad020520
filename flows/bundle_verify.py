#!/usr/bin/env python3
"""Verify an accord archive bundle with nothing but the Python standard library (3.8 or later).

    python3 verify.py [PATH] [--anchor SEQ:HASH]

PATH is the unpacked bundle folder (default: the folder this file sits in) or the bundle's .zip. It checks:
1. every file against manifest.json (sha256), and that no file was added or removed;
2. the event log (events.jsonl): sequence, links and hash of every event, from the genesis hash to the head;
3. that every document in the bundle is one the event log names by its sha256;
4. every version's text (texts.json) against the text hash and lineage hash the log recorded when it was issued,
   and the agreed text recomputed from the zero draft by applying the recorded operations of every revision.
It prints what it checked, and exits 0 when everything verifies, 1 on the first mismatch, 2 when PATH is not a
bundle. To tie the bundle to the live record, compare the head hash printed with the one in the declaration's
`accord.declaration.archived` event (`accord log SLUG`). ``--anchor SEQ:HASH`` (as `accord verify SLUG` printed
it, a hash prefix of 12 or more characters will do) also checks that the log still holds that event: the chain
alone cannot show that events were cut from its end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import zipfile
from typing import Any, Callable, Dict, List, Mapping, Sequence

Say = Callable[[str], None]

FORMAT = "accord-archive/1"
GENESIS = "0" * 64
MARK = "\u2029"  # paragraphs are joined by this in the coordinates of lineage operations
MANIFEST, EVENTS, TEXTS = "manifest.json", "events.jsonl", "texts.json"
BUNDLE_MADE = {MANIFEST, EVENTS, TEXTS, "verify.py", "README.txt", "history.html", "blame.html", "blame.json"}
_HEX = re.compile(r"[0-9a-f]{64}")
MAX_BYTES = 4 * 1024 ** 3  # a zip that claims more is a zip bomb, not an archive


class Mismatch(Exception):
    """Something in the bundle does not verify."""


class NotABundle(Exception):
    """The path is not an accord archive bundle."""


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, UTF-8 kept: the form accord hashes (drafting/canonical.py)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_hex(data: "bytes | str") -> str:
    """sha256 of bytes, or of a string's UTF-8 bytes, as hex."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def event_hash(prev_hash: str, declaration: str, seq: int, type: str, actor: str, payload: str,
               occurred_at: str) -> str:
    """sha256(prev_hash + "\\n" + canonical JSON of the other fields, the payload as its canonical JSON text)."""
    body = canonical_json({"declaration": declaration, "seq": seq, "type": type, "actor": actor,
                           "payload": payload, "occurred_at": occurred_at})
    return sha256_hex(prev_hash + "\n" + body)


def apply_lineage(base: str, ops: Sequence[Mapping[str, Any]]) -> str:
    """Replace base[start:end] by each operation's text (operations sorted, never overlapping)."""
    out: List[str] = []
    pos = 0
    for op in sorted(ops, key=lambda o: (int(o["start"]), int(o["end"]))):
        start, end = int(op["start"]), int(op["end"])
        if not pos <= start <= end <= len(base):
            raise Mismatch("operation %d-%d does not fit a text of %d characters" % (start, end, len(base)))
        out.append(base[pos:start])
        out.append(op["text"])
        pos = end
    out.append(base[pos:])
    return "".join(out)


class Files:
    """The bundle's files, from a folder or a .zip, by relative POSIX path."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: Dict[str, bytes] = {}
        if os.path.isdir(path):
            self._read_folder(path)
        elif zipfile.is_zipfile(path):
            try:
                self._read_zip(path)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise Mismatch("%s is damaged: %s" % (path, error))
        else:
            raise NotABundle("%s is neither a bundle folder nor a .zip" % path)
        if MANIFEST not in self._data:
            raise NotABundle("%s has no %s: it is not an accord archive bundle" % (path, MANIFEST))

    def _read_folder(self, root: str) -> None:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for name in sorted(names):
                if name.startswith("."):
                    continue
                full = os.path.join(folder, name)
                with open(full, "rb") as handle:
                    self._data[os.path.relpath(full, root).replace(os.sep, "/")] = handle.read()

    def _read_zip(self, path: str) -> None:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_BYTES:
                raise NotABundle("%s unpacks to more than %d bytes: not a bundle accord made" % (path, MAX_BYTES))
            for info in archive.infolist():
                name = info.filename
                if info.is_dir():
                    continue
                if name.startswith("/") or ".." in name.split("/") or name in self._data:
                    raise Mismatch("zip entry %r is absolute, climbs out of the bundle or appears twice" % name)
                self._data[name] = archive.read(info)

    def names(self) -> List[str]:
        """Every file, sorted."""
        return sorted(self._data)

    def read(self, name: str) -> bytes:
        """A file's bytes."""
        if name not in self._data:
            raise Mismatch("%s is missing from the bundle" % name)
        return self._data[name]

    def json(self, name: str) -> Any:
        """A JSON file, parsed."""
        try:
            return json.loads(self.read(name).decode("utf-8"))
        except ValueError as error:
            raise Mismatch("%s is not valid JSON: %s" % (name, error))


def check_manifest(files: Files, say: Say) -> Dict[str, Any]:
    """Every file matches its sha256 in the manifest; none is missing or added."""
    manifest = files.json(MANIFEST)
    if manifest.get("format") != FORMAT:
        raise NotABundle("manifest format is %r, expected %r" % (manifest.get("format"), FORMAT))
    listed = manifest.get("files") or {}
    for name in files.names():
        if name != MANIFEST and name not in listed:
            raise Mismatch("%s is in the bundle but not in the manifest: a file was added" % name)
    for name in sorted(listed):
        if sha256_hex(files.read(name)) != listed[name]:
            raise Mismatch("%s does not match its sha256 in the manifest: the file was altered" % name)
    say("manifest: %d files match their sha256 (manifest.json sha256 %s)"
        % (len(listed), sha256_hex(files.read(MANIFEST))))
    return manifest


def check_events(files: Files, manifest: Dict[str, Any], say: Say) -> List[Dict[str, Any]]:
    """The hash chain of the event log, from the genesis hash to the head the manifest names."""
    events: List[Dict[str, Any]] = []
    prev = GENESIS
    lines = files.read(EVENTS).decode("utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        event = json.loads(line)
        where = "event %s (%s)" % (event.get("seq"), event.get("type"))
        if event.get("seq") != number or event.get("declaration") != manifest.get("declaration"):
            raise Mismatch("%s: expected seq %d of %s; an event is missing, reordered or foreign"
                           % (where, number, manifest.get("declaration")))
        if event.get("prev_hash") != prev:
            raise Mismatch("%s: prev_hash does not link to the event before it; the log was altered" % where)
        digest = event_hash(prev, event["declaration"], event["seq"], event["type"], event["actor"],
                            canonical_json(event["payload"]), event["occurred_at"])
        if digest != event.get("hash"):
            raise Mismatch("%s: its hash does not match its content; the event was altered" % where)
        events.append(event)
        prev = digest
    head = manifest.get("events") or {}
    if head.get("count") != len(events) or head.get("head") != prev:
        raise Mismatch("the event log ends at event %d (%s), the manifest says %s (%s): events were cut or added"
                       % (len(events), prev[:12], head.get("count"), str(head.get("head"))[:12]))
    say("events: %d events, hash chain verifies from genesis to head %s" % (len(events), prev))
    return events


def check_documents(files: Files, events: List[Dict[str, Any]], say: Say) -> None:
    """Every document the bundle carries is named by its sha256 in the event log."""
    logged = set(_HEX.findall(canonical_json([e["payload"] for e in events])))
    documents = [n for n in files.names() if n not in BUNDLE_MADE and n != MANIFEST and not n.endswith(".pdf")]
    for name in documents:
        if sha256_hex(files.read(name)) not in logged:
            raise Mismatch("%s is not a document the event log records (its sha256 appears in no event)" % name)
    say("documents: %d documents are the ones the event log records" % len(documents))


def check_texts(files: Files, manifest: Dict[str, Any], events: List[Dict[str, Any]], say: Say) -> None:
    """Each version's text and lineage against the log; the agreed text recomputed from the zero draft."""
    texts = files.json(TEXTS)
    issued = _issued(events)
    computed: Dict[str, str] = {}
    operations = 0
    for version in sorted(texts.get("versions") or [], key=lambda v: v["number"]):
        label = version["label"]
        record = issued.get(label)
        if record is None:
            raise Mismatch("texts.json has %s, which the event log never issued" % label)
        paragraphs = [p["text"] for p in version["text"]["paragraphs"]]
        if sha256_hex("\n".join(paragraphs)) != record["text_sha256"]:
            raise Mismatch("%s: its text does not match the text_sha256 recorded when it was issued" % label)
        recorded = MARK.join(paragraphs)
        if record["parent"] is None:
            computed[label] = recorded
            continue
        if sha256_hex(canonical_json(version.get("lineage") or [])) != record.get("lineage_sha256"):
            raise Mismatch("%s: its lineage does not match the lineage_sha256 recorded when it was issued" % label)
        if record["parent"] not in computed:
            raise Mismatch("%s: its parent %s is not in texts.json" % (label, record["parent"]))
        made = apply_lineage(computed[record["parent"]], version.get("lineage") or [])
        if made != recorded:
            raise Mismatch("%s: its text is not what its recorded operations make of %s (first difference at "
                           "character %d): an edit nobody recorded"
                           % (label, record["parent"], _first_diff(made, recorded)))
        computed[label] = made
        operations += len(version.get("lineage") or [])
    _check_agreed(manifest, issued, computed, events, operations, say)


def _check_agreed(manifest: Dict[str, Any], issued: Dict[str, Dict[str, Any]], computed: Dict[str, str],
                  events: List[Dict[str, Any]], operations: int, say: Say) -> None:
    agreed = (manifest.get("agreed") or {}).get("version")
    if agreed not in computed:
        raise Mismatch("the agreed version %r is not among the bundle's texts" % agreed)
    digest = sha256_hex(computed[agreed].replace(MARK, "\n"))
    if digest != issued[agreed]["text_sha256"] or digest != manifest["agreed"].get("text_sha256"):
        raise Mismatch("the agreed text recomputed from the zero draft does not match its recorded hash")
    for event in events:
        if event["type"] == "accord.version.agreed" and event["payload"].get("version") == agreed:
            if event["payload"].get("text_sha256") != digest:
                raise Mismatch("%s: the text agreed (event %d) is not the text recomputed" % (agreed, event["seq"]))
    say("texts: %d versions match their recorded hashes; %s (sha256 %s) recomputes from the zero draft "
        "through %d recorded operations" % (len(computed), agreed, digest, operations))


def _issued(events: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """label -> {text_sha256, lineage_sha256, parent} from version.issued / version.edited events."""
    base_of_round: Dict[Any, str] = {}
    issued: Dict[str, Dict[str, Any]] = {}
    for event in events:
        payload = event["payload"]
        if event["type"] == "accord.round.opened":
            base_of_round[payload["round"]] = payload["version"]
        elif event["type"] in ("accord.version.issued", "accord.version.edited"):
            parent = payload.get("parent") or base_of_round.get(payload.get("round"))
            issued[payload["version"]] = {"text_sha256": payload["text_sha256"], "parent": parent,
                                          "lineage_sha256": payload.get("lineage_sha256")}
    return issued


def _first_diff(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def check_anchor(events: List[Dict[str, Any]], anchor: str, say: Say) -> None:
    """The log holds the event an anchor written down earlier names, with that hash."""
    seq_text, _, prefix = anchor.partition(":")
    prefix = prefix.strip().lower()
    if not seq_text.strip().isdigit() or len(prefix) < 12 or re.search("[^0-9a-f]", prefix):
        raise NotABundle("anchor %r is not SEQ:HASH (an event number, a colon, at least 12 hex characters of its "
                         "hash), as `accord verify` prints it" % anchor)
    seq = int(seq_text)
    if seq > len(events) or seq < 1:
        raise Mismatch("the log ends at event %d, but the anchor names event %d: events were removed from its end"
                       % (len(events), seq))
    if not str(events[seq - 1].get("hash")).startswith(prefix):
        raise Mismatch("event %d has the hash %s..., the anchor says %s...: the log was rewritten"
                       % (seq, str(events[seq - 1].get("hash"))[:16], prefix[:16]))
    say("anchor: the log holds event %d with the hash the anchor names" % seq)


def verify(path: str, say: Say = print, anchor: "str | None" = None) -> Dict[str, Any]:
    """Run every check on the bundle at ``path``; raise Mismatch on the first failure."""
    files = Files(path)
    try:
        manifest = check_manifest(files, say)
        events = check_events(files, manifest, say)
        if anchor is not None:
            check_anchor(events, anchor, say)
        check_documents(files, events, say)
        check_texts(files, manifest, events, say)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise Mismatch("the bundle's records are malformed (%s: %s)" % (type(error).__name__, error))
    say("ok: %s verifies (%s, %s)" % (os.path.basename(os.path.abspath(path)), manifest.get("declaration"),
                                      manifest["agreed"]["version"]))
    return manifest


def main(argv: "List[str] | None" = None) -> int:
    """Command line: python3 verify.py [PATH] [--anchor SEQ:HASH]."""
    args = list(sys.argv[1:] if argv is None else argv)
    anchor = None
    if "--anchor" in args:
        at = args.index("--anchor")
        if at + 1 >= len(args):
            print("error: --anchor needs SEQ:HASH, as `accord verify` prints it", file=sys.stderr)
            return 2
        anchor = args[at + 1]
        del args[at:at + 2]
    path = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    try:
        verify(path, anchor=anchor)
    except Mismatch as error:
        print("MISMATCH: %s" % error)
        return 1
    except NotABundle as error:
        print("error: %s" % error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
