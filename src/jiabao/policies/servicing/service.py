"""Servicing (保全): one entry, :func:`submit`, for every change a policyholder may ask for online or at a
counter; the list of a policy's requests with their service levels; and the online share (保全E化率).

Every request is a ``ServiceRequest`` row carrying the channel taken from the caller's role (customers and
partners: ``online``; service staff and admins: ``counter``), accepted on receipt with its deadlines from the
Basic Service Rules (accept within 2 working days, finish within 5; Chinese working days), then completed,
rejected or — for a referred underwriting case — left accepted for an underwriter. Audited; the policyholder
gets an SMS on completion. Surrender, cooling-off cancellation and reinstatement are recorded in the same table
by the billing service, and the online share counts them too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import PermissionDenied, invalid
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.policies.common.models import ServiceRequest
from jiabao.policies.rules.calendar import Deadline, SlaKind, add_working_days
from jiabao.policies.rules.servicing import SERVICING_ITEMS, Channel, ServicingItem
from jiabao.policies.rules.servicing import online_share as share_of
from jiabao.policies.servicing.changes import change_beneficiary, change_contact, change_payment_account
from jiabao.policies.servicing.common import channel_of, current_member, load_for_service, received_on
from jiabao.policies.servicing.premiums import add_insured, change_frequency, questionnaire_context, remove_insured
from jiabao.policies.servicing.schemas import (
    AddInsuredIn,
    BeneficiaryChangeIn,
    ContactIn,
    KindShare,
    OnlineShareOut,
    PaymentAccountIn,
    PaymentFrequencyIn,
    RemoveInsuredIn,
    ServiceRequestIn,
    ServiceRequestOut,
)
from jiabao.products.service import ProductEngine
from jiabao.underwriting import views as uw_views
from jiabao.underwriting.engine import KnowledgeBase
from jiabao.underwriting.views import QuestionnaireOut

AGGREGATE_ROLES = frozenset({Role.SERVICE, Role.ADMIN, Role.AUDITOR, Role.ACTUARY})
"""Who may see the online share: aggregate counts only, no personal data."""
FOUR_PLACES = Decimal("0.0001")
KNOWN_KINDS = frozenset(item.value for item in ServicingItem)


def submit(
    ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, policy_id: int, request: ServiceRequestIn
) -> ServiceRequestOut:
    """Record and carry out one servicing request; bad input changes nothing (``InvalidInput``)."""
    channel = channel_of(ctx)
    policy, overview = load_for_service(ctx, policy_id)
    match request:
        case ContactIn():
            row = change_contact(ctx, policy, overview, channel, request)
        case BeneficiaryChangeIn():
            row = change_beneficiary(ctx, policy, overview, channel, request)
        case PaymentAccountIn():
            row = change_payment_account(ctx, policy, overview, channel, request)
        case PaymentFrequencyIn():
            row = change_frequency(ctx, engine, policy, channel, request)
        case AddInsuredIn():
            row = add_insured(ctx, engine, kb, policy, overview, channel, request)
        case RemoveInsuredIn():
            row = remove_insured(ctx, policy, overview, channel, request)
    return _out(row, ctx.clock.today())


def add_member_questionnaire(
    ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, policy_id: int, person_id: int
) -> QuestionnaireOut:
    """The health questions a household member answers to be added to the policy (增加被保险人)."""
    policy, overview = views.load(ctx, policy_id)
    member = current_member(overview, person_id, "person_id")
    qctx = questionnaire_context(engine, policy, member, ctx.clock.today())
    return uw_views.questionnaire(kb, qctx, person_id)


def list_requests(ctx: ServiceContext, policy_id: int) -> list[ServiceRequestOut]:
    """The policy's requests, oldest first, each with its service-level status today."""
    views.load(ctx, policy_id)  # the household's access rules
    stmt = (
        select(ServiceRequest)
        .where(ServiceRequest.policy_id == policy_id)
        .order_by(ServiceRequest.requested_at, ServiceRequest.id)
    )
    today = ctx.clock.today()
    return [_out(row, today) for row in ctx.session.scalars(stmt)]


def _deadline(kind: SlaKind, start: date, due: date) -> Deadline:
    """A stored due date as a ``Deadline`` (due soon from the working day before)."""
    return Deadline(kind, start, due, max(add_working_days(due, -1), start), "Basic Service Rules arts. 19-20")


def _labels(kind: str) -> tuple[str, str]:
    if kind in KNOWN_KINDS:
        rule = SERVICING_ITEMS[ServicingItem(kind)]
        return rule.label_zh, rule.label_en
    return kind, kind


def _out(row: ServiceRequest, today: date) -> ServiceRequestOut:
    start = received_on(row)
    done = row.completed_at.astimezone(CHINA_TZ).date() if row.completed_at else None
    accept = _deadline(SlaKind.SERVICING_ACCEPT, start, row.accept_due)
    complete = _deadline(SlaKind.SERVICING_COMPLETE, start, row.complete_due)
    zh, en = _labels(row.kind)
    return ServiceRequestOut(
        id=row.id,
        policy_id=row.policy_id,
        kind=row.kind,
        label_zh=zh,
        label_en=en,
        channel=row.channel,
        status=row.status,
        requested_at=row.requested_at,
        accept_due=row.accept_due,
        complete_due=row.complete_due,
        completed_at=row.completed_at,
        sla_status=complete.status(today, done_on=done).value,
        accept_sla_status=accept.status(today, done_on=start).value,  # accepted on receipt
        result=row.result,
    )


def _ratio(online: int, total: int) -> Decimal:
    return (Decimal(online) / Decimal(total)).quantize(FOUR_PLACES) if total else Decimal("0.0000")


def online_share(ctx: ServiceContext, *, from_date: date, to_date: date) -> OnlineShareOut:
    """保全E化率 from the recorded channels of every request received in [from_date, to_date] (China dates).

    Every row counts, whatever its kind (surrender, reinstatement and cancellation rows written by billing
    included); a channel other than ``online`` counts as offline. Kinds known to the rules are computed by
    ``rules.servicing.online_share``; any other kind with the same formula (online / total to four places)."""
    if ctx.principal.role not in AGGREGATE_ROLES:
        raise PermissionDenied()
    if to_date < from_date:
        raise invalid("to", "before_from", "结束日期不能早于开始日期", "The end date is before the start date")
    start = datetime.combine(from_date, time(0), CHINA_TZ)
    end = datetime.combine(to_date + timedelta(days=1), time(0), CHINA_TZ)
    stmt = (
        select(ServiceRequest.kind, ServiceRequest.channel, func.count())
        .where(ServiceRequest.requested_at >= start, ServiceRequest.requested_at < end)
        .group_by(ServiceRequest.kind, ServiceRequest.channel)
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, channel, n in ctx.session.execute(stmt):
        counts[kind][0] += n if channel == Channel.ONLINE.value else 0
        counts[kind][1] += n
    known = share_of(
        (ServicingItem(kind), Channel.ONLINE if i < pair[0] else Channel.COUNTER)
        for kind, pair in counts.items()
        if kind in KNOWN_KINDS
        for i in range(pair[1])
    )
    by_kind = {
        kind: KindShare(
            online=pair[0],
            total=pair[1],
            share=known.by_item[ServicingItem(kind)] if kind in KNOWN_KINDS else _ratio(*pair),
        )
        for kind, pair in sorted(counts.items())
    }
    online, total = sum(p[0] for p in counts.values()), sum(p[1] for p in counts.values())
    return OnlineShareOut(
        from_date=from_date, to_date=to_date, online=online, total=total, share=_ratio(online, total), by_kind=by_kind
    )
