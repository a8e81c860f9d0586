"""Batch issuance for an institutional partner: policies issued per minute on PostgreSQL (issue 16 item 6).

Seeds households in a fresh database ``jiabao_bench_throughput_batch`` (dropped afterwards), prepares one
complete application per household head aged 20-45 (whole life 20-pay, 200,000; healthy answers to the
questionnaire the knowledge base shows for that head; the consents the suitability rules require; a valid
card), then issues them by the same domain functions as one at a time (pricing, underwriting, minors' cap, cover
ratio, risk gate, watch-list screening, payment, schedule, return visit, ledger, audit, outbox), in batches of
``--batch`` items, one transaction each: the first half in this process (``jiabao.batch.issuance.run_items``, the
batch API's path), the second half in ``--workers`` worker processes on household shards
(``jiabao.batch.issuance.run_shard``, the ``jiabao issue-batch`` command's path). Prints policies per minute
(wall), the CPU per policy (``time.process_time`` of this process, or of the workers) and ``uptime`` before,
between and after, beside the 11,500/minute target.

    PYTHONPATH=src .venv/bin/python benchmarks/issue_batch.py --households 3000 --batch 500 --workers 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from jiabao.batch.executor import ProcessExecutor
from jiabao.batch.issuance import Shard, run_items, run_shard_timed
from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.core.clock import FixedClock
from jiabao.core.pii import generate_key
from jiabao.db.session import unit_of_work
from jiabao.demo.seed import seed_households
from jiabao.demo.users import ensure_demo_users, partner_user_id
from jiabao.migrations import upgrade
from jiabao.policies.issuance import batch
from jiabao.policies.issuance.batch_file import ParsedLine, household_shards
from jiabao.policies.rules import suitability as fit
from jiabao.runtime import build_runtime
from jiabao.underwriting import service as uw
from jiabao.underwriting import views
from jiabao.underwriting.engine import Channel, ProductLine

ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = "jiabao_bench_throughput_batch"
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
PEER_PER_MINUTE = 11_500
PREVIOUS_INTERACTIVE = 1_278
HEALTHY = {"height_cm": 170, "weight_kg": 65, "cigarettes_per_day": 0, "alcohol": "none", "occupation_class": "c1"}
SERVICE = Principal(user_id=0, role=Role.SERVICE, username="partner-batch", display_name="partner batch")


def items_for(runtime: Any, url: str) -> list[dict[str, Any]]:
    """One complete application per head aged 20-45, as an institutional partner's system would send it."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT h.id, p.id, p.birth_date, p.sex FROM households h JOIN persons p ON p.id = h.head_person_id "
                "WHERE p.birth_date BETWEEN '1981-01-01' AND '2006-01-01' ORDER BY h.id"
            )
        ).all()
    engine.dispose()
    kb = runtime.knowledge.get()
    lines = [ProductLine(line.value) for line in runtime.products.catalog.get("whole_life").product_lines]
    items = []
    for household, person, birth, sex in rows:
        qctx = uw.questionnaire_context(lines=lines, channel=Channel.AGENT, birth_date=birth, sex=sex, as_of=NOW.date())
        questions = views.questionnaire(kb, qctx, person).questions
        answers = {
            q.id: [] if q.type.value in ("impairments", "multi_choice") else HEALTHY.get(q.id) for q in questions
        }
        needed = fit.insured_requirements(
            relation=fit.InsuredRelation.SELF, insured_birth_date=birth, on=NOW.date(), death_cover=True
        )
        items.append(
            {
                "key": f"bench-{household}",
                "household_id": household,
                "application": {
                    "product_code": "whole_life", "payment_term": 20,
                    "insureds": [{"person_id": person, "sum_assured": "200000"}],
                },
                "answers": {person: {"answers": answers}},
                "confirmation": {
                    "consents": [{"person_id": person, "kind": c.kind.value} for c in needed.consents],
                    "disclosures_acknowledged": True,
                    "confirm_advice": ["premium_unaffordable"],
                },
                "account": "6222021234567890128",
            }
        )  # fmt: skip
    return items


def _in_process(runtime: Any, items: list[dict[str, Any]], batch_size: int) -> tuple[list[Any], float, float]:
    """The batch API's path: batches of ``batch_size`` through ``issue_items`` in this process."""
    lines = [ParsedLine(n, batch.BatchItemIn.model_validate(item)) for n, item in enumerate(items, start=1)]
    started_cpu, started = time.process_time(), time.perf_counter()
    results = run_items(runtime, SERVICE, lines, batch_size=batch_size)
    return [r for _, r in results], time.perf_counter() - started, time.process_time() - started_cpu


def _workers(
    runtime: Any, items: list[dict[str, Any]], batch_size: int, workers: int
) -> tuple[list[Any], float, float]:
    """The command line's path: household shards on ``workers`` processes (each builds its runtime, not timed
    apart: its start-up is part of the wall time); CPU is the workers' own."""
    lines = [ParsedLine(n, batch.BatchItemIn.model_validate(item)) for n, item in enumerate(items, start=1)]
    shards = [Shard(runtime.settings, SERVICE, shard, batch_size) for shard in household_shards(lines, workers)]
    started = time.perf_counter()
    parts = ProcessExecutor(workers=workers, retries=0).run(run_shard_timed, shards)
    wall = time.perf_counter() - started
    startup = max(part.startup for part in parts)
    print(f"  worker start-up (runtime: catalog, tables, keys): {startup:.1f} s wall, included below")
    return [r for part in parts for _, r in part.results], wall, sum(part.cpu for part in parts)


def _report(label: str, results: list[Any], wall: float, cpu: float) -> int:
    outcomes = Counter(r.status for r in results)
    refusals = Counter(r.error.code for r in results if r.error)
    issued = outcomes["issued"]
    per_minute = round(issued / wall * 60)
    print(
        f"{label}: {len(results)} applications: {dict(outcomes)}" + (f"; refusals {dict(refusals)}" if refusals else "")
    )
    print(
        f"  throughput: {per_minute:,} policies/minute ({wall:.1f} s wall); "
        f"CPU {cpu / max(issued, 1) * 1000:.1f} ms/policy; "
        f"ratio to the {PEER_PER_MINUTE:,}/minute target {per_minute / PEER_PER_MINUTE:.3f}"
    )
    return per_minute


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="worker processes for the second half (0: skip it)")
    args = parser.parse_args()
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB}"
    print(f"load before: {_load()}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            engine = create_engine(url)
            upgrade(engine)
            engine.dispose()
            settings = Settings(
                environment="test", database_url=url, data_dir=Path(tmp), secret_key="bench-" + generate_key(),
                pii_keys=f"1:{generate_key()}", blind_index_key=generate_key(),
            )  # fmt: skip
            runtime = build_runtime(settings, clock=FixedClock(NOW))
            with unit_of_work(runtime.sessions) as session:
                ensure_demo_users(session, now=NOW)
            with unit_of_work(runtime.sessions) as session:
                seed_households(
                    session, runtime.cipher, count=args.households, now=NOW, seed=11,
                    partner_id=partner_user_id(session),
                )  # fmt: skip
            items = items_for(runtime, url)
            half = len(items) // 2 if args.workers else len(items)
            _report(f"in-process, batches of {args.batch}", *_in_process(runtime, items[:half], args.batch))
            print(f"load: {_load()}")
            if args.workers:
                label = f"{args.workers} worker processes (household shards), batches of {args.batch}"
                _report(label, *_workers(runtime, items[half:], args.batch, args.workers))
            runtime.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
        admin.dispose()
    print(f"load after: {_load()}")
    print(f"previous interactive figure {PREVIOUS_INTERACTIVE:,}/minute; target and peer {PEER_PER_MINUTE:,}/minute")


if __name__ == "__main__":
    main()
