"""``jiabao valuation run | scenarios``: value the book in force serially, on a process pool or on Dask."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from jiabao.batch.executor import DaskExecutor, Executor, ExecutorKind, close, make_executor
from jiabao.config import Settings
from jiabao.core.errors import JiabaoError
from jiabao.db.session import unit_of_work
from jiabao.runtime import build_runtime
from jiabao.valuation import service
from jiabao.valuation.assumptions import DEFAULT_PREMIUM, assumptions_from_daily_csv, default_assumptions
from jiabao.valuation.engine import AssumptionSet

valuation_app = typer.Typer(help="Valuation of the book in force (精算评估)", no_args_is_help=True)
console = Console()
ExecutorOption = Annotated[
    Literal["serial", "processes", "dask"], typer.Option(help="serial | processes (local pool) | dask")
]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --executor dask)")
]
WorkersOption = Annotated[int | None, typer.Option(min=1, help="Pool size, or LocalCluster workers for dask")]
PartitionsOption = Annotated[int, typer.Option(min=1, max=10_000, help="Household partitions (shards)")]
AsOfOption = Annotated[str | None, typer.Option(help="Valuation date YYYY-MM-DD; default today")]
CurveOption = Annotated[
    Path | None,
    typer.Option(help="Daily government spot curves CSV (date,<tenors>…, percent); the last 750 rows build the curve"),
]
PremiumOption = Annotated[float, typer.Option(min=0, max=50, help="Comprehensive premium over the curve, bp")]
VersionOption = Annotated[str | None, typer.Option(max=40, help="Assumption-set version (required with --curve-csv)")]


def _assumptions(curve_csv: Path | None, premium_bp: float, version: str | None) -> AssumptionSet:
    if curve_csv is None:
        return default_assumptions(version) if version else default_assumptions()
    if not version:
        raise typer.BadParameter("a curve file makes a new assumption set: give it a --version", param_hint="--version")
    return assumptions_from_daily_csv(curve_csv.read_text(encoding="utf-8"), version, premium_bp / 10_000)


@contextmanager
def _executor(kind: ExecutorKind, workers: int | None, scheduler: str | None) -> Iterator[Executor]:
    executor = make_executor(kind, workers=workers, scheduler=scheduler)
    try:
        if isinstance(executor, DaskExecutor):
            trimmed = {w: v for w, v in executor.worker_trim_settings().items() if v is not None}
            if trimmed:  # external workers keep their own environment: numpy runs 2-3x slower with it
                console.print(
                    f"[yellow]{len(trimmed)} Dask worker(s) run with MALLOC_TRIM_THRESHOLD_ set; start them with "
                    "distributed.nanny.pre-spawn-environ without that key (docs/valuation.md)[/yellow]"
                )
        yield executor
    finally:
        close(executor)


def _mapper(
    executor: Executor, progress: Progress, label: str
) -> Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]:
    def run(fn: Callable[[Any], Any], shards: Sequence[Any]) -> list[Any]:
        task = progress.add_task(label, total=len(shards))
        return executor.run(fn, shards, progress=lambda done, _total: progress.update(task, completed=done))

    return run


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@contextmanager
def _fail_cleanly() -> Iterator[None]:
    """An expected condition (no book, a used assumption version) is a message and exit code 1, not a trace."""
    try:
        yield
    except JiabaoError as error:
        console.print(f"[red]{error.message_zh}[/red] ({error.message_en})")
        raise typer.Exit(1) from error


@valuation_app.command("run")
def run(
    executor: ExecutorOption = "serial",
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    partitions: PartitionsOption = 8,
    as_of: AsOfOption = None,
    curve_csv: CurveOption = None,
    premium_bp: PremiumOption = DEFAULT_PREMIUM * 10_000,
    version: VersionOption = None,
) -> None:
    """Value every in-force policy, store the run and print the totals (shown to the actuary at /valuation)."""
    runtime = build_runtime(Settings())
    on = date.fromisoformat(as_of) if as_of else runtime.clock.today()
    assumptions = _assumptions(curve_csv, premium_bp, version)
    with (
        _executor(executor, workers, scheduler) as ex,
        _progress() as progress,
        unit_of_work(runtime.sessions) as session,
        _fail_cleanly(),
    ):
        summary = service.run_valuation(
            session,
            runtime.products,
            assumptions,
            on,
            now=runtime.clock.now(),
            map_shards=_mapper(ex, progress, f"valuation ({ex.kind})"),
            executor=ex.kind,
            partitions=partitions,
        )
    table = Table(title=f"Valuation run #{summary.run_id} as of {on} ({assumptions.version}, {ex.kind})")
    table.add_column("measure")
    table.add_column("total (yuan)", justify="right")
    for name, value in summary.totals.items():
        table.add_row(name, f"{value:,.2f}")
    console.print(table)
    rate = summary.policies / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.policies} policies ({summary.lines} insured lines) in {summary.shards} shards, "
        f"{summary.seconds:.2f} s, {rate:,.0f} policies/s"
    )


@valuation_app.command("scenarios")
def scenarios(
    count: Annotated[int, typer.Option(min=2, max=100_000, help="Interest-rate scenarios")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed of the scenario generator")] = 20261203,
    executor: ExecutorOption = "serial",
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    partitions: PartitionsOption = 8,
    as_of: AsOfOption = None,
) -> None:
    """Value the book on Hull–White interest-rate scenarios fitted to the valuation curve; print the distribution."""
    runtime = build_runtime(Settings())
    on = date.fromisoformat(as_of) if as_of else runtime.clock.today()
    with (
        _executor(executor, workers, scheduler) as ex,
        _progress() as progress,
        unit_of_work(runtime.sessions) as session,
        _fail_cleanly(),
    ):
        summary = service.run_scenarios(
            session,
            runtime.products,
            default_assumptions(),
            on,
            count=count,
            seed=seed,
            map_shards=_mapper(ex, progress, f"scenarios ({ex.kind})"),
            partitions=partitions,
        )
    console.print(
        f"{summary.scenarios} scenarios × {summary.shards} shards in {summary.seconds:.2f} s ({ex.kind}); "
        f"deterministic BEL {summary.deterministic_bel:,.2f}, mean {summary.mean:,.2f}, sd {summary.std:,.2f}"
    )
    console.print("percentiles: " + ", ".join(f"{k} {v:,.2f}" for k, v in summary.percentiles.items()))
