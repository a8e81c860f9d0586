"""Family home latency at scale (issue 12): seed N households on PostgreSQL (the bulk seed path, `jiabao seed`),
serve with uvicorn in a second process, and time what the family home loads — the page and its two htmx fragments
(the protection summary and the family bill with the statement link) — plus the statement page.

    .venv/bin/python benchmarks/family_home.py --households 200000 --requests 1000

Prints p50/p95/p99 per request and for the whole home (page + both fragments, sequential, as the browser
fetches them after the page). Target: p95 < 50 ms per request (the household overview's target, issue 2).
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
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PORT = 8771
PASSWORD = "jiabao-demo-2026"
TARGET_MS = 50.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--database", default="jiabao_bench_family_home")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded benchmark database")
    parser.add_argument("--bulk", action="store_true", help="seed with jiabao seed --bulk (COPY, book in force)")
    parser.add_argument(
        "--data-dir",
        default=str(ROOT / "var" / "bench-family-home"),
        help="the keys' directory (var/bench to share a database loaded by household_overview.py)",
    )
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{args.database}"
    env = {
        **os.environ,
        "JIABAO_DATABASE_URL": url,
        "JIABAO_DATA_DIR": args.data_dir,
        "JIABAO_PLAIN_HTTP": "true",  # the benchmark talks plain HTTP to 127.0.0.1: session cookie without Secure
    }
    if not args.reuse:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{args.database}"'))
        start = time.perf_counter()
        command = [str(BIN / "jiabao"), "seed", "--households", str(args.households)]
        subprocess.run(command + (["--bulk"] if args.bulk else []), env=env, check=True)
        seconds = time.perf_counter() - start
        print(f"seed: {args.households} households in {seconds:.1f} s ({args.households / seconds:,.0f}/s)")
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM households")).scalar_one()
        max_id = conn.execute(text("SELECT max(id) FROM households")).scalar_one()
        journals = conn.execute(text("SELECT count(*) FROM ledger_journals")).scalar_one()
    print(f"database: {total:,} households, {journals:,} ledger journals")
    server = subprocess.Popen(
        [str(BIN / "jiabao"), "serve", "--port", str(PORT)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(150):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        rng = random.Random(12)
        with httpx.Client(base_url=base, timeout=30) as web:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
            assert csrf
            web.post("/login", data={"username": "service", "password": PASSWORD, "csrf_token": csrf.group(1)})
            parts: dict[str, Callable[[int], httpx.Response]] = {
                "page GET /households/{id}": lambda h: web.get(f"/households/{h}"),
                "fragment /protection/summary": lambda h: web.get(f"/households/{h}/protection/summary"),
                "fragment /family-bill/summary": lambda h: web.get(f"/households/{h}/family-bill/summary"),
                "page GET /households/{id}/statement": lambda h: web.get(f"/households/{h}/statement"),
            }
            home = ("page GET /households/{id}", "fragment /protection/summary", "fragment /family-bill/summary")
            results: dict[str, list[float]] = {name: [] for name in parts}
            results["family home (page + 2 fragments)"] = []
            for _ in range(20):  # warm-up
                hid = rng.randint(1, max_id)
                for call in parts.values():
                    call(hid)
            for _ in range(args.requests):
                hid = rng.randint(1, max_id)
                whole = 0.0
                for name, call in parts.items():
                    start = time.perf_counter()
                    response = call(hid)
                    ms = (time.perf_counter() - start) * 1000
                    assert response.status_code == 200, (name, hid, response.status_code)
                    results[name].append(ms)
                    whole += ms if name in home else 0.0
                results["family home (page + 2 fragments)"].append(whole)
        for name, values in results.items():
            p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
            print(
                f"{name}: n={len(values)} p50={p50:.1f} ms p95={p95:.1f} ms p99={p99:.1f} ms "
                f"mean={statistics.fmean(values):.1f} ms (p95 / {TARGET_MS:.0f} ms = {p95 / TARGET_MS:.2f})"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
