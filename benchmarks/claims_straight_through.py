"""Straight-through claims (小额快赔) from HTTP submission to payment instruction, on PostgreSQL.

Before timing, households are created and each is given an ``outpatient_medical`` policy for the head through the
API in this process (TestClient), on a runtime whose FixedClock stands ``--policy-age`` days in the past, so the
policies are past their 30-day waiting period on the real clock the server uses. Then uvicorn serves the same
database (``--workers``) in its own processes and this process submits ``--claims`` small outpatient claims
(asyncio + httpx, ``--concurrency`` at a time), each a different invoice of ¥100–¥900, spread over the households.
One claim's time runs from sending ``POST /api/v1/households/{id}/claims`` to the response, which comes after the
transaction holding the claim, its assessment and its payment instruction has committed (status ``paid``).

    .venv/bin/python benchmarks/claims_straight_through.py --households 200 --claims 2000 --concurrency 8 --workers 2

Peers: the insurer's best published straight-through time is 3 minutes; a digital peer advertises 2–3 seconds.
The pure engine's claims per second per core: ``benchmarks/claims_engine.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from serving import served

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = "jiabao_bench_claims"
PORT = 8767
ACCOUNT = "6222021234567890128"
INSURER_BEST_S = 180.0
DIGITAL_PEER_S = (2.0, 3.0)
DOCUMENTS = ["claim_form", "insured_id", "bank_account", "invoice", "expense_list", "outpatient_record"]


def prepare(households: int, policy_age: int, env: dict[str, str]) -> list[tuple[int, int, str]]:
    """Fresh database; households with an outpatient policy issued ``policy_age`` days ago; their tokens."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB}"'))
    admin.dispose()
    os.environ.update(env)
    from jiabao.app import create_app
    from jiabao.config import Settings
    from jiabao.core.clock import FixedClock
    from jiabao.migrations import upgrade
    from jiabao.runtime import build_runtime
    from tests.claims.flow import issue_for
    from tests.factories import make_family

    runtime = build_runtime(Settings(), clock=FixedClock(datetime.now(UTC) - timedelta(days=policy_age)))
    upgrade(runtime.engine)
    rng = random.Random(6)
    out: list[tuple[int, int, str]] = []
    started = time.perf_counter()
    with TestClient(create_app(runtime=runtime)) as client:
        for n in range(households):
            birth = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
            username = f"claimant{n:05d}"
            family = make_family(
                runtime, birth=birth, seq=n % 900 + 1, username=username, phone=f"139{n:08d}", region="310101"
            )
            token = client.post("/api/v1/auth/token", json={"username": username, "password": "correct-horse-battery"})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            issue_for(
                client, family.household_id, headers, "outpatient_medical", [(family.head_person_id, "20000")],
                payment_term=1,
            )  # fmt: skip
            out.append((family.household_id, family.head_person_id, headers["Authorization"]))
    runtime.engine.dispose()
    print(f"seeded {households} households with an outpatient policy each in {time.perf_counter() - started:.1f} s")
    return out


def claim_body(person: int, n: int, rng: random.Random) -> dict[str, object]:
    today = datetime.now(UTC).date()
    return {
        "insured_person_id": person,
        "claim_type": "outpatient",
        "event_date": (today - timedelta(days=rng.randrange(1, 10))).isoformat(),
        "hospital": "上海市第一人民医院",
        "diagnoses": [{"icd10": "J06.9", "description": "急性上呼吸道感染"}],
        "bill_items": [
            {
                "code": "outpatient",
                "description": "门诊费用",
                "amount": str(rng.randrange(100, 900)),
                "social_insurance_paid": "0",
                "invoice_number": f"BENCH-{n:08d}",
            }
        ],
        "social_insurance_settled": True,
        "account": ACCOUNT,
    }


PNG = b"\x89PNG\r\n\x1a\n" + bytes(2048)


async def uploads(api: httpx.AsyncClient, household: int, auth: str) -> list[int]:
    """Upload the checklist's documents (evidence before money); not timed: the figure is the claim's decision."""
    ids = []
    for kind in DOCUMENTS:
        response = await api.post(
            f"/api/v1/households/{household}/claim-documents",
            data={"kind": kind},
            files={"file": (f"{kind}.png", PNG, "image/png")},
            headers={"Authorization": auth},
        )
        ids.append(int(response.json()["id"]))
    return ids


async def load(
    base: str, households: list[tuple[int, int, str]], claims: int, concurrency: int
) -> tuple[list[float], int, float, Counter[str]]:
    rng = random.Random(7)
    jobs = [(households[n % len(households)], n) for n in range(claims)]
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as api:
        # warm-up: one claim per worker process path (not timed)
        (household, person, auth), _ = jobs[0]
        await api.post(
            f"/api/v1/households/{household}/claims",
            json=claim_body(person, 99_000_000, rng) | {"document_ids": await uploads(api, household, auth)},
            headers={"Authorization": auth, "Idempotency-Key": "bench-warm-up-0"},
        )

        async def worker() -> None:
            while jobs:
                (household, person, auth), n = jobs.pop()
                body = claim_body(person, n, rng) | {"document_ids": await uploads(api, household, auth)}
                sent = time.perf_counter()
                try:
                    response = await api.post(
                        f"/api/v1/households/{household}/claims",
                        json=body,
                        headers={"Authorization": auth, "Idempotency-Key": f"bench-claim-{n:08d}"},
                    )
                except httpx.HTTPError as exc:
                    failures[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - sent
                status = response.json().get("status") if response.status_code == 201 else None
                if status != "paid":
                    failures[f"{response.status_code} {status or response.text[:120]}"] += 1
                    continue
                latencies.append(elapsed)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, sum(failures.values()), wall, failures


def percentile(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, max(0, round(p * len(sorted_values)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--policy-age", type=int, default=60, help="days since issue (waiting period is 30)")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB}"
    env = {**os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(ROOT / "var" / "bench-claims")}
    households = prepare(args.households, args.policy_age, env)
    with served(env, port=PORT, workers=args.workers) as base:
        latencies, failed, wall, reasons = asyncio.run(load(base, households, args.claims, args.concurrency))
    for reason, count in reasons.most_common(5):
        print(f"  failed {count}×: {reason}")
    latencies.sort()
    if not latencies:
        raise SystemExit("no claim was paid")
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    print(
        f"straight-through claims: {len(latencies)} paid, {failed} not paid; {args.households} households, "
        f"concurrency {args.concurrency}, uvicorn workers {args.workers}"
    )
    print(
        f"submission → payment instruction: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"mean {statistics.fmean(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
        f"(target p99 < 1000 ms: ratio {p99:.2f})"
    )
    print(f"throughput: {len(latencies) / wall:.1f} claims/s ({wall:.1f} s wall)")
    print(
        f"peers: insurer's best 3 minutes (ours p99 is {INSURER_BEST_S / p99:,.0f}× faster); digital peer "
        f"{DIGITAL_PEER_S[0]:.0f}–{DIGITAL_PEER_S[1]:.0f} s "
        f"(ours p99 is {DIGITAL_PEER_S[0] / p99:,.1f}× faster than 2 s)"
    )


if __name__ == "__main__":
    main()
