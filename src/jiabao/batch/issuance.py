"""Run a partner's batch file on both cores (issue 16 item 6): household shards, one worker process each
(:mod:`jiabao.batch.executor`), every shard sent through :func:`jiabao.policies.issuance.batch.issue_items` in
batches of ``batch_size`` items, one transaction per batch, as the batch API does.

Each worker builds its own runtime from the settings it is given (no connection crosses a process boundary) and
returns one result per line, so the caller can write them in file order whichever shard finished first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from jiabao.config import Settings
from jiabao.core.auth import Principal
from jiabao.db import audit_unit
from jiabao.policies.issuance.batch import BatchItemOut, BatchOut, issue_items
from jiabao.policies.issuance.batch_file import ParsedLine
from jiabao.runtime import Runtime, build_runtime
from jiabao.underwriting.engine import KnowledgeBase

LineResult = tuple[int, BatchItemOut]
RETRIES = 3
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shard:
    settings: Settings
    principal: Principal
    lines: list[ParsedLine]
    batch_size: int
    all_or_nothing: bool = False


def run_items(
    runtime: Runtime,
    principal: Principal,
    lines: list[ParsedLine],
    *,
    batch_size: int,
    all_or_nothing: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[LineResult]:
    """Issue ``lines`` in batches of ``batch_size`` (one transaction each; ``all_or_nothing``: one batch of all)."""
    size = len(lines) if all_or_nothing else max(1, batch_size)
    kb = runtime.knowledge.get()
    out: list[LineResult] = []
    for start in range(0, len(lines), max(1, size)):
        chunk = lines[start : start + size]
        result = _issue_chunk(runtime, principal, kb, chunk, all_or_nothing)
        out += [(p.line, r) for p, r in zip(chunk, result.items, strict=True)]
        if progress:
            progress(len(chunk))
    return out


def _issue_chunk(
    runtime: Runtime, principal: Principal, kb: KnowledgeBase, chunk: list[ParsedLine], all_or_nothing: bool
) -> BatchOut:
    """One batch in one transaction. Should another transaction collide with it (a unique key, a deadlock), the
    batch is rolled back whole and sent again (its items are idempotent by key; the failed attempt's audit units
    are dropped, the retry records its own)."""
    for attempt in range(RETRIES + 1):
        session = runtime.sessions()
        audit_unit.expect(session)
        try:
            ctx = runtime.job_context(session, principal)
            result = issue_items(ctx, runtime.products, kb, [p.item for p in chunk], all_or_nothing=all_or_nothing)
            session.commit()
        except (IntegrityError, OperationalError) as exc:
            session.rollback()
            if attempt == RETRIES:
                audit_unit.run_pending(session, runtime.sessions)
                raise
            log.warning("batch of %d items collided with another transaction (%s): sent again", len(chunk),
                        type(exc.orig).__name__)  # fmt: skip
            session.info.pop("audit_units", None)
            continue
        except BaseException:
            session.rollback()
            audit_unit.run_pending(session, runtime.sessions)
            raise
        else:
            audit_unit.run_pending(session, runtime.sessions)
            return result
        finally:
            session.info.pop("audit_units", None)
            session.close()
    raise AssertionError("unreachable")


def run_shard(shard: Shard) -> list[LineResult]:
    """One worker process's part: its own runtime, then :func:`run_items`."""
    return run_shard_timed(shard).results


@dataclass(frozen=True)
class ShardRun:
    results: list[LineResult]
    cpu: float
    """CPU seconds of the worker process for this shard, start-up included."""
    startup: float
    """Wall seconds to build the worker's runtime (catalog, tables, keys) before the first item."""


def run_shard_timed(shard: Shard) -> ShardRun:
    """:func:`run_shard` with the worker's CPU and start-up time (for the benchmark)."""
    started_cpu, started = time.process_time(), time.perf_counter()
    runtime = build_runtime(shard.settings)
    startup = time.perf_counter() - started
    try:
        results = run_items(
            runtime, shard.principal, shard.lines, batch_size=shard.batch_size, all_or_nothing=shard.all_or_nothing
        )
    finally:
        runtime.engine.dispose()
    return ShardRun(results, time.process_time() - started_cpu, startup)


def as_record(line: int, result: BatchItemOut) -> dict[str, Any]:
    """One line of the results file."""
    return {"line": line, **result.model_dump(mode="json", exclude_none=True)}
