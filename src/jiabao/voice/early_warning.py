"""The month's early warnings from the complaints table (事前预警): the control charts and CUSUM of
``jiabao.voice.warning`` per category × region and per category × product line, scaled by policies in force, and
the hard triggers (one partner, one product, any major complaint). ``send`` records them and tells management."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.db.outbox import enqueue
from jiabao.partners import quality as partner_quality
from jiabao.voice import warning as method
from jiabao.voice.analysis import in_force_on, month_bounds
from jiabao.voice.models import Complaint, ComplaintWarning

HISTORY_MONTHS = 24


def _months_back(month: str, n: int) -> list[str]:
    year, mon = (int(x) for x in month.split("-"))
    out = []
    for _ in range(n + 1):
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
    return out[::-1]


def month_warnings(session: Session, month: str) -> list[dict[str, Any]]:
    months = _months_back(month, HISTORY_MONTHS)
    first, _ = month_bounds(months[0])
    start, end = month_bounds(month)
    rows = session.execute(
        select(
            Complaint.received_on,
            Complaint.category,
            Complaint.region,
            Complaint.product_line,
            Complaint.partner_id,
            Complaint.product_code,
            Complaint.major,
        ).where(Complaint.received_on >= first, Complaint.received_on <= end)
    ).all()
    index = {m: i for i, m in enumerate(months)}
    cells: dict[tuple[str, str, str], list[int]] = {}
    now_rows = []
    for received, category, region, line, partner, product, major in rows:
        i = index[f"{received:%Y-%m}"]
        for key in ((category, region, "all"), (category, "all", line)):
            cells.setdefault(key, [0] * len(months))[i] += 1
        if start <= received <= end:
            now_rows.append((category, region, line, partner, product, major))
    exposures = [float(in_force_on(session, month_bounds(m)[1])[0]) for m in months]
    use_exposure = all(x > 0 for x in exposures)
    warnings: list[dict[str, Any]] = []
    for (category, region, line), series in sorted(cells.items()):
        if series[-1] < method.MIN_COUNT:
            continue
        signal = method.evaluate_cell(
            series,
            exposure_history=exposures[:-1] if use_exposure else None,
            exposure_now=exposures[-1] if use_exposure else None,
        )
        if signal is not None:
            warnings.append(
                {
                    "category": category,
                    "region": region,
                    "product_line": line,
                    "observed": signal.observed,
                    "expected": signal.expected,
                    "method": signal.method,
                }
            )
    by_partner: dict[int, list[int]] = {}
    for received, *_rest, partner, _product, _major in rows:
        if partner is not None:
            by_partner.setdefault(partner, [0] * len(months))[index[f"{received:%Y-%m}"]] += 1
    partners = Counter(p for _, _, _, p, _, _ in now_rows if p is not None)
    products = Counter(code for _, _, _, _, code, _ in now_rows if code)
    majors = sum(1 for *_, major in now_rows if major)
    for kind, trigger, count in method.hard_triggers(dict(partners), dict(products), majors):
        matching = [
            r
            for r in now_rows
            if (kind == "partner_cluster" and str(r[3]) == trigger)
            or (kind == "product_cluster" and r[4] == trigger)
            or (kind == "major_complaint" and r[5])
        ]
        category = Counter(r[0] for r in matching).most_common(1)[0][0]
        region = Counter(r[1] for r in matching).most_common(1)[0][0]
        entry: dict[str, Any] = {
            "category": category,
            "region": region,
            "observed": count,
            "expected": 0.0,
            "method": f"hard_trigger:{kind}",
        }
        if kind == "partner_cluster":
            entry |= _partner_exposure(session, int(trigger), months, by_partner.get(int(trigger), []))
        elif kind == "product_cluster":
            entry["product_code"] = trigger
        warnings.append(entry)
    return warnings


def _partner_exposure(session: Session, user_id: int, months: list[str], series: list[int]) -> dict[str, Any]:
    """A cluster about one partner (a hard trigger whatever its size of book) with the partner's exposure: its
    policies in force at each month end (``partners.quality``), the expected count from its own complaint rate per
    policy in force over the baseline, and this month's complaints per 1,000 of its policies in force."""
    entry: dict[str, Any] = {"partner_id": user_id}
    found = partner_quality.in_force_series(session, user_id, [month_bounds(m)[1] for m in months])
    if found is None or not series:
        return entry
    partner, in_force = found
    entry |= {"network_partner_id": partner.id, "partner_name": partner.name, "in_force": in_force[-1]}
    if in_force[-1]:
        expected, _, _ = method.expected_count(series[:-1], [float(x) for x in in_force[:-1]], float(in_force[-1]))
        entry["expected"] = round(expected, 2)
        entry["complaints_per_1000"] = round(series[-1] * 1000 / in_force[-1], 1)
    return entry


def warning_key(w: dict[str, Any]) -> str:
    parts = [
        w["method"],
        w["category"],
        w["region"],
        str(w.get("product_line", "")),
        str(w.get("partner_id", "")),
        str(w.get("product_code", "")),
    ]
    return "|".join(parts)[:200]


def send(session: Session, month: str, *, now: datetime) -> int:
    """Record the month's warnings (once per month and cell) and queue one message to management for the new ones."""
    fresh = []
    existing = set(session.scalars(select(ComplaintWarning.key).where(ComplaintWarning.month == month)))
    for w in month_warnings(session, month):
        key = warning_key(w)
        if key in existing:
            continue
        session.add(
            ComplaintWarning(
                month=month,
                key=key,
                category=w["category"],
                region=w["region"],
                product_line=w.get("product_line"),
                partner_id=w.get("partner_id"),
                observed=w["observed"],
                expected=w["expected"],
                method=w["method"],
                created_at=now,
            )
        )
        fresh.append(w)
    if fresh:
        enqueue(
            session,
            topic="management",
            at=now,
            payload={"kind": "complaint_warnings", "month": month, "warnings": fresh},
        )
    session.flush()
    return len(fresh)


def current_month(today: date) -> str:
    return f"{today:%Y-%m}"
