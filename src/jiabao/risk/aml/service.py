"""AML use cases: scan the platform's money movements and policy events (large-value cases, suspicious-pattern
cases, due-diligence requirements), the manual review of suspicious cases (report, or record why not), report
files (generated, kept encrypted, downloadable), figures, and retention (nothing purged before 10 years)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select

from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from jiabao.core.pii import mask_name
from jiabao.db.context import ServiceContext
from jiabao.family.models import Member, Person
from jiabao.policies.application.models import ApplicationInsured
from jiabao.policies.common.models import BeneficiaryDesignation, Payment, Policy, ServiceRequest
from jiabao.risk.aml import export
from jiabao.risk.aml import rules as r
from jiabao.risk.aml.models import AmlCase, AmlCdd, AmlReport

ID_COLUMN = "persons.id_number"
REPORT_COLUMN = "aml_reports.content"
LEGAL_HEIRS = {"self", "spouse", "child", "parent"}
"""First-order legal heirs (Civil Code art. 1127) and the insured: no separate beneficiary verification."""
MIN_ANALYSIS = 10


@dataclass(frozen=True)
class ScanResult:
    transactions: int
    large_value: int
    suspicious: int
    cdd: int


def _day(at: datetime) -> date:
    return at.astimezone(CHINA_TZ).date()


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA_TZ)


def _case_no(ctx: ServiceContext, kind: str, case_id: int) -> str:
    return f"{'LV' if kind == 'large_value' else 'SU'}{ctx.clock.today():%Y%m%d}{case_id:08d}"


def transactions(ctx: ServiceContext, day_from: date, day_to: date) -> tuple[list[r.Txn], dict[int, Payment]]:
    rows = ctx.session.scalars(
        select(Payment).where(
            Payment.created_at >= _start(day_from),
            Payment.created_at < _start(day_to) + timedelta(days=1),
            Payment.status != "failed",
        )
    ).all()
    txns = [
        r.Txn(
            txn_id=p.id,
            person_id=p.holder_person_id,
            on=_day(p.created_at),
            amount=p.amount,
            direction=r.Direction(p.direction),
            method=r.Method(p.details.get("method", "transfer")),
            cross_border=bool(p.details.get("cross_border", False)),
            kind=p.kind,
            policy_id=p.policy_id,
        )
        for p in rows
    ]
    return txns, {p.id: p for p in rows}


def _open_case(ctx: ServiceContext, key: str, **fields: Any) -> bool:
    if ctx.session.scalar(select(AmlCase.id).where(AmlCase.dedupe_key == key)) is not None:
        return False
    case = AmlCase(case_no="", dedupe_key=key, detected_at=ctx.now(), **fields)
    ctx.session.add(case)
    ctx.session.flush()
    case.case_no = _case_no(ctx, case.kind, case.id)
    ctx.audit("aml.case.open", "aml_case", case.id, {"kind": case.kind, "rule": case.rule})
    return True


def _holder_changes(ctx: ServiceContext, person_id: int, held: set[int]) -> list[r.Change]:
    """Completed changes of policyholder (变更投保人) the person took part in: on a policy they hold now, or as either
    party (``from_person_id``, ``to_person_id``: the old holder no longer holds it), dated the day it took effect."""
    households = select(Member.household_id).where(Member.person_id == person_id)
    stmt = (
        select(ServiceRequest)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(
            Policy.household_id.in_(households),
            ServiceRequest.kind == "policyholder",
            ServiceRequest.status == "completed",
        )
    )
    return [
        r.Change(request.policy_id, _day(request.completed_at or request.requested_at), "policyholder")
        for request in ctx.session.scalars(stmt)
        if request.policy_id in held
        or person_id in (request.payload.get("from_person_id"), request.payload.get("to_person_id"))
    ]


def _holder_change_parties(ctx: ServiceContext, day_from: date, day_to: date) -> set[int]:
    """Both parties of every change of policyholder completed in the period (they are scanned even if no money
    moved)."""
    stmt = select(ServiceRequest.payload).where(
        ServiceRequest.kind == "policyholder",
        ServiceRequest.status == "completed",
        ServiceRequest.completed_at >= _start(day_from),
        ServiceRequest.completed_at < _start(day_to) + timedelta(days=1),
    )
    out: set[int] = set()
    for payload in ctx.session.scalars(stmt):
        out |= {int(payload[k]) for k in ("from_person_id", "to_person_id") if payload.get(k) is not None}
    return out


def _history(ctx: ServiceContext, person_id: int) -> r.CustomerHistory:
    policies = ctx.session.scalars(select(Policy).where(Policy.policyholder_person_id == person_id)).all()
    ids = [p.id for p in policies]
    paid: dict[int, Decimal] = defaultdict(Decimal)
    payments: list[r.PremiumPayment] = []
    holders = {p.id: p.policyholder_person_id for p in policies}
    if ids:
        for pay in ctx.session.scalars(select(Payment).where(Payment.policy_id.in_(ids), Payment.direction == "in")):
            if pay.policy_id is not None:
                paid[pay.policy_id] += pay.amount
            payments.append(
                r.PremiumPayment(
                    pay.id,
                    pay.policy_id,
                    _day(pay.created_at),
                    pay.amount,
                    pay.holder_person_id,
                    holders.get(pay.policy_id or 0, person_id),
                )
            )
    changes: list[r.Change] = []
    if ids:
        for designation in ctx.session.scalars(
            select(BeneficiaryDesignation).where(
                BeneficiaryDesignation.policy_id.in_(ids), BeneficiaryDesignation.version > 1
            )
        ):
            changes.append(r.Change(designation.policy_id, _day(designation.effective_at), "beneficiary"))
    changes += _holder_changes(ctx, person_id, set(ids))
    return r.CustomerHistory(
        person_id=person_id,
        policies=tuple(
            r.PolicyHistory(
                policy_id=p.id,
                issued_on=p.effective_date,
                single_premium=p.payment_term == 1,
                premium_paid=paid.get(p.id, Decimal(0)),
                ended_on=p.ended_on if p.status in ("surrendered", "cancelled") else None,
            )
            for p in policies
        ),
        changes=tuple(changes),
        payments=tuple(payments),
    )


def _high_risk(ctx: ServiceContext, person_id: int) -> bool:
    return (
        ctx.session.scalar(
            select(AmlCase.id).where(
                AmlCase.person_id == person_id,
                AmlCase.kind == "suspicious",
                AmlCase.status.in_(("open", "to_report", "reported")),
            )
        )
        is not None
    )


def _cdd(ctx: ServiceContext, subject: str, event: r.CddEvent) -> bool:
    result = r.cdd_for(event)
    if result.level is r.CddLevel.SIMPLIFIED:
        return False
    if ctx.session.scalar(select(AmlCdd.id).where(AmlCdd.subject == subject)) is not None:
        return False
    ctx.session.add(
        AmlCdd(
            subject=subject,
            person_id=event.person_id,
            event=event.kind.value,
            level=result.level.value,
            triggers=[t.value for t in result.triggers],
            required=list(result.required),
            status="required",
            created_at=ctx.now(),
            retain_until=r.retain_until(ctx.clock.today()),
        )
    )
    return True


def _cdd_for_payment(ctx: ServiceContext, pay: Payment, txn: r.Txn) -> bool:
    high = _high_risk(ctx, txn.person_id)
    if pay.kind == "first_premium" and pay.application_id is not None:
        insureds = int(
            ctx.session.scalar(
                select(func.count(ApplicationInsured.id)).where(ApplicationInsured.application_id == pay.application_id)
            )
            or 1
        )
        event = r.CddEvent(
            r.CddEventKind.NEW_POLICY, txn.person_id, txn.amount, txn.method,
            premium_per_insured=txn.amount / insureds, high_risk=high,
        )  # fmt: skip
    elif pay.kind in ("surrender", "claim") and pay.direction == "out":
        kind = r.CddEventKind.SURRENDER if pay.kind == "surrender" else r.CddEventKind.CLAIM
        event = r.CddEvent(kind, txn.person_id, txn.amount, txn.method, high_risk=high)
    else:
        return False
    return _cdd(ctx, f"payment:{pay.id}", event)


def _cdd_for_beneficiaries(ctx: ServiceContext, day_from: date, day_to: date) -> int:
    opened = 0
    rows = ctx.session.execute(
        select(BeneficiaryDesignation, Policy.policyholder_person_id)
        .join(Policy, Policy.id == BeneficiaryDesignation.policy_id)
        .where(
            BeneficiaryDesignation.effective_at >= _start(day_from),
            BeneficiaryDesignation.effective_at < _start(day_to) + timedelta(days=1),
            BeneficiaryDesignation.legal_heirs.is_(False),
        )
    ).all()
    for designation, holder in rows:
        outsiders = [b for b in designation.beneficiaries if str(b.get("relationship", "")) not in LEGAL_HEIRS]
        if outsiders:
            event = r.CddEvent(
                r.CddEventKind.BENEFICIARY_CHANGE if designation.version > 1 else r.CddEventKind.NEW_POLICY,
                holder,
                beneficiaries_not_customer=len(outsiders),
                high_risk=_high_risk(ctx, holder),
            )
            opened += _cdd(ctx, f"beneficiaries:{designation.policy_id}:{designation.version}", event)
    return opened


def scan(ctx: ServiceContext, *, day_from: date, day_to: date) -> ScanResult:
    """Large-value cases for the days given, suspicious patterns of everyone who moved money in them, and the
    due-diligence requirements their transactions raise. Rerunning opens nothing twice."""
    if day_to < day_from or (day_to - day_from).days > 366:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "day_to", "invalid_range", "日期范围有误（最长366天）", "Invalid range (366 days at most)"
                ),
            )
        )
    txns, payments = transactions(ctx, day_from, day_to)
    large = 0
    for lv in r.large_value_hits(txns):
        policies = sorted({pid for t in lv.txn_ids if (pid := payments[t].policy_id) is not None})
        large += _open_case(
            ctx,
            f"lv:{lv.rule.value}:{lv.person_id}:{lv.on.isoformat()}:{lv.direction.value}",
            kind="large_value",
            rule=lv.rule.value,
            person_id=lv.person_id,
            day=lv.on,
            amount=lv.total,
            direction=lv.direction.value,
            txn_ids=list(lv.txn_ids),
            policy_ids=policies,
            evidence={},
            status="pending",
            due_on=lv.due_on,
            retain_until=r.retain_until(lv.on),
        )
    suspicious = 0
    persons = {t.person_id for t in txns} | set(
        ctx.session.scalars(
            select(Policy.policyholder_person_id)
            .join(BeneficiaryDesignation, BeneficiaryDesignation.policy_id == Policy.id)
            .where(
                BeneficiaryDesignation.version > 1,
                BeneficiaryDesignation.effective_at >= _start(day_from),
                BeneficiaryDesignation.effective_at < _start(day_to) + timedelta(days=1),
            )
        )
    )  # money movers, and policyholders who changed a beneficiary in the period
    persons |= _holder_change_parties(ctx, day_from, day_to)  # and both parties of a change of policyholder
    for person in sorted(persons):
        for hit in r.suspicious_hits(_history(ctx, person)):
            key = f"su:{hit.rule.value}:{hit.person_id}:{','.join(str(p) for p in hit.policy_ids)}"
            if hit.rule is r.SuspiciousRule.THIRD_PARTY_PAYER:
                key += f":{hit.evidence.get('payment_id', '')}"
            suspicious += _open_case(
                ctx,
                key[:120],
                kind="suspicious",
                rule=hit.rule.value,
                person_id=hit.person_id,
                day=hit.on,
                amount=hit.amount,
                policy_ids=list(hit.policy_ids),
                evidence=dict(hit.evidence),
                status="open",
                retain_until=r.retain_until(hit.on),
            )
    cdd = sum(_cdd_for_payment(ctx, payments[t.txn_id], t) for t in txns)
    cdd += _cdd_for_beneficiaries(ctx, day_from, day_to)
    ctx.session.flush()
    ctx.audit(
        "aml.scan",
        "aml",
        0,
        {"from": day_from.isoformat(), "to": day_to.isoformat(), "large": large, "suspicious": suspicious},
    )
    return ScanResult(len(txns), large, suspicious, cdd)


def get_case(ctx: ServiceContext, case_id: int) -> AmlCase:
    case = ctx.session.get(AmlCase, case_id)
    if case is None:
        raise NotFound("AML case not found", "未找到该反洗钱案件", code="aml_case_not_found")
    return case


def review(ctx: ServiceContext, case_id: int, *, report: bool, analysis: str) -> AmlCase:
    """The manual review of a suspicious case: report it (due within 5 working days of this confirmation) or
    dismiss it with the reason recorded. Either way the analysis is kept."""
    case = get_case(ctx, case_id)
    if case.kind != "suspicious":
        raise Conflict(
            "Large-value cases are reported without review", "大额交易无需人工甄别，直接报告", code="not_reviewable"
        )
    if case.status != "open":
        raise Conflict("This case is already reviewed", "该案件已甄别", code="aml_case_reviewed")
    if len(analysis.strip()) < MIN_ANALYSIS:
        raise InvalidInput(
            fields=(
                FieldProblem(
                    "analysis",
                    "too_short",
                    f"请记录分析意见（至少{MIN_ANALYSIS}个字）",
                    f"Record the analysis ({MIN_ANALYSIS} characters at least)",
                ),
            )
        )
    today = ctx.clock.today()
    case.status = "to_report" if report else "dismissed"
    case.due_on = r.suspicious_report_due(today) if report else None
    case.analysis = analysis.strip()[:2000]
    case.reviewed_by = ctx.principal.user_id or None
    case.reviewed_at = ctx.now()
    ctx.session.flush()
    ctx.audit("aml.case.review", "aml_case", case.id, {"status": case.status})
    return case


def cases(
    ctx: ServiceContext, *, kind: str | None = None, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[AmlCase]:
    stmt = select(AmlCase)
    if kind:
        stmt = stmt.where(AmlCase.kind == kind)
    if status:
        stmt = stmt.where(AmlCase.status == status)
    return list(
        ctx.session.scalars(
            stmt.order_by(AmlCase.due_on.is_(None), AmlCase.due_on, AmlCase.id).limit(limit).offset(offset)
        )
    )


def generate_report(ctx: ServiceContext, kind: str) -> AmlReport:
    """One file with every case waiting to be reported: large-value (``LVTR``) or confirmed suspicious (``STR``)."""
    if kind not in ("LVTR", "STR"):
        raise InvalidInput(fields=(FieldProblem("kind", "invalid", "报告类型应为LVTR或STR", "Kind is LVTR or STR"),))
    waiting = ctx.session.scalars(
        select(AmlCase)
        .where(
            AmlCase.kind == ("large_value" if kind == "LVTR" else "suspicious"),
            AmlCase.status == ("pending" if kind == "LVTR" else "to_report"),
        )
        .order_by(AmlCase.day, AmlCase.id)
    ).all()
    if not waiting:
        raise Conflict("Nothing is waiting to be reported", "没有待报送的案件", code="nothing_to_report")
    today = ctx.clock.today()
    persons = {
        p.id: p for p in ctx.session.scalars(select(Person).where(Person.id.in_({c.person_id for c in waiting})))
    }
    policy_ids = {pid for c in waiting for pid in c.policy_ids}
    policy_nos: dict[int, str] = {
        pid: no for pid, no in ctx.session.execute(select(Policy.id, Policy.policy_no).where(Policy.id.in_(policy_ids)))
    }
    records = []
    for c in waiting:
        person = persons[c.person_id]
        records.append(
            export.ReportRecord(
                case_no=c.case_no,
                rule=c.rule,
                day=c.day,
                amount=c.amount,
                customer_name=person.name,
                id_type=person.id_type,
                id_number=ctx.cipher.decrypt(ID_COLUMN, person.id_number_enc),
                policy_nos=tuple(policy_nos.get(p, str(p)) for p in c.policy_ids),
                due_on=c.due_on or today,
                direction=c.direction or "",
                txn_count=len(c.txn_ids),
                confirmed_on=_day(c.reviewed_at) if c.reviewed_at else None,
                analysis=c.analysis or "",
            )
        )
    count = int(ctx.session.scalar(select(func.count(AmlReport.id)).where(AmlReport.kind == kind)) or 0)
    report_no = f"{kind}-{today:%Y%m%d}-{count + 1:04d}"
    content = export.render(kind, report_no, today, records)
    report = AmlReport(
        report_no=report_no,
        kind=kind,
        generated_at=ctx.now(),
        generated_by=ctx.principal.user_id or None,
        filed_on=today,
        records=len(records),
        on_time=all(today <= (c.due_on or today) for c in waiting),
        content_enc=ctx.cipher.encrypt(REPORT_COLUMN, content),
        digest=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        retain_until=r.retain_until(today),
    )
    ctx.session.add(report)
    ctx.session.flush()
    for c in waiting:
        c.status, c.report_id = "reported", report.id
    ctx.session.flush()
    # the file holds clear identity numbers: generating it is a clear read of each customer's ID
    ctx.audit(
        "aml.report.generate",
        "aml_report",
        report.id,
        {"kind": kind, "records": len(records), "persons": sorted(persons)},
    )
    return report


def reports(ctx: ServiceContext, limit: int = 100, offset: int = 0) -> list[AmlReport]:
    return list(ctx.session.scalars(select(AmlReport).order_by(AmlReport.id.desc()).limit(limit).offset(offset)))


def report_file(ctx: ServiceContext, report_id: int) -> tuple[str, str]:
    report = ctx.session.get(AmlReport, report_id)
    if report is None:
        raise NotFound("Report not found", "未找到该报告", code="aml_report_not_found")
    content = ctx.cipher.decrypt(REPORT_COLUMN, report.content_enc)
    if hashlib.sha256(content.encode("utf-8")).hexdigest() != report.digest:
        raise Conflict("The stored report does not match its digest", "报告文件校验失败", code="report_digest")
    ctx.audit("aml.report.download", "aml_report", report.id, {"kind": report.kind})
    return f"{report.report_no}.csv", content


def complete_cdd(ctx: ServiceContext, cdd_id: int) -> AmlCdd:
    row = ctx.session.get(AmlCdd, cdd_id)
    if row is None:
        raise NotFound("Due-diligence record not found", "未找到该尽职调查记录", code="cdd_not_found")
    if row.status == "completed":
        raise Conflict("Already completed", "已完成", code="cdd_completed")
    row.status, row.completed_at, row.completed_by = "completed", ctx.now(), ctx.principal.user_id or None
    ctx.session.flush()
    ctx.audit("aml.cdd.complete", "aml_cdd", row.id, {"level": row.level})
    return row


def cdd_list(ctx: ServiceContext, status: str = "required", limit: int = 100) -> list[AmlCdd]:
    return list(ctx.session.scalars(select(AmlCdd).where(AmlCdd.status == status).order_by(AmlCdd.id).limit(limit)))


def figures(ctx: ServiceContext) -> dict[str, Any]:
    today = ctx.clock.today()
    by: dict[tuple[str, str], int] = {
        (k, s): int(n)
        for k, s, n in ctx.session.execute(
            select(AmlCase.kind, AmlCase.status, func.count(AmlCase.id)).group_by(AmlCase.kind, AmlCase.status)
        )
    }
    overdue = int(
        ctx.session.scalar(
            select(func.count(AmlCase.id)).where(
                AmlCase.status.in_(("pending", "to_report")), AmlCase.due_on.is_not(None), AmlCase.due_on < today
            )
        )
        or 0
    )
    filed = ctx.session.execute(select(AmlReport.kind, AmlReport.on_time)).all()
    return {
        "large_value_pending": by.get(("large_value", "pending"), 0),
        "large_value_reported": by.get(("large_value", "reported"), 0),
        "suspicious_open": by.get(("suspicious", "open"), 0),
        "suspicious_to_report": by.get(("suspicious", "to_report"), 0),
        "suspicious_reported": by.get(("suspicious", "reported"), 0),
        "suspicious_dismissed": by.get(("suspicious", "dismissed"), 0),
        "overdue": overdue,
        "reports_filed": len(filed),
        "reports_on_time": sum(1 for _, on_time in filed if on_time),
        "cdd_required": int(ctx.session.scalar(select(func.count(AmlCdd.id)).where(AmlCdd.status == "required")) or 0),
    }


def purge_expired(ctx: ServiceContext) -> int:
    """Delete what is past its retention date (AML Law 2024 art. 34); nothing younger is ever touched."""
    today = ctx.clock.today()
    removed = 0
    for table in (AmlCase, AmlCdd):
        removed += ctx.session.execute(delete(table).where(table.retain_until < today)).rowcount or 0  # type: ignore[attr-defined]
    expired = [
        rid
        for rid, until in ctx.session.execute(select(AmlReport.id, AmlReport.retain_until))
        if r.may_purge(until, today)
    ]
    if expired:
        ctx.session.execute(delete(AmlCase).where(AmlCase.report_id.in_(expired)))
        removed += ctx.session.execute(delete(AmlReport).where(AmlReport.id.in_(expired))).rowcount or 0  # type: ignore[attr-defined]
    ctx.audit("aml.purge", "aml", 0, {"removed": removed})
    return removed


def person_labels(ctx: ServiceContext, person_ids: set[int]) -> dict[int, str]:
    """Masked names for the case lists (the report file is the only place with clear identities)."""
    if not person_ids:
        return {}
    rows = ctx.session.execute(select(Person.id, Person.name).where(Person.id.in_(person_ids)))
    return {pid: mask_name(name) for pid, name in rows}
