"""``jiabao issue-batch FILE``: an institutional partner's batch file of complete applications (issue 16 item 6).

The file is JSON Lines, one batch item per line (docs/batch-issuance.md). Every line is checked first: a malformed
line gets its line number and reason and nothing is written for it; the valid items are split into household
shards, one per worker process, and issued in batches (one transaction each) by the same rules as one at a time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from jiabao.batch.executor import ProcessExecutor
from jiabao.batch.issuance import LineResult, Shard, as_record, run_items, run_shard
from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.db.session import unit_of_work
from jiabao.identity.models import User
from jiabao.identity.service import principal_of
from jiabao.policies.issuance.batch import MAX_ITEMS, BatchItemOut
from jiabao.policies.issuance.batch_file import household_shards, parse_lines
from jiabao.runtime import Runtime, build_runtime

console = Console()
SERVICE = Principal(user_id=0, role=Role.SERVICE, username="issue-batch", display_name="batch issuance")
SENDERS = (Role.PARTNER, Role.SERVICE, Role.ADMIN)
"""Who may send a batch: the same roles as ``POST /api/v1/applications/batch``."""


def _sender(runtime: Runtime, username: str | None) -> Principal:
    if username is None:
        return SERVICE
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.username == username)).one_or_none()
        principal = principal_of(user) if user is not None and user.active else None
    if principal is None or principal.role not in SENDERS:
        console.print(f"[red]No active partner, service or admin user named {username!r}[/red]")
        raise typer.Exit(2)
    return principal


def issue_batch(
    file: Annotated[Path, typer.Argument(help="JSON Lines, one batch item per line", exists=True, dir_okay=False)],
    partner: Annotated[
        str | None, typer.Option("--partner", help="send as this partner user (its authorisations apply)")
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=MAX_ITEMS, help="items per transaction")] = 500,
    workers: Annotated[int, typer.Option("--workers", min=1, max=16, help="worker processes (household shards)")] = 2,
    all_or_nothing: Annotated[
        bool, typer.Option("--all-or-nothing", help="issue every item or none (one transaction, one process)")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", help="write one JSON result per input line here (JSON Lines)")
    ] = None,
) -> None:
    """Issue a partner's batch file: underwritten, priced, screened and recorded as one at a time."""
    runtime = build_runtime(Settings())
    principal = _sender(runtime, partner)
    with file.open(encoding="utf-8") as handle:
        good, bad = parse_lines(handle)
    results: list[LineResult] = [(b.line, BatchItemOut(key=b.key or "", status="refused", error=b.error)) for b in bad]
    for b in bad:
        console.print(f"[red]line {b.line}[/red]: {b.error.message_en}: " + "; ".join(
            f"{f['field']}: {f['message_en']}" for f in b.error.fields
        ))  # fmt: skip
    if all_or_nothing and bad:
        console.print("[red]All or nothing: the file has malformed lines, nothing was issued[/red]")
        results += [(p.line, BatchItemOut(key=p.item.key, status="rolled_back")) for p in good]
        good = []
    if runtime.settings.database_url.startswith("sqlite") or all_or_nothing:
        workers = 1  # SQLite has one writer; all or nothing is one transaction
    started = time.perf_counter()
    if good:
        shards = household_shards(good, workers)
        if len(shards) == 1:
            results += run_items(runtime, principal, shards[0], batch_size=batch_size, all_or_nothing=all_or_nothing)
        else:
            tasks = [Shard(runtime.settings, principal, shard, batch_size, all_or_nothing) for shard in shards]
            for part in ProcessExecutor(workers=len(tasks), retries=0).run(run_shard, tasks):
                results += part
    wall = time.perf_counter() - started
    runtime.engine.dispose()
    results.sort(key=lambda r: r[0])
    if output is not None:
        with output.open("w", encoding="utf-8") as out:
            for line, result in results:
                out.write(json.dumps(as_record(line, result), ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for _, result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    issued = counts.get("issued", 0)
    rate = f", {issued / wall * 60:,.0f} policies/minute" if issued and wall > 0 else ""
    console.print(f"{len(results)} lines: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + rate)
    if any(r.status not in ("issued", "replayed") for _, r in results):
        raise typer.Exit(1)
