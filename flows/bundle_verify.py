#!/usr/bin/env python3
"""Verify an accord archive bundle with nothing but the Python standard library (3.8 or later).

    python3 verify.py [PATH] [--anchor SEQ:HASH] [--key PUBLIC_KEY]

PATH is the unpacked bundle folder (default: the folder this file sits in) or the bundle's .zip. It checks:
1. every file against manifest.json (sha256), and that no file was added or removed;
2. the event log (events.jsonl): sequence, links and hash of every event, from the genesis hash to the head;
3. that the log vouches for every file: each document by the sha256 an event names, and each page made for the
   bundle (PDF, README, history, blame, texts, this verify.py) by the sha256 the seal (the log's last event,
   accord.declaration.archived) recorded; a file the log does not vouch for is a mismatch. A bundle sealed before
   accord recorded its pages says which files the log does not vouch for;
4. every version's text (texts.json) against the text hash and lineage hash the log recorded when it was issued,
   and the agreed text recomputed from the zero draft by applying the recorded operations of every revision; in a
   declaration in several languages, each further language's text against the hash the log last recorded for it,
   and a translation into the first language changing only the paragraphs the log says it aligned;
5. with ``--key`` (the 64 hex characters `accord key show` prints), the secretariat's Ed25519 signature of the
   seal: a log rewritten from genesis with fresh hashes cannot carry it. The signature is checked with the
   `cryptography` package when it is installed, else by the RFC 8032 arithmetic below (slower, same answer).
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
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple

Say = Callable[[str], None]

FORMAT = "accord-archive/1"
GENESIS = "0" * 64
MARK = "\u2029"  # paragraphs are joined by this in the coordinates of lineage operations
MANIFEST, EVENTS, TEXTS = "manifest.json", "events.jsonl", "texts.json"
AKN = "agreed.akn.xml"  # the agreed text as Akoma Ntoso: a page made from the records, like texts.json
BUNDLE_MADE = {MANIFEST, EVENTS, TEXTS, AKN, "verify.py", "README.txt", "history.html", "blame.html", "blame.json"}
_MADE_IN_A_LANGUAGE = re.compile(  # pages of further languages
    r"agreed\.[a-z]{2}\.akn\.xml|agreed/.*\.[a-z]{2}\.docx|blame\.[a-z]{2}\.(?:html|json)")
ARCHIVED = "accord.declaration.archived"
SIGNED_HEAD = "accord-signed-head/1"  # storage/signing.py: DOMAIN
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


def check_vouched(files: Files, manifest: Dict[str, Any], events: List[Dict[str, Any]], say: Say) -> None:
    """The log vouches for every file but the manifest: documents by the sha256 an event names, the bundle's own
    pages by the sha256 its seal recorded."""
    seal = _seal(events)
    recorded = seal["payload"]["files"] if seal else {}
    logged = set(_HEX.findall(canonical_json([e["payload"] for e in events])))
    _check_title(manifest, events)
    unvouched = []
    for name in files.names():
        if name in (MANIFEST, EVENTS):
            continue  # the index, checked file by file above; the log, checked by its chain
        digest = sha256_hex(files.read(name))
        if name in recorded:
            if digest != recorded[name]:
                raise Mismatch("%s does not match the sha256 the log recorded when it was sealed (event %d): "
                               "the file was altered" % (name, seal["seq"]))
        elif name in BUNDLE_MADE or name.endswith(".pdf") or _MADE_IN_A_LANGUAGE.fullmatch(name):
            if seal:
                raise Mismatch("%s is not vouched for by the log: the seal (event %d) does not record it"
                               % (name, seal["seq"]))
            unvouched.append(name)
        elif digest not in logged:
            raise Mismatch("%s is not vouched for by the log: it is not a document the event log records "
                           "(its sha256 appears in no event)" % name)
    for name in sorted(set(recorded) - set(files.names())):
        raise Mismatch("%s is recorded by the seal (event %d) but missing from the bundle" % (name, seal["seq"]))
    if unvouched:
        say("note: not vouched for by the log (sealed before accord recorded the pages of a bundle): "
            + ", ".join(sorted(unvouched)))
    say("vouched: %d files match the sha256 the log records for them%s"
        % (len(files.names()) - 2 - len(unvouched), " (seal: event %d)" % seal["seq"] if seal else ""))


def _seal(events: List[Dict[str, Any]]) -> "Dict[str, Any] | None":
    """The log's last event when it is a seal that records the bundle's pages."""
    last = events[-1] if events else None
    if last and last["type"] == ARCHIVED and isinstance(last["payload"].get("files"), dict):
        return last
    return None


def _check_title(manifest: Dict[str, Any], events: List[Dict[str, Any]]) -> None:
    created = [e for e in events if e["type"] == "accord.declaration.created"]
    if created and manifest.get("title") != created[0]["payload"].get("title"):
        raise Mismatch("the manifest's title is not the one the log recorded when the declaration was created")


def check_texts(files: Files, manifest: Dict[str, Any], events: List[Dict[str, Any]], say: Say) -> None:
    """Each version's text and lineage against the log; the agreed text recomputed from the zero draft."""
    texts = files.json(TEXTS)
    issued = _issued(events)
    computed: Dict[str, str] = {}
    operations = translated = 0
    for version in sorted(texts.get("versions") or [], key=lambda v: v["number"]):
        label = version["label"]
        record = issued.get(label)
        if record is None:
            raise Mismatch("texts.json has %s, which the event log never issued" % label)
        paragraphs = [p["text"] for p in version["text"]["paragraphs"]]
        if sha256_hex("\n".join(paragraphs)) != record["final_sha256"]:
            raise Mismatch("%s: its text does not match the text_sha256 recorded when it was issued" % label)
        translated += _check_translations(label, version.get("translations") or {}, record)
        recorded = MARK.join(paragraphs)
        if record["parent"] is None:
            computed[label] = recorded
            continue
        if sha256_hex(canonical_json(version.get("lineage") or [])) != record.get("lineage_sha256"):
            raise Mismatch("%s: its lineage does not match the lineage_sha256 recorded when it was issued" % label)
        if record["parent"] not in computed:
            raise Mismatch("%s: its parent %s is not in texts.json" % (label, record["parent"]))
        made = apply_lineage(computed[record["parent"]], version.get("lineage") or [])
        if made != recorded and not _aligned_only(made, version, record):
            raise Mismatch("%s: its text is not what its recorded operations make of %s (first difference at "
                           "character %d): an edit nobody recorded"
                           % (label, record["parent"], _first_diff(made, recorded)))
        computed[label] = recorded
        operations += len(version.get("lineage") or [])
    _check_agreed(manifest, issued, computed, events, operations, say)
    if translated:
        say("texts: %d texts in further languages match the hashes the log recorded" % translated)
    check_blames(files, manifest, texts, say)


def check_blames(files: Files, manifest: Dict[str, Any], texts: Dict[str, Any], say: Say) -> None:
    """Each blame (blame.json, and blame.LANG.json for each further language) covers its text of the agreed version,
    character for character; a further language without one is noted (sealed before accord blamed every one)."""
    label = manifest["agreed"]["version"]
    version = next((v for v in texts.get("versions") or [] if v["label"] == label), None)
    if version is None or "blame.json" not in files.names():
        return
    wanted = {"blame.json": version["text"]}
    wanted.update(("blame.%s.json" % lang, text) for lang, text in (version.get("translations") or {}).items())
    missing = [name for name in sorted(wanted) if name not in files.names()]
    for name, text in sorted(wanted.items()):
        if name in missing:
            continue
        blamed = "".join(span["text"] for span in files.json(name)["spans"])
        expected = "\n".join(p["text"] for p in text["paragraphs"])
        if files.json(name).get("version") != label or blamed != expected:
            raise Mismatch("%s does not blame the text of %s: its spans are not that text (first difference at "
                           "character %d)" % (name, label, _first_diff(blamed, expected)))
    say("blame: %d text(s) of %s, every character attributed" % (len(wanted) - len(missing), label))
    if missing:
        say("note: no %s (sealed before accord blamed every language)" % ", ".join(missing))


def _check_translations(label: str, translations: Dict[str, Any], record: Dict[str, Any]) -> int:
    """A version's texts in further languages against the hashes the log last recorded for them."""
    for language, text in sorted(translations.items()):
        digest = sha256_hex("\n".join(p["text"] for p in text["paragraphs"]))
        if digest != record["translations"].get(language):
            raise Mismatch("%s: its %s text does not match the text_sha256 the log recorded for it" % (label, language))
    if set(record["translations"]) - set(translations):
        raise Mismatch("%s: texts.json lacks its text in %s" % (label, ", ".join(sorted(record["translations"]))))
    return len(translations)


def _aligned_only(made: str, version: Dict[str, Any], record: Dict[str, Any]) -> bool:
    """The text as issued (``made``) became the recorded one by translation alone: it hashes to what was issued,
    and only paragraphs the log says a translation into the first language aligned differ."""
    paragraphs = version["text"]["paragraphs"]
    before = made.split(MARK)
    if sha256_hex("\n".join(before)) != record["text_sha256"] or len(before) != len(paragraphs):
        return False
    return all(old == p["text"] or p.get("key") in record["aligned"] for old, p in zip(before, paragraphs))


def _check_agreed(manifest: Dict[str, Any], issued: Dict[str, Dict[str, Any]], computed: Dict[str, str],
                  events: List[Dict[str, Any]], operations: int, say: Say) -> None:
    agreed = (manifest.get("agreed") or {}).get("version")
    if agreed not in computed:
        raise Mismatch("the agreed version %r is not among the bundle's texts" % agreed)
    digest = sha256_hex(computed[agreed].replace(MARK, "\n"))
    if digest != issued[agreed]["final_sha256"] or digest != manifest["agreed"].get("text_sha256"):
        raise Mismatch("the agreed text recomputed from the zero draft does not match its recorded hash")
    for event in events:
        if event["type"] == "accord.version.agreed" and event["payload"].get("version") == agreed:
            if event["payload"].get("text_sha256") != digest:
                raise Mismatch("%s: the text agreed (event %d) is not the text recomputed" % (agreed, event["seq"]))
    say("texts: %d versions match their recorded hashes; %s (sha256 %s) recomputes from the zero draft "
        "through %d recorded operations" % (len(computed), agreed, digest, operations))


def _issued(events: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """label -> {text_sha256, lineage_sha256, parent} from version.issued / version.edited events; with what
    translations made of it since: final_sha256 (its text now), aligned (paragraphs a translation into the first
    language changed) and the hash of its text in each further language."""
    base_of_round: Dict[Any, str] = {}
    issued: Dict[str, Dict[str, Any]] = {}
    first = None
    for event in events:
        payload = event["payload"]
        if event["type"] == "accord.declaration.created":
            first = (payload.get("languages") or ["en"])[0]
        elif event["type"] == "accord.round.opened":
            base_of_round[payload["round"]] = payload["version"]
        elif event["type"] in ("accord.version.issued", "accord.version.edited"):
            parent = payload.get("parent") or base_of_round.get(payload.get("round"))
            issued[payload["version"]] = {"text_sha256": payload["text_sha256"], "parent": parent,
                                          "lineage_sha256": payload.get("lineage_sha256"),
                                          "final_sha256": payload["text_sha256"], "aligned": set(),
                                          "translations": _hashes(payload.get("translations"))}
        elif event["type"] == "accord.version.translated" and payload["version"] in issued:
            record = issued[payload["version"]]
            record["final_sha256"] = payload["text_sha256"]
            record["translations"] = _hashes(payload.get("translations"))
            if payload["language"] == first:
                record["aligned"] |= set(payload["aligned"])
    return issued


def _hashes(translations: "Dict[str, Any] | None") -> Dict[str, str]:
    return {language: t["text_sha256"] for language, t in (translations or {}).items()}


def _first_diff(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def check_signature(events: List[Dict[str, Any]], key: "str | None", say: Say) -> None:
    """With a key: every signed seal verifies, and the log's last event is one. Without: say what is signed."""
    signed = [e for e in events if e["type"] == ARCHIVED and "signature" in e["payload"]]
    if key is None:
        if signed:
            say("signature: event %d is signed by key %s (not checked: give --key PUBLIC_KEY)"
                % (signed[-1]["seq"], str(signed[-1]["payload"]["signature"].get("key"))))
        return
    if not signed:
        raise Mismatch("no event of the log is signed: nothing ties it to key %s..." % key[:16])
    for event in signed:
        problem = signature_problem(event, key)
        if problem:
            raise Mismatch("event %d (%s): %s" % (event["seq"], event["type"], problem))
    if signed[-1] is not events[-1]:
        raise Mismatch("the log goes on after the last signed head (event %d): events %d-%d are not covered by "
                       "a signature" % (signed[-1]["seq"], signed[-1]["seq"] + 1, len(events)))
    say("signature: the head (event %d) is signed by %s, which covers every event before it (%s)"
        % (signed[-1]["seq"], key, _ED25519_BY))


def signature_problem(event: Dict[str, Any], key: str) -> "str | None":
    """What is wrong with a sealing event's signature against a public key (hex), or None."""
    record = event["payload"].get("signature")
    if not isinstance(record, dict) or record.get("algorithm") != "ed25519":
        return "it carries no Ed25519 signature"
    if record.get("key") != key:
        return "it is signed by key %s..., not by %s..." % (str(record.get("key"))[:16], key[:16])
    body = dict((k, v) for k, v in event["payload"].items() if k != "signature")
    unsigned = event_hash(event["prev_hash"], event["declaration"], event["seq"], event["type"], event["actor"],
                          canonical_json(body), event["occurred_at"])
    message = ("%s\n%s\n%d\n%s" % (SIGNED_HEAD, event["declaration"], event["seq"], unsigned)).encode("utf-8")
    try:
        valid = ed25519_verify(bytes.fromhex(key), message, bytes.fromhex(str(record.get("value"))))
    except ValueError:
        valid = False
    return None if valid else "its signature does not verify: the log was rewritten without the key"


def _cryptography_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# Ed25519 verification by the arithmetic of RFC 8032 (section 6), for a Python without `cryptography`.
_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
Point = Tuple[int, int, int, int]


def _recover_x(y: int, sign: int) -> "int | None":
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 % _P == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    return _P - x if (x & 1) != sign else x


def _add(a: Point, b: Point) -> Point:
    p1 = (a[1] - a[0]) * (b[1] - b[0]) % _P
    p2 = (a[1] + a[0]) * (b[1] + b[0]) % _P
    p3 = 2 * a[3] * b[3] * _D % _P
    p4 = 2 * a[2] * b[2] % _P
    e, f, g, h = p2 - p1, p4 - p3, p4 + p3, p2 + p1
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _multiply(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    while scalar > 0:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _decompress(data: bytes) -> "Point | None":
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_BASE_Y = 4 * pow(5, _P - 2, _P) % _P
_BASE: Point = (_recover_x(_BASE_Y, 0) or 0, _BASE_Y, 1, (_recover_x(_BASE_Y, 0) or 0) * _BASE_Y % _P)


def _rfc8032_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    a, r = _decompress(public), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or len(signature) != 64 or s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    left, right = _multiply(s, _BASE), _add(r, _multiply(h, a))
    return (left[0] * right[2] - right[0] * left[2]) % _P == 0 and (left[1] * right[2] - right[1] * left[2]) % _P == 0


try:
    import cryptography.hazmat.primitives.asymmetric.ed25519  # noqa: F401

    ed25519_verify, _ED25519_BY = _cryptography_verify, "checked with the cryptography package"
except ImportError:
    ed25519_verify, _ED25519_BY = _rfc8032_verify, "checked by RFC 8032 arithmetic: cryptography is not installed"


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


def verify(path: str, say: Say = print, anchor: "str | None" = None, key: "str | None" = None) -> Dict[str, Any]:
    """Run every check on the bundle at ``path``; raise Mismatch on the first failure."""
    files = Files(path)
    try:
        manifest = check_manifest(files, say)
        events = check_events(files, manifest, say)
        if anchor is not None:
            check_anchor(events, anchor, say)
        check_vouched(files, manifest, events, say)
        check_texts(files, manifest, events, say)
        check_signature(events, key, say)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise Mismatch("the bundle's records are malformed (%s: %s)" % (type(error).__name__, error))
    say("ok: %s verifies (%s, %s)" % (os.path.basename(os.path.abspath(path)), manifest.get("declaration"),
                                      manifest["agreed"]["version"]))
    return manifest


def main(argv: "List[str] | None" = None) -> int:
    """Command line: python3 verify.py [PATH] [--anchor SEQ:HASH] [--key PUBLIC_KEY]."""
    args = list(sys.argv[1:] if argv is None else argv)
    options: Dict[str, "str | None"] = {"--anchor": None, "--key": None}
    for option, needs in (("--anchor", "SEQ:HASH, as `accord verify` prints it"),
                          ("--key", "the secretariat's public key, as `accord key show` prints it")):
        if option in args:
            at = args.index(option)
            if at + 1 >= len(args):
                print("error: %s needs %s" % (option, needs), file=sys.stderr)
                return 2
            options[option] = args[at + 1]
            del args[at:at + 2]
    key = options["--key"]
    if key is not None and not re.fullmatch("[0-9a-f]{64}", key.strip().lower()):
        print("error: --key %r is not a public key: give the 64 hex characters `accord key show` prints" % key[:80],
              file=sys.stderr)
        return 2
    path = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    try:
        verify(path, anchor=options["--anchor"], key=key.strip().lower() if key else None)
    except Mismatch as error:
        print("MISMATCH: %s" % error)
        return 1
    except NotABundle as error:
        print("error: %s" % error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
