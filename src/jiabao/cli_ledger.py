"""``jiabao ledger reconcile``: the daily reconciliation of the household ledger (日终对账)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.core.money import from_fen
from jiabao.db.session import unit_of_work
from jiabao.ledger.reconcile import reconcile
from jiabao.runtime import Runtime, build_runtime

app = typer.Typer(help="Household ledger (家庭账户分类账)", no_args_is_help=True)
console = Console()
SYSTEM = Principal(user_id=0, role=Role.ADMIN, username="ledger-job", display_name="ledger job")


def _runtime() -> Runtime:
    return build_runtime(Settings())


def _fen(value: int | None) -> str:
    return "—" if value is None else f"{from_fen(value):,.2f}"


@app.command("reconcile")
def reconcile_command(
    on: Annotated[str | None, typer.Option("--date", help="The day to prove (YYYY-MM-DD); default yesterday")] = None,
) -> None:
    """Prove the ledger against the day's payments, claims, refunds and waivers; exit 1 on any difference."""
    runtime = _runtime()
    try:
        day = date.fromisoformat(on) if on else date.fromordinal(runtime.clock.today().toordinal() - 1)
    except ValueError:
        console.print(f"[red]--date: not a date (YYYY-MM-DD): {on}[/red]")
        raise typer.Exit(2) from None
    with unit_of_work(runtime.sessions) as session:
        ctx = runtime.job_context(session, SYSTEM)
        report = reconcile(ctx, day)
    console.print(
        f"Ledger reconciliation {report.on}: {report.payments} payments, {report.journals} journals, "
        f"{report.claims} claims, {report.waivers} waived instalments"
    )
    if report.clean:
        console.print("[green]Reconciled: no difference[/green]")
        return
    table = Table("source", "problem", "expected (¥)", "ledger (¥)")
    for d in report.differences:
        table.add_row(d.source, d.problem, _fen(d.expected_fen), _fen(d.ledger_fen))
    console.print(table)
    console.print(f"[red]{len(report.differences)} difference(s)[/red]")
    raise typer.Exit(1)


@app.command("family-bills")
def family_bills_command(
    month: Annotated[str, typer.Option(help="The bills' month (YYYY-MM)")],
    as_of: Annotated[str | None, typer.Option(help="Collect bills whose debit day has come by (YYYY-MM-DD)")] = None,
) -> None:
    """Draw up the month's family bill for every household with a family payment account and collect, in one debit
    each, the bills whose first premium is due by ``--as-of`` (idempotent: running it twice debits nothing more)."""
    from jiabao.policies.billing.family import run_period

    runtime = _runtime()
    try:
        year, mon = (int(x) for x in month.split("-", 1))
        start = date(year, mon, 1)
        end = date(year + (mon == 12), mon % 12 + 1, 1) - timedelta(days=1)
        on = date.fromisoformat(as_of) if as_of else runtime.clock.today()
    except ValueError:
        console.print("[red]--month YYYY-MM and --as-of YYYY-MM-DD[/red]")
        raise typer.Exit(2) from None
    with unit_of_work(runtime.sessions) as session:
        ctx = runtime.job_context(session, SYSTEM)
        counts = run_period(ctx, start, end, as_of=on)
    console.print(
        f"Family bills {month}: {counts['households']} households with an account, {counts['bills']} bills, "
        f"{counts['paid']} collected, {counts['declined']} declined"
    )
