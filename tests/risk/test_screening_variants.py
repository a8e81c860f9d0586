"""A small labelled variant set (the full one is benchmarks/screening_eval.py): listed individuals of the 2021
OFAC files as written, reordered, with a typo and by alias, and synthetic negatives. Recall (review or hit on the
right entry) ≥ 0.95 for each kind and false alerts ≤ 1% (issue 13, acceptance)."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest

from jiabao.risk.lists.formats import parse_ofac, to_engine_entries
from jiabao.risk.screening.engine import ScreeningIndex, Subject

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "watchlists"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/watchlists")


def _typo(name: str, rng: random.Random) -> str:
    tokens = name.replace(",", "").split()
    long = [i for i, t in enumerate(tokens) if len(t) >= 5]
    if not long:
        return ""
    i = rng.choice(long)
    t = tokens[i]
    j = rng.randrange(1, len(t) - 1)
    tokens[i] = t[:j] + t[j + 1 :] if rng.random() < 0.5 else t[:j] + t[j + 1] + t[j] + t[j + 2 :]
    return " ".join(tokens)


@pytest.fixture(scope="module")
def index_and_entries() -> tuple[ScreeningIndex, list]:  # type: ignore[type-arg]
    entries = parse_ofac(*(DATA.joinpath(f"ofac_2021-04_{k}.csv").read_bytes() for k in ("sdn", "alt", "add")))
    return ScreeningIndex(to_engine_entries("ofac", entries)), entries


def test_recall_by_variant_kind(index_and_entries: tuple[ScreeningIndex, list]) -> None:  # type: ignore[type-arg]
    index, entries = index_and_entries
    rng = random.Random(2021)
    people = rng.sample([e for e in entries if e.kind == "individual" and "," in e.name], 300)
    variants: dict[str, list[tuple[str, Subject]]] = {"exact": [], "reordered": [], "typo": [], "alias": []}
    for e in people:
        surname, given = e.name.split(",", 1)
        dob = date.fromisoformat(e.birth_dates[0]) if e.birth_dates and len(e.birth_dates[0]) == 10 else None
        variants["exact"].append((e.entry_id, Subject(e.entry_id, e.name)))
        variants["reordered"].append((e.entry_id, Subject(e.entry_id, f"{given.strip()} {surname.title()}", dob)))
        if typo := _typo(e.name, rng):
            variants["typo"].append((e.entry_id, Subject(e.entry_id, typo)))
        if e.aliases:
            variants["alias"].append((e.entry_id, Subject(e.entry_id, rng.choice(e.aliases), dob)))
    for kind, items in variants.items():
        results = index.screen([s for _, s in items])
        found = sum(r.decision != "pass" and any(m.entry_id == eid for m in r.matches)
                    for (eid, _), r in zip(items, results, strict=True))  # fmt: skip
        assert found / len(items) >= 0.95, (kind, found, len(items))


def test_false_alerts_on_synthetic_negatives(index_and_entries: tuple[ScreeningIndex, list]) -> None:  # type: ignore[type-arg]
    index, _ = index_and_entries
    with (DATA / "synthetic_screening_negatives_global.csv").open(newline="", encoding="utf-8") as handle:
        rows = [r for _, r in zip(range(4000), csv.DictReader(handle), strict=False)]
    subjects = [Subject(str(i), r["full_name"], date.fromisoformat(r["date_of_birth"])) for i, r in enumerate(rows)]
    alerts = sum(r.decision != "pass" for r in index.screen(subjects))
    assert alerts / len(subjects) <= 0.01
