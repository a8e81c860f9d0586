"""``jiabao seed --bulk`` end to end on PostgreSQL: the load's rate, an optional kill and resume, then the books
checked — households, payments, ledger journals and entries, and the daily reconciliation of every day the seed
put a payment on.

    # the load, then every day reconciled (a fresh database, dropped at the end unless --keep)
    PYTHONPATH=src .venv/bin/python benchmarks/bulk_seed_ledger.py --households 20000 --workers 2
    # killed (SIGKILL, producers included) once 2 chunks are committed, then resumed by the same command
    PYTHONPATH=src .venv/bin/python benchmarks/bulk_seed_ledger.py --households 5000 --chunk-size 1000 --kill-after 2
    # another source tree (e.g. the loader before a change), same database steps
    PYTHONPATH=src .venv/bin/python benchmarks/bulk_seed_ledger.py --households 20000 --src /tmp/before/src

The seed runs as ``python -m jiabao.cli seed`` with ``PYTHONPATH`` at ``--src`` (default this tree's ``src``); its
progress bar is on the terminal. ``uptime`` is printed before and after each timed step (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

import jiabao.migrations.models  # noqa: F401 - every table's mapper, for the reconciliation's queries
from jiabao.cli_ledger import SYSTEM
from jiabao.config import Settings
from jiabao.db.session import unit_of_work
from jiabao.ledger.reconcile import reconcile
from jiabao.runtime import build_runtime

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    except Exception:
        return 0
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="jiabao_bench_seedledger")
    parser.add_argument("--src", default=str(ROOT / "src"), help="PYTHONPATH of the jiabao that seeds")
    parser.add_argument("--kill-after", type=int, default=None, help="SIGKILL the run once N chunks are committed")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{args.db}"
    data_dir = Path("/tmp") / f"{args.db}_var"
    env = {
        **os.environ, "PYTHONPATH": args.src, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(data_dir),
        "JIABAO_TABLES_DIR": str(ROOT.parent / "shared" / "data"),
    }  # fmt: skip
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{args.db}"'))
    command = [sys.executable, "-m", "jiabao.cli", "seed", "--households", str(args.households), "--bulk",
               "--chunk-size", str(args.chunk_size), "--workers", str(args.workers)]  # fmt: skip
    try:
        if args.kill_after:
            print(f"[{time.strftime('%H:%M:%S')}] {uptime()}")
            run = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
            while run.poll() is None and count(url, "SELECT COUNT(*) FROM seed_chunks") < args.kill_after:
                time.sleep(0.5)
            os.killpg(run.pid, signal.SIGKILL)  # the CLI and its producer processes, mid-chunk or between chunks
            run.wait()
            print(
                f"killed after {count(url, 'SELECT COUNT(*) FROM seed_chunks')} chunks: "
                f"{count(url, 'SELECT COUNT(*) FROM households')} households, "
                f"{count(url, 'SELECT COUNT(*) FROM ledger_journals')} journals, "
                f"{count(url, 'SELECT COUNT(*) FROM seed_dropped_ddl')} indexes/constraints waiting to be rebuilt"
            )
        print(f"[{time.strftime('%H:%M:%S')}] {uptime()}")
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        seconds = time.perf_counter() - started
        print(f"[{time.strftime('%H:%M:%S')}] {uptime()}")
        households = count(url, "SELECT COUNT(*) FROM households")
        print(f"seed command: {seconds:.1f} s, {households} households in the database")
        figures = {
            t: count(url, f"SELECT COUNT(*) FROM {t}")
            for t in ("households", "persons", "policies", "payments", "ledger_journals", "ledger_entries",
                      "partner_attributions", "seed_dropped_ddl")
        }  # fmt: skip
        print(figures)
        settings = Settings(database_url=url, data_dir=data_dir)
        runtime = build_runtime(settings)
        with runtime.engine.connect() as conn:
            days = conn.execute(text("SELECT DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date FROM payments"))
            days_list = sorted(days.scalars())
        differences, payments = 0, 0
        started = time.perf_counter()
        for day in days_list:
            with unit_of_work(runtime.sessions) as session:
                report = reconcile(runtime.job_context(session, SYSTEM), day)
            differences += len(report.differences)
            payments += report.payments
        print(
            f"reconciliation of {len(days_list)} days ({time.perf_counter() - started:.1f} s): {payments} payments, "
            f"{differences} differences"
        )
        runtime.engine.dispose()
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
