"""Household overview latency at scale: seed N households on PostgreSQL, serve with uvicorn in a second process,
and time the overview page and API from this process.

    .venv/bin/python benchmarks/household_overview.py --households 200000 --requests 2000

Prints the seeding time and p50/p95/p99 latencies; the target (issue 2) is p95 < 50 ms for both.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = "jiabao_bench"
PORT = 8765
PASSWORD = "jiabao-demo-2026"


def sh(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, cwd=ROOT)
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded benchmark database")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB}"
    env = {**os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(ROOT / "var" / "bench")}
    if not args.reuse:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{DB}"'))
        seconds = sh([str(BIN / "jiabao"), "seed", "--households", str(args.households)], env)
        print(f"seed: {args.households} households in {seconds:.1f} s ({args.households / seconds:,.0f}/s)")
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM households")).scalar_one()
        persons = conn.execute(text("SELECT count(*) FROM persons")).scalar_one()
        max_id = conn.execute(text("SELECT max(id) FROM households")).scalar_one()
    print(f"database: {total:,} households, {persons:,} persons")
    server = subprocess.Popen(
        [str(BIN / "jiabao"), "serve", "--port", str(PORT)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        rng = random.Random(7)
        results = {}
        with httpx.Client(base_url=base, timeout=10) as api:
            token = api.post("/api/v1/auth/token", json={"username": "service", "password": PASSWORD}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            results["API  GET /api/v1/households/{id}"] = timed(
                lambda hid: api.get(f"/api/v1/households/{hid}", headers=headers), rng, max_id, args.requests
            )
        with httpx.Client(base_url=base, timeout=10) as web:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
            assert csrf
            web.post("/login", data={"username": "service", "password": PASSWORD, "csrf_token": csrf.group(1)})
            results["page GET /households/{id}"] = timed(
                lambda hid: web.get(f"/households/{hid}"), rng, max_id, args.requests
            )
        for name, values in results.items():
            p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
            verdict = "OK" if p95 < 50 else "OVER TARGET"
            print(
                f"{name}: n={len(values)} p50={p50:.1f} ms p95={p95:.1f} ms p99={p99:.1f} ms "
                f"mean={statistics.fmean(values):.1f} ms  target p95<50 ms: {verdict} (ratio {p95 / 50:.2f})"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


def timed(call, rng: random.Random, max_id: int, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(50):  # warm-up
        call(rng.randint(1, max_id))
    values = []
    for _ in range(n):
        hid = rng.randint(1, max_id)
        start = time.perf_counter()
        response = call(hid)
        values.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (hid, response.status_code)
    return values


if __name__ == "__main__":
    main()
