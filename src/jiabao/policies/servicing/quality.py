"""Service-quality figures (服务质量) per servicing item: requests accepted, completed, completed within the service
level (on or before ``complete_due``, Basic Service Rules art. 20), the online share (保全E化率), the average time
from receipt to completion (calendar days, 2 places), and the same by channel (online / counter / phone).
Aggregate counts only: no personal data."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select

from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import PermissionDenied, invalid
from jiabao.db.context import ServiceContext
from jiabao.policies.common.models import ServiceRequest
from jiabao.policies.rules.servicing import SERVICING_ITEMS, Channel, ServicingItem

FOUR = Decimal("0.0001")
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
TWO = Decimal("0.01")


class ChannelFigures(BaseModel):
    accepted: int
    completed: int
    within_service_level: int
    average_days: Decimal | None


class ItemFigures(BaseModel):
    kind: str
    label_zh: str
    label_en: str
    accepted: int
    completed: int
    within_service_level: int
    within_share: Decimal | None
    """Within the service level ÷ completed, 4 places; None when nothing was completed."""
    online: int
    online_share: Decimal
    average_days: Decimal | None
    by_channel: dict[str, ChannelFigures]


class QualityOut(BaseModel):
    from_date: date
    to_date: date
    accepted: int
    completed: int
    within_service_level: int
    online_share: Decimal
    items: list[ItemFigures]


def _ratio(a: int, b: int) -> Decimal:
    return (Decimal(a) / Decimal(b)).quantize(FOUR) if b else Decimal("0.0000")


def _average(days: list[Decimal]) -> Decimal | None:
    return (sum(days, Decimal(0)) / len(days)).quantize(TWO) if days else None


def quality(ctx: ServiceContext, *, from_date: date, to_date: date, roles: frozenset[object]) -> QualityOut:
    """Figures over the requests received from ``from_date`` to ``to_date`` (China dates, inclusive)."""
    if ctx.principal.role not in roles:
        raise PermissionDenied()
    if to_date < from_date:
        raise invalid("to", "before_from", "结束日期不能早于开始日期", "The end date is before the start date")
    if from_date < EARLIEST or to_date > LATEST:
        raise invalid("from", "out_of_range", "日期须在2000年至2100年之间", "Dates must be from 2000 to 2100")
    start = datetime.combine(from_date, time(0), CHINA_TZ)
    end = datetime.combine(to_date + timedelta(days=1), time(0), CHINA_TZ)
    stmt = select(
        ServiceRequest.kind,
        ServiceRequest.channel,
        ServiceRequest.status,
        ServiceRequest.requested_at,
        ServiceRequest.completed_at,
        ServiceRequest.complete_due,
    ).where(ServiceRequest.requested_at >= start, ServiceRequest.requested_at < end)
    rows: dict[str, dict[str, list[tuple[bool, bool, Decimal | None]]]] = defaultdict(lambda: defaultdict(list))
    for kind, channel, status, requested_at, completed_at, complete_due in ctx.session.execute(stmt):
        finished = completed_at if status == "completed" else None
        within = finished is not None and finished.astimezone(CHINA_TZ).date() <= complete_due
        days = Decimal((finished - requested_at).total_seconds()) / Decimal(86400) if finished is not None else None
        done = finished is not None
        rows[kind][channel].append((done, within, days))
    items = []
    for kind in sorted(rows):
        by_channel = {}
        for channel, entries in sorted(rows[kind].items()):
            by_channel[channel] = ChannelFigures(
                accepted=len(entries),
                completed=sum(e[0] for e in entries),
                within_service_level=sum(e[1] for e in entries),
                average_days=_average([e[2] for e in entries if e[2] is not None]),
            )
        every = [e for entries in rows[kind].values() for e in entries]
        completed = sum(e[0] for e in every)
        in_time = sum(e[1] for e in every)
        online = len(rows[kind].get(Channel.ONLINE.value, []))
        known = kind in {i.value for i in ServicingItem}
        rule = SERVICING_ITEMS.get(ServicingItem(kind)) if known else None
        items.append(
            ItemFigures(
                kind=kind,
                label_zh=rule.label_zh if rule else kind,
                label_en=rule.label_en if rule else kind,
                accepted=len(every),
                completed=completed,
                within_service_level=in_time,
                within_share=_ratio(in_time, completed) if completed else None,
                online=online,
                online_share=_ratio(online, len(every)),
                average_days=_average([e[2] for e in every if e[2] is not None]),
                by_channel=by_channel,
            )
        )
    accepted = sum(i.accepted for i in items)
    return QualityOut(
        from_date=from_date,
        to_date=to_date,
        accepted=accepted,
        completed=sum(i.completed for i in items),
        within_service_level=sum(i.within_service_level for i in items),
        online_share=_ratio(sum(i.online for i in items), accepted),
        items=items,
    )
