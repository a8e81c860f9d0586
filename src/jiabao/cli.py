"""Command line: ``jiabao migrate | seed | demo | serve``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select

from jiabao import cli_advice, cli_batch, cli_ledger, cli_partners, cli_screening, cli_voice
from jiabao.cli_riskops import aml_app
from jiabao.cli_security import keys_app, privacy_app
from jiabao.cli_valuation import valuation_app
from jiabao.config import Settings
from jiabao.db.session import unit_of_work
from jiabao.demo import risk as risk_demo
from jiabao.demo.advice import seed_advice
from jiabao.demo.inflight import seed_inflight
from jiabao.demo.seed import seed_households
from jiabao.demo.users import DEMO_PASSWORD, ensure_demo_users, partner_user_id
from jiabao.family.models import Household
from jiabao.identity import inbox
from jiabao.migrations import upgrade
from jiabao.runtime import Runtime, build_runtime

app = typer.Typer(help="Jiabao (家保) family-account insurance platform", no_args_is_help=True)
app.add_typer(aml_app, name="aml")
app.add_typer(cli_advice.app, name="advice")
console = Console()
app.add_typer(cli_screening.lists_app, name="lists")
app.add_typer(cli_screening.screen_app, name="screen")
app.add_typer(valuation_app, name="valuation")
app.add_typer(cli_ledger.app, name="ledger")
app.add_typer(cli_partners.app, name="commissions")
app.command("issue-batch")(cli_batch.issue_batch)
app.add_typer(cli_partners.network_app, name="partners")


def _runtime() -> Runtime:
    return build_runtime(Settings())


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic)."""
    runtime = _runtime()
    upgrade(runtime.engine, cipher=runtime.cipher)
    console.print(f"[green]Database migrated[/green]: {runtime.engine.url.render_as_string(hide_password=True)}")


@app.command("deliver-internal")
def deliver_internal() -> None:
    """Route the outbox's internal messages: staff → staff inbox, management → admins, post → letter queue."""
    runtime = _runtime()
    with unit_of_work(runtime.sessions) as session:
        count = inbox.deliver_internal(session, now=runtime.clock.now())
    console.print(f"[green]Delivered[/green] {count} internal messages")


def _seed(runtime: Runtime, households: int, seed: int) -> int:
    with unit_of_work(runtime.sessions) as session:
        ensure_demo_users(session, now=runtime.clock.now())
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as progress:  # fmt: skip
        task = progress.add_task("Seeding households", total=households)
        with unit_of_work(runtime.sessions) as session:
            added = seed_households(
                session,
                runtime.cipher,
                count=households,
                now=runtime.clock.now(),
                seed=seed,
                partner_id=partner_user_id(session),
                progress=lambda n: progress.advance(task, n),
            )
    return added


@app.command()
def seed(
    households: Annotated[int, typer.Option(min=1, help="How many households to add")] = 2000,
    random_seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same people)")] = 20211231,
    bulk: Annotated[
        bool, typer.Option(help="PostgreSQL: COPY in resumable chunks, with every product in force (see docs)")
    ] = False,
    chunk_size: Annotated[int, typer.Option(min=1, help="--bulk: households per chunk (one transaction)")] = 2000,
    workers: Annotated[int, typer.Option(min=0, help="--bulk: processes building chunks (0: in-process)")] = 2,
    stop_after: Annotated[int | None, typer.Option(hidden=True, help="--bulk: stop after N chunks")] = None,
) -> None:
    """Add generated demo households (Faker zh_CN, valid ID numbers) and the demo users."""
    runtime = _runtime()
    upgrade(runtime.engine, cipher=runtime.cipher)
    if bulk:
        _bulk_seed(runtime, households, random_seed, chunk_size, workers, stop_after)
    else:
        added = _seed(runtime, households, random_seed)
        console.print(f"[green]Added {added} households[/green]")
    _print_logins(runtime)


def _bulk_seed(runtime: Runtime, households: int, seed: int, chunk_size: int, workers: int, stop: int | None) -> None:
    import time

    from jiabao.demo.bulk import bulk_seed

    if runtime.engine.dialect.name != "postgresql":
        console.print("[red]--bulk needs PostgreSQL (COPY); without --bulk SQLite uses the ordinary seeder[/red]")
        raise typer.Exit(2)
    with unit_of_work(runtime.sessions) as session:
        ensure_demo_users(session, now=runtime.clock.now())
        partner = partner_user_id(session)
    settings = runtime.settings
    started = time.perf_counter()
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as progress:  # fmt: skip
        task = progress.add_task("Bulk seeding households", total=households)
        summary = bulk_seed(
            runtime.engine, runtime.cipher, households=households, now=runtime.clock.now(),
            pii_keys=settings.pii_keys, blind_index_key=settings.blind_index_key,
            tables_dir=str(settings.tables_dir) if settings.tables_dir else None, seed=seed, chunk_size=chunk_size,
            workers=workers, partner_id=partner, stop_after=stop, progress=lambda n: progress.advance(task, n),
        )  # fmt: skip
    seconds = time.perf_counter() - started
    state = "stopped (re-run to resume)" if summary.stopped else "complete"
    console.print(
        f"[green]Bulk seed {state}[/green]: {summary.households:,} households, {summary.persons:,} persons, "
        f"{summary.policies:,} policies, {summary.rows:,} rows in {summary.chunks_done} chunks "
        f"({summary.chunks_skipped} already loaded, {summary.renumbered} ID numbers renumbered) in {seconds:.1f} s "
        f"({summary.rows / max(seconds, 1e-9):,.0f} rows/s)"
    )
    if summary.households:
        console.print(
            f"CPU: producers {summary.producer_cpu:.1f} s "
            f"({summary.producer_cpu / summary.households * 1000:.2f} s per 1,000 households), "
            f"writer {summary.writer_cpu:.1f} s"
        )


def _print_logins(runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        logins = ensure_demo_users(session, now=runtime.clock.now())
    table = Table(title=f"Demo log-ins (password for all: {DEMO_PASSWORD})")
    for column in ("username", "role", "name", "note"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.username, login.role.value, login.display_name, login.note)
    console.print(table)


@app.command()
def demo() -> None:
    """Migrate, seed the demo population on first start, and print a log-in for every role."""
    runtime = _runtime()
    upgrade(runtime.engine, cipher=runtime.cipher)
    with unit_of_work(runtime.sessions) as session:
        existing = session.scalar(select(func.count(Household.id))) or 0
    if existing == 0:
        _seed(runtime, runtime.settings.seed_households, 20211231)
        risk_demo.plant_ring(runtime)
    cli_voice.seed_demo(runtime)
    _print_logins(runtime)
    seed_advice(runtime)
    inflight = seed_inflight(runtime)
    if inflight.policies:
        console.print(
            f"[green]In flight[/green]: {len(inflight.policies)} products with a policy, "
            f"{inflight.referrals} referrals waiting, claims by state {inflight.claims}"
        )
        for what, why in inflight.skipped.items():
            console.print(f"[yellow]Not seeded[/yellow] {what}: {why}")


@app.command("billing")
def billing(
    as_of: Annotated[str | None, typer.Option(help="Run as of this date (YYYY-MM-DD); default today")] = None,
    page: Annotated[int, typer.Option(min=1, help="Policies per transaction")] = 500,
) -> None:
    """The daily billing job: reminders, grace warnings, suspension notices, terminations (run every working day)."""
    from datetime import date

    from jiabao.core.auth import Principal, Role
    from jiabao.policies.billing.service import refresh_all

    runtime = _runtime()
    on = date.fromisoformat(as_of) if as_of else runtime.clock.today()
    system = Principal(user_id=0, role=Role.ADMIN, username="billing-job", display_name="billing job")
    after, total, messages = 0, 0, 0
    while True:
        with unit_of_work(runtime.sessions) as session:
            ctx = runtime.job_context(session, system)
            summary = refresh_all(ctx, on, after_id=after, limit=page)
        total, messages, after = total + summary.policies, messages + summary.messages, summary.last_id
        if summary.policies < page:
            break
    console.print(f"[green]Billing run as of {on}[/green]: {total} policies, {messages} messages queued")


@app.command()
def benefits(
    as_of: Annotated[str | None, typer.Option(help="Run as of this date (YYYY-MM-DD); default today")] = None,
) -> None:
    """The daily benefit job: survival benefits, annuities (once the annuitant's survival is confirmed) and maturity
    benefits due, paid to the registered account, each exactly once (issue 17)."""
    from datetime import date

    from jiabao.core.auth import Principal, Role
    from jiabao.policies.servicing.payouts import pay_due_benefits

    runtime = _runtime()
    on = date.fromisoformat(as_of) if as_of else runtime.clock.today()
    system = Principal(user_id=0, role=Role.ADMIN, username="benefit-job", display_name="benefit job")
    with unit_of_work(runtime.sessions) as session:
        ctx = runtime.job_context(session, system)
        summary = pay_due_benefits(ctx, runtime.products, on)
    console.print(
        f"[green]Benefits as of {on}[/green]: {len(summary.paid)} paid, "
        f"{len(summary.waiting_for_survival)} waiting for a survival confirmation"
    )


@app.command("expire-holder-changes")
def expire_holder_changes(
    as_of: Annotated[str | None, typer.Option(help="Run as of this date (YYYY-MM-DD); default today")] = None,
) -> None:
    """The daily job: changes of policyholder (变更投保人) not consented within their period are marked expired
    (issue 12 item 4; the same as POST /api/v1/servicing/policyholder-changes/expire)."""
    from datetime import date

    from jiabao.core.auth import Principal, Role
    from jiabao.policies.servicing import holder

    runtime = _runtime()
    on = date.fromisoformat(as_of) if as_of else runtime.clock.today()
    system = Principal(user_id=0, role=Role.ADMIN, username="holder-change-job", display_name="holder change job")
    with unit_of_work(runtime.sessions) as session:
        expired = holder.expire(runtime.job_context(session, system), on)
    console.print(f"[green]Changes of policyholder as of {on}[/green]: {expired} expired")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Serve the web app and the API."""
    import uvicorn

    console.print(f"Jiabao on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run("jiabao.asgi:app", host=host, port=port, workers=workers, log_level="info")


cli_voice.register(app)
app.add_typer(keys_app, name="keys")
app.add_typer(privacy_app, name="privacy")


if __name__ == "__main__":
    app()
