"""The monthly commission computation (月度佣金计算), pure and deterministic.

Input: the month's premium events (premiums received, cooling-off cancellations, surrenders, rescissions), the
hierarchy, the approved plans, what earlier months posted per policy (for clawbacks) and per partner (tax year to
date, a negative balance brought forward), and quality facts. Output: the lines each partner is owed for the
month, sorted, so the same input always gives the same lines — the service compares them with what is already
posted and writes only the differences, as adjustments.

Rules:
- The plan a policy was sold under (in force on its effective date) pays its commissions and overrides; the
  clawback shares are those of that plan too.
- Own commission: rate(product, payment term, policy year) × premium received; year 1 is first-year (首年佣金),
  later years renewal (续期佣金).
- A plan pays only on the products and payment terms it lists rates for (the ones the 报行合一 check covers): a
  premium of any other product earns no commission, override or persistency bonus under it.
- Overrides (管理津贴): the nearest team and the nearest regional partner above the seller **on the date the premium
  was received** (a move mid-month changes who is paid from that day), rate × premium.
- Persistency bonus (继续率奖金): on the first premium of policy year 2 (13th month) and year 3 (25th month), the
  plan's rate × the first-year annual premium, to the seller.
- Quality bonus (品质奖金): the plan's rate × the partner's own commission of the month, when the partner had no more
  complaints than allowed in the last 12 months and an early-claim share within the limit.
- Clawback (佣金追回): a cooling-off cancellation, a surrender within the plan's months of the effective date, or a
  rescission takes back the plan's share of every commission, override and persistency bonus paid on the policy,
  from whoever received it.
- Tax: the plan's withholding rule on the partner's month (``tax.py``); a negative month is carried forward.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jiabao.partners.engine import tax as taxes
from jiabao.partners.engine.hierarchy import Hierarchy, nearest_of_kind
from jiabao.partners.engine.plans import Plan, in_force

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
POLICY_KINDS = ("first_year", "renewal", "override", "persistency_13", "persistency_25")
TERMINATIONS = ("cooling_off", "surrender", "rescission")


def money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class PremiumEvent:
    """One premium event of the month (see ``partners.sources.premium_events``)."""

    ref: str  # payment:<id> or end:<policy id>
    kind: str  # premium | cooling_off | surrender | rescission
    policy_id: int
    seller_id: int | None
    product_code: str
    payment_term: int
    policy_year: int
    first_of_year: bool
    annual_premium: Decimal
    amount: Decimal
    on: date
    effective_date: date


@dataclass(frozen=True, slots=True)
class Line:
    partner_id: int
    policy_id: int | None
    ref: str
    kind: str
    base: Decimal
    rate: Decimal
    amount: Decimal

    @property
    def key(self) -> tuple[int, int, str, str]:
        return (self.partner_id, self.policy_id or 0, self.ref, self.kind)


@dataclass(frozen=True, slots=True)
class QualityFacts:
    complaints_12m: int = 0
    early_claim_share: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class YearToDate:
    gross: Decimal = ZERO
    tax: Decimal = ZERO
    months: int = 0  # earlier months of the tax year the partner was paid in
    brought_forward: Decimal = ZERO  # a negative net carried from the previous month


@dataclass(frozen=True, slots=True)
class RunInput:
    month_start: date
    month_end: date  # last day
    events: Sequence[PremiumEvent]
    plans: Sequence[Plan]
    hierarchy: Hierarchy
    kinds: Mapping[int, str]  # partner id → kind
    posted: Mapping[int, Sequence[Line]] = field(default_factory=dict)  # policy id → lines of earlier months
    quality: Mapping[int, QualityFacts] = field(default_factory=dict)
    year_to_date: Mapping[int, YearToDate] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Statement:
    partner_id: int
    gross: Decimal
    tax: Decimal
    brought_forward: Decimal
    net: Decimal  # payable when positive; a negative net is carried forward

    @property
    def payable(self) -> Decimal:
        return max(ZERO, self.net)


@dataclass(frozen=True, slots=True)
class RunResult:
    lines: list[Line]
    statements: dict[int, Statement]


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _premium_lines(ev: PremiumEvent, plan: Plan, inp: RunInput) -> list[Line]:
    out: list[Line] = []
    if ev.seller_id is None or not plan.covers(ev.product_code, ev.payment_term):
        return out  # a product or term the plan does not list pays nothing: no override or bonus past 报行合一
    rate = plan.rate(ev.product_code, ev.payment_term, ev.policy_year)
    kind = "first_year" if ev.policy_year == 1 else "renewal"
    if rate:
        out.append(Line(ev.seller_id, ev.policy_id, ev.ref, kind, ev.amount, rate, money(ev.amount * rate)))
    above = nearest_of_kind(inp.hierarchy.upline(ev.seller_id, ev.on), inp.kinds)
    for upline_kind in sorted(plan.overrides):
        receiver = above.get(upline_kind)
        o_rate = plan.override(upline_kind, ev.policy_year)
        if receiver is not None and o_rate:
            out.append(Line(receiver, ev.policy_id, ev.ref, "override", ev.amount, o_rate, money(ev.amount * o_rate)))
    bonus_month = {2: 13, 3: 25}.get(ev.policy_year)
    if ev.first_of_year and bonus_month in plan.persistency:
        b_rate = plan.persistency[bonus_month]  # type: ignore[index]
        base = ev.annual_premium
        out.append(
            Line(ev.seller_id, ev.policy_id, ev.ref, f"persistency_{bonus_month}", base, b_rate, money(base * b_rate))
        )
    return out


def _clawback_share(ev: PremiumEvent, plan: Plan) -> Decimal:
    if ev.kind == "cooling_off":
        return plan.clawback.cooling_off
    if ev.kind == "rescission":
        return plan.clawback.rescission
    if ev.kind == "surrender" and _months_between(ev.effective_date, ev.on) < plan.clawback.surrender_months:
        return plan.clawback.surrender
    return ZERO


def compute(inp: RunInput) -> RunResult:
    """The month's lines and statements (deterministic: events are processed in a fixed order)."""
    lines = policy_lines(inp)
    own, gross = totals(lines)
    more, statements = partner_lines(inp, own, gross)
    lines += more
    lines.sort(key=lambda ln: ln.key)
    return RunResult(lines, statements)


def policy_lines(inp: RunInput) -> list[Line]:
    """The lines of each policy: commissions, overrides, persistency bonuses and clawbacks. They depend only on
    the policy's own events and earlier lines (and the hierarchy, the plans), so the run can compute them a shard
    of sellers at a time."""
    lines: list[Line] = []
    by_policy: dict[int, list[Line]] = defaultdict(list)
    events = sorted(inp.events, key=lambda e: (e.on, e.kind != "premium", e.policy_id, e.ref))
    for ev in events:
        plan = in_force(inp.plans, ev.effective_date)
        if plan is None:
            continue
        if ev.kind == "premium":
            new = _premium_lines(ev, plan, inp)
            lines += new
            by_policy[ev.policy_id] += new
            continue
        share = _clawback_share(ev, plan)
        if not share:
            continue
        paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in [*inp.posted.get(ev.policy_id, ()), *by_policy[ev.policy_id]]:
            if line.kind in POLICY_KINDS or line.kind == "clawback":
                paid[line.partner_id] += line.amount
        for partner_id in sorted(paid):
            if paid[partner_id] > 0:
                amount = -money(paid[partner_id] * share)
                line = Line(partner_id, ev.policy_id, ev.ref, "clawback", paid[partner_id], share, amount)
                lines.append(line)
                by_policy[ev.policy_id].append(line)
    lines.sort(key=lambda ln: ln.key)
    return lines


def totals(lines: Sequence[Line]) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Per partner: own commission (first-year and renewal) and the gross of the lines."""
    own: dict[int, Decimal] = defaultdict(lambda: ZERO)
    gross: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        gross[line.partner_id] += line.amount
        if line.kind in ("first_year", "renewal"):
            own[line.partner_id] += line.amount
    return dict(own), dict(gross)


def add_totals(
    a: tuple[dict[int, Decimal], dict[int, Decimal]], b: tuple[dict[int, Decimal], dict[int, Decimal]]
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Two shards' :func:`totals` added (exact: Decimal sums of money)."""
    own, gross = dict(a[0]), dict(a[1])
    for pid, amount in b[0].items():
        own[pid] = own.get(pid, ZERO) + amount
    for pid, amount in b[1].items():
        gross[pid] = gross.get(pid, ZERO) + amount
    return own, gross


def partner_lines(
    inp: RunInput, own: Mapping[int, Decimal], gross: Mapping[int, Decimal]
) -> tuple[list[Line], dict[int, Statement]]:
    """The partner-level lines (quality bonus, tax, balance brought forward) and the statements, from every shard's
    :func:`totals` (``inp.events`` is not used)."""
    lines: list[Line] = []
    month_plan = in_force(inp.plans, inp.month_end)
    if month_plan is not None and month_plan.quality.rate:
        q = month_plan.quality
        for partner_id in sorted(own):
            facts = inp.quality.get(partner_id, QualityFacts())
            if (
                own[partner_id] > 0
                and facts.complaints_12m <= q.max_complaints
                and facts.early_claim_share <= q.max_early_claim_share
            ):
                ref = f"quality:{inp.month_start:%Y-%m}"
                lines.append(
                    Line(partner_id, None, ref, "quality", own[partner_id], q.rate, money(own[partner_id] * q.rate))
                )
    month_gross: dict[int, Decimal] = defaultdict(lambda: ZERO, gross)
    for line in lines:
        month_gross[line.partner_id] += line.amount
    statements = _statements(inp, month_gross, month_plan)
    for st in statements.values():
        if st.tax:
            lines.append(Line(st.partner_id, None, f"tax:{inp.month_start:%Y-%m}", "tax", st.gross, ZERO, -st.tax))
        if st.brought_forward:
            ref = f"balance:{inp.month_start:%Y-%m}"
            lines.append(Line(st.partner_id, None, ref, "brought_forward", ZERO, ZERO, st.brought_forward))
    lines.sort(key=lambda ln: ln.key)
    return lines, statements


def _statements(inp: RunInput, gross: dict[int, Decimal], plan: Plan | None) -> dict[int, Statement]:
    for partner_id, ytd in inp.year_to_date.items():
        if ytd.brought_forward:
            gross.setdefault(partner_id, ZERO)
    out: dict[int, Statement] = {}
    for partner_id in sorted(gross):
        ytd = inp.year_to_date.get(partner_id, YearToDate())
        months = ytd.months + 1
        withheld = ZERO
        if plan is not None:
            withheld = taxes.withheld(
                plan.tax,
                inp.kinds.get(partner_id, ""),
                month_gross=gross[partner_id],
                prior_gross=ytd.gross,
                prior_tax=ytd.tax,
                months=months,
            )
        net = gross[partner_id] - withheld + ytd.brought_forward
        out[partner_id] = Statement(partner_id, gross[partner_id], withheld, ytd.brought_forward, net)
    return out
