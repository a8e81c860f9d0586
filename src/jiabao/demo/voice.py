"""Demo complaints (客户声音): 76 in 2020 and 98 in 2021 as in the annual report (categories and regions in the
report's proportions), the current year month by month, and a planted cluster last month (six surrender
complaints from the northwest) so the early warning has something to show. Idempotent (refs ``DEMO-…``)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.core.pii import PiiCipher
from jiabao.family.models import Household, Person
from jiabao.identity.models import User
from jiabao.voice import corpus
from jiabao.voice.deadlines import time_limit
from jiabao.voice.models import Complaint
from jiabao.voice.routing import TEAMS, is_elderly
from jiabao.voice.service import SUMMARY_COLUMN
from jiabao.voice.taxonomy import Category

CATEGORY_WEIGHTS = {"sales": 48.89, "claims": 35.56, "surrender": 8.89, "underwriting": 4.44, "other": 2.22}
REGION_WEIGHTS = {"east": 31.11, "north": 17.78, "central": 15.56, "northwest": 11.11, "northeast": 11.11,
                  "south": 6.67, "southwest": 6.67}  # fmt: skip
CHANNELS = {"hotline": 55, "online": 25, "regulator": 10, "counter": 7, "letter": 3}
LINES = {"sales": "ordinary_life", "claims": "medical", "surrender": "annuity", "underwriting": "disease"}


def _phrase(rng: random.Random, category: str) -> tuple[str, str]:
    labels = [k for k in corpus.PHRASES if k.startswith(category + ".")]
    label = rng.choice(labels)
    return label.split(".")[1], "我要投诉，" + rng.choice(corpus.PHRASES[label]) + "，请尽快处理。"


def seed_complaints(session: Session, cipher: PiiCipher, *, now: datetime, seed: int = 20211231) -> int:
    """Add the demo complaints once; returns how many were added."""
    if session.scalar(select(func.count(Complaint.id)).where(Complaint.ref.like("DEMO-%"))):
        return 0
    rng = random.Random(seed)
    today = now.date()
    heads: dict[str, list[tuple[int, int, date]]] = {}
    rows = session.execute(
        select(Household.region, Household.id, Person.id, Person.birth_date)
        .join(Person, Person.id == Household.head_person_id)
        .order_by(Household.id)
        .limit(20000)
    ).all()
    for region, hid, pid, birth in rows:
        heads.setdefault(region, []).append((hid, pid, birth))
    handlers = dict(session.execute(select(User.role, func.min(User.id)).group_by(User.role)).all())
    plan: list[tuple[date, str, str, str]] = []
    for year, count in ((2020, 76), (2021, 98)):
        categories, regions = _quota(CATEGORY_WEIGHTS, count), _quota(REGION_WEIGHTS, count)
        rng.shuffle(categories)
        rng.shuffle(regions)
        for category, region in zip(categories, regions, strict=True):
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            plan.append((day, category, region, _pick(rng)[2]))
    first = date(today.year, 1, 1)
    for _ in range(max(0, (today - first).days // 4)):
        plan.append((first + timedelta(days=rng.randrange(max(1, (today - first).days))), *_pick(rng)))
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=3)
    plan += [(last_month + timedelta(days=i), "surrender", "northwest", "hotline") for i in range(6)]
    added = 0
    for n, (day, category, region, channel) in enumerate(sorted(plan), start=1):
        household = rng.choice(heads[region]) if heads.get(region) else None
        sub, summary = _phrase(rng, category)
        limit = time_limit(day, [])
        decided = day + timedelta(days=rng.randint(3, 14)) if (limit.due and limit.due < today) else None
        team, role = TEAMS[Category(category)]
        complaint = Complaint(
            ref=f"DEMO-{day:%Y%m%d}-{n:04d}",
            regulator_ref=f"12378-{day:%Y%m}{n:04d}" if channel == "regulator" else None,
            channel=channel,
            received_on=day,
            received_at=datetime.combine(day, time(2, 0), tzinfo=UTC),
            complainant_kind="customer",
            complainant_person_id=household[1] if household else None,
            household_id=household[0] if household else None,
            policy_ids=[],
            category=category,
            subcategory=sub,
            suggested_category=category,
            suggested_subcategory=sub,
            product_line=LINES.get(category, "other"),
            region=region,
            summary_enc=cipher.encrypt(SUMMARY_COLUMN, summary),
            status="closed" if decided else "in_progress",
            team=team,
            handler_id=handlers.get(role.value),
            elderly=bool(household and is_elderly(household[2], day)),
            limit_days=15,
            due_on=limit.due,
            decided_on=decided,
            outcome=rng.choice(("upheld", "partly_upheld", "not_upheld")) if decided else None,
            decision={"within_limit": True} if decided else {},
            letter_delivered_on=decided,
            closed_on=decided + timedelta(days=31) if decided and decided + timedelta(days=31) <= today else None,
            root_cause="销售人员未充分说明退保损失" if category == "surrender" and n % 3 == 0 else None,
            action="加强犹豫期与现金价值告知培训" if category == "surrender" and n % 3 == 0 else None,
            action_status="open" if category == "surrender" and n % 3 == 0 else None,
            updated_at=now,
        )
        if decided and not complaint.closed_on:
            complaint.status = "decided"
        session.add(complaint)
        added += 1
    session.flush()
    return added


def _quota(weights: dict[str, float], count: int) -> list[str]:
    """``count`` labels in the weights' proportions (largest remainder), so the year's shares are the report's."""
    total = sum(weights.values())
    exact = {k: count * w / total for k, w in weights.items()}
    given = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - given[k], reverse=True)[: count - sum(given.values())]:
        given[k] += 1
    return [k for k, n in given.items() for _ in range(n)]


def _pick(rng: random.Random) -> tuple[str, str, str]:
    category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
    region = rng.choices(list(REGION_WEIGHTS), list(REGION_WEIGHTS.values()))[0]
    channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
    return category, region, channel
