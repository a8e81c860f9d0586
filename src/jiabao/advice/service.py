"""Advice use cases: declare the financial facts, assess the gaps, recommend a plan, re-assess on life events.

The engine (``advice.engine``) is pure; this service gathers its input from the family account (members),
the policies in force (cover held here and premiums paid) and the declared facts (decrypted here), prices plan
lines with the products' quoting engine, and stores score snapshots. Services validate, write and ``flush``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jiabao.advice import access, repository
from jiabao.advice.engine import (
    Assessment,
    GapKind,
    HouseholdInput,
    KindResult,
    MemberInput,
    Plan,
    load_assumptions,
    recommend,
)
from jiabao.advice.engine import assess as assess_household
from jiabao.advice.models import FinancialFacts, ScoreSnapshot
from jiabao.advice.pricing import QuotePricer
from jiabao.advice.schemas import (
    AdviceEventIn,
    AssessmentOut,
    DebtIn,
    FactsIn,
    FactsOut,
    KindOut,
    MemberAssessmentOut,
    MemberFactsOut,
    PlanLineOut,
    PlanOut,
    ReasonOut,
    ReassessOut,
    SkippedOut,
    SnapshotOut,
)
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.core.money import from_fen, to_fen
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family import service as family
from jiabao.family.enums import LifeEventKind, Relationship
from jiabao.family.schemas import HouseholdOut, LifeEventIn, MemberLeave, MemberOut
from jiabao.notify import Channel, GuardianRequired, MessageContext, MessageKind, Person, render_message
from jiabao.policies.common import views as policies
from jiabao.products.service import ProductEngine

FACTS_COLUMN = "advice_facts.payload"
COUNTED_STATUSES = frozenset({"in_force", "in_grace"})
HOTLINE = "95xxx"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Gathered:
    """Everything the engine needs for one household, and what the snapshot remembers about it."""

    overview: HouseholdOut
    household: HouseholdInput
    budget_share: Decimal | None
    policy_ids: tuple[int, ...]
    minors: tuple[int, ...]


# ---------------------------------------------------------------- facts


def _decrypt(ctx: ServiceContext, row: FinancialFacts | None) -> dict[str, Any]:
    if row is None:
        return {"members": {}, "debts": [], "liquid_assets": 0, "budget_share": None}
    data: dict[str, Any] = json.loads(ctx.cipher.decrypt(FACTS_COLUMN, row.payload_enc))
    return data


def _facts_out(household_id: int, overview: HouseholdOut, data: dict[str, Any], row: FinancialFacts | None) -> FactsOut:
    declared = data["members"]
    members = []
    for m in overview.members:
        d = declared.get(str(m.person_id), {})
        income = d.get("annual_income")
        members.append(
            MemberFactsOut(
                person_id=m.person_id,
                name=m.name,
                annual_income=from_fen(income) if income is not None else None,
                social_insurance=d.get("social_insurance"),
                education_cost=from_fen(d.get("education_cost", 0)),
                cover_elsewhere={GapKind(k): from_fen(v) for k, v in d.get("cover_elsewhere", {}).items()},
                premiums_elsewhere=from_fen(d.get("premiums_elsewhere", 0)),
            )
        )
    share = data.get("budget_share")
    return FactsOut(
        household_id=household_id,
        members=members,
        debts=[DebtIn(kind=d["kind"], outstanding=from_fen(d["outstanding"])) for d in data["debts"]],
        liquid_assets=from_fen(data.get("liquid_assets", 0)),
        budget_share=Decimal(share) if share is not None else None,
        version=row.version if row else 0,
        updated_at=row.updated_at if row else None,
    )


def get_facts(ctx: ServiceContext, household_id: int) -> FactsOut:
    """The declared facts in clear, for the family and its advisers; every read is audited."""
    access.ensure_may_advise(ctx.principal)
    overview = family.get_overview(ctx, household_id)
    row = repository.facts(ctx.session, household_id)
    ctx.audit("advice.facts.read", "household", household_id)
    return _facts_out(household_id, overview, _decrypt(ctx, row), row)


def _mortgage(data: dict[str, Any]) -> int:
    return sum(int(d["outstanding"]) for d in data["debts"] if d["kind"] == "mortgage")


def save_facts(ctx: ServiceContext, engine: ProductEngine, household_id: int, data: FactsIn) -> FactsOut:
    """Declare or replace the facts; the gap is re-assessed at once (a larger mortgage is a ``new_mortgage``)."""
    access.ensure_may_advise(ctx.principal)
    overview = family.get_overview(ctx, household_id)
    members = {m.person_id for m in overview.members}
    problems = [
        FieldProblem(f"members.{i}.person_id", "not_a_member", "此人不是该家庭成员", "Not a member of this household")
        for i, m in enumerate(data.members)
        if m.person_id not in members
    ]
    seen: set[int] = set()
    for i, m in enumerate(data.members):
        if m.person_id in seen:
            problems.append(
                FieldProblem(f"members.{i}.person_id", "duplicate", "同一成员只能填写一次", "Each member only once")
            )
        seen.add(m.person_id)
    if problems:
        raise InvalidInput(fields=tuple(problems))
    row = repository.facts(ctx.session, household_id)
    before = _decrypt(ctx, row)
    payload = {
        "members": {
            str(m.person_id): {
                "annual_income": to_fen(m.annual_income) if m.annual_income is not None else None,
                "social_insurance": m.social_insurance,
                "education_cost": to_fen(m.education_cost),
                "cover_elsewhere": {k.value: to_fen(v) for k, v in m.cover_elsewhere.items()},
                "premiums_elsewhere": to_fen(m.premiums_elsewhere),
            }
            for m in data.members
        },
        "debts": [{"kind": d.kind, "outstanding": to_fen(d.outstanding)} for d in data.debts],
        "liquid_assets": to_fen(data.liquid_assets),
        "budget_share": str(data.budget_share) if data.budget_share is not None else None,
    }
    sealed = ctx.cipher.encrypt(FACTS_COLUMN, json.dumps(payload, sort_keys=True))
    if row is None:
        row = FinancialFacts(household_id=household_id, payload_enc=sealed, version=1, updated_at=ctx.now())
        ctx.session.add(row)
    else:
        row.payload_enc, row.version, row.updated_at = sealed, row.version + 1, ctx.now()
    row.updated_by = ctx.principal.user_id or None
    ctx.session.flush()
    ctx.audit("advice.facts.save", "household", household_id, {"version": row.version})
    trigger = "new_mortgage" if _mortgage(payload) > _mortgage(before) else "facts_changed"
    reassess(ctx, engine, household_id, trigger)
    return _facts_out(household_id, overview, payload, row)


# ---------------------------------------------------------------- engine input


def gather(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> Gathered:
    """Members, cover held here and elsewhere, premiums, debts and assets, as the engine's input."""
    access.ensure_may_advise(ctx.principal)
    overview = family.get_overview(ctx, household_id)
    data = _decrypt(ctx, repository.facts(ctx.session, household_id))
    assumptions = load_assumptions()
    cover: dict[int, dict[GapKind, Decimal]] = {m.person_id: {} for m in overview.members}
    premiums = ZERO
    counted: list[int] = []
    for policy in policies.for_household(ctx, engine, household_id):
        if policy.status not in COUNTED_STATUSES:
            continue
        counted.append(policy.id)
        premiums += policy.annual_premium
        category = engine.catalog.products[policy.product_code].category.value
        for insured in policy.insureds:
            if insured.status != "active" or insured.person_id not in cover:
                continue
            for kind, share in assumptions.cover_mapping.get(category, {}).items():
                held = cover[insured.person_id]
                held[kind] = held.get(kind, ZERO) + insured.sum_assured * share
    members = []
    for m in overview.members:
        d = data["members"].get(str(m.person_id), {})
        held = cover[m.person_id]
        for kind, fen in d.get("cover_elsewhere", {}).items():
            held[GapKind(kind)] = held.get(GapKind(kind), ZERO) + from_fen(fen)
        premiums += from_fen(d.get("premiums_elsewhere", 0))
        income = d.get("annual_income")
        social = d.get("social_insurance")
        members.append(
            MemberInput(
                member_id=str(m.person_id),
                name=m.name,
                age=m.age,
                sex=m.sex.value,
                relationship=m.relationship.value,
                annual_income=from_fen(income) if income is not None else (m.annual_income or ZERO),
                social_insurance=social if social is not None else m.social_insurance,
                retired=m.retired,
                occupation_class=m.occupation_class,
                cover=held,
                education_cost=from_fen(d.get("education_cost", 0)),
            )
        )
    household = HouseholdInput(
        members=tuple(members),
        debts=from_fen(sum(int(x["outstanding"]) for x in data["debts"])),
        liquid_assets=from_fen(data.get("liquid_assets", 0)),
        existing_premiums=premiums,
    )
    declared_share = data.get("budget_share")
    minors = tuple(m.person_id for m in overview.members if m.age < 18)
    budget_share = Decimal(declared_share) if declared_share else None
    return Gathered(overview, household, budget_share, tuple(counted), minors)


def _kind_out(r: KindResult) -> KindOut:
    return KindOut(kind=r.kind, need=r.need, cover=r.cover, gap=r.gap, basis_zh=r.basis.zh, basis_en=r.basis.en)


def _assessment_out(household_id: int, on: date, result: Assessment) -> AssessmentOut:
    return AssessmentOut(
        household_id=household_id,
        as_of=on,
        assumptions_version=result.assumptions_version,
        score=result.score,
        reasons=[
            ReasonOut(
                code=r.code,
                person_id=int(r.member_id) if r.member_id else None,
                kind=r.kind,
                text_zh=r.text.zh,
                text_en=r.text.en,
            )
            for r in result.reasons
        ],
        members=[
            MemberAssessmentOut(
                person_id=int(m.member_id),
                name=m.name,
                age=m.age,
                tier=m.tier,
                kinds=[_kind_out(k) for k in m.kinds.values()],
                total_gap=m.total_gap,
            )
            for m in result.members
        ],
        totals=[_kind_out(k) for k in result.totals.values()],
        total_gap=result.total_gap,
    )


def assessment(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> AssessmentOut:
    """家庭风险评估: need, cover and gap per member and kind, the score and its reasons."""
    g = gather(ctx, engine, household_id)
    ctx.audit("advice.assessment.read", "household", household_id)
    return _assessment_out(household_id, ctx.clock.today(), assess_household(g.household, load_assumptions()))


def _plan(ctx: ServiceContext, engine: ProductEngine, g: Gathered, share: Decimal | None) -> tuple[Assessment, Plan]:
    a = load_assumptions()
    before = assess_household(g.household, a)
    pricer = QuotePricer(engine.catalog, engine.tables, ctx.clock.today(), exact=True)
    plan = recommend(
        g.household,
        a,
        engine.catalog.products,
        pricer,
        budget_share=share if share is not None else g.budget_share,
        assessment=before,
    )
    return before, plan


def plan(ctx: ServiceContext, engine: ProductEngine, household_id: int, budget_share: Decimal | None) -> PlanOut:
    """智能推荐: the plan within the budget (the declared share, or the one given, or 10%)."""
    g = gather(ctx, engine, household_id)
    before, result = _plan(ctx, engine, g, budget_share)
    ctx.audit("advice.plan.read", "household", household_id)
    return PlanOut(
        household_id=household_id,
        as_of=ctx.clock.today(),
        assumptions_version=result.assumptions_version,
        budget_share=result.budget_share,
        budget=result.budget,
        existing_premiums=g.household.existing_premiums,
        total_premium=result.total_premium,
        score_before=before.score,
        score_after=result.after.score,
        gap_before=before.total_gap,
        gap_after=result.after.total_gap,
        lines=[
            PlanLineOut(
                person_id=int(x.member_id),
                name=x.member_name,
                kind=x.kind,
                product_code=x.product_code,
                product_name_zh=x.product_name_zh,
                product_name_en=x.product_name_en,
                sum_assured=x.sum_assured,
                coverage=x.coverage,
                payment_term=x.payment_term,
                payout_age=x.payout_age,
                annual_premium=x.annual_premium,
                gap_before=x.gap_before,
                closes=x.closes,
                why_zh=x.why.zh,
                why_en=x.why.en,
            )
            for x in result.lines
        ],
        skipped=[
            SkippedOut(
                person_id=int(s.member_id),
                name=s.member_name,
                kind=s.kind,
                gap=s.gap,
                code=s.code,
                text_zh=s.text.zh,
                text_en=s.text.en,
            )
            for s in result.skipped
        ],
    )


# ---------------------------------------------------------------- dynamic adjustment


def _snapshot_out(s: ScoreSnapshot) -> SnapshotOut:
    return SnapshotOut(
        id=s.id,
        computed_at=s.computed_at,
        as_of=s.as_of,
        trigger=s.trigger,
        score=s.score,
        assumptions_version=s.assumptions_version,
        total_gap=s.total_gap,
        widened=s.widened,
        message_queued=s.message_queued,
    )


def _seen_event(ctx: ServiceContext, household_id: int) -> int:
    return max((e.id for e in family.timeline(ctx, household_id)), default=0)


def reassess(ctx: ServiceContext, engine: ProductEngine, household_id: int, trigger: str) -> ReassessOut:
    """Re-compute the gap, store a score snapshot and, where a gap widened, queue a message with the suggestion."""
    g = gather(ctx, engine, household_id)
    before = assess_household(g.household, load_assumptions())
    previous = repository.latest_snapshot(ctx.session, household_id)
    by_kind = {k.value: to_fen(r.gap) for k, r in before.totals.items()}
    increase = ZERO
    if previous is not None:
        old = previous.gaps.get("by_kind", {})
        increase = sum((from_fen(max(0, fen - int(old.get(k, 0)))) for k, fen in by_kind.items()), ZERO)
    widened = increase > 0
    queued = _queue_message(ctx, g.overview, increase, _plan(ctx, engine, g, None)[1]) if widened else False
    snapshot = ScoreSnapshot(
        household_id=household_id,
        computed_at=ctx.now(),
        as_of=ctx.clock.today(),
        trigger=trigger if previous is not None else ("first" if trigger == "manual" else trigger),
        score=before.score,
        assumptions_version=before.assumptions_version,
        total_need=sum((r.need for r in before.totals.values()), ZERO),
        total_gap=before.total_gap,
        gaps={
            "by_kind": by_kind,
            "reasons": [r.code for r in before.reasons],
            "seen_event_id": _seen_event(ctx, household_id),
            "policies": list(g.policy_ids),
            "minors": list(g.minors),
        },
        widened=widened,
        message_queued=queued,
    )
    ctx.session.add(snapshot)
    ctx.session.flush()
    ctx.audit("advice.reassess", "household", household_id, {"trigger": trigger, "score": before.score})
    return ReassessOut(
        snapshot=_snapshot_out(snapshot),
        previous_score=previous.score if previous else None,
        previous_gap=previous.total_gap if previous else None,
    )


def _queue_message(ctx: ServiceContext, overview: HouseholdOut, increase: Decimal, result: Plan) -> bool:
    """The head is told by SMS (notify templates, age-appropriate greeting); the suggestion rides in the payload."""
    head = next((m for m in overview.members if m.relationship is Relationship.SELF), None)
    if head is None:
        return False
    context = MessageContext(
        recipient=_person(head),
        policy_number=overview.account_no,
        product_name_zh="家庭保障建议",
        product_name_en="family protection advice",
        hotline=ctx.hotline,
        link=ctx.link(f"/households/{overview.id}/protection"),
        amount=increase.quantize(Decimal("0.01")),
    )
    try:
        message = render_message(MessageKind.PROTECTION_GAP_WIDENED, Channel.SMS, context, language="zh")
    except GuardianRequired:
        return False
    enqueue(
        ctx.session,
        topic=Channel.SMS.value,
        at=ctx.now(),
        payload={
            "kind": MessageKind.PROTECTION_GAP_WIDENED.value,
            "person_id": head.person_id,
            "household_id": overview.id,
            "subject": message.subject,
            "body": message.body,
            "suggestion": [line.why.zh for line in result.lines[:3]],
        },
    )
    return True


def _person(member: MemberOut) -> Person:
    return Person(
        surname=member.name[0], given_name=member.name[1:] or member.name, age=member.age, sex=member.sex.value
    )


def history(ctx: ServiceContext, household_id: int, limit: int = 100) -> list[SnapshotOut]:
    """The household's score over time (oldest first)."""
    access.ensure_may_advise(ctx.principal)
    family.get_overview(ctx, household_id)
    return [_snapshot_out(s) for s in repository.snapshots(ctx.session, household_id, limit)]


def latest_snapshots(ctx: ServiceContext, household_ids: list[int]) -> dict[int, SnapshotOut]:
    """Each household's latest score and gap (households never assessed are absent). For callers that have
    already established the caller may see these households (the partner network's API: its own and its
    downline's served households); the score and gap carry no personal data."""
    out: dict[int, SnapshotOut] = {}
    for household_id in household_ids:
        last = repository.snapshots(ctx.session, household_id, 1)
        if last:
            out[household_id] = _snapshot_out(last[0])
    return out


def record_event(ctx: ServiceContext, engine: ProductEngine, household_id: int, data: AdviceEventIn) -> ReassessOut:
    """A life event on the household timeline, then an immediate re-assessment (动态调整).

    Death and a child leaving home end the membership (family ``leave``); the others are timeline entries
    (retirement also marks the member retired)."""
    access.ensure_may_advise(ctx.principal)
    if data.occurred_on > ctx.clock.today():
        raise InvalidInput(
            fields=(
                FieldProblem("occurred_on", "date_in_future", "日期不能晚于今天", "The date cannot be in the future"),
            )
        )
    overview = family.get_overview(ctx, household_id)
    if data.kind in (LifeEventKind.DEATH, LifeEventKind.CHILD_LEAVES_HOME):
        member = next((m for m in overview.members if m.person_id == data.person_id), None)
        if member is None:
            raise InvalidInput(
                fields=(FieldProblem("person_id", "not_a_member", "此人不是该家庭成员", "This person is not a member"),)
            )
        family.leave(ctx, member.member_id, MemberLeave(left_on=data.occurred_on, reason=data.kind))
    else:
        family.record_event(
            ctx, household_id, LifeEventIn(kind=data.kind, occurred_on=data.occurred_on, person_id=data.person_id)
        )
    return reassess(ctx, engine, household_id, data.kind.value)


def due_trigger(ctx: ServiceContext, engine: ProductEngine, household_id: int) -> str | None:
    """What changed since the last snapshot: a new timeline event, a policy that ended, a child turned 18."""
    last = repository.latest_snapshot(ctx.session, household_id)
    if last is None:
        return "first"
    seen = int(last.gaps.get("seen_event_id", 0))
    events = [e for e in family.timeline(ctx, household_id) if e.id > seen]
    if events:
        return events[-1].kind.value
    counted = {p.id for p in policies.for_household(ctx, engine, household_id) if p.status in COUNTED_STATUSES}
    if set(last.gaps.get("policies", [])) - counted:
        return "policy_ended"
    overview = family.get_overview(ctx, household_id)
    ages = {m.person_id: m.age for m in overview.members}
    if any(ages.get(pid, 0) >= 18 for pid in last.gaps.get("minors", [])):
        return "child_adult"
    return None


@dataclass(frozen=True)
class JobPage:
    households: int
    reassessed: int
    messages: int
    last_id: int


def reassess_due(ctx: ServiceContext, engine: ProductEngine, *, after_id: int, limit: int) -> JobPage:
    """The daily job over one page of assessed households (ids after ``after_id``)."""
    ids = repository.assessed_households(ctx.session, after_id, limit)
    done = messages = 0
    for household_id in ids:
        trigger = due_trigger(ctx, engine, household_id)
        if trigger is None:
            continue
        out = reassess(ctx, engine, household_id, trigger)
        done += 1
        messages += int(out.snapshot.message_queued)
    return JobPage(len(ids), done, messages, ids[-1] if ids else after_id)


def to_family_application(
    ctx: ServiceContext,
    engine: ProductEngine,
    household_id: int,
    budget_share: Decimal | None,
    frequency: str = "annual",
) -> int:
    """One click: the plan becomes ONE family application (issue 12 item 3). Lines of the same product, term and
    cover period are one product application for those members (a policy insures up to 7 family members); a
    pension line (paid from an age) is left to an adviser, as on the plan. ``frequency`` (e.g. monthly) is used for
    every product that offers it, annual for the others. Returns the family application's id."""
    from jiabao.policies.application import family as family_application
    from jiabao.policies.application.schemas import ApplicationIn, InsuredIn
    from jiabao.products.schema import Frequency

    result = plan(ctx, engine, household_id, budget_share)
    groups: dict[tuple[str, int | None, int], list[InsuredIn]] = {}
    for line in result.lines:
        if line.payout_age is not None:
            continue
        group = groups.setdefault((line.product_code, line.coverage, line.payment_term), [])
        if len(group) < 7 and all(i.person_id != line.person_id for i in group):
            group.append(InsuredIn(person_id=line.person_id, sum_assured=line.sum_assured))
    if not groups:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "plan", "empty", "保障规划中没有可在线投保的项目", "The plan has no line to apply for online"
                ),
            )
        )
    wanted = Frequency(frequency) if frequency in {f.value for f in Frequency} else Frequency.ANNUAL

    def offered(code: str) -> Frequency:
        return wanted if wanted in engine.catalog.products[code].payment.frequencies else Frequency.ANNUAL

    lines = [
        ApplicationIn(
            product_code=code, insureds=insureds, coverage=coverage, payment_term=term, frequency=offered(code)
        )
        for (code, coverage, term), insureds in groups.items()
    ]
    created = family_application.start(ctx, engine, household_id, lines, source="advice_plan")
    ctx.audit("advice.plan.to_application", "household", household_id, {"family_application_id": created.id})
    return created.id
