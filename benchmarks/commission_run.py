"""The monthly commission run over a book in force on PostgreSQL (issue 15).

    .venv/bin/python benchmarks/commission_run.py --policies 200000 --shards 8 --executor processes --workers 2

Seeds, with set-based SQL (``INSERT … SELECT generate_series``: the rows are made inside the server, nothing crosses
the wire, which is faster than COPY from the client) on a fresh database ``jiabao_bench_<--db-suffix>``:
``--policies`` monthly-paying family_ci policies (effective dates spread over 1,000 days, so policy years 1–3 and
persistency bonuses occur), each with a premium payment in October and in November 2026 **and its household-ledger
journal** (``premium_received``: bank, receivable, income; the commission run reads the ledger), sold by one of
``policies / 200`` individual partners in teams of 20 under 10 regions; in November 1% of the policies are
surrendered and 1% cancelled in the cooling-off period, each with its ledger journal (a ``cash_value`` of kind
``surrender``, a ``refund``). Then it runs October (first posting), November (accruals, overrides, persistency,
quality, clawbacks of October's lines) and re-runs November (nothing to post), through the platform's own
``commissions.run_month`` (``--shards 1 --executor serial``) or ``commissions.run_month_sharded`` (seller shards on
a ``batch.executor``). Prints policies per second per run, the coordinator's peak resident memory and the largest
shard worker's. ``--keep`` keeps the database (dropped by default).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PLAN = {
    "rates": {"family_ci": {"20": ["0.30", "0.10", "0.05"]}},
    "overrides": {"team": ["0.05", "0.02"], "regional": ["0.02"]},
    "persistency": {"13": "0.04", "25": "0.03"},
    "quality": {"rate": "0.03", "max_complaints": 0},
    "clawback": {"cooling_off": "1", "surrender": "1", "surrender_months": 24, "rescission": "1"},
    "tax": {"method": "agent_cumulative"},
}

SEED = """
INSERT INTO users (username, password_hash, role, display_name, language, elderly_mode, active, token_version,
    created_at)
SELECT 'bench_p' || g, 'x', 'partner', 'bench ' || g, 'zh', false, true, 0, now() FROM generate_series(1, :np) g;
INSERT INTO partners (user_id, kind, name, status, products, channels, regions, joined_on, review, created_at)
SELECT u.id, CASE WHEN g <= 10 THEN 'regional' WHEN g <= 10 + :nt THEN 'team' ELSE 'individual' END,
       'bench ' || g, 'active', '["*"]', '["*"]', '["*"]', date '2023-01-01', '{}', now()
FROM generate_series(1, :np) g JOIN users u ON u.username = 'bench_p' || g;
INSERT INTO partner_memberships (partner_id, parent_id, valid_from)
SELECT p.id, r.id, date '2023-01-01' FROM partners p JOIN partners r ON r.name = 'bench ' || (1 + (p.id % 10))
WHERE p.kind = 'team';
INSERT INTO partner_memberships (partner_id, parent_id, valid_from)
SELECT p.id, t.id, date '2023-01-01' FROM partners p JOIN partners t ON t.name = 'bench ' || (11 + (p.id % :nt))
WHERE p.kind = 'individual';
INSERT INTO applications (household_id, policyholder_person_id, product_code, product_version, channel, status,
    frequency, payment_term, coverage, annual_premium, instalment, basis, quote, details, created_at, updated_at)
SELECT :hh, :person, 'family_ci', 1, 'partner', 'issued', 'monthly', 20, 30, 120000 + (g % 50) * 1200,
       10000 + (g % 50) * 100, 'bench', '{}', '{}', now(), now()
FROM generate_series(1, :n) g;
INSERT INTO policies (policy_no, application_id, household_id, policyholder_person_id, product_code, product_version,
    channel, status, issued_at, effective_date, received_on, cooling_off_end, frequency, payment_term, cover_years,
    annual_premium, instalment, basis, reinstated_on, details, updated_at, ended_on, end_reason)
SELECT 'BENCH' || lpad(a.id::text, 12, '0'), a.id, :hh, :person, 'family_ci', 1, 'partner',
       CASE WHEN a.id % 100 = 0 THEN 'surrendered' WHEN a.id % 100 = 50 THEN 'cancelled' ELSE 'in_force' END,
       now(), date '2024-01-01' + (a.id % 1000)::int, date '2024-01-01', date '2024-01-16', 'monthly', 20, 30,
       a.annual_premium, a.instalment, 'bench', '[]', '{}', now(),
       CASE WHEN a.id % 100 = 0 THEN date '2026-11-15' WHEN a.id % 100 = 50 THEN date '2026-11-10' END,
       CASE WHEN a.id % 100 = 0 THEN 'surrender' WHEN a.id % 100 = 50 THEN 'cooling_off_cancellation' END
FROM applications a WHERE a.basis = 'bench';
INSERT INTO partner_attributions (subject, subject_id, household_id, selling_partner_id, servicing_partner_id,
    recorded_at)
SELECT 'application', a.id, :hh, i.id, i.id, now()
FROM applications a JOIN partners i ON i.name = 'bench ' || (11 + :nt + (a.id % (:np - 10 - :nt)))
WHERE a.basis = 'bench';
"""

PAY = """
INSERT INTO payments (idempotency_key, kind, direction, policy_id, amount, account_enc, account_masked,
    holder_person_id, status, created_at, details)
SELECT 'bench-' || :m || '-' || p.id, 'renewal_premium', 'in', p.id, p.instalment, '\\x00'::bytea, '****', :person,
       'succeeded', (date :first + (p.id % 28)::int)::timestamptz + interval '3 hours', '{}'
FROM policies p WHERE p.basis = 'bench' AND p.effective_date < date :first;
INSERT INTO instalments (policy_id, seq, due_date, amount, paid_on, payment_id, waived)
SELECT p.id, s.seq, (p.effective_date + ((s.seq - 1) || ' months')::interval)::date, p.instalment,
       date :first, pm.id, false
FROM policies p JOIN payments pm ON pm.idempotency_key = 'bench-' || :m || '-' || p.id
CROSS JOIN LATERAL (SELECT ((extract(year FROM date :first) - extract(year FROM p.effective_date)) * 12
                     + extract(month FROM date :first) - extract(month FROM p.effective_date))::int + 1 AS seq) s;
INSERT INTO ledger_journals (household_id, movement, source, occurred_on, posted_at, policy_id, person_id,
    payment_id, memo)
SELECT :hh, 'premium_received', 'payment:' || pm.id, pm.created_at::date, pm.created_at, pm.policy_id, :person, pm.id,
       json_build_object('instalments', json_build_array(i.id), 'kind', 'renewal_premium')
FROM payments pm JOIN instalments i ON i.payment_id = pm.id
WHERE pm.idempotency_key LIKE 'bench-' || :m || '-%';
INSERT INTO ledger_entries (journal_id, household_id, account, policy_id, fen)
SELECT j.id, :hh, v.account, CASE WHEN v.account = 'family_bank' THEN NULL ELSE j.policy_id END, v.sign * pm.amount
FROM ledger_journals j JOIN payments pm ON pm.id = j.payment_id
CROSS JOIN (VALUES ('family_bank', 1), ('premium_receivable', 1), ('premium_income', -1),
                   ('premium_receivable', -1)) v(account, sign)
WHERE pm.idempotency_key LIKE 'bench-' || :m || '-%';
"""

ENDS = """
INSERT INTO ledger_journals (household_id, movement, source, occurred_on, posted_at, policy_id, person_id, memo)
SELECT :hh, CASE WHEN p.status = 'surrendered' THEN 'cash_value' ELSE 'refund' END, 'bench-end:' || p.id,
       p.ended_on, p.ended_on::timestamptz, p.id, :person,
       json_build_object('kind', CASE WHEN p.status = 'surrendered' THEN 'surrender' ELSE 'refund' END)
FROM policies p WHERE p.basis = 'bench' AND p.status IN ('surrendered', 'cancelled');
INSERT INTO ledger_entries (journal_id, household_id, account, policy_id, fen)
SELECT j.id, :hh, v.account, CASE WHEN v.account = 'family_bank' THEN NULL ELSE j.policy_id END, v.sign * p.instalment
FROM ledger_journals j JOIN policies p ON p.id = j.policy_id
CROSS JOIN LATERAL (VALUES (CASE WHEN j.movement = 'refund' THEN 'premium_income' ELSE 'surrender_paid' END, 1),
                           ('refunds_payable', -1), ('refunds_payable', 1), ('family_bank', -1)) v(account, sign)
WHERE j.source LIKE 'bench-end:%';
"""


RUNS = (("first run", "2026-10"), ("with clawbacks", "2026-11"), ("re-run", "2026-11"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=200_000)
    parser.add_argument("--shards", type=int, default=1, help="seller shards (1: unsharded, in-process)")
    parser.add_argument("--executor", choices=("serial", "processes", "dask"), default="serial")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db-suffix", default="commissions", help="database jiabao_bench_<suffix>")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    db = f"jiabao_bench_{args.db_suffix}"
    n = args.policies
    n_partners = max(40, n // 200)
    n_teams = max(2, n_partners // 20)
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{db}"
    data_dir = ROOT / "var" / "bench-commissions"
    env = {**os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(data_dir)}
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    subprocess.run([str(BIN / "jiabao"), "seed", "--households", "1"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    os.environ.update(env)
    from jiabao.batch.executor import close, make_executor
    from jiabao.config import Settings
    from jiabao.core.auth import Principal, Role
    from jiabao.db.context import ServiceContext
    from jiabao.db.session import unit_of_work
    from jiabao.migrations import models as _all_models  # noqa: F401 - every table, for the foreign keys
    from jiabao.partners import commissions
    from jiabao.runtime import build_runtime

    engine = create_engine(url)
    start = time.perf_counter()
    with engine.begin() as conn:
        hh, person = conn.execute(text("SELECT id, head_person_id FROM households ORDER BY id LIMIT 1")).one()
        params = {"n": n, "np": n_partners, "nt": n_teams, "hh": hh, "person": person}
        for statement in SEED.split(";\n"):
            if statement.strip():
                conn.execute(text(statement), params)
        for m, first in (("2026-10", "2026-10-01"), ("2026-11", "2026-11-01")):
            for statement in PAY.split(";\n"):
                if statement.strip():
                    conn.execute(text(statement.replace("date :first", f"date '{first}'")), params | {"m": m})
        for statement in ENDS.split(";\n"):
            if statement.strip():
                conn.execute(text(statement), params)
        conn.execute(text("ANALYZE"))
        payments = conn.execute(text("SELECT count(*) FROM payments")).scalar_one()
    took = time.perf_counter() - start
    print(f"seed: {n:,} policies, {n_partners:,} partners, {payments:,} premium payments in {took:.1f} s")

    runtime = build_runtime(Settings())
    system = Principal(user_id=0, role=Role.ADMIN, username="bench", display_name="bench")
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=system)
        plan = commissions.create_plan(ctx, "bench", date(2023, 1, 1), PLAN)
        commissions.approve_plan(ctx, plan.id, runtime.products.catalog)

    def context(session: Any) -> Any:
        return ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=system)

    executor = make_executor(args.executor, workers=args.workers)
    print(f"executor {args.executor}, {args.shards} seller shard(s), {args.workers} worker(s)")
    try:
        for label, month in RUNS:
            start = time.perf_counter()
            worker_peak = 0.0
            if args.shards == 1 and args.executor == "serial":
                with unit_of_work(runtime.sessions) as session:
                    summary = commissions.run_month(context(session), month)
            else:
                summary, outcomes = commissions.run_month_sharded(
                    runtime.sessions, context, url, month, executor, args.shards
                )
                worker_peak = max(o.peak_rss_mb for o in outcomes)
            seconds = time.perf_counter() - start
            print(
                f"{month} {label}: {summary.events:,} premium events, {summary.lines_written:,} lines written in "
                f"{seconds:.1f} s = {n / seconds:,.0f} policies/s; peak RSS coordinator {peak_mb():,.0f} MB, "
                f"largest shard worker {f'{worker_peak:,.0f} MB' if worker_peak else '(in-process)'}"
            )
    finally:
        close(executor)
        if not args.keep:
            engine.dispose()
            runtime.engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
