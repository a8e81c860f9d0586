"""Paying a claim (赔款支付): per policy, the benefit less its deductions, to each recipient's own account.

The one place money leaves for a claim. For each ``(policy, benefit, amount)`` line:

1. :func:`deductions` — what the policy's benefit pays off first (unpaid premium of the grace period, Insurance
   Law art. 36 and the contract terms). Another deduction (e.g. an outstanding policy loan) is one more line there.
2. The net amount goes to the claim's payee's own account (Internet Measures art. 40) or, for a death claim with
   recipients identified (:mod:`jiabao.claims.beneficiaries`), is split by their shares, each to their own account
   (a share without an account yet waits for it).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from jiabao.claims.engine.workflow import Deduction, DueInstalment, grace_premiums, net_of, split
from jiabao.claims.models import Claim, ClaimBeneficiary, ClaimLine
from jiabao.db.context import ServiceContext
from jiabao.policies.common import ledger_posting
from jiabao.policies.common.models import Instalment, Payment, Policy

ACCOUNT_COLUMN = "claims.account"


def deductions(ctx: ServiceContext, claim: Claim, policy_id: int, amount: Decimal) -> list[Deduction]:
    """What this policy's benefit pays off before anything is paid out (in this order)."""
    found = grace_premium(ctx, claim, policy_id, amount)
    return found


def grace_premium(ctx: ServiceContext, claim: Claim, policy_id: int, amount: Decimal) -> list[Deduction]:
    """Unpaid instalments due on or before the event (it happened in the grace period, so the cover stood): paid
    off from the benefit, oldest first, each only when the benefit covers it whole; the instalments are then
    paid (by offset) and a policy in grace is back in force."""
    rows = list(
        ctx.session.scalars(
            select(Instalment)
            .where(Instalment.policy_id == policy_id, Instalment.paid_on.is_(None), Instalment.waived.is_(False))
            .order_by(Instalment.due_date)
        )
    )
    due = grace_premiums([DueInstalment(i.id, i.due_date, i.amount) for i in rows], event_date=claim.event_date)
    out: list[Deduction] = []
    left = amount
    for item in due:
        if item.amount > left:
            break
        left -= item.amount
        instalment = next(i for i in rows if i.id == item.instalment_id)
        payment = Payment(
            idempotency_key=f"claim-{claim.id}-offset-{instalment.id}",
            kind="premium_offset",
            direction="in",
            policy_id=policy_id,
            amount=item.amount,
            account_enc=claim.account_enc,
            account_masked=claim.account_masked,
            holder_person_id=claim.payee_person_id,
            status="settled",
            created_at=ctx.now(),
            details={"claim_id": claim.id, "instalment": instalment.seq},
        )
        ctx.session.add(payment)
        ctx.session.flush()
        instalment.paid_on, instalment.payment_id = ctx.clock.today(), payment.id
        out.append(
            Deduction(
                "grace_premium",
                item.amount,
                f"宽限期内欠交保费（{item.due_date}应交）从保险金中扣除（《保险法》第三十六条及合同约定）",
                f"Premium due {item.due_date}, unpaid in the grace period, deducted (Insurance Law art. 36, terms)",
            )
        )
    if out:
        policy = ctx.session.get(Policy, policy_id)
        if policy is not None and policy.status == "in_grace":
            policy.status = "in_force"
        ctx.audit("claim.premium_offset", "policy", policy_id, {"claim_id": claim.id, "instalments": len(out)})
    return out


def _payment(
    ctx: ServiceContext, claim: Claim, key: str, policy_id: int, amount: Decimal, account_enc: bytes, masked: str,
    holder: int, benefit: str,
) -> Payment:  # fmt: skip
    account = ctx.cipher.decrypt(ACCOUNT_COLUMN, account_enc)
    payment = Payment(
        idempotency_key=key,
        kind="claim",
        direction="out",
        policy_id=policy_id,
        amount=amount,
        account_enc=ctx.cipher.encrypt("payments.account", account),
        account_masked=masked,
        holder_person_id=holder,
        status="instructed",
        created_at=ctx.now(),
        details={"claim_id": claim.id, "benefit": benefit},
    )
    ctx.session.add(payment)
    ctx.session.flush()
    ledger_posting.paid_out(ctx, payment, claim.household_id)
    return payment


def pay_recipients(ctx: ServiceContext, claim: Claim, policy_id: int, net: Decimal, benefit: str) -> Decimal:
    """A death benefit split by the recipients' shares; each share with an account is paid now. Returns what was
    instructed."""
    rows = list(
        ctx.session.scalars(
            select(ClaimBeneficiary)
            .where(ClaimBeneficiary.claim_id == claim.id, ClaimBeneficiary.policy_id == policy_id)
            .order_by(ClaimBeneficiary.id)
        )
    )
    paid = Decimal(0)
    for row, part in zip(rows, split(net, [Decimal(r.share) for r in rows]), strict=True):
        row.amount = (row.amount or Decimal(0)) + part
        paid += pay_share(ctx, claim, row, benefit)
    return paid


def pay_share(ctx: ServiceContext, claim: Claim, row: ClaimBeneficiary, benefit: str = "death") -> Decimal:
    """Pay one recipient's share once it has an account (and a person to hold it); else it waits."""
    if row.payment_id is not None or not row.amount or row.account_enc is None or row.person_id is None:
        return Decimal(0)
    payment = _payment(
        ctx, claim, f"claim-{claim.id}-share-{row.id}", row.policy_id, row.amount, row.account_enc,
        row.account_masked or "", row.person_id, benefit,
    )  # fmt: skip
    row.payment_id = payment.id
    return row.amount


def pay_lines(ctx: ServiceContext, claim: Claim, lines: list[tuple[int, str, Decimal]]) -> None:
    """One payment instruction per household policy (or per recipient's share), net of the deductions."""
    total = Decimal(0)
    seq = len(ctx.session.scalars(select(ClaimLine.id).where(ClaimLine.claim_id == claim.id)).all())
    shares = set(ctx.session.scalars(select(ClaimBeneficiary.policy_id).where(ClaimBeneficiary.claim_id == claim.id)))
    recorded = dict(claim.details.get("deductions", {}))
    for policy_id, benefit, amount in lines:
        seq += 1
        if amount <= 0:
            ctx.session.add(ClaimLine(claim_id=claim.id, policy_id=policy_id, benefit=benefit, amount=amount))
            continue
        taken = deductions(ctx, claim, policy_id, amount)
        net = net_of(amount, taken)
        if taken:
            recorded[str(policy_id)] = [
                {"kind": d.kind, "amount": str(d.amount), "text_zh": d.text_zh, "text_en": d.text_en} for d in taken
            ]
        payment_id = None
        if policy_id in shares:
            total += pay_recipients(ctx, claim, policy_id, net, benefit)
        elif net > 0:
            payment = _payment(
                ctx, claim, f"claim-{claim.id}-{seq}", policy_id, net, claim.account_enc, claim.account_masked,
                claim.payee_person_id, benefit,
            )  # fmt: skip  # the claim's n-th line: an advance and its top-up differ
            payment_id = payment.id
            total += net
        ctx.session.add(
            ClaimLine(claim_id=claim.id, policy_id=policy_id, benefit=benefit, amount=amount, payment_id=payment_id)
        )
    if recorded:
        claim.details = {**claim.details, "deductions": recorded}
    claim.paid_amount += total
    claim.approved_amount = (claim.approved_amount or Decimal(0)) + sum((a for _, _, a in lines if a > 0), Decimal(0))
    claim.decided_at = claim.decided_at or ctx.now()
    claim.paid_at = ctx.now()
    claim.payment_due = ctx.clock.today()
    ctx.session.flush()
