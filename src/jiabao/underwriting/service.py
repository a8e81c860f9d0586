"""Underwriting use cases (智能核保): decide an insured on the knowledge base, store the decision with its facts,
queue referrals for underwriters, and record their decisions (append-only; audited)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.underwriting.engine import (
    AnswersInvalid,
    CaseContext,
    Channel,
    Conclusion,
    CoverRequest,
    InForceCover,
    InsuredDecision,
    InsuredFacts,
    KnowledgeBase,
    ProductLine,
    QuestionnaireContext,
    Sex,
    build_insured_facts,
    decide_insured,
)
from jiabao.underwriting.models import Referral, UnderwritingDecision

SEVERITY = [
    Conclusion.STANDARD,
    Conclusion.RATED,
    Conclusion.EXCLUSION,
    Conclusion.RATED_WITH_EXCLUSION,
    Conclusion.PENDING_EVIDENCE,
    Conclusion.REFERRED,
    Conclusion.POSTPONED,
    Conclusion.DECLINED,
]
ACCEPTABLE = frozenset({Conclusion.STANDARD, Conclusion.RATED, Conclusion.EXCLUSION, Conclusion.RATED_WITH_EXCLUSION})
HUMAN_CONCLUSIONS = (
    Conclusion.STANDARD,
    Conclusion.RATED,
    Conclusion.EXCLUSION,
    Conclusion.RATED_WITH_EXCLUSION,
    Conclusion.POSTPONED,
    Conclusion.DECLINED,
)
RATED_CONCLUSIONS = frozenset({Conclusion.RATED, Conclusion.RATED_WITH_EXCLUSION})
EXCLUDING_CONCLUSIONS = frozenset({Conclusion.EXCLUSION, Conclusion.RATED_WITH_EXCLUSION})
MAX_HUMAN_EXTRA_PERCENT = 500


def overall(decision: InsuredDecision) -> Conclusion:
    """The insured's conclusion for the product: referred if a person must decide, else the worst line."""
    if decision.referred:
        return Conclusion.REFERRED
    return max((line.conclusion for line in decision.lines), key=SEVERITY.index)


def questionnaire_context(
    *, lines: Sequence[ProductLine], channel: Channel, birth_date: date, sex: str, as_of: date
) -> QuestionnaireContext:
    return QuestionnaireContext(
        lines=frozenset(lines),
        channel=channel,
        birth_date=birth_date,
        sex=Sex.MALE if sex == "M" else Sex.FEMALE,
        as_of=as_of,
    )


def answers_problems(exc: AnswersInvalid, kb: KnowledgeBase) -> tuple[FieldProblem, ...]:
    return tuple(FieldProblem(e.field, e.code, e.reason_zh, e.reason_en) for e in exc.errors)


def build_facts(
    kb: KnowledgeBase,
    qctx: QuestionnaireContext,
    *,
    person_id: int,
    answers: Mapping[str, Any],
    reflexive: Mapping[str, Mapping[str, Any]],
    covers: Sequence[CoverRequest],
    in_force: Sequence[InForceCover] = (),
) -> InsuredFacts:
    """Validate the questionnaire into the engine's facts; every bad answer is a field problem (422).

    ``in_force`` is the cover the insured already holds (the household's policies, cover declared elsewhere)."""
    try:
        return build_insured_facts(
            kb, qctx, insured_id=str(person_id), answers=answers, reflexive=reflexive, covers=covers, in_force=in_force
        )
    except AnswersInvalid as exc:
        raise InvalidInput(fields=answers_problems(exc, kb)) from exc


def decide_and_record(
    ctx: ServiceContext,
    kb: KnowledgeBase,
    *,
    application_id: int,
    person_id: int,
    facts: InsuredFacts,
    case: CaseContext,
) -> UnderwritingDecision:
    """Run the engine, store the decision with its facts and versions, and queue a referral when needed."""
    decision = decide_insured(kb, facts, case)
    conclusion = overall(decision)
    row = UnderwritingDecision(
        application_id=application_id,
        person_id=person_id,
        kb_version=kb.version,
        kb_digest=kb.digest,
        facts_enc=_seal(ctx, "facts", {"insured": facts.model_dump(mode="json"), "case": _case_json(case)}),
        result_enc=_seal(ctx, "result", decision.model_dump(mode="json")),
        conclusion=conclusion.value,
        automated=decision.automated,
        elapsed_ms=decision.elapsed_ms,
        decided_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    if conclusion is Conclusion.REFERRED:
        reasons = sorted({r.code.value for line in decision.lines for r in line.reasons if r.decisive})
        ctx.session.add(
            Referral(
                decision_id=row.id,
                application_id=application_id,
                person_id=person_id,
                status="open",
                reasons=reasons,
                created_at=ctx.now(),
            )
        )
        ctx.session.flush()
    ctx.audit(
        "uw.decide",
        "application",
        application_id,
        {"person_id": person_id, "conclusion": conclusion.value, "kb_version": kb.version},
    )
    return row


def _seal(ctx: ServiceContext, column: str, value: dict[str, Any]) -> bytes:
    return ctx.cipher.encrypt(f"uw_decisions.{column}", json.dumps(value, ensure_ascii=False, sort_keys=True))


def facts_of(ctx: ServiceContext, row: UnderwritingDecision) -> dict[str, Any]:
    """The stored facts (health answers) in clear; a staff read is written to the audit log."""
    value: dict[str, Any] = json.loads(ctx.cipher.decrypt("uw_decisions.facts", row.facts_enc))
    if ctx.principal.is_staff:
        ctx.audit("pii.read", "uw_decision", row.id, {"fields": ["health_answers"]})
    return value


def result_of(ctx: ServiceContext, row: UnderwritingDecision) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(ctx.cipher.decrypt("uw_decisions.result", row.result_enc))
    return value


def _case_json(case: CaseContext) -> dict[str, Any]:
    return {
        "as_of": case.as_of.isoformat(),
        "channel": case.channel.value,
        "policyholder_age": case.policyholder_age,
        "household_insured_members": case.household_insured_members,
    }


def rerun(ctx: ServiceContext, kb: KnowledgeBase, row: UnderwritingDecision) -> InsuredDecision:
    """Re-decide a stored case from its stored facts (to show a decision is reproducible on its version)."""
    if kb.version != row.kb_version:
        raise Conflict("Knowledge-base version differs from the decision's", "知识库版本与原决定不一致")
    stored = facts_of(ctx, row)
    case = stored["case"]
    context = CaseContext(
        as_of=date.fromisoformat(case["as_of"]),
        channel=Channel(case["channel"]),
        policyholder_age=int(case["policyholder_age"]),
        household_insured_members=int(case["household_insured_members"]),
    )
    return decide_insured(kb, InsuredFacts.model_validate(stored["insured"]), context)


def request_review(ctx: ServiceContext, decision: UnderwritingDecision) -> Referral:
    """The customer's right to a human review of an automated decision (PIPL art. 24): queue it for a person."""
    if not decision.automated:
        raise Conflict("A person already made this decision", "该结论已由核保人员作出", code="already_human")
    existing = ctx.session.scalars(select(Referral).where(Referral.decision_id == decision.id)).one_or_none()
    if existing is not None:
        raise Conflict("A review was already requested", "已申请人工核保，请耐心等待", code="review_requested")
    found = Referral(
        decision_id=decision.id,
        application_id=decision.application_id,
        person_id=decision.person_id,
        status="open",
        reasons=["customer_review_request"],
        created_at=ctx.now(),
    )
    ctx.session.add(found)
    ctx.session.flush()
    ctx.audit("uw.review_requested", "application", decision.application_id, {"person_id": decision.person_id})
    return found


def _ensure_underwriter(ctx: ServiceContext) -> None:
    if ctx.principal.role not in (Role.UNDERWRITER, Role.ADMIN):
        raise PermissionDenied("Only underwriters handle referrals", "仅核保人员可处理转人工案件")


def open_referrals(ctx: ServiceContext) -> list[Referral]:
    _ensure_underwriter(ctx)
    stmt = select(Referral).where(Referral.status != "resolved").order_by(Referral.created_at, Referral.id)
    return list(ctx.session.scalars(stmt.limit(200)))


def referral(ctx: ServiceContext, referral_id: int) -> tuple[Referral, UnderwritingDecision]:
    _ensure_underwriter(ctx)
    found = ctx.session.get(Referral, referral_id)
    if found is None:
        raise NotFound("Referral not found", "未找到该核保案件", code="referral_not_found")
    decision = ctx.session.get(UnderwritingDecision, found.decision_id)
    assert decision is not None  # FK
    return found, decision


def take(ctx: ServiceContext, referral_id: int) -> Referral:
    found, _ = referral(ctx, referral_id)
    if found.status == "resolved":
        raise Conflict("This case is already resolved", "该案件已处理完毕", code="referral_resolved")
    found.status, found.taken_by, found.taken_at = "taken", ctx.principal.user_id, ctx.now()
    ctx.audit("uw.referral_take", "application", found.application_id, {"referral_id": found.id})
    return found


def case_lines(ctx: ServiceContext, row: UnderwritingDecision) -> list[str]:
    """The product lines the case covers (from the stored facts' cover requests)."""
    facts: dict[str, Any] = json.loads(ctx.cipher.decrypt("uw_decisions.facts", row.facts_enc))
    return sorted({str(c["line"]) for c in facts["insured"].get("covers", [])})


def exclusion_choices(kb: KnowledgeBase, conditions_zh: str, conditions_en: str) -> list[dict[str, str]]:
    """The knowledge base's exclusion clauses, ``{condition}`` filled with the case's disclosed conditions."""
    return [
        {
            "code": e.code,
            "wording_zh": e.zh.replace("{condition}", conditions_zh),
            "wording_en": e.en.replace("{condition}", conditions_en),
        }
        for e in kb.exclusions.values()
    ]


def disclosed_conditions(kb: KnowledgeBase, facts: Mapping[str, Any]) -> tuple[str, str]:
    """The names of the disclosed conditions (for the exclusion wordings), or a neutral phrase."""
    codes = [str(d.get("impairment")) for d in facts.get("insured", {}).get("disclosures", [])]
    names = [kb.impairments[c].name for c in codes if c in kb.impairments]
    if not names:
        return "所告知的疾病", "the disclosed condition"
    return "、".join(n.zh for n in names), ", ".join(n.en for n in names)


def _terms_problems(
    kb: KnowledgeBase,
    conclusion: Conclusion,
    lines: Sequence[str],
    extra: Mapping[str, int],
    exclusions: Sequence[str],
) -> list[FieldProblem]:
    problems = []
    step = kb.rating.table_step_percent
    for line, pct in extra.items():
        field = f"extra_premium_percent.{line}"
        if line not in lines:
            problems.append(FieldProblem(field, "not_a_line", "本案不含该险种", "This case does not cover that line"))
        elif not 0 <= pct <= MAX_HUMAN_EXTRA_PERCENT or pct % step:
            problems.append(
                FieldProblem(
                    field,
                    "out_of_range",
                    f"加费比例须为 0–{MAX_HUMAN_EXTRA_PERCENT}% 且为 {step}% 的整数倍",
                    f"The extra premium must be 0–{MAX_HUMAN_EXTRA_PERCENT}% in steps of {step}%",
                )
            )
    rated = any(v > 0 for v in extra.values())
    if conclusion in RATED_CONCLUSIONS and not rated:
        problems.append(
            FieldProblem("extra_premium_percent", "required", "加费承保须填写加费比例", "Give the extra premium")
        )
    if conclusion not in RATED_CONCLUSIONS and rated:
        problems.append(
            FieldProblem(
                "extra_premium_percent", "not_allowed", "该结论不收取加费", "This conclusion takes no extra premium"
            )
        )
    unknown = [c for c in exclusions if c not in kb.exclusions]
    problems += [
        FieldProblem(f"exclusions.{c}", "unknown", "知识库中没有该除外条款", "No such clause") for c in unknown
    ]

    if conclusion in EXCLUDING_CONCLUSIONS and not exclusions:
        problems.append(FieldProblem("exclusions", "required", "除外承保须选择除外条款", "Choose an exclusion clause"))
    if conclusion not in EXCLUDING_CONCLUSIONS and exclusions:
        problems.append(
            FieldProblem("exclusions", "not_allowed", "该结论不附除外条款", "This conclusion has no exclusion")
        )
    return problems


def resolve(
    ctx: ServiceContext,
    kb: KnowledgeBase,
    referral_id: int,
    *,
    conclusion: Conclusion,
    reason: str,
    extra_premium_percent: Mapping[str, int] | None = None,
    exclusions: Sequence[str] = (),
) -> UnderwritingDecision:
    """An underwriter's decision: a new decision row superseding the engine's, with the reason and the terms (the
    extra premium per product line, exclusion clauses from the knowledge base); audited. Every problem at once."""
    found, engine_row = referral(ctx, referral_id)
    if found.status == "resolved":
        raise Conflict("This case is already resolved", "该案件已处理完毕", code="referral_resolved")
    extra = {str(k): int(v) for k, v in (extra_premium_percent or {}).items()}
    problems: list[FieldProblem] = []
    if conclusion not in HUMAN_CONCLUSIONS:
        problems.append(FieldProblem("conclusion", "invalid", "结论无效", "Not a valid conclusion"))
    if len(reason.strip()) < 4:
        problems.append(FieldProblem("reason", "required", "请填写核保理由", "Give the reason"))
    lines = case_lines(ctx, engine_row)
    problems += _terms_problems(kb, conclusion, lines, extra, exclusions)
    if problems:
        raise InvalidInput(fields=tuple(problems))
    zh, en = disclosed_conditions(kb, facts_of(ctx, engine_row))
    chosen = {c["code"]: c for c in exclusion_choices(kb, zh, en) if c["code"] in set(exclusions)}
    terms = [
        {
            "line": line,
            "conclusion": conclusion.value,
            "extra_premium_percent": extra.get(line, 0),
            "flat_extras": [],
            "exclusions": [
                {"code": code, "subject": "underwriter", **{k: v for k, v in chosen[code].items() if k != "code"}}
                for code in dict.fromkeys(exclusions)
            ],
        }
        for line in lines
    ]
    human = UnderwritingDecision(
        application_id=engine_row.application_id,
        person_id=engine_row.person_id,
        kb_version=engine_row.kb_version,
        kb_digest=engine_row.kb_digest,
        facts_enc=engine_row.facts_enc,
        result_enc=_seal(
            ctx,
            "result",
            {
                "conclusion": conclusion.value,
                "reason": reason.strip(),
                "engine_decision_id": engine_row.id,
                "lines": terms,
            },
        ),
        conclusion=conclusion.value,
        automated=False,
        elapsed_ms=0.0,
        decided_at=ctx.now(),
        decided_by=ctx.principal.user_id,
        reason=reason.strip(),
        supersedes_id=engine_row.id,
    )
    ctx.session.add(human)
    ctx.session.flush()
    found.status, found.resolved_at, found.resolution_id = "resolved", ctx.now(), human.id
    ctx.audit(
        "uw.referral_resolve",
        "application",
        found.application_id,
        {
            "referral_id": found.id,
            "conclusion": conclusion.value,
            "extra_premium_percent": {k: v for k, v in extra.items() if v},
            "exclusions": list(dict.fromkeys(exclusions)),
        },
    )
    return human
