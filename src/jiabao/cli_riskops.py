"""``jiabao aml scan | report | purge``: the AML jobs (run the scan every working day so that large-value reports
are generated well within their 5 working days)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.core.errors import JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.risk.aml import service as aml
from jiabao.runtime import build_runtime

aml_app = typer.Typer(help="Anti-money-laundering jobs (反洗钱)", no_args_is_help=True)
console = Console()
JOB = Principal(user_id=0, role=Role.RISK, username="aml-job", display_name="AML job")


@aml_app.command("scan")
def scan(
    day_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD); default 7 days ago")] = None,
    day_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD); default today")] = None,
) -> None:
    """Open large-value and suspicious cases and due-diligence requirements for the days given."""
    runtime = build_runtime(Settings())
    today = runtime.clock.today()
    first = date.fromisoformat(day_from) if day_from else today - timedelta(days=7)
    last = date.fromisoformat(day_to) if day_to else today
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=JOB)
        result = aml.scan(ctx, day_from=first, day_to=last)
    console.print(
        f"[green]AML scan {first} – {last}[/green]: {result.transactions} transactions, "
        f"{result.large_value} large-value, {result.suspicious} suspicious, {result.cdd} due-diligence"
    )


@aml_app.command("report")
def report(
    kind: Annotated[str, typer.Argument(help="LVTR (large-value) or STR (suspicious)")],
    output: Annotated[Path, typer.Option("--output", help="Write the file here")],
) -> None:
    """Generate the report file of every case waiting to be reported (format in docs/risk.md)."""
    runtime = build_runtime(Settings())
    try:
        with unit_of_work(runtime.sessions) as session:
            ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=JOB)
            row = aml.generate_report(ctx, kind.upper())
            name, content = aml.report_file(ctx, row.id)
    except JiabaoError as exc:
        console.print(f"[yellow]{exc.message_en}[/yellow]")
        raise typer.Exit(1) from exc
    output.write_text(content, encoding="utf-8", newline="")
    console.print(f"[green]{name}[/green]: {row.records} records, on time: {row.on_time} → {output}")


@aml_app.command("purge")
def purge() -> None:
    """Delete AML records past their 10-year retention (nothing younger)."""
    runtime = build_runtime(Settings())
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=JOB)
        removed = aml.purge_expired(ctx)
    console.print(f"Removed {removed} records past retention")
