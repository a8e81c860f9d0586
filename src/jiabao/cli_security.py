"""``jiabao keys check | accept-secret | rotate`` (docs/security.md, "Keys") and ``jiabao privacy retention``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from jiabao.config import Settings
from jiabao.core.clock import SystemClock
from jiabao.core.pii import PiiCipher
from jiabao.db.session import make_engine
from jiabao.migrations.models import metadata
from jiabao.runtime import build_runtime, ensure_secrets
from jiabao.security import keys, privacy

keys_app = typer.Typer(help="Key canaries and key rotation", no_args_is_help=True)
console = Console()


@keys_app.command("check")
def check() -> None:
    """Start-up check only: the configured keys open this database's canaries (exit 1 otherwise)."""
    try:
        build_runtime(Settings())
    except keys.KeyMismatch as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print("[green]Keys match this database[/green]")


@keys_app.command("accept-secret")
def accept_secret() -> None:
    """After changing JIABAO_SECRET_KEY on purpose: reseal its canary (every session and token ends)."""
    settings = ensure_secrets(Settings())
    engine = make_engine(settings.database_url)
    cipher = PiiCipher.from_config(settings.pii_keys, settings.blind_index_key)
    try:
        keys.check_canaries(engine, cipher, settings.secret_key, now=SystemClock().now(), accept_new_secret=True)
    except keys.KeyMismatch as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    console.print("[green]The new session secret is accepted[/green]")


@keys_app.command("rotate")
def rotate(
    new_blind_index_key: Annotated[
        str | None, typer.Option(help="Base64 key (32+ bytes): recompute every search index under it")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="Rows per transaction")] = 500,
) -> None:
    """Re-encrypt every personal-data column with the first key of JIABAO_PII_KEYS (and re-index with a new
    blind-index key), in batches; safe to interrupt and run again: it resumes after the last committed batch."""
    runtime = build_runtime(Settings())
    index_key = keys.decode_key(new_blind_index_key) if new_blind_index_key else None

    def progress(part: str, done: int, rows: int) -> None:
        console.print(f"{part}: {done} rows checked" + ("" if rows else " — done"))

    report = keys.rotate(
        runtime.sessions,
        metadata,
        runtime.cipher,
        runtime.settings.secret_key,
        now=runtime.clock.now(),
        new_index_key=index_key,
        batch=batch,
        progress=progress,
    )
    console.print(
        f"[green]Rotation complete[/green]: {report.rows} rows checked, {report.rewritten} rewritten, "
        f"{report.unreadable} unreadable (missing key version)"
    )
    if index_key is not None:
        console.print("Now set JIABAO_BLIND_INDEX_KEY to the new key and restart.")


privacy_app = typer.Typer(help="Personal-information retention (docs/privacy.md)", no_args_is_help=True)


@privacy_app.command("retention")
def retention(batch: Annotated[int, typer.Option(min=1, max=10_000, help="Rows per transaction")] = 200) -> None:
    """Anonymise or delete data past its retention period, and carry out deletion requests; resumable."""
    runtime = build_runtime(Settings())
    report = privacy.run_retention(
        runtime.sessions,
        runtime.cipher,
        now=runtime.clock.now(),
        batch=batch,
        progress=lambda category, n: console.print(f"{category}: {n} in this batch"),
    )
    console.print("[green]Retention run complete[/green]: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
