"""Change of policyholder within the family (变更投保人, issue 12 item 4), with both parties' consent.

The rules (regulation.md §1.7 and §2.8, Conf. H):

- **Who asks.** The current policyholder — online from their own log-in, or at a counter where staff verify their
  identity and record their confirmation. The contract's changes are the policyholder's (Insurance Law art. 20); a
  proxy may not give the contract away, so a customer must be the holder themselves.
- **The new policyholder** is an active adult member of the family (18 or over: full civil capacity, Civil Code
  arts. 17-18, which they declare when they consent) with an **insurable interest** in every insured (Insurance
  Law art. 31: self, spouse, children, parents, other family members they support or maintain — or the insured's
  consent). The family relation is read from both members' relationships to the household head, as at the
  application (``confirmation.relation``).
- **Death cover**: transferring a contract with death cover needs the insured's **written consent** (art. 34
  para. 2); for a minor the parent or guardian gives it. The insured who is either party consents by taking part.
- **Policy loan**: the cash value and any loan stay with the policy; we take the stricter course and refuse while a
  loan is outstanding (repay it first), so the new holder never inherits a debt they did not agree to.
- **Consent and expiry**: the request waits for the new policyholder's own consent (their log-in, or a counter with
  identity verified) for ``HOLDER_CHANGE_CONSENT_DAYS`` calendar days; after that it expires (the daily job marks
  it, and a late consent is refused). Either party may decline; the new holder declining rejects it.
- **Screening**: the new policyholder is screened against the watch lists like a beneficiary change (issue 13) when
  the request is made and again when it takes effect; a hit stops it with the neutral text (AML Law art. 35).

On consent the change takes effect at once: the policy's policyholder becomes the new member (the old holder kept
in ``details["policyholder_history"]`` and the audit log), the premium account becomes the new holder's (their card,
encrypted like every account, or the family payment account), and so every later instalment, family bill line and
ledger entry names the new holder as payer. The beneficiary designation stays valid as it stands; changing it later
needs the insured's consent (arts. 39, 41). The completed request (kind ``policyholder``) is what the AML
suspicious-pattern rule "frequent changes of policyholder or beneficiary" counts, for the old and the new holder.
"""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.clock import CHINA_TZ
from jiabao.core.errors import Conflict, FieldProblem, NotFound, PermissionDenied
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family.enums import Relationship
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.policies.application import confirmation
from jiabao.policies.application import service as applications
from jiabao.policies.billing import family as family_billing
from jiabao.policies.common import views
from jiabao.policies.common.models import Policy, ServiceRequest
from jiabao.policies.common.payments import ACCOUNT_COLUMN
from jiabao.policies.rules import suitability as fit
from jiabao.policies.rules.servicing import HOLDER_CHANGE_CONSENT_DAYS, Channel, ServicingItem, servicing_deadlines
from jiabao.policies.servicing.changes import _card, current_account_masked
from jiabao.policies.servicing.common import (
    COUNTER_ROLES,
    LIVE,
    active_insureds,
    counter_checks,
    finish,
    open_request,
    problem,
    raise_if,
)
from jiabao.policies.servicing.loans import outstanding_loan
from jiabao.policies.servicing.schemas import HolderChangeIn, HolderConsentIn
from jiabao.products.service import ProductEngine
from jiabao.risk.screening import service as screening

KIND = ServicingItem.POLICYHOLDER.value
AWAITING = "awaiting_consent"
ROLES = frozenset({Role.CUSTOMER}) | COUNTER_ROLES
"""Both parties act in person: from their own log-in or at a counter. Partners may not (nor proxies)."""


def _role(ctx: ServiceContext) -> Channel:
    if ctx.principal.role not in ROLES:
        raise PermissionDenied(
            "A change of policyholder is made by the parties themselves", "变更投保人须由当事人本人办理"
        )
    return Channel.ONLINE if ctx.principal.role is Role.CUSTOMER else Channel.COUNTER


def _members(overview: HouseholdOut) -> dict[int, MemberOut]:
    return {m.person_id: m for m in overview.members}


def _death_cover(engine: ProductEngine, policy: Policy) -> bool:
    return any(line.value == "death" for line in applications.product_lines(engine, policy.product_code))


def interest(new: MemberOut, insured: MemberOut) -> fit.InsuredRelation:
    """The insured's relation to the new policyholder for art. 31. As at the application (``confirmation.relation``),
    except that a member recorded as "other" (其他) to the head is not presumed to support anyone: between them
    and another member there is no interest without the insured's consent."""
    relation = confirmation.relation(new, insured)
    if relation is fit.InsuredRelation.SUPPORTED_RELATIVE and Relationship.OTHER in (
        new.relationship,
        insured.relationship,
    ):
        return fit.InsuredRelation.OTHER
    return relation


def eligibility_problems(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    overview: HouseholdOut,
    new_holder_person_id: int,
    insured_consents: set[int],
) -> list[FieldProblem]:
    """Every reason the member may not become the policyholder now (module docstring); empty when eligible."""
    today = ctx.clock.today()
    members = _members(overview)
    problems: list[FieldProblem] = []
    new = members.get(new_holder_person_id)
    if new is None:
        return [problem("new_holder_person_id", "not_a_member", "新投保人须为本家庭的成员", "The new policyholder "
                        "must be a member of this family")]  # fmt: skip
    if new_holder_person_id == policy.policyholder_person_id:
        return [problem("new_holder_person_id", "same_holder", "新投保人与现投保人相同",
                        "This member already holds the policy")]  # fmt: skip
    if new.age < fit.ADULT_AGE:
        problems.append(
            problem(
                "new_holder_person_id",
                "not_adult",
                f"新投保人须年满{fit.ADULT_AGE}周岁、具有完全民事行为能力（《民法典》第十七条、第十八条）",
                f"The new policyholder must be {fit.ADULT_AGE} or over with full civil capacity "
                "(Civil Code arts. 17-18)",
            )
        )
    death = _death_cover(engine, policy)
    for insured in active_insureds(policy):
        member = members.get(insured.person_id)
        if member is None:
            continue  # an insured who left the family: their own contract terms go on; no new consent possible
        relation = interest(new, member)
        minor = member.age < fit.ADULT_AGE
        who_zh = f"{member.name}的监护人" if minor else member.name
        if relation is fit.InsuredRelation.OTHER and insured.person_id not in insured_consents:
            problems.append(
                problem(
                    "insured_consents",
                    "no_insurable_interest",
                    f"新投保人对被保险人{member.name}不具有保险利益，须经{who_zh}同意（《保险法》第三十一条）",
                    f"The new policyholder has no insurable interest in {member.name} without the insured's "
                    "consent (Insurance Law art. 31)",
                )
            )
        parties = {policy.policyholder_person_id, new_holder_person_id}
        if death and insured.person_id not in parties and insured.person_id not in insured_consents:
            problems.append(
                problem(
                    "insured_consents",
                    "death_cover_consent_missing",
                    f"含身故保障的保单转让须经被保险人{member.name}书面同意"
                    f"{'（由其监护人代为同意）' if minor else ''}（《保险法》第三十四条第二款）",
                    f"A contract with death cover is transferred only with the written consent of the insured "
                    f"{member.name}{' (given by the guardian)' if minor else ''} (Insurance Law art. 34 para. 2)",
                )
            )
    owed = outstanding_loan(ctx.session, policy.id, today)
    if owed > 0:
        problems.append(
            problem(
                "policy_loan",
                "loan_outstanding",
                f"保单尚有未还清的保单贷款（本息合计{owed}元），请先还清贷款再办理变更投保人",
                f"The policy has an outstanding loan (¥{owed} with interest): repay it before the change",
            )
        )
    return problems


def _pending(ctx: ServiceContext, policy_id: int) -> ServiceRequest | None:
    stmt = select(ServiceRequest).where(
        ServiceRequest.policy_id == policy_id, ServiceRequest.kind == KIND, ServiceRequest.status == AWAITING
    )
    return ctx.session.scalars(stmt.order_by(ServiceRequest.id.desc()).limit(1)).first()


def _expires_on(row: ServiceRequest) -> date:
    return date.fromisoformat(str(row.payload["expires_on"]))


def _screen(ctx: ServiceContext, policy: Policy, new_holder: int) -> None:
    screening.gate(
        ctx,
        occasion="policyholder_change",
        context=f"policy:{policy.id}",
        household_id=policy.household_id,
        parties=screening.parties(new_holder, [i.person_id for i in active_insureds(policy)]),
    )


def _load(ctx: ServiceContext, policy_id: int) -> tuple[Policy, HouseholdOut]:
    """The policy locked FOR UPDATE (PostgreSQL), with the household's access rules (404 for a stranger)."""
    ctx.session.scalars(select(Policy.id).where(Policy.id == policy_id).with_for_update()).one_or_none()
    policy, overview = views.load(ctx, policy_id)
    if policy.status not in LIVE:
        raise Conflict(
            f"The policy is {policy.status}; it can no longer be changed",
            "保单已终止，无法办理该项保全",
            code="policy_not_active",
        )
    return policy, overview


def request_change(ctx: ServiceContext, engine: ProductEngine, policy_id: int, data: HolderChangeIn) -> ServiceRequest:
    """The current policyholder asks; the request waits for the new policyholder's consent (nothing changes yet)."""
    channel = _role(ctx)
    policy, overview = _load(ctx, policy_id)
    if ctx.principal.role is Role.CUSTOMER and ctx.principal.person_id != policy.policyholder_person_id:
        raise PermissionDenied("Only the policyholder may ask to transfer the policy", "仅投保人本人可以申请变更投保人")
    channel = counter_checks(channel, data)
    if _pending(ctx, policy.id) is not None:
        raise Conflict(
            "A change of policyholder is already waiting for consent",
            "该保单已有待确认的变更投保人申请",
            code="holder_change_pending",
        )
    consents = set(data.insured_consents)
    raise_if(eligibility_problems(ctx, engine, policy, overview, data.new_holder_person_id, consents))
    _screen(ctx, policy, data.new_holder_person_id)
    today = ctx.clock.today()
    expires = today + timedelta(days=HOLDER_CHANGE_CONSENT_DAYS)
    payload: dict[str, Any] = {
        "from_person_id": policy.policyholder_person_id,
        "to_person_id": data.new_holder_person_id,
        "insured_consents": sorted(consents),
        "holder_consent": {"at": ctx.now().isoformat(), "channel": channel.value, "by": ctx.principal.user_id or None},
        "expires_on": expires.isoformat(),
    }
    row = open_request(ctx, policy, ServicingItem.POLICYHOLDER, channel, payload)
    row.status = AWAITING
    ctx.session.flush()
    ctx.audit(
        "servicing.policyholder.requested",
        "policy",
        policy.id,
        {"request_id": row.id, "from": policy.policyholder_person_id, "to": data.new_holder_person_id,
         "channel": channel.value, "expires_on": expires.isoformat()},
    )  # fmt: skip
    members = _members(overview)
    asker = members[policy.policyholder_person_id].name
    _sms(ctx, data.new_holder_person_id, policy,
         f"【家保】{asker}申请将保单{policy.policy_no}的投保人变更为您，请于{expires.isoformat()}前登录家保确认"
         f"（受理号{row.id}）。逾期未确认的申请自动失效。")  # fmt: skip
    return row


def _awaiting(ctx: ServiceContext, policy_id: int) -> tuple[Policy, HouseholdOut, ServiceRequest]:
    policy, overview = _load(ctx, policy_id)
    row = _pending(ctx, policy.id)
    if row is None:
        raise NotFound("No change of policyholder is waiting for consent", "没有待确认的变更投保人申请",
                       code="holder_change_not_found")  # fmt: skip
    if ctx.clock.today() > _expires_on(row):
        raise Conflict(
            "The request expired: the new policyholder did not consent in time; ask again",
            f"该申请已于{_expires_on(row).isoformat()}过期失效，请重新申请",
            code="holder_change_expired",
        )
    return policy, overview, row


def consent(ctx: ServiceContext, engine: ProductEngine, policy_id: int, data: HolderConsentIn) -> ServiceRequest:
    """The new policyholder consents: the change takes effect now (module docstring)."""
    channel = _role(ctx)
    policy, overview, row = _awaiting(ctx, policy_id)
    new_holder = int(row.payload["to_person_id"])
    if ctx.principal.role is Role.CUSTOMER and ctx.principal.person_id != new_holder:
        raise PermissionDenied("Only the new policyholder may consent", "须由新投保人本人确认")
    consent_channel = counter_checks(channel, data)
    problems = eligibility_problems(
        ctx, engine, policy, overview, new_holder, {int(p) for p in row.payload.get("insured_consents", [])}
    )  # anything may have changed since the request (a loan taken, a member left)
    if not data.capacity_declared:
        problems.append(problem("capacity_declared", "required", "请确认本人具有完全民事行为能力",
                                "Confirm that you have full civil capacity"))  # fmt: skip
    family_account = family_billing.current_account(ctx, policy.household_id)
    number: str | None = None
    if data.use_family_account:
        if family_account is None:
            problems.append(problem("use_family_account", "no_family_account", "本家庭尚未设置家庭缴费账户",
                                    "The family has no family payment account"))  # fmt: skip
    else:
        number, card_problems = _card(data.account or "")
        problems += card_problems
    if not data.debit_authorised:
        problems.append(
            problem("debit_authorised", "consent_missing", "请授权从该账户扣缴续期保费", "Authorise the premium debit")
        )
    raise_if(problems)
    _screen(ctx, policy, new_holder)
    old_holder = policy.policyholder_person_id
    today = ctx.clock.today()
    previous_account = current_account_masked(ctx, policy)
    if number is not None:
        masked = mask_bank_card(number)
        account: dict[str, Any] = {
            "account_enc_b64": base64.b64encode(ctx.cipher.encrypt(ACCOUNT_COLUMN, number)).decode("ascii"),
            "column": ACCOUNT_COLUMN,
            "masked": masked,
        }
    else:
        assert family_account is not None
        masked = family_account.account_masked
        account = {"family_account": True, "masked": masked}
    history = list(policy.details.get("policyholder_history", []))
    history.append({"person_id": old_holder, "until": today.isoformat(), "service_request_id": row.id})
    policy.details = {
        **policy.details,
        "policyholder_history": history,
        "payment_account": {
            **account,
            "holder_person_id": new_holder,
            "since": today.isoformat(),
            "service_request_id": row.id,
        },
    }
    policy.policyholder_person_id = new_holder
    row.payload = {
        **row.payload,
        "new_holder_consent": {
            "at": ctx.now().isoformat(),
            "channel": consent_channel.value,
            "by": ctx.principal.user_id or None,
            "capacity_declared": True,
            "debit_authorised": True,
        },
    }
    row.complete_due = servicing_deadlines(ServicingItem.POLICYHOLDER, today, approved_on=today)[1].due
    ctx.audit(
        "policy.policyholder_changed",
        "policy",
        policy.id,
        {"request_id": row.id, "from": old_holder, "to": new_holder, "account_masked": masked},
    )
    finish(
        ctx,
        policy,
        row,
        {
            "from_person_id": old_holder,
            "to_person_id": new_holder,
            "account_masked": masked,
            "previous_account_masked": previous_account,
            "family_account": number is None,
            "beneficiaries": "unchanged",
        },
    )  # the SMS of completion goes to the new holder (the policy's holder now)
    members = _members(overview)
    _sms(ctx, old_holder, policy,
         f"【家保】保单{policy.policy_no}的投保人已变更为{members[new_holder].name}（受理号{row.id}），此后的续期保费"
         "由新投保人缴纳。如非本人操作，请致电95xxx。")  # fmt: skip
    return row


def decline(ctx: ServiceContext, policy_id: int) -> ServiceRequest:
    """Either party withdraws (the current holder) or declines (the new holder): the request is rejected, the policy
    unchanged."""
    _role(ctx)
    policy, _, row = _awaiting(ctx, policy_id)
    parties = {int(row.payload["from_person_id"]), int(row.payload["to_person_id"])}
    if ctx.principal.role is Role.CUSTOMER and ctx.principal.person_id not in parties:
        raise PermissionDenied("Only the parties may decline", "仅申请双方可以撤回或拒绝")
    who = "new_holder" if ctx.principal.person_id == int(row.payload["to_person_id"]) else "holder"
    finish(ctx, policy, row, {"declined_by": who if ctx.principal.role is Role.CUSTOMER else "counter"},
           status="rejected")  # fmt: skip
    return row


def expire(ctx: ServiceContext, as_of: date) -> int:
    """The daily job: every request still waiting after its consent period is marked expired (status
    ``expired``; the policy was never changed). Returns how many."""
    stmt = (
        select(ServiceRequest, Policy)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(ServiceRequest.kind == KIND, ServiceRequest.status == AWAITING)
    )
    count = 0
    for row, policy in ctx.session.execute(stmt).all():
        if as_of > _expires_on(row):
            finish(ctx, policy, row, {"expired_on": _expires_on(row).isoformat()}, status="expired")
            count += 1
    return count


def pending_for(ctx: ServiceContext, household_id: int, person_id: int | None) -> list[dict[str, Any]]:
    """The household's requests waiting for consent (for the family home and the consent page): policy, parties,
    expiry, and whether ``person_id`` is the one to consent. Masked data only."""
    stmt = (
        select(ServiceRequest, Policy.policy_no)
        .join(Policy, Policy.id == ServiceRequest.policy_id)
        .where(Policy.household_id == household_id, ServiceRequest.kind == KIND, ServiceRequest.status == AWAITING)
        .order_by(ServiceRequest.id)
    )
    today = ctx.clock.today()
    return [
        {
            "request_id": row.id,
            "policy_id": row.policy_id,
            "policy_no": policy_no,
            "from_person_id": int(row.payload["from_person_id"]),
            "to_person_id": int(row.payload["to_person_id"]),
            "expires_on": _expires_on(row),
            "expired": today > _expires_on(row),
            "mine_to_consent": person_id == int(row.payload["to_person_id"]),
            "requested_on": row.requested_at.astimezone(CHINA_TZ).date(),
        }
        for row, policy_no in ctx.session.execute(stmt)
    ]


def _sms(ctx: ServiceContext, person_id: int, policy: Policy, body: str) -> None:
    enqueue(
        ctx.session,
        topic="sms",
        at=ctx.now(),
        payload={
            "kind": "servicing_policyholder",
            "person_id": person_id,
            "subject": None,
            "body": body,
            "policy_no": policy.policy_no,
        },
    )
