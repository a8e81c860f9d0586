"""Service CPU per quote-to-issue transaction, in-process (issue 16 item 6).

Runs the 7 API calls of ``benchmarks/quote_to_issue.py`` through the FastAPI TestClient against a freshly
migrated database (SQLite file or a PostgreSQL database ``jiabao_bench_throughput_cpu``, dropped afterwards) and
reports CPU milliseconds per transaction (``time.process_time``, meaningful on a shared machine where wall time
is not), SQL statements per request, and optionally a cProfile of the hottest functions.

    PYTHONPATH=src .venv/bin/python benchmarks/quote_to_issue_cpu.py --db sqlite --transactions 200
    PYTHONPATH=src .venv/bin/python benchmarks/quote_to_issue_cpu.py --db postgresql --transactions 200
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text

from jiabao.app import create_app
from jiabao.config import Settings
from jiabao.core.clock import FixedClock
from jiabao.core.pii import generate_key
from jiabao.db.session import unit_of_work
from jiabao.demo.seed import seed_households
from jiabao.demo.users import DEMO_PASSWORD, ensure_demo_users, partner_user_id
from jiabao.migrations import upgrade
from jiabao.runtime import build_runtime

ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DB = "jiabao_bench_throughput_cpu"
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
HEALTHY = {"height_cm": 170, "weight_kg": 65, "cigarettes_per_day": 0, "alcohol": "none", "occupation_class": "c1"}
STEPS = ("quote", "application", "questionnaire", "answers", "requirements", "confirm", "payment")


def database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'cpu.db'}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PG_DB}"'))
    admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"


def drop(kind: str) -> None:
    if kind == "postgresql":
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
        admin.dispose()


def candidates(url: str) -> list[tuple[int, int]]:
    engine = create_engine(url)
    with engine.connect() as conn:  # heads aged 20-45: whole life 20-pay within its cover-ratio rule
        rows = conn.execute(
            text(
                "SELECT h.id, h.head_person_id FROM households h JOIN persons p ON p.id = h.head_person_id "
                "WHERE p.birth_date BETWEEN '1981-01-01' AND '2006-01-01' ORDER BY h.id"
            )
        ).all()
    engine.dispose()
    return [(int(r[0]), int(r[1])) for r in rows]


def transaction(api: TestClient, household: int, person: int, mark: Any) -> bool:
    line = {"person_id": person, "product_code": "whole_life", "sum_assured": "200000", "payment_term": 20}
    mark("quote")
    api.post(f"/api/v1/households/{household}/quote", json={"lines": [line]}).raise_for_status()
    mark("application")
    app = api.post(
        f"/api/v1/households/{household}/applications",
        json={
            "product_code": "whole_life",
            "payment_term": 20,
            "insureds": [{"person_id": person, "sum_assured": "200000"}],
        },
    )
    app.raise_for_status()
    app_id = app.json()["id"]
    url = f"/api/v1/applications/{app_id}/insureds/{person}/questionnaire"
    mark("questionnaire")
    questions = api.get(url).json()["questions"]
    answers = {q["id"]: [] if q["type"] in ("impairments", "multi_choice") else HEALTHY.get(q["id"]) for q in questions}
    mark("answers")
    decided = api.post(url, json={"answers": answers})
    decided.raise_for_status()
    if decided.json()["status"] != "accepted":
        mark(None)
        return False
    mark("requirements")
    needed = api.get(f"/api/v1/applications/{app_id}/requirements").json()
    body = {
        "consents": [{"person_id": c["person_id"], "kind": c["kind"]} for c in needed["consents"]],
        "disclosures_acknowledged": True,
        "confirm_advice": [f["code"] for f in needed["findings"]],
    }
    mark("confirm")
    api.post(f"/api/v1/applications/{app_id}/confirm", json=body).raise_for_status()
    mark("payment")
    paid = api.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": "6222021234567890128"},
        headers={"Idempotency-Key": f"cpu-pay-{app_id:06d}"},
    )
    if paid.status_code != 201:
        raise RuntimeError(f"payment refused: {paid.status_code} {paid.text[:300]}")
    mark(None)
    return True


SERVICE_CPU = [0.0]


def measure_endpoints(profiler: cProfile.Profile | None) -> None:
    """Measure (and optionally profile) the endpoint and dependency functions where they run: FastAPI's thread
    pool, one request at a time. ``time.thread_time`` there is the service's own CPU, without the test client."""
    import fastapi.dependencies.utils
    import fastapi.routing

    original = fastapi.routing.run_in_threadpool

    async def profiled(func: Any, *args: Any, **kwargs: Any) -> Any:
        def call() -> Any:
            started = time.thread_time()
            if profiler:
                profiler.enable()
            try:
                return func(*args, **kwargs)
            finally:
                if profiler:
                    profiler.disable()
                SERVICE_CPU[0] += time.thread_time() - started

        return await original(call)

    fastapi.routing.run_in_threadpool = profiled  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = profiled  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--transactions", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, help="print the N hottest functions (cumulative)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = database(args.db, workdir)
        try:
            engine = create_engine(url)
            upgrade(engine)
            engine.dispose()
            settings = Settings(
                environment="test", plain_http=True, database_url=url, data_dir=workdir,
                secret_key="bench-" + generate_key(), pii_keys=f"1:{generate_key()}", blind_index_key=generate_key(),
                max_concurrent_requests=4,
            )  # fmt: skip
            runtime = build_runtime(settings, clock=FixedClock(NOW))
            households = (args.transactions + args.warmup) * 3
            with unit_of_work(runtime.sessions) as session:
                ensure_demo_users(session, now=NOW)
            with unit_of_work(runtime.sessions) as session:
                seed_households(
                    session, runtime.cipher, count=households, now=NOW, seed=7, partner_id=partner_user_id(session)
                )
            pairs = candidates(url)
            statements: defaultdict[str, int] = defaultdict(int)
            current: list[str | None] = [None]

            @event.listens_for(runtime.engine, "before_cursor_execute")
            def count(*_: Any) -> None:
                if current[0] is not None:
                    statements[current[0]] += 1

            def mark(step: str | None) -> None:
                current[0] = step

            with TestClient(create_app(runtime=runtime)) as client:
                token = client.post("/api/v1/auth/token", json={"username": "service", "password": DEMO_PASSWORD})
                client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
                queue = iter(pairs)
                for household, person in queue:
                    if args.warmup <= 0:
                        break
                    args.warmup -= int(transaction(client, household, person, lambda _s: None))
                statements.clear()
                issued = 0
                # CPU time, not wall time: on a shared machine the wall clock counts the other processes' turns
                profiler = cProfile.Profile(time.thread_time) if args.profile else None
                measure_endpoints(profiler)
                SERVICE_CPU[0] = 0.0
                started_cpu, started_wall = time.process_time(), time.perf_counter()
                refused: Counter[str] = Counter()
                for household, person in queue:
                    if issued >= args.transactions:
                        break
                    if transaction(client, household, person, mark):
                        issued += 1
                    else:
                        refused["not accepted"] += 1
                cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
            runtime.engine.dispose()
        finally:
            drop(args.db)
    print(f"{args.db}: {issued} policies issued in-process ({sum(refused.values())} referred/declined skipped)")
    print(
        f"service CPU per transaction: {SERVICE_CPU[0] / issued * 1000:.1f} ms (thread_time in the endpoints and "
        f"dependencies); whole process incl. test client {cpu / issued * 1000:.1f} ms (process_time); "
        f"wall {wall / issued * 1000:.1f} ms"
    )
    per_request = {step: statements[step] / issued for step in STEPS}
    print("SQL statements per request: " + ", ".join(f"{s} {n:.1f}" for s, n in per_request.items()))
    print(f"SQL statements per transaction: {sum(per_request.values()):.1f}")
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
