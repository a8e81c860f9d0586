"""``jiabao commissions run|approve|statement|plan-add|plan-approve``: the monthly commission run (月度佣金计算);
``jiabao partners move|leave``: a partner's move in the hierarchy and its departure (孤儿单 reassigned)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from jiabao.batch.executor import ExecutorKind, close, make_executor
from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.core.errors import JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.partners import commissions
from jiabao.partners import service as partners
from jiabao.partners.schemas import LeaveIn, MoveIn
from jiabao.runtime import Runtime, build_runtime

app = typer.Typer(help="Partner commissions (合伙人佣金)", no_args_is_help=True)
console = Console()
SYSTEM = Principal(user_id=0, role=Role.ADMIN, username="commission-job", display_name="commission job")
MONTH = Annotated[str, typer.Option("--month", help="YYYY-MM")]


def _fail(exc: JiabaoError) -> None:
    console.print(f"[red]{exc.message_zh}[/red] ({exc.code})")
    for f in exc.fields:
        console.print(f"  {f.field}: {f.message_zh}")
    raise typer.Exit(2)


def _ctx(runtime: Runtime, session: Session) -> ServiceContext:
    return runtime.job_context(session, SYSTEM)


@app.command("run")
def run(
    month: MONTH,
    shards: Annotated[int, typer.Option(min=1, help="seller shards; 1 = one transaction in this process")] = 1,
    executor: Annotated[ExecutorKind, typer.Option(help="serial | processes | dask (LocalCluster)")] = "serial",
    workers: Annotated[int | None, typer.Option(help="processes or Dask workers")] = None,
) -> None:
    """Compute the month; a re-run posts only the differences, as adjustments. With ``--shards N`` the sellers are
    split in N shards run on the executor, each streaming only its own events (bounded memory)."""
    runtime = build_runtime(Settings())
    try:
        if shards == 1 and executor == "serial":
            with unit_of_work(runtime.sessions) as session:
                summary = commissions.run_month(_ctx(runtime, session), month)
        else:
            pool = make_executor(executor, workers=workers)
            try:
                summary, _ = commissions.run_month_sharded(
                    runtime.sessions,
                    lambda session: _ctx(runtime, session),
                    runtime.settings.database_url,
                    month,
                    pool,
                    shards,
                )
            finally:
                close(pool)
    except JiabaoError as exc:
        _fail(exc)
        return
    console.print(
        f"[green]Commission run[/green] {summary.month} #{summary.seq}: {summary.events} premium events, "
        f"{summary.lines_written} lines written ({summary.adjustments} adjustments), total {summary.total}"
    )


@app.command("approve")
def approve(month: MONTH) -> None:
    """Approve the month's latest run and write the payment instructions."""
    runtime = build_runtime(Settings())
    try:
        with unit_of_work(runtime.sessions) as session:
            rows = commissions.approve(_ctx(runtime, session), month)
            total = sum((r.amount for r in rows), start=commissions.ZERO)
    except JiabaoError as exc:
        _fail(exc)
        return
    console.print(f"[green]Approved[/green] {month}: {len(rows)} payment instructions, total {total}")


@app.command("statement")
def statement(
    month: MONTH,
    partner: Annotated[int, typer.Option("--partner", help="partner id")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="write the PDF here")] = None,
) -> None:
    """Print a partner's statement for the month (and write its PDF)."""
    runtime = build_runtime(Settings())
    try:
        with unit_of_work(runtime.sessions) as session:
            ctx = _ctx(runtime, session)
            st = commissions.statement(ctx, month, partner)
            if pdf is not None:
                pdf.write_bytes(commissions.statement_pdf(ctx, month, partner))
    except JiabaoError as exc:
        _fail(exc)
        return
    table = Table("kind", "policy", "amount", "adjustment", title=f"{st.partner_name} {month}")
    for ln in st.lines:
        table.add_row(ln.kind, ln.policy_no or "", str(ln.amount), "yes" if ln.adjustment else "")
    console.print(table)
    console.print(f"gross {st.gross}  tax {st.tax}  net {st.net}")


@app.command("plan-add")
def plan_add(
    code: Annotated[str, typer.Option("--code")],
    effective_from: Annotated[str, typer.Option("--effective-from", help="YYYY-MM-DD")],
    file: Annotated[Path, typer.Option("--file", help="the plan's rules in YAML (docs/partners.md)")],
) -> None:
    """Add a draft version of a plan."""
    runtime = build_runtime(Settings())
    try:
        rules = yaml.safe_load(file.read_text(encoding="utf-8"))
        with unit_of_work(runtime.sessions) as session:
            row = commissions.create_plan(_ctx(runtime, session), code, date.fromisoformat(effective_from), rules)
            plan_id, version = row.id, row.version
    except JiabaoError as exc:
        _fail(exc)
        return
    console.print(f"Plan {code} version {version} (id {plan_id}) is a draft")


@app.command("plan-approve")
def plan_approve(plan_id: Annotated[int, typer.Option("--id")]) -> None:
    """Approve a draft plan; refused when it pays more than a filed expense loading (报行合一)."""
    runtime = build_runtime(Settings())
    try:
        with unit_of_work(runtime.sessions) as session:
            commissions.approve_plan(_ctx(runtime, session), plan_id, runtime.products.catalog)
    except JiabaoError as exc:
        _fail(exc)
        return
    console.print(f"[green]Plan {plan_id} approved[/green]")


network_app = typer.Typer(help="The partner network (合伙人网络): moves and departures", no_args_is_help=True)
DAY = Annotated[str, typer.Option("--on", help="YYYY-MM-DD")]


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        console.print(f"[red]日期格式应为 YYYY-MM-DD[/red] (bad_date): {value}")
        raise typer.Exit(2) from None


@network_app.command("move")
def move(
    partner: Annotated[int, typer.Option("--partner", help="partner id")],
    parent: Annotated[int, typer.Option("--parent", help="the new team or region")],
    on: DAY,
) -> None:
    """Move a partner to another team or region from a date (its membership ends that day; overrides follow the
    date of each premium)."""
    runtime = build_runtime(Settings())
    try:
        with unit_of_work(runtime.sessions) as session:
            partners.move(_ctx(runtime, session), partner, MoveIn(parent_id=parent, on=_day(on)))
    except JiabaoError as exc:
        _fail(exc)
        return
    console.print(f"[green]Partner {partner} moved[/green] under {parent} from {on}")


@network_app.command("leave")
def leave(
    partner: Annotated[int, typer.Option("--partner", help="the partner leaving")],
    successor: Annotated[int, typer.Option("--successor", help="the licensed partner who takes over the service")],
    on: DAY,
) -> None:
    """A partner leaves: its live policies (孤儿单) and households pass to the successor, and each policyholder is
    told by SMS who serves them now."""
    runtime = build_runtime(Settings())
    try:
        with unit_of_work(runtime.sessions) as session:
            moved = partners.leave(_ctx(runtime, session), partner, LeaveIn(on=_day(on), successor_id=successor))
    except JiabaoError as exc:
        _fail(exc)
        return
    console.print(f"[green]Partner {partner} left[/green] on {on}: {moved} policies now serviced by {successor}")
