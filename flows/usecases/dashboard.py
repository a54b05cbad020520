"""The declaration's dashboard: index.html in its folder, with the history and blame pages beside it (audit/),
written whenever the declaration's files are published and by `accord dashboard`. Derived files only: nothing
here is recorded in the log or stored as a blob, so replay is unaffected."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from drafting import events as ev
from drafting.dashboard import (
    AD_REF,
    AGREED,
    AMENDED,
    BRACKETED,
    UNCHANGED,
    Bar,
    Board,
    Cell,
    Dashboard,
    Link,
    Mark,
    dashboard_html,
)
from drafting.lifecycle import Round
from drafting.moments import local_time
from drafting.negotiation import Declaration, Event, Version, VersionState, default_symbol
from drafting.standing import overall
from drafting.text import DraftText, ParagraphStatus
from drafting.wording import Teller, say
from flows.adapters.files import confine, inside
from flows.bootstrap import App
from flows.usecases.common import declaration_dir, write_file
from flows.usecases.documents import AD_REFERENDUM_KIND, AGREED_KIND
from flows.usecases.texts import load_compilation, version_text
from storage import UnitOfWork

INDEX = "index.html"
AUDIT = "audit"  # history.html, its documents/ and blame.html, beside index.html
_MILESTONES = (
    ev.DeclarationCreated,
    ev.VersionIssued,
    ev.VersionEdited,
    ev.VersionCirculated,
    ev.RoundOpened,
    ev.RoundClosed,
    ev.CompilationReady,
    ev.SilenceStarted,
    ev.SilenceBroken,
    ev.SilenceExpired,
    ev.VersionAgreed,
    ev.DeclarationArchived,
)


def publish_dashboard(app: App, slug: str) -> Path | None:
    """Write index.html and the audit pages beside the declaration's documents, as each use case that publishes
    them does (no PDFs printed here: LibreOffice takes seconds; `accord dashboard --pdf` and the archive flow do);
    None, writing nothing, for an app without pages (replay's scratch app)."""
    return write_dashboard(app, slug) if app.pages else None


def write_dashboard(app: App, slug: str, *, pdf: bool = False, out: Path | None = None) -> Path:
    """Print the PDFs first when ``pdf`` (when LibreOffice is installed; without it, the page says so), write the
    audit pages and index.html in the declaration's folder; with ``out``, also copy the page and every file it links
    to into that folder. The page written."""
    from flows.usecases.pdf import libreoffice, write_pdfs

    folder = declaration_dir(app, slug)
    if pdf:
        write_pdfs(app, slug)
    write_audit(app, slug, confine(folder, AUDIT))
    with app.store.reading() as uow:
        page = dashboard_of(uow, slug, folder, printing=libreoffice() is not None)
    index = write_file(app, confine(folder, INDEX), dashboard_html(page).encode("utf-8"))
    return index if out is None else copy_site(app, folder, out)


def write_audit(app: App, slug: str, folder: Path) -> None:
    """history.html with the documents it links to (documents/, each written once: its path names one version of
    it), and blame.html of the current version (blame.es.html ... of its text in each further language)."""
    from flows.usecases.blame import blame_html, blame_in
    from flows.usecases.history import documents_of, history_data, history_html

    with app.store.reading() as uow:
        declaration = uow.repo.declaration(slug)
        data = history_data(uow, slug)
        documents = [
            d
            for d in documents_of(uow.log(declaration))
            if not confine(folder, "documents", *PurePosixPath(d.path).parts).is_file()
        ]
        files = {d.path: uow.blob(d.sha256) for d in documents}
        blame = blame_in(uow, slug)
        further = {lang: blame_in(uow, slug, language=lang) for lang in declaration.languages[1:]}
        names = {p.code: p.name for p in uow.repo.parties(declaration)}
        title = declaration.title
    for path, data_ in sorted(files.items()):
        write_file(app, confine(folder, "documents", *PurePosixPath(path).parts), data_)
    write_file(app, confine(folder, "history.html"), history_html(data).encode("utf-8"))
    write_file(
        app,
        confine(folder, "blame.html"),
        blame_html(blame, title=title, names=names).encode("utf-8"),
    )
    for (
        lang,
        blamed,
    ) in further.items():  # issue 15: the current version's text in each further language
        page = blame_html(blamed, title=title, names=names, language=lang)
        write_file(app, confine(folder, f"blame.{lang}.html"), page.encode("utf-8"))


def copy_site(app: App, folder: Path, out: Path) -> Path:
    """index.html and every file under ``folder`` it or the audit pages link to, copied into ``out``."""
    for path in sorted(
        p for p in folder.rglob("*") if p.is_file() and _published(p.relative_to(folder))
    ):
        target = inside(out, out.joinpath(*path.relative_to(folder).parts))
        write_file(app, target, path.read_bytes(), root=out)
    return out / INDEX


def _published(relative: Path) -> bool:
    """What the site holds: the pages, versions, rounds' compilations and synopses, audit pages and archives (not
    the parties' outboxes or inboxes, nor accord's bookkeeping)."""
    top = relative.parts[0]
    if len(relative.parts) == 1:
        return top == INDEX
    if top.startswith("round-"):
        return relative.parts[1] not in ("inbox", "outbox")
    return top in ("versions", AUDIT, "archive")


def dashboard_of(uow: UnitOfWork, slug: str, folder: Path, *, printing: bool) -> Dashboard:
    """What index.html shows, read from the record and the files in ``folder``."""
    declaration = uow.repo.declaration(slug)
    events = uow.log(declaration)
    versions = uow.repo.versions(declaration)
    current = uow.repo.current_version(declaration)
    rounds = uow.repo.rounds(declaration)
    parties = uow.repo.parties(declaration)
    zone = declaration.timezone
    teller = Teller(zone, {p.code: p.name for p in parties})
    files = _Files(folder, slug, printing)
    return Dashboard(
        title=declaration.title,
        slug=slug,
        symbol=declaration.symbol or default_symbol(slug),
        zone=zone,
        state=overall(
            events, [p.code for p in parties if p.role == "co-presidency"], teller
        ).summary,
        version=current.label,
        cells=_cells(uow, declaration, current, versions, rounds),
        bars=_bars(uow, rounds, versions, events),
        marks=_marks(rounds, versions, events),
        boards=_boards(
            uow,
            rounds,
            {p.code: p.role for p in parties},
            zone,
        ),
        parties=[
            (p.code, p.name, p.role)
            for p in sorted(parties, key=lambda p: (p.role != "co-presidency", p.code))
            if p.role != "secretariat"
        ],
        brackets=[(v.label, len(version_text(v).bracketed())) for v in versions],
        documents=_documents(uow, declaration, versions, rounds, files),
        milestones=[
            (e.occurred_at, say(e, teller)) for e in events if ev.EVENTS.get(e.type) in _MILESTONES
        ],
        audit=[
            files.link("History", f"{AUDIT}/history.html"),
            files.link("Blame", f"{AUDIT}/blame.html"),
            *(
                files.link(f"Blame ({lang})", f"{AUDIT}/blame.{lang}.html")
                for lang in declaration.languages[1:]
            ),
        ],
        pdf_note=""
        if printing
        else "PDFs are not available: LibreOffice is not installed where accord runs; "
        "install it and run `accord dashboard " + slug + " --pdf`.",
    )


def _cells(
    uow: UnitOfWork,
    declaration: Declaration,
    current: Version,
    versions: list[Version],
    rounds: list[Round],
) -> list[Cell]:
    """The current version's paragraphs with their status and, where a synopsis lists them, a link to it."""
    text = version_text(current)
    zero = {p.key: p.text for p in version_text(versions[0]).paragraphs}
    pending = _pending(uow, declaration, current, rounds)
    listed = _listed(uow, declaration, rounds)
    agreed = current.state == VersionState.AGREED
    cells = []
    for number, paragraph in enumerate(text.paragraphs, start=1):
        status = (
            AGREED
            if agreed
            else BRACKETED
            if paragraph.status == ParagraphStatus.BRACKETED
            else AMENDED
            if paragraph.key in pending
            else AD_REF
            if paragraph.status in (ParagraphStatus.AGREED, ParagraphStatus.NEW)
            else AMENDED
            if zero.get(paragraph.key) != paragraph.text
            else UNCHANGED
        )
        where = listed.get(paragraph.key)
        cells.append(
            Cell(
                key=paragraph.key,
                number=str(number),
                status=status,
                text=paragraph.text,
                synopsis=f"round-{where}/synopsis.html#{paragraph.key}" if where else None,
                synopsis_round=where,
            )
        )
    return cells


def _pending(
    uow: UnitOfWork, declaration: Declaration, current: Version, rounds: list[Round]
) -> set[str]:
    """Paragraphs with proposals not yet decided: the latest round's, when it was compiled on the current version."""
    latest = rounds[-1] if rounds else None
    if latest is None or latest.base_version != current.label or latest.state == "decided":
        return set()
    stored = load_compilation(uow, declaration, latest)
    return {p.paragraph for p in stored.merged.proposals} if stored else set()


def _listed(uow: UnitOfWork, declaration: Declaration, rounds: list[Round]) -> dict[str, int]:
    """Paragraph key -> the latest round whose synopsis has a row for it."""
    compiled = {a.round for a in uow.repo.artifacts(declaration, kind="synopsis-html")}
    found: dict[str, int] = {}
    for round_ in rounds:
        if round_.number in compiled:
            base: DraftText = version_text(uow.repo.version(declaration, round_.base_version))
            found |= {p.key: round_.number for p in base.paragraphs}
    return found


def _bars(
    uow: UnitOfWork, rounds: list[Round], versions: list[Version], events: list[Event]
) -> list[Bar]:
    end_of_record = events[-1].occurred_at if events else ""
    bars = []
    for r in rounds:
        if r.closed_at:
            bars.append(Bar("Rounds", r.opened_at, r.closed_at, f"Round {r.number}", "round"))
        else:
            bars.append(
                Bar(
                    "Rounds",
                    r.opened_at,
                    max(r.deadline or r.opened_at, end_of_record),
                    f"Round {r.number} (open)",
                    "round-open",
                )
            )
    for version in versions:
        for s in uow.repo.silences(version):
            broken = s.state == "broken"
            bars.append(
                Bar(
                    "Silence",
                    s.started_at,
                    s.ended_at or s.until,
                    f"Silence on {version.label}",
                    "silence-broken" if broken else "silence",
                )
            )
    return bars


def _marks(rounds: list[Round], versions: list[Version], events: list[Event]) -> list[Mark]:
    marks = [
        Mark("Rounds", r.deadline, f"deadline {r.number}", "deadline") for r in rounds if r.deadline
    ]
    marks += [Mark("Versions", v.created_at, v.label, "version") for v in versions]
    for e in events:
        if e.type == ev.VersionAgreed.TYPE:
            marks.append(
                Mark("Agreement", e.occurred_at, f"{e.payload.get('version')} agreed", "agreed")
            )
        elif e.type == ev.SilenceBroken.TYPE:
            marks.append(
                Mark("Silence", e.occurred_at, f"broken by {e.payload.get('party')}", "broken")
            )
        elif e.type == ev.DeclarationArchived.TYPE:
            marks.append(Mark("Agreement", e.occurred_at, "archived", "archived"))
    return marks


def _boards(
    uow: UnitOfWork,
    rounds: list[Round],
    parties: dict[str, str],
    zone: str,
) -> list[Board]:
    expected = sum(1 for role in parties.values() if role == "delegation")
    boards = []
    for r in rounds:
        current = uow.repo.submissions(r, current_only=True)
        received = {s.party: (local_time(s.received_at, zone), s.late) for s in current}
        delegations = len({s.party for s in current if parties[s.party] == "delegation"})
        boards.append(Board(r.number, r.base_version, received, expected, delegations))
    return boards


class _Files:
    """Links to the files in the declaration's folder: a link where the file is, else why it is not."""

    def __init__(self, folder: Path, slug: str, printing: bool) -> None:
        self.folder, self.slug, self.printing = folder, slug, printing

    def link(self, name: str, relative: str, missing: str = "not written in this folder") -> Link:
        exists = (self.folder / relative).is_file()
        return Link(name, _href(relative) if exists else None, "" if exists else missing)

    def with_pdf(self, name: str, relative: str) -> Link:
        """The Word file, with its PDF beside it (where LibreOffice prints them)."""
        word = self.link(name, relative)
        if not self.printing:
            return word
        pdf = self.link(
            "PDF",
            relative.removesuffix(".docx") + ".pdf",
            f"not printed yet: `accord dashboard {self.slug} --pdf` prints it",
        )
        return Link(word.name, word.href, word.missing, pdf)


def _href(relative: str) -> str:
    from urllib.parse import quote

    return quote(relative)


def _documents(
    uow: UnitOfWork,
    declaration: Declaration,
    versions: list[Version],
    rounds: list[Round],
    files: _Files,
) -> list[tuple[str, list[Link]]]:
    found: list[tuple[str, list[Link]]] = []
    texts = [files.with_pdf(f"{v.label}.docx", f"versions/{v.label}.docx") for v in versions]
    for kind in (AD_REFERENDUM_KIND, AGREED_KIND):
        texts += [
            files.with_pdf(a.name, f"versions/{a.name}")
            for a in uow.repo.artifacts(declaration, kind=kind)
        ]
    found.append(("Versions", texts))
    compiled = {a.round for a in uow.repo.artifacts(declaration, kind="compilation")}
    for r in rounds:
        if r.number in compiled:
            folder = f"round-{r.number}"
            found.append(
                (
                    f"Round {r.number}: compilation of the proposals on {r.base_version}",
                    [
                        files.with_pdf("compilation.docx", f"{folder}/compilation.docx"),
                        files.link("synopsis.html", f"{folder}/synopsis.html"),
                        files.link(
                            "synopsis.json (the same data, for tools)", f"{folder}/synopsis.json"
                        ),
                    ],
                )
            )
    archives = (
        sorted(p.name for p in (files.folder / "archive").glob("*.zip"))
        if (files.folder / "archive").is_dir()
        else []
    )
    archived = any(e.type == ev.DeclarationArchived.TYPE for e in uow.log(declaration))
    links = [files.link(name, f"archive/{name}") for name in archives]
    if archived and not links:
        links = [
            Link(
                "archive bundle",
                None,
                "sealed, but written outside this folder (accord archive --out)",
            )
        ]
    found.append(("Archive", links or [Link("archive bundle", None, "not sealed yet")]))
    return found
