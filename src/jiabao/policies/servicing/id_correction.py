"""证件号码更正: correcting a policyholder's or insured's resident ID number on evidence, reviewed in the back office.

Rules (regulation.md §3.1, §1.7; Insurance Law arts. 16 and 32):

- **Request** (online by the policyholder or a servicing proxy, or at the counter with the identity check and the
  customer's confirmation): the new number must be a valid GB 11643-1999 number — 18 characters, the ISO 7064
  MOD 11-2 check character, a birth date that is a real calendar date (not in the future, not before 1900) — and
  not the person's current number; at least one uploaded evidence document (ID card, household register or a
  police certificate) of the household, not used by a claim. Nothing is written when any of it fails.
- **No client-existence oracle**: whether the number already belongs to another person is not looked at on
  receipt. Every valid request gets the same answer (``referred``: waiting for review) and the same result.
- **Review** by service staff (or an admin) who did not accept it (four eyes): refuse with a reason, or approve.
  Approval is refused (``id_number_registered``) while the number belongs to another person — people are never
  merged automatically; the reviewer looks into it and refuses or has the records put right by hand.
- **On approval** the encrypted number, its blind index and its mask are replaced (the clear number is read once,
  audited), the birth date and sex follow the number, and every live policy on which the person is insured goes
  through the misstated-age path (art. 32, :func:`alterations.plan_age_correction`) when the age at issue or the
  sex changes: a true age outside the product's limits rescinds within the art. 16 limits (30 days from receipt
  of the request, 2 years from formation) and refunds the cash value; past those limits the contract stands;
  an underpayment is collected (an instalment due today) or the sum assured reduced in proportion (the
  reviewer's choice, art. 32 para. 2); an overpayment is refunded (para. 3). The premium follows on the unpaid
  instalments. Each policy's effect is its own ``age_correction`` request, linked to this one, and the
  policyholders are told the effect in Chinese.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.claims import evidence
from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.core.pii import mask_id_number
from jiabao.core.validation import identity as ids
from jiabao.core.validation.errors import ValidationFailed
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.enums import Sex
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.common import views
from jiabao.policies.common.models import Policy, PolicyInsured, ServiceRequest
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing import alterations
from jiabao.policies.servicing.common import (
    LIVE,
    active_insureds,
    current_member,
    finish,
    message,
    open_request,
    problem,
    raise_if,
    received_on,
)
from jiabao.policies.servicing.schemas import IdCorrectionDecisionIn, IdNumberCorrectionIn
from jiabao.products.service import ProductEngine

ID_COLUMN = family.ID_COLUMN
REVIEWERS = frozenset({Role.SERVICE, Role.ADMIN})
PENDING = "referred"
EVIDENCE_KINDS: dict[str, tuple[str, str]] = {
    "id_document": ("居民身份证（正反面）", "Resident ID card (both sides)"),
    "household_register": ("户口簿本人页", "Household register, own page"),
    "police_certificate": ("公安机关户籍证明", "Police household-registration certificate"),
}
"""The evidence an ID-number correction accepts (uploaded to the household through the document upload)."""
GB11643_TYPES = frozenset({ids.IdType.RESIDENT_ID.value, ids.IdType.HK_MACAU_TW_RESIDENCE_PERMIT.value})


def _parse(id_type: str, raw: str, ctx: ServiceContext) -> ids.IdentityDocument:
    try:
        return ids.parse_id_number(id_type, raw, today=ctx.clock.today(), field="id_number")
    except ValidationFailed as exc:
        raise InvalidInput(
            fields=tuple(FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors)
        ) from exc


def request_correction(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: IdNumberCorrectionIn
) -> ServiceRequest:
    """Accept a correction for review (rules in the module docstring); bad input changes nothing."""
    member = current_member(overview, data.person_id, "person_id")
    if data.person_id not in {policy.policyholder_person_id, *(i.person_id for i in active_insureds(policy))}:
        raise_if([problem("person_id", "not_party", "不是本保单的投保人或被保险人", "Not a party to this policy")])
    if member.id_type not in GB11643_TYPES:
        raise_if(
            [
                problem(
                    "id_number",
                    "id_type_not_supported",
                    "仅居民身份证或港澳台居民居住证号码可在此更正，其他证件请到柜面办理",
                    "Only resident ID or residence permit numbers can be corrected here",
                )
            ]
        )
    doc = _parse(member.id_type, data.id_number, ctx)
    problems: list[FieldProblem] = []
    if family.id_number_owner(ctx, family.id_number_index(ctx, doc.number)) == data.person_id:
        problems.append(
            problem("id_number", "same_as_current", "新号码与现登记的号码相同", "The number is the one on record")
        )
    try:
        kinds = evidence.kinds_available(ctx, policy.household_id, data.document_ids)
    except InvalidInput as exc:
        problems += exc.fields
    else:
        if any(kind not in EVIDENCE_KINDS for kind in kinds):
            problems.append(
                problem(
                    "document_ids",
                    "wrong_evidence",
                    "请上传居民身份证、户口簿本人页或公安机关户籍证明",
                    "Upload the ID card, the household register page or a police certificate",
                )
            )
    raise_if(problems)
    if _pending(ctx, policy.household_id, data.person_id) is not None:
        raise Conflict(
            "A correction of this person's ID number is already under review",
            "此人已有待审核的证件号码更正申请，请等待审核结果",
            code="id_correction_pending",
        )
    masked = mask_id_number(doc.number)
    payload = {
        "person_id": data.person_id,
        "id_enc_b64": base64.b64encode(ctx.cipher.encrypt(ID_COLUMN, doc.number)).decode("ascii"),
        "id_number_masked": masked,
        "previous_masked": member.id_number_masked,
        "document_ids": list(dict.fromkeys(data.document_ids)),
        "evidence_kinds": sorted(set(kinds)),
        "identity_verified": channel is not Channel.ONLINE,
    }
    row = open_request(ctx, policy, ServicingItem.ID_NUMBER, channel, payload)
    row.status = PENDING
    row.result = {"person_id": data.person_id, "id_number_masked": masked, "review": "pending"}
    ctx.session.flush()
    ctx.audit("servicing.id_number_correction", "policy", policy.id, {"request_id": row.id, "status": PENDING})
    return row


def _pending(ctx: ServiceContext, household_id: int, person_id: int) -> ServiceRequest | None:
    stmt = (
        select(ServiceRequest)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(
            Policy.household_id == household_id,
            ServiceRequest.kind == ServicingItem.ID_NUMBER.value,
            ServiceRequest.status == PENDING,
        )
    )
    return next((r for r in ctx.session.scalars(stmt) if int(r.payload.get("person_id", 0)) == person_id), None)


def queue(ctx: ServiceContext) -> list[dict[str, Any]]:
    """The corrections waiting for review, oldest first (masked numbers only)."""
    if ctx.principal.role not in REVIEWERS:
        raise PermissionDenied("Only service staff review ID corrections", "仅服务人员可审核证件号码更正")
    stmt = (
        select(ServiceRequest, Policy)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(ServiceRequest.kind == ServicingItem.ID_NUMBER.value, ServiceRequest.status == PENDING)
        .order_by(ServiceRequest.requested_at, ServiceRequest.id)
        .limit(200)
    )
    return [
        {
            "service_request_id": row.id,
            "policy_id": policy.id,
            "policy_no": policy.policy_no,
            "household_id": policy.household_id,
            "person_id": int(row.payload["person_id"]),
            "id_number_masked": row.payload["id_number_masked"],
            "previous_masked": row.payload.get("previous_masked"),
            "document_ids": row.payload.get("document_ids", []),
            "evidence_kinds": row.payload.get("evidence_kinds", []),
            "channel": row.channel,
            "requested_at": row.requested_at,
            "complete_due": row.complete_due,
            "accepted_by": row.requested_by,
            "own": row.requested_by is not None and row.requested_by == ctx.principal.user_id,
        }
        for row, policy in ctx.session.execute(stmt)
    ]


def _load_pending(ctx: ServiceContext, request_id: int) -> ServiceRequest:
    if ctx.principal.role not in REVIEWERS:
        raise PermissionDenied("Only service staff review ID corrections", "仅服务人员可审核证件号码更正")
    row = ctx.session.scalars(
        select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()
    ).one_or_none()
    if row is None or row.kind != ServicingItem.ID_NUMBER.value:
        raise NotFound("No such ID-number correction", "未找到该证件号码更正申请", code="request_not_found")
    if row.status != PENDING:
        raise Conflict("This request has already been decided", "该申请已审核完毕", code="already_decided")
    if row.requested_by is not None and row.requested_by == ctx.principal.user_id:
        raise PermissionDenied(
            "Someone other than who accepted the request must review it (four eyes)",
            "须由受理人以外的人员审核（双人复核）",
            code="four_eyes",
        )
    return row


def decide(ctx: ServiceContext, engine: ProductEngine, request_id: int, data: IdCorrectionDecisionIn) -> ServiceRequest:
    """The reviewer's decision (rules in the module docstring); a refusal or a failed check changes nothing else."""
    row = _load_pending(ctx, request_id)
    ctx.session.scalars(select(Policy.id).where(Policy.id == row.policy_id).with_for_update()).one_or_none()
    policy, overview = views.load(ctx, row.policy_id)
    person_id = int(row.payload["person_id"])
    decided = {"decided_by": ctx.principal.user_id, "decided_on": ctx.clock.today().isoformat(), "reason": data.reason}
    if not data.approve:
        finish(ctx, policy, row, {**row.result, "review": "refused", **decided}, status="rejected")
        message(
            ctx,
            policy,
            f"您的证件号码更正申请（受理号{row.id}）未通过审核，原因：{data.reason}。如有疑问请致电客服或到柜面办理。",
        )
        return row
    member = current_member(overview, person_id, "person_id")
    number = ctx.cipher.decrypt(ID_COLUMN, base64.b64decode(str(row.payload["id_enc_b64"])))
    ctx.audit("pii.read", "service_request", row.id, {"fields": ["id_number"], "purpose": "id_number_correction"})
    doc = _parse(member.id_type, number, ctx)
    assert doc.birth_date is not None and doc.sex is not None  # GB 11643 numbers carry both
    owner = family.id_number_owner(ctx, family.id_number_index(ctx, doc.number))
    if owner is not None and owner != person_id:
        raise Conflict(
            "The number is registered to another person; people are never merged automatically",
            "该证件号码已登记在另一客户名下，系统不会自动合并客户。请人工核实后驳回或线下处理",
            code="id_number_registered",
        )
    true_sex = Sex(doc.sex.value)
    changed = doc.birth_date != member.birth_date or true_sex != member.sex
    learned_on = received_on(row)
    plans: list[tuple[Policy, alterations.AgePlan]] = []
    if changed:
        for other in _insured_policies(ctx, person_id):
            plan = alterations.plan_age_correction(
                ctx,
                engine,
                other,
                person_id,
                true_birth_date=doc.birth_date,
                stated_sex=member.sex.value,
                true_sex=true_sex.value,
                learned_on=learned_on,
                proportional=data.proportional,
                strict=False,
            )
            if plan.stated_age != plan.true_age or plan.stated_sex != plan.true_sex:
                plans.append((other, plan))
    family.correct_id_number(
        ctx,
        member.member_id,
        id_number=doc.number,
        birth_date=doc.birth_date,
        sex=true_sex,
        region_code=doc.region_code,
    )
    effects: list[dict[str, Any]] = []
    for other, plan in plans:
        payload = {
            "person_id": person_id,
            "stated_age": plan.stated_age,
            "true_age": plan.true_age,
            "stated_sex": plan.stated_sex,
            "true_sex": plan.true_sex,
            "id_correction_request_id": row.id,
            "evidence": ",".join(row.payload.get("evidence_kinds", [])),
        }
        sub = open_request(ctx, other, ServicingItem.AGE_CORRECTION, Channel.COUNTER, payload)
        result = alterations.apply_age_correction(ctx, other, plan, sub)
        note = effect_zh(plan, result)
        finish(ctx, other, sub, {**payload, **result, "message_zh": note}, note_zh=note)
        effects.append({"policy_id": other.id, "policy_no": other.policy_no, "request_id": sub.id, **result})
    outcome = {
        **row.result,
        "review": "approved",
        **decided,
        "birth_date_changed": doc.birth_date != member.birth_date,
        "sex_changed": true_sex != member.sex,
        "policies": effects,
    }
    finish(ctx, policy, row, outcome, note_zh=_summary_zh(row.payload["id_number_masked"], effects))
    return row


def _insured_policies(ctx: ServiceContext, person_id: int) -> list[Policy]:
    """Every live policy on which the person is an active insured, locked in id order (two corrections queue)."""
    stmt = (
        select(Policy.id)
        .join(PolicyInsured, PolicyInsured.policy_id == Policy.id)
        .where(PolicyInsured.person_id == person_id, PolicyInsured.status == "active", Policy.status.in_(sorted(LIVE)))
        .order_by(Policy.id)
        .with_for_update()
    )
    return [views.load(ctx, policy_id)[0] for policy_id in dict.fromkeys(ctx.session.scalars(stmt))]


def _yuan(value: Any) -> str:
    return f"¥{Decimal(str(value)):,.2f}"


def effect_zh(plan: alterations.AgePlan, result: dict[str, Any]) -> str:
    """The effect on one policy, in the message to the policyholder."""
    what = (
        "年龄" if plan.stated_sex == plan.true_sex else ("性别" if plan.stated_age == plan.true_age else "年龄和性别")
    )
    match plan.outcome.outcome:
        case "rescind":
            return (
                f"被保险人真实投保年龄为{plan.true_age}岁，不符合本产品的投保年龄，依《保险法》第三十二条解除合同，"
                f"退还保单现金价值{_yuan(result['cash_value'])}。"
            )
        case "kept":
            return "被保险人真实年龄不符合投保年龄，但已超过法定解除期限，合同继续有效，保费和保障不变。"
        case "refund":
            return (
                f"按真实{what}，年缴保费由{_yuan(result['annual_premium_before'])}调整为"
                f"{_yuan(result['annual_premium_after'])}，多缴的保费{_yuan(result['amount'])}将退还至您的账户。"
            )
        case "extra_premium":
            return (
                f"按真实{what}，年缴保费由{_yuan(result['annual_premium_before'])}调整为"
                f"{_yuan(result['annual_premium_after'])}，需补缴保费差额{_yuan(result['amount'])}。"
            )
        case "proportional_cover":
            return (
                f"按实缴保费与应缴保费的比例，保险金额由{_yuan(result['sum_assured_before'])}调整为"
                f"{_yuan(result['sum_assured_after'])}，保费不变。"
            )
    return "保费和保障不变。"


def _summary_zh(masked: str, effects: list[dict[str, Any]]) -> str:
    text = f"证件号码已更正为{masked}。"
    if not effects:
        return text + "您的保费和保障不变。"
    return text + "受影响的保单：" + "、".join(str(e["policy_no"]) for e in effects) + "，调整详情另行通知。"
