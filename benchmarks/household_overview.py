"""Household overview and staff search latency at scale: seed N households on PostgreSQL, serve with uvicorn in a
second process, and time the overview page and API, and the staff search by ID number and by phone, from this
process.

    .venv/bin/python benchmarks/household_overview.py --households 200000 --requests 2000
    .venv/bin/python benchmarks/household_overview.py --households 200000 --bulk --db jiabao_bench_bulk

``--bulk`` seeds through ``jiabao seed --bulk`` (COPY, with the book in force) and prints the database size;
``--reuse`` keeps an already seeded database. Prints p50/p95/p99 latencies; the target (issues 2 and 16) is
p95 < 50 ms for each.
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

from jiabao.config import Settings
from jiabao.family.service import ID_COLUMN, PHONE_COLUMN
from jiabao.runtime import build_runtime

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
    parser.add_argument("--bulk", action="store_true", help="seed with jiabao seed --bulk (COPY, book in force)")
    parser.add_argument("--db", default=DB, help="benchmark database name")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{args.db}"
    env = {
        **os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(ROOT / "var" / "bench"),
        "JIABAO_PLAIN_HTTP": "true",  # the session cookie over http://127.0.0.1 (it is Secure by default)
    }  # fmt: skip
    if not args.reuse:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{args.db}"'))
        command = [str(BIN / "jiabao"), "seed", "--households", str(args.households)] + (
            ["--bulk"] if args.bulk else []
        )
        seconds = sh(command, env)
        print(f"seed: {args.households} households in {seconds:.1f} s ({args.households / seconds:,.0f}/s)")
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM households")).scalar_one()
        persons = conn.execute(text("SELECT count(*) FROM persons")).scalar_one()
        max_id = conn.execute(text("SELECT max(id) FROM households")).scalar_one()
        policies = conn.execute(text("SELECT count(*) FROM policies")).scalar_one()
        size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar_one()
        sample = conn.execute(
            text("SELECT id_number_enc, phone_enc FROM persons TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 4000")
        ).all()
    print(f"database: {total:,} households, {persons:,} persons, {policies:,} policies, {size}")
    cipher = build_runtime(Settings(database_url=url, data_dir=ROOT / "var" / "bench")).cipher
    ids = [cipher.decrypt(ID_COLUMN, row.id_number_enc) for row in sample]
    phones = [cipher.decrypt(PHONE_COLUMN, row.phone_enc) for row in sample if row.phone_enc]
    server = subprocess.Popen(
        [str(BIN / "jiabao"), "serve", "--port", str(PORT)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(300):  # start-up takes long on a loaded machine
            try:
                httpx.get(f"{base}/healthz", timeout=10)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        rng = random.Random(7)
        results = {}
        with httpx.Client(base_url=base, timeout=10) as api:
            token = api.post("/api/v1/auth/token", json={"username": "service", "password": PASSWORD}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            results["API  GET /api/v1/households/{id}"] = timed(
                lambda hid: api.get(f"/api/v1/households/{hid}", headers=headers), rng, max_id, args.requests
            )
            for label, values in (("ID number", ids), ("phone", phones)):
                results[f"API  GET /api/v1/households/search?q=<{label}>"] = timed(
                    lambda i, v=values: _found(
                        api.get("/api/v1/households/search", params={"q": v[i % len(v)]}, headers=headers)
                    ),
                    rng, max_id, min(args.requests, 1000),
                )  # fmt: skip
        with httpx.Client(base_url=base, timeout=10) as web:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
            assert csrf
            login = web.post("/login", data={"username": "service", "password": PASSWORD, "csrf_token": csrf.group(1)})
            assert login.status_code == 303 and login.headers["location"] != "/login", login.status_code
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


def _found(response: httpx.Response) -> httpx.Response:
    assert response.status_code == 200 and response.json(), response.text[:200]
    return response


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
