"""Command line of customer voice and reporting: ``jiabao complaints import|warn`` and ``jiabao report
complaints|complaint-warnings|kpi|esg``. JSON goes to stdout unchanged (other tools parse it)."""

from __future__ import annotations

import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.core.errors import InvalidInput
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime, build_runtime
from jiabao.voice.taxonomy import Channel

complaints_app = typer.Typer(help="Complaints (投诉): bulk import, early warnings", no_args_is_help=True)
report_app = typer.Typer(help="Reports: complaints, complaint warnings, KPIs, the ESG report", no_args_is_help=True)
SYSTEM = Principal(user_id=0, role=Role.ADMIN, username="complaints-job", display_name="complaints job")


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


def register(app: typer.Typer) -> None:
    app.add_typer(complaints_app, name="complaints")
    app.add_typer(report_app, name="report")


def seed_demo(runtime: Runtime) -> None:
    """The demo complaints (idempotent), called by ``jiabao demo``."""
    from jiabao.demo.voice import seed_complaints

    with unit_of_work(runtime.sessions) as session:
        seed_complaints(session, runtime.cipher, now=runtime.clock.now())


def _runtime() -> Runtime:
    return build_runtime(Settings())


def _emit(data: dict[str, Any], fmt: Format) -> None:
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) or not 2000 <= int(value[:4]) <= 2100:
        raise typer.BadParameter("use YYYY-MM")
    return value


@complaints_app.command("import")
def import_complaints(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]) -> None:
    """Import complaints from a CSV file; refuses the whole file if any row is invalid; a known ref is skipped."""
    from jiabao.voice.importer import import_csv

    runtime = _runtime()
    text = file.read_text(encoding="utf-8-sig")
    try:
        with unit_of_work(runtime.sessions) as session:
            ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=SYSTEM)
            result = import_csv(ctx, text)
    except InvalidInput as exc:
        typer.echo(f"Refused, nothing imported: {exc.message_en} / {exc.message_zh}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"{result.rows} rows: {result.imported} imported, {result.skipped} already present")


@complaints_app.command("warn")
def send_warnings(month: Annotated[str, typer.Option(help="YYYY-MM", callback=_month)]) -> None:
    """Record the month's early warnings and send the new ones to management."""
    from jiabao.voice.early_warning import send

    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        sent = send(session, month, now=runtime.clock.now())
    typer.echo(f"{sent} new warnings sent for {month}")


@complaints_app.command("deadlines")
def deadline_warnings() -> None:
    """The daily job: warn handlers 3 days and 1 day before a complaint's deadline, and when it is overdue."""
    from jiabao.voice.service import deadline_warnings as warn

    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=SYSTEM)
        sent = warn(ctx)
    typer.echo(f"{sent} deadline warnings queued")


@report_app.command("complaints")
def report_complaints(
    year: Annotated[int, typer.Option(min=2000, max=2100)],
    channel: Annotated[Channel | None, typer.Option(case_sensitive=True)] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """Complaints received in the year, by category and region (count and share in percent)."""
    from jiabao.voice.analysis import annual

    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        data = annual(session, year, channel.value if channel else None)
    _emit(data, format)


@report_app.command("complaint-warnings")
def report_warnings(
    month: Annotated[str, typer.Option(help="YYYY-MM", callback=_month)],
    format: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """The month's early warnings with observed and expected counts and the method."""
    from jiabao.voice.early_warning import month_warnings

    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        data = {"month": month, "warnings": month_warnings(session, month)}
    _emit(data, format)


@report_app.command("kpi")
def report_kpi(
    year: Annotated[int, typer.Option(min=2000, max=2100)],
    format: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """Every KPI of the year with its numerator and denominator (definitions in docs/kpi.md)."""
    from jiabao.reporting.kpis import annual_report

    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        data = annual_report(session, year)
    _emit(data, format)


@report_app.command("esg")
def report_esg(
    year: Annotated[int, typer.Option(min=2000, max=2100)],
    output: Annotated[Path, typer.Option(dir_okay=False, writable=True)],
) -> None:
    """The annual ESG-style report (PDF, in Chinese) from the KPIs."""
    from jiabao.reporting.esg_pdf import esg_report

    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        output.write_bytes(esg_report(session, year))
    typer.echo(f"ESG report {year} written to {output}")
