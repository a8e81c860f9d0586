"""Command line for watch lists and name screening: ``jiabao lists import …`` and ``jiabao screen names …``.

Other tools rely on these (issue 13): ``jiabao lists import ofac SDN.csv [--alt ALT.csv] [--add ADD.csv]``,
``jiabao lists import internal FILE.csv``, ``jiabao screen names INPUT.csv --output OUTPUT.csv``."""

from __future__ import annotations

import csv
import hashlib
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.core.errors import JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.migrations import upgrade
from jiabao.risk.lists.formats import ParsedEntry, parse_internal, parse_ofac
from jiabao.risk.lists.service import LoadSummary, current_entries, import_list
from jiabao.risk.screening.batch import name_candidates_many
from jiabao.risk.screening.engine import ScreeningIndex, Subject
from jiabao.runtime import Runtime, build_runtime

lists_app = typer.Typer(help="Watch lists (sanctions, PEP, internal): load versions", no_args_is_help=True)
import_app = typer.Typer(help="Load a list file as the list's new version", no_args_is_help=True)
lists_app.add_typer(import_app, name="import")
screen_app = typer.Typer(help="Name screening against the current watch lists", no_args_is_help=True)
console = Console(stderr=True)
SYSTEM = Principal(user_id=0, role=Role.RISK, username="screening-cli", display_name="screening command line")
INPUT_HEADER = ["ref", "name", "birth_date", "nationality"]
OUTPUT_HEADER = ["ref", "decision", "list", "entry_id", "matched_name", "score"]


def _runtime() -> Runtime:
    runtime = build_runtime(Settings())
    upgrade(runtime.engine, cipher=runtime.cipher)
    return runtime


def _source(*paths: Path | None) -> str:
    parts = []
    for path in paths:
        if path is not None:
            parts.append(f"{path.name} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}")
    return "; ".join(parts)


def _load(code: str, name: str, kind: str, entries: list[ParsedEntry], source: str, rescreen: bool) -> None:
    runtime = _runtime()
    try:
        with unit_of_work(runtime.sessions) as session:
            ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=SYSTEM)
            summary: LoadSummary = import_list(ctx, code=code, name=name, kind=kind, entries=entries, source=source)
    except JiabaoError as exc:
        console.print(f"[red]{exc.message_zh} / {exc.message_en}[/red]")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]{code} version {summary.version_no}[/green]: {summary.entries} entries "
        f"({summary.added} added, {summary.changed} changed, {summary.removed} removed)"
    )
    if rescreen and (summary.added or summary.changed) and summary.version_no > 1:
        from jiabao.risk.screening.service import rescreen_customers

        with unit_of_work(runtime.sessions) as session:
            ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=SYSTEM)
            outcome = rescreen_customers(ctx, summary.version_id)
        console.print(f"Re-screened {outcome.subjects} persons against {outcome.entries} changed entries: "
                      f"{outcome.review} to review, {outcome.hit} hits")  # fmt: skip


@import_app.command("ofac")
def import_ofac(
    sdn: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="SDN.csv (primary records)")],
    alt: Annotated[Path | None, typer.Option("--alt", exists=True, dir_okay=False, help="ALT.csv (aliases)")] = None,
    add: Annotated[Path | None, typer.Option("--add", exists=True, dir_okay=False, help="ADD.csv (addresses)")] = None,
    rescreen: Annotated[bool, typer.Option(help="Re-screen persons against changed entries")] = True,
) -> None:
    """Load or replace the OFAC SDN list (legacy CSV format)."""
    try:
        entries = parse_ofac(sdn.read_bytes(), alt.read_bytes() if alt else None, add.read_bytes() if add else None)
    except JiabaoError as exc:
        console.print(f"[red]{exc.message_en}[/red]")
        raise typer.Exit(1) from exc
    _load("ofac", "OFAC SDN", "sanctions", entries, _source(sdn, alt, add), rescreen)


@import_app.command("internal")
def import_internal(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Internal list CSV (docs/risk.md)")],
    code: Annotated[str, typer.Option(help="List code")] = "internal",
    name: Annotated[str, typer.Option(help="List name")] = "内部黑名单",
    kind: Annotated[str, typer.Option(help="internal | industry | pep | sanctions")] = "internal",
    rescreen: Annotated[bool, typer.Option(help="Re-screen persons against changed entries")] = True,
) -> None:
    """Load an internal or industry-shared list (CSV; format in docs/risk.md)."""
    try:
        entries = parse_internal(file.read_bytes())
    except JiabaoError as exc:
        console.print(f"[red]{exc.message_en}[/red]")
        raise typer.Exit(1) from exc
    _load(code, name, kind, entries, _source(file), rescreen)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@screen_app.command("names")
def screen_names(
    input_csv: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="ref,name,birth_date,nationality")],
    output: Annotated[Path, typer.Option("--output", help="ref,decision,list,entry_id,matched_name,score")],
    processes: Annotated[int, typer.Option(min=0, max=64, help="Worker processes (0: up to 2)")] = 0,
) -> None:
    """Screen a batch of names against every current list; one output row per input ref."""
    started = time.perf_counter()
    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        entries = current_entries(session, runtime.cipher)
    if not entries:
        console.print("[red]No list loaded: run `jiabao lists import` first[/red]")
        raise typer.Exit(1)
    index = ScreeningIndex(entries)
    with input_csv.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:4]] != INPUT_HEADER:
            console.print(f"[red]Input header must be {','.join(INPUT_HEADER)}[/red]")
            raise typer.Exit(2)
        rows = [r for r in reader if r]
    console.print(f"{len(rows)} subjects, {len(index)} list entries ({time.perf_counter() - started:.1f} s)")
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:  # fmt: skip
        names = [r[1] if len(r) > 1 else "" for r in rows]
        distinct = len(set(names))
        task = progress.add_task("Screening distinct names", total=distinct)
        found = name_candidates_many(
            index, names, processes=processes or None, progress=lambda n: progress.advance(task, n)
        )
    counts = {"pass": 0, "review": 0, "hit": 0}
    with output.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(OUTPUT_HEADER)
        for row in rows:
            row = [*row, "", "", "", ""][:4]
            ref, name, birth, nationality = (v.strip() for v in row)
            candidates = found.get(row[1], [])
            if not candidates:
                writer.writerow([ref, "pass", "", "", "", ""])
                counts["pass"] += 1
                continue
            subject = Subject(ref, name, _date(birth), nationality.upper() or None)
            result = index.decide(subject, candidates)
            counts[result.decision] += 1
            best = result.best
            if best is None:
                writer.writerow([ref, "pass", "", "", "", ""])
            else:
                writer.writerow([ref, result.decision, best.list_code, best.entry_id, best.matched_name,
                                 f"{best.score:.3f}"])  # fmt: skip
    elapsed = time.perf_counter() - started
    console.print(f"[green]{len(rows)} screened in {elapsed:.1f} s[/green] ({distinct} distinct names): "
                  f"{counts['pass']} pass, {counts['review']} review, {counts['hit']} hit → {output}")  # fmt: skip
