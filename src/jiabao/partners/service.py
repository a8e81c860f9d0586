"""Partner use cases: enrolment (by staff, or a team/regional partner adding partners under itself), licences,
moves in the hierarchy, the sale check and attribution, and a partner's departure with its orphan policies
(孤儿单) reassigned and the policyholders told. Services validate first, then write and ``flush()``."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select, update

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied, invalid
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family.models import Household
from jiabao.identity import service as identity
from jiabao.partners.engine import eligibility
from jiabao.partners.engine.eligibility import PartnerFacts
from jiabao.partners.engine.hierarchy import Membership as Dated
from jiabao.partners.engine.hierarchy import overlapping
from jiabao.partners.models import Attribution, Licence, Membership, Partner
from jiabao.partners.schemas import CHANNELS, REGIONS, LeaveIn, LicenceIn, MoveIn, PartnerIn, PartnerOut
from jiabao.policies.common.models import Policy

MAY_ADD = {"team": ("individual",), "regional": ("team", "individual")}
PARENT_KINDS = {
    "individual": ("team", "regional"),
    "team": ("regional",),
    "institutional": ("regional",),
    "regional": (),
}
LIVE = ("in_force", "in_grace", "suspended")


def of_user(ctx: ServiceContext, user_id: int) -> Partner | None:
    return ctx.session.scalars(select(Partner).where(Partner.user_id == user_id)).first()


def current(ctx: ServiceContext) -> Partner:
    """The calling partner (403 for anyone who is not one)."""
    partner = of_user(ctx, ctx.principal.user_id) if ctx.principal.role == Role.PARTNER else None
    if partner is None:
        raise PermissionDenied(
            "Only partners have a partner portal", "只有合伙人可以使用合伙人页面", code="not_a_partner"
        )
    return partner


def get(ctx: ServiceContext, partner_id: int) -> Partner:
    partner = ctx.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    return partner


def parent_of(ctx: ServiceContext, partner_id: int, on: date) -> int | None:
    rows = ctx.session.scalars(select(Membership).where(Membership.partner_id == partner_id)).all()
    for m in rows:
        if m.valid_from <= on and (m.valid_to is None or on < m.valid_to):
            return m.parent_id
    return None


def team_of(ctx: ServiceContext, partner_id: int, on: date) -> list[Partner]:
    """The partners directly under this one on that date."""
    stmt = (
        select(Partner)
        .join(Membership, Membership.partner_id == Partner.id)
        .where(
            Membership.parent_id == partner_id,
            Membership.valid_from <= on,
            or_(Membership.valid_to.is_(None), Membership.valid_to > on),
        )
        .order_by(Partner.id)
    )
    return list(ctx.session.scalars(stmt))


def out(ctx: ServiceContext, partner: Partner) -> PartnerOut:
    return PartnerOut(
        id=partner.id,
        user_id=partner.user_id,
        kind=partner.kind,
        name=partner.name,
        status=partner.status,
        parent_id=parent_of(ctx, partner.id, ctx.clock.today()),
        products=partner.products,
        channels=partner.channels,
        regions=partner.regions,
        under_review=list(partner.review.get("reasons", [])),
    )


def _check_lists(data: PartnerIn, product_codes: set[str]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for p in data.products:
        if p != "*" and p not in product_codes:
            problems.append(FieldProblem("products", "unknown_product", f"没有这个产品：{p}", f"No such product: {p}"))
    for c in data.channels:
        if c != "*" and c not in CHANNELS:
            problems.append(FieldProblem("channels", "unknown_channel", f"没有这个渠道：{c}", f"No such channel: {c}"))
    for r in data.regions:
        if r != "*" and r not in REGIONS:
            problems.append(FieldProblem("regions", "unknown_region", f"没有这个区域：{r}", f"No such region: {r}"))
    if data.kind == "institutional" and data.institution_type is None:
        problems.append(
            FieldProblem(
                "institution_type", "required", "请选择机构类型（银行或互联网平台）", "Choose bank or internet platform"
            )
        )
    return problems


def create(ctx: ServiceContext, data: PartnerIn, *, product_codes: set[str]) -> Partner:
    """Enrol a partner with its log-in. Staff (admin) may enrol any kind anywhere; a team partner may add
    individuals under itself, a regional partner teams and individuals under itself."""
    today = ctx.clock.today()
    parent_id = data.parent_id
    if ctx.principal.role == Role.PARTNER:
        me = current(ctx)
        if data.kind not in MAY_ADD.get(me.kind, ()):
            raise PermissionDenied(
                "You may not add this kind of partner", "您不能添加此类合伙人", code="kind_not_allowed"
            )
        if parent_id not in (None, me.id):
            raise invalid(
                "parent_id", "not_yours", "只能把合伙人加入自己的团队", "You may add partners only under yourself"
            )
        parent_id = me.id
    elif ctx.principal.role != Role.ADMIN:
        raise PermissionDenied()
    problems = _check_lists(data, product_codes)
    parent = ctx.session.get(Partner, parent_id) if parent_id is not None else None
    if parent_id is not None and (
        parent is None or parent.kind not in PARENT_KINDS[data.kind] or parent.status != "active"
    ):
        problems.append(
            FieldProblem(
                "parent_id",
                "bad_parent",
                "上级须为在职的团队或区域合伙人",
                "The parent must be an active team or regional partner",
            )
        )
    for i, lic in enumerate(data.licences):
        if lic.valid_to is not None and lic.valid_to < lic.valid_from:
            problems.append(
                FieldProblem(f"licences.{i}.valid_to", "before_start", "到期日早于生效日", "Ends before it starts")
            )
    if problems:
        raise InvalidInput(fields=tuple(problems))
    user = identity.create_user(
        ctx.session,
        username=data.username,
        password=data.password,
        role=Role.PARTNER,
        display_name=data.name,
        now=ctx.now(),
    )
    partner = Partner(
        user_id=user.id,
        kind=data.kind,
        institution_type=data.institution_type,
        name=data.name,
        status="active",
        products=sorted(set(data.products)),
        channels=sorted(set(data.channels)),
        regions=sorted(set(data.regions)),
        joined_on=data.joined_on or today,
        review={},
        created_at=ctx.now(),
        created_by=ctx.principal.user_id or None,
    )
    ctx.session.add(partner)
    ctx.session.flush()
    if parent_id is not None:
        ctx.session.add(Membership(partner_id=partner.id, parent_id=parent_id, valid_from=partner.joined_on))
    for lic in data.licences:
        _add_licence(ctx, partner, lic)
    ctx.session.flush()
    ctx.audit("partner.create", "partner", partner.id, {"kind": data.kind, "parent_id": parent_id})
    return partner


def _add_licence(ctx: ServiceContext, partner: Partner, data: LicenceIn) -> Licence:
    row = Licence(
        partner_id=partner.id,
        kind=data.kind,
        number=data.number,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        products=sorted(data.products) if data.products is not None else None,
    )
    ctx.session.add(row)
    return row


def _admin(ctx: ServiceContext) -> None:
    if ctx.principal.role != Role.ADMIN:
        raise PermissionDenied()


def add_licence(ctx: ServiceContext, partner_id: int, data: LicenceIn) -> Licence:
    _admin(ctx)
    partner = get(ctx, partner_id)
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise invalid("valid_to", "before_start", "到期日早于生效日", "Ends before it starts")
    row = _add_licence(ctx, partner, data)
    ctx.session.flush()
    ctx.audit("partner.licence", "partner", partner.id, {"kind": data.kind, "licence_id": row.id})
    return row


def move(ctx: ServiceContext, partner_id: int, data: MoveIn) -> None:
    """Move a partner to another team or region from a date: the current membership ends that day (exclusive)
    and the new one starts, so overrides follow the date of each premium."""
    _admin(ctx)
    partner = get(ctx, partner_id)
    parent = ctx.session.get(Partner, data.parent_id)
    if parent is None or parent.kind not in PARENT_KINDS[partner.kind] or parent.status != "active":
        raise invalid(
            "parent_id",
            "bad_parent",
            "上级须为在职的团队或区域合伙人",
            "The parent must be an active team or regional partner",
        )
    rows = list(ctx.session.scalars(select(Membership).where(Membership.partner_id == partner.id)))
    for m in rows:
        if m.valid_from >= data.on:
            raise invalid("on", "before_last_move", "变动日期须晚于上次变动", "The date must follow the last change")
    for m in rows:
        if m.valid_to is None or m.valid_to > data.on:
            m.valid_to = data.on
    new = Dated(partner.id, parent.id, data.on)
    if overlapping([Dated(m.partner_id, m.parent_id, m.valid_from, m.valid_to) for m in rows], new):
        raise Conflict("Overlapping membership", "团队归属时间重叠", code="membership_overlap")  # pragma: no cover
    ctx.session.add(Membership(partner_id=partner.id, parent_id=parent.id, valid_from=data.on))
    ctx.session.flush()
    ctx.audit("partner.move", "partner", partner.id, {"parent_id": parent.id, "on": data.on.isoformat()})


def facts(ctx: ServiceContext, partner: Partner) -> PartnerFacts:
    licences = ctx.session.scalars(select(Licence).where(Licence.partner_id == partner.id)).all()
    return PartnerFacts(
        partner.id,
        partner.kind,
        partner.status,
        frozenset(partner.products),
        frozenset(partner.channels),
        frozenset(partner.regions),
        tuple(
            eligibility.Licence(
                lic.kind,
                lic.number,
                lic.valid_from,
                lic.valid_to,
                lic.revoked_on,
                frozenset(lic.products) if lic.products is not None else None,
            )
            for lic in licences
        ),
    )


def check_sale(ctx: ServiceContext, *, household_id: int, product_code: str, channel: str) -> Partner | None:
    """Refuse a sale by the calling partner without a valid registration or authorisation for this product,
    channel and region (409 for the partner's standing, 422 on the field otherwise). Returns the partner (None:
    the caller is not a network partner)."""
    if ctx.principal.role != Role.PARTNER:
        return None
    partner = of_user(ctx, ctx.principal.user_id)
    if partner is None:
        return None
    household = ctx.session.get(Household, household_id)
    region = household.region if household is not None else None
    refusals = eligibility.sale_refusals(
        facts(ctx, partner), product_code=product_code, channel=channel, region=region, on=ctx.clock.today()
    )
    if not refusals:
        return partner
    fields = tuple(FieldProblem(r.field, r.code, r.message_zh, r.message_en) for r in refusals)
    first = refusals[0]
    if first.status == 409:
        raise Conflict(first.message_en, first.message_zh, code=first.code, fields=fields)
    raise InvalidInput(fields=fields)


def attribute(
    ctx: ServiceContext, subject: str, subject_id: int, household_id: int, *, selling: int | None, servicing: int | None
) -> Attribution:
    """Record (or update the servicing partner of) who sold and who services a subject."""
    row = ctx.session.scalars(
        select(Attribution).where(Attribution.subject == subject, Attribution.subject_id == subject_id)
    ).first()
    if row is None:
        row = Attribution(
            subject=subject,
            subject_id=subject_id,
            household_id=household_id,
            selling_partner_id=selling,
            servicing_partner_id=servicing,
            recorded_at=ctx.now(),
        )
        ctx.session.add(row)
    else:
        row.servicing_partner_id = servicing
    ctx.session.flush()
    return row


def on_application_started(
    ctx: ServiceContext, *, application_id: int, household_id: int, product_code: str, channel: str
) -> None:
    """The one call the application flow makes: check the calling partner may sell, then record it as the seller
    and servicer of the application (and, through it, of the policy issued from it)."""
    partner = check_sale(ctx, household_id=household_id, product_code=product_code, channel=channel)
    if partner is not None:
        attribute(ctx, "application", application_id, household_id, selling=partner.id, servicing=partner.id)


def on_service_request(ctx: ServiceContext, *, request_id: int, policy_id: int, household_id: int) -> None:
    """A servicing request records the partner who made it (when a partner did) and the policy's servicer."""
    made_by = of_user(ctx, ctx.principal.user_id) if ctx.principal.role == Role.PARTNER else None
    servicer = servicing_partner_of_policy(ctx, policy_id)
    if made_by is not None or servicer is not None:
        attribute(
            ctx,
            "service_request",
            request_id,
            household_id,
            selling=made_by.id if made_by else None,
            servicing=servicer,
        )


def servicing_partner_of_policy(ctx: ServiceContext, policy_id: int) -> int | None:
    policy = ctx.session.get(Policy, policy_id)
    if policy is None:
        return None
    for subject, sid in (("policy", policy.id), ("application", policy.application_id)):
        row = ctx.session.scalars(
            select(Attribution).where(Attribution.subject == subject, Attribution.subject_id == sid)
        ).first()
        if row is not None:
            return row.servicing_partner_id
    return None


def orphan_policies(ctx: ServiceContext, partner_id: int) -> list[Policy]:
    """Live policies this partner services (its own attribution, else the application's)."""
    by_policy = select(Attribution.subject_id).where(
        Attribution.subject == "policy", Attribution.servicing_partner_id == partner_id
    )
    reassigned = select(Attribution.subject_id).where(Attribution.subject == "policy")
    by_app = select(Attribution.subject_id).where(
        Attribution.subject == "application", Attribution.servicing_partner_id == partner_id
    )
    stmt = (
        select(Policy)
        .where(
            Policy.status.in_(LIVE),
            or_(Policy.id.in_(by_policy), and_(Policy.application_id.in_(by_app), Policy.id.not_in(reassigned))),
        )
        .order_by(Policy.id)
    )
    return list(ctx.session.scalars(stmt))


def leave(ctx: ServiceContext, partner_id: int, data: LeaveIn) -> int:
    """A partner leaves: it stops selling, its memberships end, its live policies (孤儿单) and households pass to a
    licensed successor, and each policyholder is told who serves them now (outbox). Returns the policies moved.

    Rule: 保险代理人监管规定 art. 50 / 人身保险业务经营规范: the insurer arranges continued service of the orphan
    policies of a departed agent and informs the policyholders."""
    _admin(ctx)
    partner = get(ctx, partner_id)
    if partner.status == "left":
        raise Conflict("The partner has already left", "该合伙人已离开", code="partner_left")
    successor = ctx.session.get(Partner, data.successor_id)
    today = ctx.clock.today()
    if successor is None or successor.id == partner.id or successor.status != "active":
        raise invalid(
            "successor_id", "bad_successor", "请选择一位在职的合伙人接续服务", "Choose an active partner to take over"
        )
    standing = [
        r
        for r in eligibility.sale_refusals(facts(ctx, successor), product_code="*", channel="*", region="*", on=today)
        if r.field == "partner" and r.status == 409
    ]
    if standing:
        raise invalid("successor_id", standing[0].code, standing[0].message_zh, standing[0].message_en)
    moved = orphan_policies(ctx, partner.id)
    for policy in moved:
        sold = _seller(ctx, policy)
        attribute(ctx, "policy", policy.id, policy.household_id, selling=sold, servicing=successor.id)
        enqueue(
            ctx.session,
            topic="sms",
            at=ctx.now(),
            payload={
                "kind": "partner_reassigned",
                "person_id": policy.policyholder_person_id,
                "policy_no": policy.policy_no,
                "subject": "服务人员变更",
                "body": f"【家保】您好！您的保单{policy.policy_no}今后由{successor.name}为您提供服务。"
                "如有疑问，请致电95xxx。",
            },
        )
    result: Any = ctx.session.execute(
        update(Household).where(Household.partner_id == partner.user_id).values(partner_id=successor.user_id)
    )
    households = int(result.rowcount or 0)
    partner.status, partner.left_on = "left", data.on
    for m in ctx.session.scalars(
        select(Membership).where(or_(Membership.partner_id == partner.id, Membership.parent_id == partner.id))
    ):
        if m.valid_to is None or m.valid_to > data.on:
            m.valid_to = max(data.on, m.valid_from)
    ctx.session.flush()
    ctx.audit(
        "partner.leave",
        "partner",
        partner.id,
        {"successor_id": successor.id, "policies": len(moved), "households": households},
    )
    return len(moved)


def _seller(ctx: ServiceContext, policy: Policy) -> int | None:
    for subject, sid in (("policy", policy.id), ("application", policy.application_id)):
        row = ctx.session.scalars(
            select(Attribution).where(Attribution.subject == subject, Attribution.subject_id == sid)
        ).first()
        if row is not None:
            return row.selling_partner_id
    return None
