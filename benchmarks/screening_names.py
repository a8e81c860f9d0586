"""Benchmark: ``jiabao screen names`` on 1,000,000 customers against the full OFAC list, and re-screening everyone
after the 2021 → 2024 list change (issue 13: ≤ 60 s on this 2-core machine).

Run from the repository root::

    .venv/bin/python benchmarks/screening_names.py [--customers 1000000] [--seed 7]

Customers are generated: Faker first/last-name pools of many locales (zh_CN names in Han script, zh_TW in
Traditional, Russian in Cyrillic, Arabic and Persian in Arabic script, Japanese, Korean, Hindi, English, Spanish,
German, French, Turkish, Vietnamese …) combined at random, plus the 50,000 synthetic negatives and 2,000 planted
listed individuals (their listed name, with their birth date). The list is loaded into a fresh SQLite database
with ``jiabao lists import ofac``; the screening runs as the real command in a subprocess (wall clock, start-up
included). Re-screening: the entries added or changed between the 2021-04 and 2024-05-03 files are screened
against every customer (only those entries, as the list-change job does).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "watchlists"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/watchlists")
LOCALES = {  # locale → share of generated customers
    "zh_CN": 0.55, "zh_TW": 0.05, "en_US": 0.07, "ru_RU": 0.04, "ar_AA": 0.04, "fa_IR": 0.03, "ja_JP": 0.03,
    "ko_KR": 0.03, "hi_IN": 0.03, "es_ES": 0.03, "de_DE": 0.02, "fr_FR": 0.02, "tr_TR": 0.02, "vi_VN": 0.02,
    "id_ID": 0.02,
}  # fmt: skip
EAST_ASIAN = {"zh_CN", "zh_TW", "ja_JP", "ko_KR"}


def generate(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    rows: list[tuple[str, str, str, str]] = []
    with (DATA / "synthetic_screening_negatives_global.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(("", row["full_name"], row["date_of_birth"], ""))
    sdn = (DATA / "ofac_2024-05-03_sdn.csv").read_text(encoding="latin-1")
    listed = [line for line in sdn.splitlines() if ',"individual",' in line and "DOB " in line]
    from jiabao.risk.lists.formats import parse_ofac

    planted = [e for e in parse_ofac("\n".join(listed).encode()) if e.birth_dates and len(e.birth_dates[0]) == 10]
    for entry in rng.sample(planted, min(2000, len(planted))):
        rows.append(("", entry.name, entry.birth_dates[0], ""))
    remaining = count - len(rows)
    start = date(1940, 1, 1)
    for locale, share in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        firsts = list({fake.first_name() for _ in range(3000)})
        lasts = list({fake.last_name() for _ in range(1500)})
        n = round(remaining * share) if locale != "zh_CN" else 0
        if locale == "zh_CN":
            n = remaining - sum(round(remaining * s) for loc, s in LOCALES.items() if loc != "zh_CN")
        for _ in range(n):
            first, last = rng.choice(firsts), rng.choice(lasts)
            name = f"{last}{first}" if locale in EAST_ASIAN and locale != "ko_KR" else f"{first} {last}"
            birth = (start + timedelta(days=rng.randrange(0, 365 * 65))).isoformat() if rng.random() < 0.9 else ""
            rows.append(("", name, birth, locale[-2:] if rng.random() < 0.5 else ""))
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ref", "name", "birth_date", "nationality"])
        for i, (_, name, birth, nationality) in enumerate(rows, start=1):
            writer.writerow([f"C{i:07d}", name, birth, nationality])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (the command and its worker processes) of one command."""
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, check=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def rescreen(customers: Path) -> None:
    from jiabao.risk.lists.formats import parse_ofac, to_engine_entries
    from jiabao.risk.screening.batch import name_candidates_many
    from jiabao.risk.screening.engine import ScreeningIndex, Subject

    old = {e.entry_id: e.content_hash() for e in parse_ofac(*(
        (DATA / f"ofac_2021-04_{k}.csv").read_bytes() for k in ("sdn", "alt", "add")))}  # fmt: skip
    new = parse_ofac((DATA / "ofac_2024-05-03_sdn.csv").read_bytes())
    changed = [e for e in new if old.get(e.entry_id) != e.content_hash()]
    added = sum(1 for e in new if e.entry_id not in old)
    removed = len(set(old) - {e.entry_id for e in new})
    with customers.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    started, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    index = ScreeningIndex(to_engine_entries("ofac", changed))
    found = name_candidates_many(index, [r[1] for r in rows])
    counts: Counter[str] = Counter()
    for ref, name, birth, nationality in rows:
        candidates = found.get(name)
        if not candidates:
            counts["pass"] += 1
            continue
        subject = Subject(ref, name, date.fromisoformat(birth) if birth else None, nationality or None)
        counts[index.decide(subject, candidates).decision] += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() + _children_cpu() - cpu
    print(
        f"re-screen after 2021-04 → 2024-05-03: {added} added, {len(changed) - added} changed, {removed} removed;"
        f" {len(rows)} customers against {len(changed)} changed entries in {elapsed:.1f} s wall, {cpu:.1f} s CPU"
        f" (load average before: {os.getloadavg()[0]:.1f}): {dict(counts)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-rescreen", action="store_true")
    parser.add_argument("--rescreen-only", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.gettempdir()) / "jiabao-screening-bench"
    work.mkdir(exist_ok=True)
    customers = work / f"customers-{args.customers}-{args.seed}.csv"
    if not customers.exists():
        started = time.perf_counter()
        generate(customers, args.customers, args.seed)
        print(f"generated {customers} in {time.perf_counter() - started:.0f} s")
    if args.rescreen_only:
        rescreen(customers)
        return 0
    database = work / "screening.db"
    database.unlink(missing_ok=True)
    env = {**os.environ, "JIABAO_DATABASE_URL": f"sqlite:///{database}"}
    jiabao = str(ROOT / ".venv" / "bin" / "jiabao")
    load, load_cpu = run([jiabao, "lists", "import", "ofac", str(DATA / "ofac_2024-05-03_sdn.csv")], env)
    print(f"lists import ofac (2024-05-03, 14,965 records): {load:.1f} s wall, {load_cpu:.1f} s CPU")
    output = work / "screened.csv"
    elapsed, cpu = run([jiabao, "screen", "names", str(customers), "--output", str(output)], env)
    with output.open(newline="", encoding="utf-8") as handle:
        decisions = Counter(row["decision"] for row in csv.DictReader(handle))
    print(
        f"screen names: {args.customers:,} customers in {elapsed:.1f} s wall clock, {cpu:.1f} s CPU "
        f"(load average before: {os.getloadavg()[0]:.1f}): {dict(decisions)}"
    )
    if not args.skip_rescreen:
        rescreen(customers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
