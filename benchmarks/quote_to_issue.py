"""Quote-to-issue transactions per minute through the HTTP API on PostgreSQL.

A transaction is what a sales front end does for one new policy: quote → open the application → fetch and
answer the health questionnaire → fetch the requirements → confirm → pay (idempotency key) → policy issued.
That is 7 HTTP requests and one committed policy with its instalments, beneficiary designation, return-visit
task, audit entries and outbox messages. The server runs with uvicorn (``--workers``) in its own processes;
the load comes from this process (asyncio + httpx), on the same 2-core machine.

    .venv/bin/python benchmarks/quote_to_issue.py --households 2000 --seconds 60 --concurrency 32 --workers 2

Peer figure for comparison: a commercial core system advertises 11,500 policies a minute on cloud hardware.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from serving import served

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = "jiabao_bench_issue"
PORT = 8766
PASSWORD = "jiabao-demo-2026"
PEER_PER_MINUTE = 11_500
HEALTHY = {"height_cm": 170, "weight_kg": 65, "cigarettes_per_day": 0, "alcohol": "none", "occupation_class": "c1"}


def prepare(households: int, env: dict[str, str], db: str = DB) -> list[tuple[int, int]]:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    subprocess.run(
        [str(BIN / "jiabao"), "seed", "--households", str(households)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    engine = create_engine(env["JIABAO_DATABASE_URL"])
    with engine.connect() as conn:  # heads aged 20-45: whole life 20-pay within its cover-ratio rule, no recording
        rows = conn.execute(
            text(
                "SELECT h.id, h.head_person_id FROM households h JOIN persons p ON p.id = h.head_person_id "
                "WHERE p.birth_date BETWEEN DATE '1981-01-01' AND DATE '2006-01-01'"
            )
        ).all()
    return [(int(r[0]), int(r[1])) for r in rows]


async def transaction(api: httpx.AsyncClient, household: int, person: int, n: int) -> float:
    started = time.perf_counter()
    line = {"person_id": person, "product_code": "whole_life", "sum_assured": "200000", "payment_term": 20}
    quote = await api.post(f"/api/v1/households/{household}/quote", json={"lines": [line]})
    quote.raise_for_status()
    app = await api.post(
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
    questions = (await api.get(url)).json()["questions"]
    answers = {q["id"]: [] if q["type"] in ("impairments", "multi_choice") else HEALTHY.get(q["id"]) for q in questions}
    decided = await api.post(url, json={"answers": answers})
    decided.raise_for_status()
    if decided.json()["status"] != "accepted":
        return -1.0
    needed = (await api.get(f"/api/v1/applications/{app_id}/requirements")).json()
    body: dict[str, Any] = {
        "consents": [{"person_id": c["person_id"], "kind": c["kind"]} for c in needed["consents"]],
        "disclosures_acknowledged": True,
        "confirm_advice": [f["code"] for f in needed["findings"]],
    }
    (await api.post(f"/api/v1/applications/{app_id}/confirm", json=body)).raise_for_status()
    paid = await api.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": "6222021234567890128"},
        headers={"Idempotency-Key": f"bench-{app_id}-{n}"},
    )
    paid.raise_for_status()
    return time.perf_counter() - started


async def load(
    base: str, pairs: list[tuple[int, int]], seconds: float, concurrency: int
) -> tuple[int, list[float], int]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as anon:
        token = (await anon.post("/api/v1/auth/token", json={"username": "service", "password": PASSWORD})).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    rng = random.Random(11)
    queue = pairs[:]
    rng.shuffle(queue)
    latencies: list[float] = []
    failures = 0
    reasons: Counter[str] = Counter()
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers, limits=limits) as api:

        async def worker(w: int) -> None:
            nonlocal failures
            n = 0
            while time.perf_counter() < deadline and queue:
                household, person = queue.pop()
                n += 1
                try:
                    elapsed = await transaction(api, household, person, w * 100000 + n)
                except httpx.HTTPStatusError as exc:
                    failures += 1
                    reasons[
                        f"{exc.response.status_code} {exc.request.url.path.split('/')[-1]} {exc.response.text[:160]}"
                    ] += 1
                    continue
                except httpx.HTTPError as exc:
                    failures += 1
                    reasons[type(exc).__name__] += 1
                    continue
                if elapsed >= 0:
                    latencies.append(elapsed)

        started = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - started
    for reason, count in reasons.most_common(5):
        print(f"  failed {count}×: {reason}")
    return round(len(latencies) / elapsed * 60), latencies, failures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=DB, help="benchmark database (created, and dropped with --drop)")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database afterwards")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{args.database}"
    env = {**os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(ROOT / "var" / "bench")}
    pairs = prepare(args.households, env, args.database)
    try:
        with served(env, port=PORT, workers=args.workers) as base:
            per_minute, latencies, failures = asyncio.run(load(base, pairs, args.seconds, args.concurrency))
    finally:
        if args.drop:
            admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
            admin.dispose()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0
    print(
        f"quote-to-issue: {len(latencies)} policies issued in {args.seconds:.0f} s, {failures} failed; "
        f"concurrency {args.concurrency}, uvicorn workers {args.workers}"
    )
    print(f"throughput: {per_minute:,} policies/minute (7 HTTP requests each: {per_minute * 7 / 60:,.0f} req/s)")
    print(
        f"transaction latency: p50 {p50:.0f} ms, p99 {p99:.0f} ms, mean "
        f"{statistics.fmean(latencies) * 1000 if latencies else 0:.0f} ms"
    )
    print(
        f"peer (commercial core, cloud hardware): {PEER_PER_MINUTE:,}/minute; ratio ours/peer "
        f"{per_minute / PEER_PER_MINUTE:.3f}"
    )


if __name__ == "__main__":
    main()
