"""``jiabao advice reassess``: the daily dynamic-adjustment job (动态调整)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from jiabao.advice import service
from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.db.session import unit_of_work
from jiabao.runtime import build_runtime

app = typer.Typer(help="Family risk assessment and advice (家庭风险评估)", no_args_is_help=True)
console = Console()


@app.command("reassess")
def reassess(page: Annotated[int, typer.Option(min=1, help="Households per transaction")] = 200) -> None:
    """Re-assess every assessed household whose timeline, policies or children's ages changed since its last
    snapshot; a widened gap queues a message to the family (run daily)."""
    runtime = build_runtime(Settings())
    system = Principal(user_id=0, role=Role.ADMIN, username="advice-job", display_name="advice job")
    after = households = reassessed = messages = 0
    while True:
        with unit_of_work(runtime.sessions) as session:
            ctx = runtime.job_context(session, system)
            result = service.reassess_due(ctx, runtime.products, after_id=after, limit=page)
        households += result.households
        reassessed += result.reassessed
        messages += result.messages
        after = result.last_id
        if result.households < page:
            break
    console.print(f"[green]Advice run[/green]: {households} households, {reassessed} re-assessed, {messages} messages")
