"""Fraud scoring use cases: score an application before confirmation (pass / review / intercept), score a claim
for the claims engine's straight-through gate, the risk officer's queues and decisions, and the model's training
from the platform's own labelled claims."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import bindparam, func, select, update

from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from jiabao.db import audit_unit
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import MemberOut
from jiabao.partners import quality as partner_quality
from jiabao.partners.engine.quality import Thresholds
from jiabao.policies.application.models import Application
from jiabao.risk.aml.rules import customer_notice
from jiabao.risk.fraud import application_rules as ar
from jiabao.risk.fraud import claim_rules as cr
from jiabao.risk.fraud import model as fm
from jiabao.risk.fraud import repository as repo
from jiabao.risk.fraud.models import FraudModel, RiskAssessment

RECENT_DAYS = 90
CLAIM_REVIEW_ABOVE = 0.5
"""The claims engine's ``max_fast_pay_risk``: above it a claim is referred, and it joins the risk queue."""
_MODEL_CACHE: dict[str, fm.TrainedModel] = {}


def _hits(hits: list[ar.Hit] | tuple[ar.Hit, ...]) -> list[dict[str, Any]]:
    return [asdict(h) for h in hits]


# ---------------------------------------------------------------------------------------------------------------
# Applications


def _agent(ctx: ServiceContext, application: Application) -> ar.AgentRecord | None:
    """The selling network partner's quality figures (issue 15) when a partner sold the application; else the
    household's agent's record."""
    seller = partner_quality.seller_of_application(ctx, application.id)
    if seller is not None:
        counts = partner_quality.counts(ctx, seller, ctx.clock.today())
        limit = Thresholds().max_early_claim_share
        return ar.AgentRecord(counts.policies_sold, counts.early_claims, seller.name, limit)
    agent_id = family.get_overview(ctx, application.household_id).partner_id  # cached in this unit of work
    return ar.AgentRecord(*repo.agent_record(ctx, agent_id)) if agent_id else None


def _members(ctx: ServiceContext, household_id: int) -> list[MemberOut]:
    overview = family.get_overview(ctx, household_id)
    return overview.members + overview.former_members


def application_facts(ctx: ServiceContext, application: Application) -> ar.ApplicationRisk:
    now = ctx.now()
    today = ctx.clock.today()
    persons = {application.policyholder_person_id} | {i.person_id for i in application.insureds}
    repo.sync_identifiers(ctx)  # incremental: the payments and claims not indexed yet
    insured_ids = [i.person_id for i in application.insureds]
    # the members' incomes are in the household overview already read in this unit of work
    members = {m.person_id: m.annual_income for m in _members(ctx, application.household_id)}
    unknown = persons - members.keys()
    incomes = {**members, **(repo.incomes_of(ctx, unknown) if unknown else {})}
    diagnoses = repo.latest_diagnoses(ctx, insured_ids)
    covers = repo.existing_covers(ctx, insured_ids)
    holder_income = incomes.get(application.policyholder_person_id)
    insureds = []
    for insured in application.insureds:
        diagnosed = diagnoses.get(insured.person_id)
        insureds.append(
            ar.InsuredRisk(
                person_id=insured.person_id,
                sum_assured=insured.sum_assured,
                annual_income=incomes.get(insured.person_id) or holder_income,
                existing_cover=covers.get(insured.person_id, Decimal(0)),
                days_since_diagnosis=(today - diagnosed).days if diagnosed else None,
            )
        )
    phone = repo.households_sharing_phone(ctx, application.household_id, persons)
    account = repo.households_sharing_account(ctx, application.household_id)
    # a person in two households (a child who married out) is the same person, not a shared identifier
    related = repo.related_households(ctx, application.household_id) if phone or account else set()
    shared = (
        ar.SharedIdentifier("phone", len(phone - related)),
        ar.SharedIdentifier("account", len(account - related)),
    )
    agent = _agent(ctx, application)
    return ar.ApplicationRisk(
        application_id=application.id,
        insureds=tuple(insureds),
        recent_applications=repo.recent_applications(
            ctx, application.household_id, application.id, repo.since(now, RECENT_DAYS)
        ),
        shared=shared,
        agent=agent,
    )


_ASSESSMENT = select(RiskAssessment).where(RiskAssessment.application_id == bindparam("application_id"))


def assess_application(ctx: ServiceContext, application: Application) -> RiskAssessment:
    """Score once per application; later calls return the stored assessment (and the person's decision)."""
    row = ctx.session.scalar(_ASSESSMENT, {"application_id": application.id})
    if row is not None:
        return row
    result = ar.score(application_facts(ctx, application))
    status = {ar.Outcome.PASS: "passed", ar.Outcome.REVIEW: "open", ar.Outcome.INTERCEPT: "intercepted"}
    row = RiskAssessment(
        kind="application",
        application_id=application.id,
        household_id=application.household_id,
        points=result.points,
        score=result.points / 100,
        outcome=result.outcome.value,
        method="rules",
        reasons=_hits(result.hits),
        status=status[result.outcome],
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("risk.application.score", "application", application.id, {"outcome": row.outcome, "points": row.points})
    return row


def application_gate(ctx: ServiceContext, application: Application) -> None:
    """Between underwriting and confirmation: pass, or stop with a neutral text (no reason is given to the
    customer: AML Law 2024 art. 35 and the anti-fraud measures' confidentiality). The refusal rolls the request
    back; a stopped application's assessment is written again by an explicit audit unit, in its own transaction
    (``jiabao.db.audit_unit``), so it stays on record for the risk officer."""
    if application.status != "accepted":
        return  # not yet (or no longer) for confirmation: the confirmation step says why
    row = assess_application(ctx, application)
    if row.status in ("passed", "cleared"):
        return
    values = {c.key: getattr(row, c.key) for c in RiskAssessment.__table__.columns if c.key != "id"}

    def keep(unit: ServiceContext) -> None:
        kept = RiskAssessment(**values)
        unit.session.add(kept)
        unit.session.flush()
        unit.audit("risk.application.score", "application", values["application_id"],
                   {"outcome": kept.outcome, "points": kept.points})  # fmt: skip

    if audit_unit.deferred(ctx.session):  # otherwise the row stays in the caller's own transaction
        audit_unit.record_after(ctx, keep)
    if row.status == "open":
        zh, en = customer_notice("hold")
        raise Conflict(en, zh, code="application_on_hold")
    zh, en = customer_notice("declined")
    raise Conflict(en, zh, code="application_not_accepted")


# ---------------------------------------------------------------------------------------------------------------
# Claims


def active_model(ctx: ServiceContext) -> fm.TrainedModel | None:
    row = ctx.session.execute(select(FraudModel.version, FraudModel.digest).where(FraudModel.active.is_(True))).first()
    if row is None:
        return None
    version, digest = row
    cached = _MODEL_CACHE.get(digest)
    if cached is None:
        blob = ctx.session.scalar(select(FraudModel.blob).where(FraudModel.version == version))
        cached = fm.loads(blob or b"", digest)
        _MODEL_CACHE.clear()
        _MODEL_CACHE[digest] = cached
    return cached


def claim_facts(
    ctx: ServiceContext,
    *,
    claim_id: int,
    household_id: int,
    insured_person_id: int,
    event_date: Any,
    claimed: Decimal,
    invoices: list[str],
    hospital: str,
    proxy: bool,
) -> cr.ClaimRisk:
    now = ctx.now()
    year_ago = repo.since(now, 365)
    hospital_key = ctx.cipher.blind_index(repo.HOSPITAL_INDEX, hospital) if hospital.strip() else ""
    count, fraud_share, ratio = repo.hospital_stats(ctx, hospital_key, claim_id) if hospital_key else (0, 0.0, 1.0)
    start = repo.cover_start(ctx, household_id, insured_person_id, event_date)
    return cr.ClaimRisk(
        claimed=claimed,
        days_since_start=start if start is not None else 3650,
        report_delay_days=max(0, (ctx.clock.today() - event_date).days),
        insured_claims_12m=repo.claims_since(ctx, year_ago, exclude=claim_id, insured=insured_person_id),
        household_claims_12m=repo.claims_since(ctx, year_ago, exclude=claim_id, household=household_id),
        annual_income=repo.income_of(ctx, insured_person_id),
        sum_assured=repo.existing_cover(ctx, insured_person_id),
        duplicate_invoices_elsewhere=repo.invoices_claimed_elsewhere(ctx, household_id, invoices),
        hospital_claims=count,
        hospital_fraud_share=fraud_share,
        hospital_amount_ratio=ratio,
        proxy=proxy,
    )


def score_claim(ctx: ServiceContext, claim_id: int, household_id: int, facts: cr.ClaimRisk) -> RiskAssessment:
    """Rules always; the model's calibrated probability when an active model exists. A duplicate invoice from
    another household is decisive either way."""
    rule_score, hits = cr.rule_score(facts)
    row_features = cr.features(facts)
    model = active_model(ctx)
    score, method, explanation = rule_score, "rules", []
    if model is not None:
        score, effects = fm.predict_and_explain(model, row_features)
        method = "model"
        explanation = [{"feature": f, "effect": e} for f, e in effects]
        if facts.duplicate_invoices_elsewhere:
            score = max(score, rule_score)
    outcome = "review" if score > CLAIM_REVIEW_ABOVE else "pass"
    row = RiskAssessment(
        kind="claim",
        claim_id=claim_id,
        household_id=household_id,
        points=min(100, sum(h.points for h in hits)),
        score=round(score, 4),
        outcome=outcome,
        method=method,
        model_version=model.version if model else None,
        reasons=_hits(hits),
        features=row_features,
        explanation=explanation,
        status="open" if outcome == "review" else "passed",
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    return row


# ---------------------------------------------------------------------------------------------------------------
# Queues and decisions


def queue(
    ctx: ServiceContext, kind: str, *, status: str = "open", limit: int = 100, offset: int = 0
) -> list[RiskAssessment]:
    stmt = (
        select(RiskAssessment)
        .where(RiskAssessment.kind == kind, RiskAssessment.status == status)
        .order_by(RiskAssessment.score.desc(), RiskAssessment.id)
        .limit(limit)
        .offset(offset)
    )
    return list(ctx.session.scalars(stmt))


def get(ctx: ServiceContext, assessment_id: int) -> RiskAssessment:
    row = ctx.session.get(RiskAssessment, assessment_id)
    if row is None:
        raise NotFound("Risk case not found", "未找到该风险案件", code="risk_case_not_found")
    return row


def decide_application(ctx: ServiceContext, assessment_id: int, *, clear: bool, note: str) -> RiskAssessment:
    """A person clears the application (it may go on to confirmation) or intercepts it; the note is required."""
    row = get(ctx, assessment_id)
    if row.kind != "application":
        raise NotFound("Risk case not found", "未找到该风险案件", code="risk_case_not_found")
    if row.status != "open":
        raise Conflict("This case is already decided", "该案件已处理", code="risk_case_decided")
    _require_note(note)
    row.status = "cleared" if clear else "intercepted"
    _decided(ctx, row, note)
    ctx.audit("risk.application.decide", "application", row.application_id, {"status": row.status})
    return row


def decide_claim(ctx: ServiceContext, assessment_id: int, *, fraud: bool, note: str) -> RiskAssessment:
    """Confirmed fraud or not: the claim's label for the model. The claim itself stays with the adjuster."""
    row = get(ctx, assessment_id)
    if row.kind != "claim":
        raise NotFound("Risk case not found", "未找到该风险案件", code="risk_case_not_found")
    if row.fraud_label is not None:
        raise Conflict("This case is already decided", "该案件已处理", code="risk_case_decided")
    _require_note(note)
    row.fraud_label = fraud
    row.status = "confirmed_fraud" if fraud else "cleared"
    _decided(ctx, row, note)
    ctx.audit("risk.claim.label", "claim", row.claim_id, {"fraud": fraud})
    return row


def _require_note(note: str) -> None:
    if not note.strip():
        raise InvalidInput(
            fields=(FieldProblem("note", "required", "请填写处理意见", "Write down the reason for the decision"),)
        )


def _decided(ctx: ServiceContext, row: RiskAssessment, note: str) -> None:
    row.decided_by = ctx.principal.user_id or None
    row.decided_at = ctx.now()
    row.decision_note = note.strip()[:500]
    ctx.session.flush()


# ---------------------------------------------------------------------------------------------------------------
# The model


def labelled(ctx: ServiceContext) -> tuple[np.ndarray, np.ndarray]:
    rows = ctx.session.execute(
        select(RiskAssessment.features, RiskAssessment.fraud_label).where(
            RiskAssessment.kind == "claim", RiskAssessment.fraud_label.is_not(None)
        )
    ).all()
    rows = [r for r in rows if len(r[0]) == len(cr.FEATURES)]
    x = np.asarray([r[0] for r in rows], dtype=float).reshape(-1, len(cr.FEATURES))
    y = np.asarray([1 if r[1] else 0 for r in rows], dtype=int)
    return x, y


def train(ctx: ServiceContext, *, x: np.ndarray | None = None, y: np.ndarray | None = None) -> FraudModel:
    """Train on the labelled claims (or on given data, for the demo), store and activate the model."""
    if x is None or y is None:
        x, y = labelled(ctx)
    if not fm.enough_labels(y):
        raise Conflict(
            f"Too few labelled claims ({len(y)}; {fm.MIN_LABELS} with {fm.MIN_POSITIVES} of each class needed): "
            "the rules decide",
            f"已标注的理赔案件不足（{len(y)}件；至少需要{fm.MIN_LABELS}件，欺诈与非欺诈各至少{fm.MIN_POSITIVES}件），"
            "暂由规则决定",
            code="too_few_labels",
        )
    now: datetime = ctx.now()
    version = f"{now:%Y%m%d%H%M%S}-{len(y)}"
    trained = fm.train(x, y, version=version)
    blob, digest = fm.dumps(trained)
    ctx.session.execute(update(FraudModel).values(active=False))
    row = FraudModel(
        version=version,
        trained_at=now,
        labels=len(y),
        positives=int(y.sum()),
        auc=trained.auc,
        brier=trained.brier,
        ece=trained.ece,
        metrics={
            "base_brier": trained.base_brier,
            "bins": trained.bins,
            "n_train": trained.n_train,
            "n_test": trained.n_test,
            "features": list(trained.features),
        },
        blob=blob,
        digest=digest,
        active=True,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("risk.model.train", "fraud_model", row.id, {"version": version, "auc": round(trained.auc, 4)})
    return row


def model_status(ctx: ServiceContext) -> dict[str, Any]:
    _, y = labelled(ctx)
    row = ctx.session.scalar(select(FraudModel).where(FraudModel.active.is_(True)))
    return {
        "labels": len(y),
        "positives": int(y.sum()) if len(y) else 0,
        "min_labels": fm.MIN_LABELS,
        "min_positives": fm.MIN_POSITIVES,
        "deciding": "model" if row else "rules",
        "model": None
        if row is None
        else {
            "version": row.version,
            "trained_at": row.trained_at.isoformat(),
            "labels": row.labels,
            "positives": row.positives,
            "auc": round(row.auc, 4),
            "brier": round(row.brier, 4),
            "ece": round(row.ece, 4),
            "base_brier": round(float(row.metrics.get("base_brier", 0.0)), 4),
            "bins": row.metrics.get("bins", []),
        },
    }


def figures(ctx: ServiceContext) -> dict[str, Any]:
    """Screenings, interceptions and their rate (the KPI: the seed's 3.2%), claim alerts and their outcomes."""
    counts: dict[tuple[str, str], int] = {
        (kind, status): int(n)
        for kind, status, n in ctx.session.execute(
            select(RiskAssessment.kind, RiskAssessment.status, func.count(RiskAssessment.id)).group_by(
                RiskAssessment.kind, RiskAssessment.status
            )
        )
    }
    screened = sum(n for (k, _), n in counts.items() if k == "application")
    intercepted = counts.get(("application", "intercepted"), 0)
    claims = sum(n for (k, _), n in counts.items() if k == "claim")
    return {
        "applications_screened": screened,
        "applications_intercepted": intercepted,
        "interception_rate": round(intercepted / screened, 4) if screened else 0.0,
        "applications_in_review": counts.get(("application", "open"), 0),
        "applications_cleared": counts.get(("application", "cleared"), 0),
        "claims_scored": claims,
        "claim_alerts_open": counts.get(("claim", "open"), 0),
        "claim_alerts_confirmed": counts.get(("claim", "confirmed_fraud"), 0),
        "claim_alerts_cleared": counts.get(("claim", "cleared"), 0),
    }
