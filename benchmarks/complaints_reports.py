"""Complaint volume and report timings on a fresh PostgreSQL database, through the real command line.

    .venv/bin/python benchmarks/complaints_reports.py --households 20000 --complaints 50000

Seeds households (``jiabao seed``), imports ``--complaints`` complaints in one CSV file (``jiabao complaints
import``; the insurer's own volume is about 100 a year, so this is centuries of it), re-imports it (nothing
changes), then times ``jiabao report complaints``, ``report complaint-warnings`` and ``report kpi``. Also prints
the early-warning back-test and the classifier's held-out accuracy and training time (pure, in process).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from jiabao.core.clock import CHINA_TZ

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB = "jiabao_bench_voice"
CATEGORIES = ["sales", "claims", "surrender", "underwriting", "servicing", "renewal", "other"]
REGIONS = ["east", "north", "central", "south", "southwest", "northwest", "northeast"]
CHANNELS = ["hotline", "online", "counter", "letter", "regulator"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(args, env=env, check=True, cwd=ROOT, capture_output=True, text=True).stdout
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--complaints", type=int, default=50_000)
    args = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB}"
    env = {**os.environ, "JIABAO_DATABASE_URL": url, "JIABAO_DATA_DIR": str(ROOT / "var" / "bench")}
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB}"'))
    jiabao = str(BIN / "jiabao")
    seconds, _ = timed([jiabao, "seed", "--households", str(args.households)], env)
    print(f"seed: {args.households} households in {seconds:.1f} s")
    today = datetime.now(CHINA_TZ).date()
    rng = random.Random(7)
    start = today - timedelta(days=3 * 365)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        f.write("ref,received_on,channel,category,region,product_line,household_ref,summary\n")
        for i in range(args.complaints):
            day = start + timedelta(days=rng.randrange(3 * 365))
            f.write(f"B-{i:07d},{day},{rng.choice(CHANNELS)},{rng.choice(CATEGORIES)},{rng.choice(REGIONS)},"
                    f"medical,,理赔款迟迟不到账{i}\n")  # fmt: skip
        path = f.name
    seconds, out = timed([jiabao, "complaints", "import", path], env)
    print(
        f"import: {args.complaints} complaints in {seconds:.1f} s ({args.complaints / seconds:,.0f}/s) — {out.strip()}"
    )
    seconds, out = timed([jiabao, "complaints", "import", path], env)
    print(f"re-import (all present): {seconds:.1f} s — {out.strip()}")
    year = today.year - 1
    month = f"{today:%Y-%m}"
    for label, cmd in (
        ("report complaints", ["report", "complaints", "--year", str(year), "--format", "json"]),
        ("report complaint-warnings", ["report", "complaint-warnings", "--month", month, "--format", "json"]),
        ("report kpi", ["report", "kpi", "--year", str(year), "--format", "json"]),
    ):
        seconds, out = timed([jiabao, *cmd], env)
        print(f"{label}: {seconds:.2f} s (process start included), {len(out)} bytes")
    from jiabao.voice import corpus
    from jiabao.voice.classifier import ComplaintClassifier, evaluate
    from jiabao.voice.warning import back_test

    began = time.perf_counter()
    result = back_test()
    print(f"back-test: {result} in {time.perf_counter() - began:.2f} s")
    print(f"classifier held-out (new sentences): {evaluate(*corpus.generate(1150, seed=1))}")
    began = time.perf_counter()
    model = ComplaintClassifier.train(*corpus.generate(1150, seed=1, unseen=False))
    trained = time.perf_counter() - began
    texts, labels = corpus.generate(230, seed=99, unseen=True)
    predicted = model.predict(texts)
    exact = sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(labels)
    print(f"classifier unseen wording: label accuracy {exact:.3f}; training {trained:.2f} s on 1,150 texts")
    Path(path).unlink()


if __name__ == "__main__":
    main()
