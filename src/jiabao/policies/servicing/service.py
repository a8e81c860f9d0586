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
from jiabao.family import proxies as family_proxies
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.common import views
from jiabao.policies.common.models import Policy, ServiceRequest
from jiabao.policies.rules.calendar import Deadline, SlaKind, add_working_days
from jiabao.policies.rules.servicing import SERVICING_ITEMS, Channel, ServicingItem
from jiabao.policies.rules.servicing import online_share as share_of
from jiabao.policies.servicing import alterations, id_correction, loans, payouts, renewal
from jiabao.policies.servicing.changes import change_beneficiary, change_contact, change_payment_account
from jiabao.policies.servicing.common import (
    LIVE,
    channel_of,
    counter_checks,
    current_member,
    load_for_service,
    may_service,
    received_on,
)
from jiabao.policies.servicing.loans import LoanTerms
from jiabao.policies.servicing.premiums import add_insured, change_frequency, questionnaire_context, remove_insured
from jiabao.policies.servicing.schemas import (
    COUNTER_CHECKED,
    AddInsuredIn,
    AddressIn,
    AgeCorrectionIn,
    AutomaticLoanIn,
    BeneficiaryChangeIn,
    ContactIn,
    FamilyChangeOut,
    IdCorrectionDecisionIn,
    IdentityIn,
    IdNumberCorrectionIn,
    KindShare,
    LoanRepaymentIn,
    LossReportIn,
    OccupationIn,
    OnlineShareOut,
    PaidUpIn,
    PaymentAccountIn,
    PaymentFrequencyIn,
    PolicyLoanIn,
    ReduceSumAssuredIn,
    RemoveInsuredIn,
    RenewalIn,
    ReprintIn,
    RescissionIn,
    ServiceRequestIn,
    ServiceRequestOut,
    SkippedPolicy,
    SurvivalConfirmationIn,
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
    ctx: ServiceContext,
    engine: ProductEngine,
    kb: KnowledgeBase,
    policy_id: int,
    request: ServiceRequestIn,
    terms: LoanTerms | None = None,
) -> ServiceRequestOut:
    """Record and carry out one servicing request; bad input changes nothing (``InvalidInput``)."""
    channel = channel_of(ctx)
    if isinstance(request, COUNTER_CHECKED):
        channel = counter_checks(channel, request)
    policy, overview = load_for_service(ctx, policy_id)
    terms = terms or LoanTerms()
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
        case _:
            row = _menu(ctx, engine, policy, overview, channel, request, terms)
    return _out(row, ctx.clock.today())


def submit_family(
    ctx: ServiceContext,
    engine: ProductEngine,
    kb: KnowledgeBase,
    household_id: int,
    request: ContactIn | PaymentAccountIn | AddressIn,
    *,
    holder_person_id: int | None = None,
) -> FamilyChangeOut:
    """Change the address, the mobile or the payment account on every live policy of the family in one request
    (issue 12 item 4): one servicing request per policy, all in this unit of work, so a bad value changes nothing.

    ``holder_person_id`` limits it to the policies one member holds (a mobile is a person's). A customer changes
    the policies they hold and those they act for under a consented proxy; the other adults' contracts are listed
    as skipped (their changes are their own, Insurance Law arts. 20, 41)."""
    family.get_overview(ctx, household_id)  # a household the caller may not see is a 404
    stmt = (
        select(Policy.id, Policy.policy_no, Policy.policyholder_person_id)
        .where(Policy.household_id == household_id, Policy.status.in_(sorted(LIVE)))
        .order_by(Policy.id)
    )
    if holder_person_id is not None:
        stmt = stmt.where(Policy.policyholder_person_id == holder_person_id)
    rows = ctx.session.execute(stmt).all()
    if not rows:
        raise invalid(
            "policies", "none_in_force", "家庭名下没有有效保单可以变更", "The family has no policy in force to change"
        )
    done: list[ServiceRequestOut] = []
    skipped: list[SkippedPolicy] = []
    for policy_id, policy_no, holder in rows:
        if not _may_service(ctx, household_id, holder):
            skipped.append(
                SkippedPolicy(
                    policy_id=policy_id,
                    policy_no=policy_no,
                    reason_zh="该保单的投保人是其他家庭成员，须由其本人或其授权的代办人申请",
                    reason_en="Another member holds this policy: they (or their authorised proxy) must ask",
                )
            )
            continue
        done.append(submit(ctx, engine, kb, policy_id, request))
    if not done:
        raise PermissionDenied("None of these policies is yours to change", "这些保单均须由其投保人本人申请变更")
    return FamilyChangeOut(requests=done, skipped=skipped)


def family_preview(ctx: ServiceContext, household_id: int) -> list[dict[str, object]]:
    """What a family-wide change would touch, for the page before it is sent: every live policy with its holder and
    whether the caller may change it (their own, staff, or under an active servicing proxy) — the same split as
    :func:`submit_family`, worked out without acting (no proxy act is recorded until the request is made)."""
    overview = family.get_overview(ctx, household_id)
    names = {m.person_id: m.name for m in overview.members + overview.former_members}
    stmt = (
        select(Policy.id, Policy.policy_no, Policy.policyholder_person_id, Policy.product_code)
        .where(Policy.household_id == household_id, Policy.status.in_(sorted(LIVE)))
        .order_by(Policy.id)
    )
    acting_for: set[int] = set()
    if ctx.principal.role is Role.CUSTOMER:
        acting_for = {
            p.principal_person_id
            for p in family_proxies.list_for_household(ctx, household_id)
            if p.active and "servicing" in p.scope and p.proxy_person_id == ctx.principal.person_id
        }
    out: list[dict[str, object]] = []
    for policy_id, policy_no, holder, product in ctx.session.execute(stmt):
        mine = ctx.principal.role is not Role.CUSTOMER or holder == ctx.principal.person_id or holder in acting_for
        out.append({"policy_id": policy_id, "policy_no": policy_no, "product_code": product,
                    "holder_person_id": holder, "holder_name": names.get(holder, ""), "changes": mine})  # fmt: skip
    return out


def _may_service(ctx: ServiceContext, household_id: int, holder: int) -> bool:
    try:
        return may_service(ctx, household_id, holder)
    except PermissionDenied:  # a proxy exists but not for servicing or no longer valid: that contract is skipped
        return False


def _menu(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    request: ServiceRequestIn,
    terms: LoanTerms,
) -> ServiceRequest:
    """The items of issue 17 (address … age correction)."""
    match request:
        case AddressIn():
            return alterations.change_address(ctx, policy, overview, channel, request)
        case OccupationIn():
            return alterations.change_occupation(ctx, engine, policy, overview, channel, request)
        case IdentityIn():
            return alterations.correct_identity(ctx, policy, overview, channel, request)
        case ReduceSumAssuredIn():
            return alterations.reduce_sum_assured(ctx, engine, policy, overview, channel, request)
        case PaidUpIn():
            return alterations.reduced_paid_up(ctx, engine, policy, overview, channel, request)
        case PolicyLoanIn():
            return loans.take_loan(ctx, policy, overview, channel, request, terms)
        case LoanRepaymentIn():
            return loans.repay_loan(ctx, policy, overview, channel, request)
        case AutomaticLoanIn():
            return loans.set_automatic_loan(ctx, policy, overview, channel, request, terms)
        case SurvivalConfirmationIn():
            return payouts.confirm_survival(ctx, policy, overview, channel, request)
        case ReprintIn():
            return alterations.reprint(ctx, policy, overview, channel, request)
        case LossReportIn():
            return alterations.report_loss(ctx, policy, overview, channel, request)
        case RescissionIn():
            return alterations.rescind(ctx, policy, overview, channel, request)
        case AgeCorrectionIn():
            return alterations.correct_age(ctx, engine, policy, overview, channel, request)
        case IdNumberCorrectionIn():
            return id_correction.request_correction(ctx, policy, overview, channel, request)
        case RenewalIn():
            return renewal.renew(ctx, engine, policy, overview, channel, request)
    raise AssertionError(f"unhandled servicing kind {request.kind}")


def decide_id_correction(
    ctx: ServiceContext, engine: ProductEngine, request_id: int, data: IdCorrectionDecisionIn
) -> ServiceRequestOut:
    """The back office's decision on an ID-number correction (four eyes; see ``id_correction``)."""
    return _out(id_correction.decide(ctx, engine, request_id, data), ctx.clock.today())


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


def household_requests(
    ctx: ServiceContext, household_id: int, *, limit: int = 50
) -> list[tuple[str, ServiceRequestOut]]:
    """Every request on the household's policies, newest first, with the policy number (issue 17 item 3: the
    family home shows each request and its status). The household's access rules apply."""
    family.get_overview(ctx, household_id)
    stmt = (
        select(Policy.policy_no, ServiceRequest)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(Policy.household_id == household_id)
        .order_by(ServiceRequest.requested_at.desc(), ServiceRequest.id.desc())
        .limit(limit)
    )
    today = ctx.clock.today()
    return [(policy_no, _out(row, today)) for policy_no, row in ctx.session.execute(stmt)]


def _deadline(kind: SlaKind, start: date, due: date) -> Deadline:
    """A stored due date as a ``Deadline`` (due soon from the working day before)."""
    return Deadline(kind, start, due, max(add_working_days(due, -1), start), "Basic Service Rules arts. 19-20")


def _labels(kind: str) -> tuple[str, str]:
    if kind in KNOWN_KINDS:
        rule = SERVICING_ITEMS[ServicingItem(kind)]
        return rule.label_zh, rule.label_en
    return kind, kind


def out(row: ServiceRequest, today: date) -> ServiceRequestOut:
    return _out(row, today)


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
