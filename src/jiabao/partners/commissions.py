"""Commission plans and the monthly commission run.

Plans: a new version is a draft; approval checks the 报行合一 loading cap against the product catalog's filed
loadings and refuses a plan that pays more. The run: ``run_month`` gathers the month's premium events
(``sources.premium_events``), the approved plans, the hierarchy, what earlier months posted and the quality facts,
calls the pure ``engine.run.compute`` and posts only the differences from what the month already holds — the
first run posts everything, a re-run with unchanged inputs posts nothing, a correction posts adjustment lines.
Lines are never updated or deleted. ``approve`` turns the month's net per partner into payment instructions.
"""

from __future__ import annotations

import re
import resource
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, FieldProblem, NotFound, PermissionDenied, invalid
from jiabao.core.money import to_fen
from jiabao.db import locks
from jiabao.db.context import ServiceContext
from jiabao.db.session import make_engine, make_session_factory, unit_of_work
from jiabao.partners.engine import plans as plan_rules
from jiabao.partners.engine.hierarchy import Hierarchy
from jiabao.partners.engine.hierarchy import Membership as Dated
from jiabao.partners.engine.run import (
    Line,
    QualityFacts,
    RunInput,
    YearToDate,
    add_totals,
    partner_lines,
    policy_lines,
    totals,
)
from jiabao.partners.models import (
    CommissionLine,
    CommissionPlan,
    CommissionRun,
    Membership,
    Partner,
    PaymentInstruction,
)
from jiabao.partners.quality import quality_facts
from jiabao.partners.sources import Shard, premium_events, with_seller
from jiabao.partners.statement_pdf import Statement, StatementLine, render_statement
from jiabao.policies.common.models import Policy
from jiabao.products.catalog import Catalog

ZERO = Decimal("0.00")
STAFF = (Role.ADMIN, Role.ACTUARY)


def _staff(ctx: ServiceContext) -> None:
    if ctx.principal.role not in STAFF:
        raise PermissionDenied()


# --- plans ---


def filed_loadings(catalog: Catalog) -> dict[str, dict[int, list[Decimal]]]:
    """Product → payment term → the expense loading filed by year (a one-year product: 1 − expected loss ratio)."""
    out: dict[str, dict[int, list[Decimal]]] = {}
    for code, product in catalog.products.items():
        pricing: Any = product.pricing
        if getattr(pricing, "method", "") == "multistate":
            out[code] = {int(t): [Decimal(str(v)) for v in values] for t, values in pricing.loadings.items()}
        else:
            loading = Decimal(1) - Decimal(str(pricing.expected_loss_ratio))
            out[code] = {int(t): [loading] for t in product.payment.terms}
    return out


def create_plan(ctx: ServiceContext, code: str, effective_from: date, rules: dict[str, Any]) -> CommissionPlan:
    """A new draft version of a plan (checked for shape; the loading cap is checked at approval)."""
    _staff(ctx)
    try:
        plan_rules.parse(rules, effective_from=effective_from)
    except plan_rules.PlanError as exc:
        raise invalid(f"rules.{exc.field}", "bad_plan", exc.message_zh, exc.message_en) from exc
    last = ctx.session.scalar(select(func.max(CommissionPlan.version)).where(CommissionPlan.code == code)) or 0
    row = CommissionPlan(
        code=code, version=last + 1, effective_from=effective_from, status="draft", rules=rules, created_at=ctx.now()
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("commission_plan.create", "commission_plan", row.id, {"code": code, "version": row.version})
    return row


def approve_plan(ctx: ServiceContext, plan_id: int, catalog: Catalog) -> CommissionPlan:
    """Approve a draft plan; refused (409, with each breach) when it pays more than a filed loading (报行合一)."""
    _staff(ctx)
    row = ctx.session.get(CommissionPlan, plan_id)
    if row is None:
        raise NotFound()
    if row.status != "draft":
        raise Conflict("Only a draft plan can be approved", "只能审批草稿方案", code="plan_not_draft")
    plan = plan_rules.parse(row.rules, plan_id=row.id, version=row.version, effective_from=row.effective_from)
    breaches = plan_rules.loading_breaches(plan, filed_loadings(catalog))
    if breaches:
        fields = tuple(
            FieldProblem(
                b.field,
                "exceeds_filed_loading",
                f"第{b.year}年佣金及津贴合计{b.paid:.2%}，超过产品报备的费用附加{b.loading:.2%}（报行合一）",
                f"Year {b.year} pays {b.paid:.2%}, more than the filed expense loading {b.loading:.2%}",
            )
            for b in breaches
        )
        raise Conflict(
            "The plan pays more than the filed expense loading",
            "佣金方案超过产品报备的费用附加，不能批准（报行合一）",
            code="exceeds_filed_loading",
            fields=fields,
        )
    row.status, row.approved_at, row.approved_by = "approved", ctx.now(), ctx.principal.user_id or None
    ctx.session.flush()
    ctx.audit("commission_plan.approve", "commission_plan", row.id, {"code": row.code, "version": row.version})
    return row


def approved_plans(ctx: ServiceContext) -> list[plan_rules.Plan]:
    rows = ctx.session.scalars(
        select(CommissionPlan).where(CommissionPlan.status == "approved").order_by(CommissionPlan.id)
    )
    return [plan_rules.parse(r.rules, plan_id=r.id, version=r.version, effective_from=r.effective_from) for r in rows]


# --- the monthly run ---


def month_bounds(month: str) -> tuple[date, date]:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise invalid("month", "bad_month", "月份格式应为 YYYY-MM", "A month is YYYY-MM")
    start = date(int(month[:4]), int(month[5:]), 1)
    nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def _previous(month: str) -> str:
    start, _ = month_bounds(month)
    return f"{start - timedelta(days=1):%Y-%m}"


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: int
    month: str
    seq: int
    events: int
    lines_written: int
    total: Decimal
    adjustments: int


def _posted_by_policy(session: Session, policy_ids: set[int], month: str) -> dict[int, list[Line]]:
    out: dict[int, list[Line]] = defaultdict(list)
    ids = sorted(policy_ids)
    for i in range(0, len(ids), 5000):
        stmt = (
            select(
                CommissionLine.partner_id,
                CommissionLine.policy_id,
                CommissionLine.ref,
                CommissionLine.kind,
                func.sum(CommissionLine.amount),
            )
            .where(CommissionLine.policy_id.in_(ids[i : i + 5000]), CommissionLine.month < month)
            .group_by(CommissionLine.partner_id, CommissionLine.policy_id, CommissionLine.ref, CommissionLine.kind)
        )
        for partner_id, policy_id, ref, kind, amount in session.execute(stmt):
            out[policy_id or 0].append(Line(partner_id, policy_id, ref, kind, ZERO, ZERO, Decimal(amount)))
    return out


def _year_to_date(ctx: ServiceContext, month: str) -> dict[int, YearToDate]:
    year = month[:4]
    gross: dict[int, Decimal] = defaultdict(lambda: ZERO)
    tax: dict[int, Decimal] = defaultdict(lambda: ZERO)
    months: dict[int, set[str]] = defaultdict(set)
    stmt = (
        select(CommissionLine.partner_id, CommissionLine.month, CommissionLine.kind, func.sum(CommissionLine.amount))
        .where(CommissionLine.month >= f"{year}-01", CommissionLine.month < month)
        .group_by(CommissionLine.partner_id, CommissionLine.month, CommissionLine.kind)
    )
    for partner_id, m, kind, amount in ctx.session.execute(stmt):
        if kind == "tax":
            tax[partner_id] -= Decimal(amount)
        elif kind != "brought_forward":
            gross[partner_id] += Decimal(amount)
        months[partner_id].add(m)
    prev = _previous(month)
    net_prev = dict(
        ctx.session.execute(
            select(CommissionLine.partner_id, func.sum(CommissionLine.amount))
            .where(CommissionLine.month == prev)
            .group_by(CommissionLine.partner_id)
        ).all()
    )
    out: dict[int, YearToDate] = {}
    for pid in set(gross) | set(tax) | set(net_prev):
        carried = Decimal(net_prev.get(pid, 0))
        out[pid] = YearToDate(gross[pid], tax[pid], len(months[pid]), carried if carried < 0 else ZERO)
    return out


@dataclass(frozen=True, slots=True)
class ShardJob:
    """One shard of a sharded run: plain data, so a process pool or a Dask worker can take it."""

    database_url: str
    month: str
    run_id: int
    seq: int
    index: int
    count: int


@dataclass(frozen=True, slots=True)
class ShardOutcome:
    events: int
    lines_written: int
    total: Decimal
    own: dict[int, Decimal]
    gross: dict[int, Decimal]
    peak_rss_mb: float


class ShardExecutor(Protocol):
    """``jiabao.batch.executor``'s executors (serial, process pool, Dask): results in shard order."""

    def run(self, fn: Callable[[ShardJob], ShardOutcome], shards: Sequence[ShardJob]) -> list[ShardOutcome]: ...


def _check_month(ctx: ServiceContext, month: str) -> tuple[date, date]:
    _staff(ctx)
    start, end = month_bounds(month)
    if start > ctx.clock.today():
        raise invalid("month", "future_month", "不能计算未来月份的佣金", "A future month cannot be run")
    return start, end


def run_lock_name(month: str) -> str:
    return f"commission_run:{month}"


def _busy(month: str) -> Conflict:
    zh = f"{month}的佣金正在计算或审批中，请待其完成后再试"
    en = f"The commission run of {month} is in progress: try again when it has finished"
    return Conflict(en, zh, code="run_in_progress", fields=(FieldProblem("month", "run_in_progress", zh, en),))


def _lock_month(ctx: ServiceContext, month: str) -> None:
    """One run (or approval) of a month at a time, until this transaction ends: a second is refused at once (409
    ``run_in_progress``), never run alongside (``db.locks``: an advisory lock on PostgreSQL, a lock file on
    SQLite)."""
    try:
        locks.for_transaction(ctx.session, run_lock_name(month))
    except locks.LockHeld as exc:
        raise _busy(month) from exc


def _open_run(ctx: ServiceContext, month: str, status: str) -> CommissionRun:
    seq = (ctx.session.scalar(select(func.max(CommissionRun.seq)).where(CommissionRun.month == month)) or 0) + 1
    run = CommissionRun(
        month=month,
        seq=seq,
        status=status,
        events=0,
        lines_written=0,
        total=ZERO,
        computed_at=ctx.now(),
        computed_by=ctx.principal.user_id or None,
    )
    ctx.session.add(run)
    ctx.session.flush()
    return run


def _network(session: Session) -> tuple[list[plan_rules.Plan], Hierarchy, dict[int, str]]:
    plans = [
        plan_rules.parse(r.rules, plan_id=r.id, version=r.version, effective_from=r.effective_from)
        for r in session.scalars(
            select(CommissionPlan).where(CommissionPlan.status == "approved").order_by(CommissionPlan.id)
        )
    ]
    hierarchy = Hierarchy(
        Dated(m.partner_id, m.parent_id, m.valid_from, m.valid_to) for m in session.scalars(select(Membership))
    )
    kinds = {pid: kind for pid, kind in session.execute(select(Partner.id, Partner.kind))}
    return plans, hierarchy, kinds


def _differences(
    run_id: int, month: str, seq: int, lines: Sequence[Line], existing: dict[tuple[int, int, str, str], Decimal]
) -> list[dict[str, Any]]:
    """The rows that bring what the month holds to ``lines`` (for the keys of ``lines`` and ``existing``)."""
    target = {line.key: line for line in lines}
    rows: list[dict[str, Any]] = []
    for key in sorted(set(target) | set(existing)):
        line = target.get(key)
        want = line.amount if line is not None else ZERO
        diff = want - existing.get(key, ZERO)
        if diff == 0:
            continue
        partner_id, policy_id, ref, kind = key
        rows.append(
            {
                "run_id": run_id,
                "month": month,
                "partner_id": partner_id,
                "policy_id": policy_id or None,
                "ref": ref,
                "kind": kind,
                "base": line.base if line is not None else ZERO,
                "rate": line.rate if line is not None else ZERO,
                "amount": diff,
                "adjustment": seq > 1,
            }
        )
    return rows


def _existing(session: Session, stmt: Any) -> dict[tuple[int, int, str, str], Decimal]:
    out: dict[tuple[int, int, str, str], Decimal] = {}
    for partner_id, policy_id, ref, kind, amount in session.execute(stmt):
        out[(partner_id, policy_id or 0, ref, kind)] = Decimal(amount)
    return out


LINE_KEY = (CommissionLine.partner_id, CommissionLine.policy_id, CommissionLine.ref, CommissionLine.kind)


def post_policy_lines(session: Session, month: str, run_id: int, seq: int, shard: Shard) -> ShardOutcome:
    """One shard of the run: the policy lines of the shard's sellers' events, compared with what the month holds
    for those policies; appends the differences. Holds only the shard's events in memory."""
    start, end = month_bounds(month)
    events = premium_events(session, start, end, shard)
    plans, hierarchy, kinds = _network(session)
    posted = _posted_by_policy(session, {e.policy_id for e in events if e.kind != "premium"}, month)
    lines = policy_lines(RunInput(start, end, events, plans, hierarchy, kinds, posted))
    held: Any = select(*LINE_KEY, func.sum(CommissionLine.amount)).select_from(CommissionLine)
    held, _seller = with_seller(held.join(Policy, Policy.id == CommissionLine.policy_id), shard)
    held = held.where(CommissionLine.month == month).group_by(*LINE_KEY)
    rows = _differences(run_id, month, seq, lines, _existing(session, held))
    _insert_lines(session, rows)
    own, gross = totals(lines)
    written = sum((r["amount"] for r in rows), ZERO)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return ShardOutcome(len(events), len(rows), written, own, gross, peak)


def run_shard(job: ShardJob) -> ShardOutcome:
    """A shard in its own process and transaction (the executors' unit of work): opens the database itself."""
    engine = make_engine(job.database_url, concurrency=1)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            return post_policy_lines(session, job.month, job.run_id, job.seq, Shard(job.index, job.count))
    finally:
        engine.dispose()


def _finish(ctx: ServiceContext, run: CommissionRun, outcomes: Sequence[ShardOutcome]) -> RunSummary:
    """The partner-level lines (quality bonus, tax, balance brought forward) from every shard's totals, appended as
    differences like the policy lines; the run's counts; the audit entry."""
    start, end = month_bounds(run.month)
    own: dict[int, Decimal] = {}
    gross: dict[int, Decimal] = {}
    for outcome in outcomes:  # in shard order
        own, gross = add_totals((own, gross), (outcome.own, outcome.gross))
    plans, hierarchy, kinds = _network(ctx.session)
    quality: dict[int, QualityFacts] = quality_facts(ctx, set(own), end)
    inp = RunInput(start, end, (), plans, hierarchy, kinds, {}, quality, _year_to_date(ctx, run.month))
    lines, _statements = partner_lines(inp, own, gross)
    held = (
        select(*LINE_KEY, func.sum(CommissionLine.amount))
        .where(CommissionLine.month == run.month, CommissionLine.policy_id.is_(None))
        .group_by(*LINE_KEY)
    )
    rows = _differences(run.id, run.month, run.seq, lines, _existing(ctx.session, held))
    _insert_lines(ctx.session, rows)
    run.events = sum(o.events for o in outcomes)
    run.lines_written = sum(o.lines_written for o in outcomes) + len(rows)
    run.total = sum((o.total for o in outcomes), ZERO) + sum((r["amount"] for r in rows), ZERO)
    run.status = "computed"
    ctx.session.flush()
    meta = {"month": run.month, "seq": run.seq, "lines": run.lines_written, "shards": len(outcomes)}
    ctx.audit("commission.run", "commission_run", run.id, meta)
    adjustments = run.lines_written if run.seq > 1 else 0
    return RunSummary(run.id, run.month, run.seq, run.events, run.lines_written, run.total, adjustments)


def run_month(ctx: ServiceContext, month: str) -> RunSummary:
    """Compute the month and post the differences from what it already holds (never editing a line), in the
    caller's transaction: one shard holding every seller."""
    _check_month(ctx, month)
    _lock_month(ctx, month)
    run = _open_run(ctx, month, "computed")
    outcome = post_policy_lines(ctx.session, month, run.id, run.seq, Shard())
    return _finish(ctx, run, [outcome])


def run_month_sharded(
    sessions: sessionmaker[Session],
    context: Callable[[Session], ServiceContext],
    database_url: str,
    month: str,
    executor: ShardExecutor,
    shards: int,
) -> tuple[RunSummary, list[ShardOutcome]]:
    """The run sharded by seller on an executor: the run row is committed as ``running``, each shard appends its
    policy lines in its own transaction (process, Dask worker), then the partner-level lines close the run as
    ``computed``. The lines are those of :func:`run_month`. A shard that fails leaves the run ``running`` (it
    cannot be approved); running the month again posts what is missing, as differences."""
    if shards < 1:
        raise invalid("shards", "bad_shards", "分片数至少为1", "At least one shard")
    month_bounds(month)
    engine: Any = sessions.kw["bind"]
    try:
        with locks.held(engine, run_lock_name(month)):  # for the whole run, across its transactions and shards
            return _run_sharded(sessions, context, database_url, month, executor, shards)
    except locks.LockHeld as exc:
        raise _busy(month) from exc


def _run_sharded(
    sessions: sessionmaker[Session],
    context: Callable[[Session], ServiceContext],
    database_url: str,
    month: str,
    executor: ShardExecutor,
    shards: int,
) -> tuple[RunSummary, list[ShardOutcome]]:
    with unit_of_work(sessions) as session:
        ctx = context(session)
        _check_month(ctx, month)
        run = _open_run(ctx, month, "running")
        run_id, seq = run.id, run.seq
    jobs = [ShardJob(database_url, month, run_id, seq, i, shards) for i in range(shards)]
    outcomes = executor.run(run_shard, jobs)
    with unit_of_work(sessions) as session:
        ctx = context(session)
        row = session.get(CommissionRun, run_id)
        if row is None:  # pragma: no cover - the row was committed above
            raise NotFound()
        return _finish(ctx, row, outcomes), outcomes


COLUMNS = ("run_id", "month", "partner_id", "policy_id", "ref", "kind", "base", "rate", "amount", "adjustment")


def _insert_lines(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append the lines: COPY on PostgreSQL (money as integer fen), an executemany elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        table: Any = CommissionLine.__table__
        connection.execute(table.insert(), rows)
        return
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY commission_lines ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row(
                (
                    r["run_id"],
                    r["month"],
                    r["partner_id"],
                    r["policy_id"],
                    r["ref"],
                    r["kind"],
                    to_fen(r["base"]),
                    r["rate"],
                    to_fen(r["amount"]),
                    r["adjustment"],
                )
            )


def latest_run(ctx: ServiceContext, month: str) -> CommissionRun | None:
    stmt = select(CommissionRun).where(CommissionRun.month == month).order_by(CommissionRun.seq.desc()).limit(1)
    return ctx.session.scalars(stmt).first()


def approve(ctx: ServiceContext, month: str) -> list[PaymentInstruction]:
    """Approve the month's latest run: a payment instruction per partner for what the month now owes beyond what
    earlier approvals instructed (net of tax; a negative net pays nothing and is carried into the next month)."""
    _staff(ctx)
    month_bounds(month)
    _lock_month(ctx, month)
    run = latest_run(ctx, month)
    if run is None:
        raise Conflict("Run the month first", "请先计算该月佣金", code="no_run")
    if run.status == "running":
        raise Conflict("This run has not finished: run the month again", "该次计算未完成，请重新计算该月佣金",
                       code="run_incomplete")  # fmt: skip
    if run.status != "computed":
        raise Conflict("This run is already approved", "该次计算已审批", code="run_approved")
    totals = ctx.session.execute(
        select(CommissionLine.partner_id, CommissionLine.kind, func.sum(CommissionLine.amount))
        .where(CommissionLine.month == month)
        .group_by(CommissionLine.partner_id, CommissionLine.kind)
    ).all()
    net: dict[int, Decimal] = defaultdict(lambda: ZERO)
    tax: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for partner_id, kind, amount in totals:
        net[partner_id] += Decimal(amount)
        if kind == "tax":
            tax[partner_id] -= Decimal(amount)
    paid = dict(
        ctx.session.execute(
            select(PaymentInstruction.partner_id, func.sum(PaymentInstruction.amount))
            .where(PaymentInstruction.month == month)
            .group_by(PaymentInstruction.partner_id)
        ).all()
    )
    out: list[PaymentInstruction] = []
    for partner_id in sorted(net):
        due = max(ZERO, net[partner_id]) - Decimal(paid.get(partner_id, 0))
        if due <= 0:
            continue
        row = PaymentInstruction(
            run_id=run.id,
            month=month,
            partner_id=partner_id,
            gross=net[partner_id] + tax[partner_id],
            tax=tax[partner_id],
            amount=due,
            status="pending",
            created_at=ctx.now(),
        )
        ctx.session.add(row)
        out.append(row)
    run.status, run.approved_at, run.approved_by = "approved", ctx.now(), ctx.principal.user_id or None
    ctx.session.flush()
    ctx.audit("commission.approve", "commission_run", run.id, {"month": month, "instructions": len(out)})
    return out


# --- statements ---


def statement(ctx: ServiceContext, month: str, partner_id: int) -> Statement:
    """A partner's statement for the month: every line (adjustments marked) and the totals."""
    month_bounds(month)
    partner = ctx.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    rows = ctx.session.execute(
        select(CommissionLine, Policy.policy_no)
        .outerjoin(Policy, Policy.id == CommissionLine.policy_id)
        .where(CommissionLine.month == month, CommissionLine.partner_id == partner_id)
        .order_by(CommissionLine.id)
    ).all()
    lines = [StatementLine(r.kind, no, r.ref, r.base, r.rate, r.amount, r.adjustment) for r, no in rows]
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        by_kind[ln.kind] += ln.amount
    gross, tax, net = statement_totals(by_kind)
    run = latest_run(ctx, month)
    status = "not_run" if run is None else run.status
    return Statement(partner.id, partner.name, month, lines, dict(by_kind), gross, tax, net, status)


def statement_totals(by_kind: dict[str, Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Gross, tax withheld and net of a month's lines summed by kind (the statement page's and PDF's figures)."""
    tax = -by_kind.get("tax", ZERO)
    net = sum(by_kind.values(), ZERO)
    gross = net + tax - by_kind.get("brought_forward", ZERO)
    return gross, tax, net


def statement_page(
    ctx: ServiceContext, month: str, partner_id: int, *, limit: int, offset: int
) -> tuple[Statement, int]:
    """The statement with one page of its lines (in posting order) and the number of lines; the totals are over
    every line, computed in the database, so they are the full statement's figures whatever the page."""
    month_bounds(month)
    partner = ctx.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    mine = (CommissionLine.month == month, CommissionLine.partner_id == partner_id)
    by_kind: dict[str, Decimal] = {
        kind: Decimal(total)
        for kind, total in ctx.session.execute(
            select(CommissionLine.kind, func.sum(CommissionLine.amount)).where(*mine).group_by(CommissionLine.kind)
        )
    }
    count = int(ctx.session.scalar(select(func.count(CommissionLine.id)).where(*mine)) or 0)
    rows = ctx.session.execute(
        select(CommissionLine, Policy.policy_no)
        .outerjoin(Policy, Policy.id == CommissionLine.policy_id)
        .where(*mine)
        .order_by(CommissionLine.id)
        .limit(limit)
        .offset(offset)
    ).all()
    lines = [StatementLine(r.kind, no, r.ref, r.base, r.rate, r.amount, r.adjustment) for r, no in rows]
    gross, tax, net = statement_totals(by_kind)
    run = latest_run(ctx, month)
    status = "not_run" if run is None else run.status
    return Statement(partner.id, partner.name, month, lines, by_kind, gross, tax, net, status), count


def statement_pdf(ctx: ServiceContext, month: str, partner_id: int) -> bytes:
    return render_statement(statement(ctx, month, partner_id))
