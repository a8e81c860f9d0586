"""Soak run (issue 16 item 7): serve a seeded PostgreSQL database with uvicorn in a second process, load it with
the locust scenario (``locustfile.py``) headless for a given time, and print the error count and p50/p99 per path.

    .venv/bin/python benchmarks/soak/run.py --db jiabao_bench_scale16 --minutes 2 --users 24
    .venv/bin/python benchmarks/soak/run.py --db jiabao_bench_scale16 --minutes 10 --users 24   # idle machine

The database is one ``jiabao seed --bulk`` loaded (e.g. by ``benchmarks/household_overview.py --bulk --db …``),
with the same ``JIABAO_DATA_DIR`` (``var/bench``: the keys its rows were encrypted with). Set-up, not timed: a
customer log-in for the head of each of ``--customers`` households holding an outpatient policy past its 30-day
waiting period, and a sample of ID numbers and phones (decrypted here) for the staff searches.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from jiabao.config import Settings  # noqa: E402
from jiabao.core.auth import Role  # noqa: E402
from jiabao.db.session import unit_of_work  # noqa: E402
from jiabao.demo.users import DEMO_PASSWORD  # noqa: E402
from jiabao.family.service import ID_COLUMN, PHONE_COLUMN  # noqa: E402
from jiabao.identity import repository as users  # noqa: E402
from jiabao.identity import service as identity  # noqa: E402
from jiabao.runtime import build_runtime  # noqa: E402
from serving import served  # noqa: E402

BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PORT = 8771
PASSWORD = "soak-customer-2026"


def fixtures(url: str, data_dir: Path, customers: int) -> dict[str, object]:
    runtime = build_runtime(Settings(database_url=url, data_dir=data_dir))
    today = runtime.clock.today()
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT ON (p.household_id) p.household_id, h.head_person_id, i.person_id "
                "FROM policies p JOIN policy_insureds i ON i.policy_id = p.id "
                "JOIN households h ON h.id = p.household_id "
                "WHERE p.product_code = 'outpatient_medical' AND p.status = 'in_force' AND p.effective_date <= :d "
                "ORDER BY p.household_id LIMIT :n"
            ),
            {"d": today - timedelta(days=45), "n": customers},
        ).all()
        sample = conn.execute(
            text("SELECT id_number_enc, phone_enc FROM persons TABLESAMPLE SYSTEM (1) REPEATABLE (11) LIMIT 3000")
        ).all()
        served = conn.execute(
            text("SELECT count(*) FROM households WHERE partner_id = (SELECT id FROM users WHERE username = 'partner')")
        ).scalar_one()
    out = []
    with unit_of_work(runtime.sessions) as session:
        for household, head, insured in rows:
            username = f"soak{household}"
            if users.by_username(session, username) is None:
                identity.create_user(
                    session, username=username, password=PASSWORD, role=Role.CUSTOMER, display_name=username,
                    now=runtime.clock.now(), person_id=head,
                )  # fmt: skip
            out.append({"username": username, "household_id": household, "insured_person_id": insured})
    cipher = runtime.cipher
    runtime.engine.dispose()
    return {
        "password": PASSWORD,
        "demo_password": DEMO_PASSWORD,
        "customers": out,
        "id_numbers": [cipher.decrypt(ID_COLUMN, r.id_number_enc) for r in sample],
        "phones": [cipher.decrypt(PHONE_COLUMN, r.phone_enc) for r in sample if r.phone_enc],
        "partner_households": int(served),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="jiabao_bench_scale16")
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench", help="the seeded rows' key folder")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{args.db}"
    data_dir = args.data_dir
    env = {
        **os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(data_dir),
        "JIABAO_PLAIN_HTTP": "true",  # the session cookie over http://127.0.0.1 (it is Secure by default)
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixtures.json"
        path.write_text(json.dumps(fixtures(url, data_dir, args.customers), ensure_ascii=False), encoding="utf-8")
        env["SOAK_FIXTURES"] = str(path)
        prefix = Path(tmp) / "soak"
        with served(env, port=PORT, workers=args.workers) as base:
            wait_until_up(base)
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
                 "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(args.minutes * 60)}s",
                 "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            wall = time.perf_counter() - started
        report(prefix, wall, args)


def wait_until_up(base: str) -> None:
    """Start-up takes long on a loaded machine: the load starts once the server answers."""
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def report(prefix: Path, wall: float, args: argparse.Namespace) -> None:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        stats = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = list(csv.DictReader(f))
    print(f"soak: {args.minutes:g} min, {args.users} users, uvicorn workers {args.workers}, wall {wall:.0f} s")
    print(f"{'path':<40} {'requests':>9} {'errors':>7} {'p50 ms':>7} {'p99 ms':>7} {'req/s':>6}")
    total_errors = 0
    for row in stats:
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        errors = int(row["Failure Count"])
        total_errors += errors if name != "TOTAL" else 0
        print(
            f"{name:<40} {int(row['Request Count']):>9,} {errors:>7} {row['50%']:>7} {row['99%']:>7} "
            f"{float(row['Requests/s']):>6.1f}"
        )
    print(f"errors: {total_errors}")
    for row in failures:
        print(f"  {row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:300]}")


if __name__ == "__main__":
    main()
