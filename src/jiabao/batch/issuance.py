"""Run a partner's batch file on both cores (issue 16 item 6): household shards, one worker process each
(:mod:`jiabao.batch.executor`), every shard sent through :func:`jiabao.policies.issuance.batch.issue_items` in
batches of ``batch_size`` items, one transaction per batch, as the batch API does.

Each worker builds its own runtime from the settings it is given (no connection crosses a process boundary) and
returns one result per line, so the caller can write them in file order whichever shard finished first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from jiabao.config import Settings
from jiabao.core.auth import Principal
from jiabao.db import audit_unit
from jiabao.db.session import unit_of_work
from jiabao.policies.issuance.batch import BatchItemOut, BatchOut, issue_items
from jiabao.policies.issuance.batch_file import ParsedLine
from jiabao.risk.fraud import repository as fraud_repository
from jiabao.runtime import Runtime, build_runtime
from jiabao.underwriting.engine import KnowledgeBase

LineResult = tuple[int, BatchItemOut]
RETRIES = 3


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
        _index_accounts(runtime, principal)
        out += [(p.line, r) for p, r in zip(chunk, result.items, strict=True)]
        if progress:
            progress(len(chunk))
    return out


def _issue_chunk(
    runtime: Runtime, principal: Principal, kb: KnowledgeBase, chunk: list[ParsedLine], all_or_nothing: bool
) -> BatchOut:
    """One batch in one transaction. Another worker's concurrent transaction can collide with it on a unique key
    (two processes indexing the same new payment for the fraud scoring): the batch is then rolled back whole and
    sent again (its items are idempotent by key; the failed attempt's audit units are dropped, the retry records
    its own)."""
    for attempt in range(RETRIES + 1):
        session = runtime.sessions()
        audit_unit.expect(session)
        try:
            ctx = runtime.job_context(session, principal)
            result = issue_items(ctx, runtime.products, kb, [p.item for p in chunk], all_or_nothing=all_or_nothing)
            session.commit()
        except (IntegrityError, OperationalError):
            session.rollback()
            if attempt == RETRIES:
                audit_unit.run_pending(session, runtime.sessions)
                raise
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


def _index_accounts(runtime: Runtime, principal: Principal) -> None:
    """Index the batch's last payments for the fraud scoring in a short transaction of their own, so another
    worker's long batch transaction never indexes (and locks) them concurrently with this worker's next batch."""
    for attempt in range(RETRIES + 1):
        try:
            with unit_of_work(runtime.sessions) as session:
                fraud_repository.sync_identifiers(runtime.job_context(session, principal))
            return
        except (IntegrityError, OperationalError):
            if attempt == RETRIES:
                raise


def run_shard(shard: Shard) -> list[LineResult]:
    """One worker process's part: its own runtime, then :func:`run_items`."""
    runtime = build_runtime(shard.settings)
    try:
        return run_items(
            runtime, shard.principal, shard.lines, batch_size=shard.batch_size, all_or_nothing=shard.all_or_nothing
        )
    finally:
        runtime.engine.dispose()


def as_record(line: int, result: BatchItemOut) -> dict[str, Any]:
    """One line of the results file."""
    return {"line": line, **result.model_dump(mode="json", exclude_none=True)}


def run_shard_timed(shard: Shard) -> tuple[list[LineResult], float]:
    """:func:`run_shard` and the CPU seconds the worker process spent on it (for the benchmark)."""
    started = time.process_time()
    results = run_shard(shard)
    return results, time.process_time() - started
