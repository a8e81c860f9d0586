"""The claims workflow's rules (理赔作业规则), pure: every date and fact is an argument.

- **One notice for everything missing** (一次性告知; Sales Conduct Measures art. 40, Basic Service Rules 2010
  art. 22): :func:`request_notice` lists every document requested by its Chinese (and English) name.
- **The determinable part in advance** (先行赔付, Insurance Law art. 25): :func:`determinable_lines` — for **any**
  claim type, the amounts on policies that no substantive ``refer`` finding touches (a referral only because of
  the amount, the kind of claim or optional documents leaves the amount determined).
- **二次核保** (re-underwriting on the standards in force at issue; CBIRC Order 2022 No. 9; Insurance Law art. 16):
  :func:`reunderwriting_effect` maps what the underwriter *would have* concluded to its effect on the claim.
- **Death benefits** (Insurance Law arts. 40 and 42; SPC Interp. III art. 12; Civil Code arts. 1127 and 1130):
  :func:`recipients` — the named beneficiaries of the first order with a survivor (a predeceased beneficiary's
  share goes to the others of that order in proportion, then to the next order), else the legal heirs by order
  of succession in equal shares; :func:`split` divides a policy's amount by the shares to the fen.
- **Unpaid premium in the grace period** (Insurance Law art. 36 and the contract terms): :func:`grace_premiums`
  — instalments due on or before the event and unpaid are deducted from the benefit of that policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jiabao.claims.engine.codes import ReasonCode, Severity
from jiabao.claims.engine.money import ZERO, money
from jiabao.claims.engine.results import Decision, PayableLine
from jiabao.claims.engine.rules import RuleSet

# ------------------------------------------------------------------------------------------- document requests


def request_notice(rules: RuleSet, codes: Sequence[str], *, claim_no: str) -> tuple[str, str]:
    """The request for further documents, every missing one named at once (一次性告知)."""
    docs = rules.docs.documents
    names_zh = "、".join(f"《{docs[c].zh}》" if c in docs else c for c in codes)
    names_en = "; ".join(docs[c].en if c in docs else c for c in codes)
    zh = (
        f"您的理赔案件{claim_no}还需要补充以下资料（一次性告知）：{names_zh}。请在理赔页面上传；"
        "在收到全部资料前，理赔审核时限暂停计算，收齐之日起继续计算。"
    )
    en = (
        f"Claim {claim_no} needs these further documents (all listed at once): {names_en}. Please upload them on "
        "the claim page; the decision time limit stands still until all of them arrive and runs on from then."
    )
    return zh, en


# ------------------------------------------------------------------------------------------------- advances

PROCEDURAL_REFERS = frozenset({ReasonCode.ABOVE_FAST_PAY_LIMIT, ReasonCode.NOT_FAST_PAY_TYPE})
"""Referrals that say who decides, not that the amount is uncertain."""


def determinable_lines(decision: Decision, optional_documents: frozenset[str]) -> list[PayableLine]:
    """Lines whose amount is determined (art. 25): positive, on a policy that no substantive ``refer`` reason
    touches (a claim-level one touches every policy). Missing documents block only when one of them is needed
    for the amount (not ``advance_optional``)."""
    missing_block = any(code not in optional_documents for code in decision.missing_documents)

    def blocks(policy_id: str) -> bool:
        for r in decision.reasons:
            if r.severity is not Severity.REFER or r.policy_id not in (None, policy_id):
                continue
            if r.code in PROCEDURAL_REFERS:
                continue
            if r.code is ReasonCode.DOCUMENTS_MISSING and not missing_block:
                continue
            return True
        return False

    return [ln for ln in decision.lines if ln.amount > 0 and not blocks(ln.policy_id)]


# --------------------------------------------------------------------------------------------- 二次核保


class ReunderwritingEffect(StrEnum):
    PAY = "pay"  # would have accepted (standard or rated): the claim is paid
    PAY_EXCLUDING = "pay_excluding"  # would have excluded the condition: paid except what the condition caused
    REFER_RESCISSION = "refer_rescission"  # would have declined: referred for rescission (art. 16)
    UNDERWRITER_REVIEW = "underwriter_review"  # the engine could not conclude: a human underwriter decides


ACCEPTED = frozenset({"standard", "rated"})
EXCLUDED = frozenset({"exclusion", "rated_with_exclusion"})
DECLINED = frozenset({"declined", "postponed"})


@dataclass(frozen=True, slots=True)
class ReunderwritingOutcome:
    effect: ReunderwritingEffect
    causal: bool
    """The condition (or a condition it would have excluded) caused the claim."""
    pays: bool
    """Whether this policy's benefit for this claim is paid."""
    text_zh: str
    text_en: str


def icd_matches(code: str, prefixes: Iterable[str]) -> bool:
    clean = code.replace(".", "").upper()
    return any(clean.startswith(p.replace(".", "").upper()) for p in prefixes)


def reunderwriting_effect(
    conclusion: str, *, excluded_icd: Sequence[str], causal_icd: Sequence[str], contestable: bool
) -> ReunderwritingOutcome:
    """What the would-have-been conclusion means for the claim. After the 2-year incontestability period
    (art. 16 para. 3) the contract stands whatever the conclusion: the claim is paid."""
    causal = any(icd_matches(c, excluded_icd) for c in causal_icd)
    if not contestable:
        return ReunderwritingOutcome(
            ReunderwritingEffect.PAY,
            causal,
            True,
            "合同成立已满2年，保险人不得解除合同（《保险法》第十六条），照常赔付。",
            "The contract is over 2 years old and can no longer be rescinded (Insurance Law art. 16): paid.",
        )
    if conclusion in ACCEPTED:
        return ReunderwritingOutcome(
            ReunderwritingEffect.PAY,
            causal,
            True,
            "如实告知时本会承保（标准体或加费），未告知事项不足以影响承保决定，照常赔付。",
            "Had it been disclosed the cover would have been accepted (standard or rated): the claim is paid.",
        )
    if conclusion in EXCLUDED:
        if causal:
            return ReunderwritingOutcome(
                ReunderwritingEffect.PAY_EXCLUDING,
                True,
                False,
                "如实告知时本会将该疾病除外承保；本次事故由该疾病导致，本保单对本次事故不予赔付，其他责任照常。",
                "Had it been disclosed the condition would have been excluded; it caused this claim, so this "
                "policy does not pay for it (other cover stands).",
            )
        return ReunderwritingOutcome(
            ReunderwritingEffect.PAY_EXCLUDING,
            False,
            True,
            "如实告知时本会将该疾病除外承保；本次事故并非由该疾病导致，照常赔付。",
            "Had it been disclosed the condition would have been excluded; it did not cause this claim: paid.",
        )
    if conclusion in DECLINED:
        return ReunderwritingOutcome(
            ReunderwritingEffect.REFER_RESCISSION,
            causal,
            False,
            "如实告知时本会拒保或延期承保，已转保全部门审查是否依《保险法》第十六条解除合同（知道解除事由之日起30日内）；"
            "在解除前不以此拒赔。",
            "Had it been disclosed the cover would have been declined: referred for rescission under Insurance "
            "Law art. 16 (within 30 days of learning the cause); the claim is not refused without it.",
        )
    return ReunderwritingOutcome(
        ReunderwritingEffect.UNDERWRITER_REVIEW,
        causal,
        False,
        "核保引擎无法自动得出结论，已转核保人员判断。",
        "The underwriting engine could not conclude: an underwriter decides.",
    )


# -------------------------------------------------------------------------------- death-claim recipients


class Basis(StrEnum):
    NAMED = "named"  # 指定受益人
    HEIR_FIRST = "heir_first"  # 第一顺序法定继承人
    HEIR_SECOND = "heir_second"  # 第二顺序法定继承人


class Kin(StrEnum):
    """A relative's relationship to the deceased insured."""

    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    OTHER = "other"


FIRST_ORDER = frozenset({Kin.SPOUSE, Kin.CHILD, Kin.PARENT})  # Civil Code art. 1127 para. 1 (1)
SECOND_ORDER = frozenset({Kin.SIBLING, Kin.GRANDPARENT})  # art. 1127 para. 1 (2)

_TO_INSURED: dict[tuple[str, str], Kin] = {
    # (insured's relationship to the head, other's relationship to the head) → other's relationship to the insured
    ("self", "spouse"): Kin.SPOUSE,
    ("self", "child"): Kin.CHILD,
    ("self", "parent"): Kin.PARENT,
    ("self", "sibling"): Kin.SIBLING,
    ("self", "grandparent"): Kin.GRANDPARENT,
    ("spouse", "self"): Kin.SPOUSE,
    ("spouse", "child"): Kin.CHILD,
    ("child", "self"): Kin.PARENT,
    ("child", "spouse"): Kin.PARENT,
    ("child", "child"): Kin.SIBLING,
    ("child", "parent"): Kin.GRANDPARENT,
    ("parent", "self"): Kin.CHILD,
    ("parent", "sibling"): Kin.CHILD,
    ("parent", "grandchild"): Kin.OTHER,
    ("sibling", "self"): Kin.SIBLING,
    ("sibling", "sibling"): Kin.SIBLING,
    ("sibling", "parent"): Kin.PARENT,
    ("grandparent", "self"): Kin.OTHER,
}
"""Household relationships are to the head (与户主关系); a pair not listed (e.g. the head's spouse and the head's
parent, or two grandparents) is not assumed to be kin — the adjuster adds such heirs from the documents."""


def kin(insured_relationship: str, other_relationship: str) -> Kin:
    if insured_relationship == other_relationship == "parent":
        return Kin.SPOUSE  # the head's two parents: each other's spouse
    return _TO_INSURED.get((insured_relationship, other_relationship), Kin.OTHER)


@dataclass(frozen=True, slots=True)
class Relative:
    person_id: int
    name: str
    kin: Kin
    alive: bool
    """Alive on the insured's death (a beneficiary who died first, or at the same time, takes nothing)."""


@dataclass(frozen=True, slots=True)
class Named:
    name: str
    order: int
    share: Decimal
    """Percent within its order."""


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    person_id: int | None
    basis: Basis
    share: Decimal
    """Percent of the benefit (6 decimals; the recipients' shares sum to 100)."""


SHARE = Decimal("0.000001")
"""Shares are kept to 6 decimals of a percent, so equal shares pay equal amounts to the fen (1/3 of ¥300,000 is
¥100,000.00 each, not ¥100,020 and ¥99,990 as two-decimal percentages would give)."""


def _pro_rata(shares: list[Decimal]) -> list[Decimal]:
    total = sum(shares, Decimal(0))
    out = [(s * 100 / total).quantize(SHARE) for s in shares]
    out[0] += Decimal(100) - sum(out, Decimal(0))
    return out


def recipients(named: Sequence[Named], relatives: Sequence[Relative], *, legal_heirs: bool) -> list[Recipient]:
    """Who receives a death benefit, and what share.

    Named beneficiaries (art. 40): the first order with a beneficiary alive; within it the survivors share in
    proportion to their shares — a predeceased beneficiary's share goes to the others of the same order
    (SPC Interp. III art. 12). A beneficiary is matched to a household member by name to know whether they
    survived; one not in the household is taken as alive (the documents prove it). When there is no designation,
    or every beneficiary died first, the benefit is the insured's estate (art. 42): the legal heirs of the first
    order (spouse, children, parents), or failing all of them the second order (siblings, grandparents), equal
    shares (Civil Code arts. 1127, 1130)."""
    by_name = {r.name: r for r in relatives}
    if not legal_heirs:
        for order in sorted({n.order for n in named}):
            alive = [n for n in named if n.order == order and (by_name.get(n.name) is None or by_name[n.name].alive)]
            if alive:
                shares = _pro_rata([n.share for n in alive])
                return [
                    Recipient(
                        n.name,
                        by_name[n.name].person_id if n.name in by_name else None,
                        Basis.NAMED,
                        s,
                    )
                    for n, s in zip(alive, shares, strict=True)
                ]
    for heir_order, basis in ((FIRST_ORDER, Basis.HEIR_FIRST), (SECOND_ORDER, Basis.HEIR_SECOND)):
        heirs = [r for r in relatives if r.kin in heir_order and r.alive]
        if heirs:
            shares = _pro_rata([Decimal(1)] * len(heirs))
            return [Recipient(r.name, r.person_id, basis, s) for r, s in zip(heirs, shares, strict=True)]
    return []


def split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` divided by percentage ``shares`` to the fen, half-up; the first takes the rounding difference so
    the parts add up to the amount exactly."""
    parts = [money(amount * s / 100) for s in shares]
    if parts:
        parts[0] += amount - sum(parts, ZERO)
    return parts


# -------------------------------------------------------------------------------------- grace-period premium


@dataclass(frozen=True, slots=True)
class DueInstalment:
    instalment_id: int
    due_date: date
    amount: Decimal


def grace_premiums(instalments: Sequence[DueInstalment], *, event_date: date) -> list[DueInstalment]:
    """The unpaid instalments the benefit pays off: due on or before the event (the event fell in the grace
    period, the cover stood, the premium is owed — art. 36 and the contract terms)."""
    return [i for i in instalments if i.due_date <= event_date]


@dataclass(frozen=True, slots=True)
class Deduction:
    """An amount taken from a policy's benefit before it is paid (unpaid premium; a policy loan …)."""

    kind: str
    amount: Decimal
    text_zh: str
    text_en: str


def net_of(amount: Decimal, deductions: Sequence[Deduction]) -> Decimal:
    """What is left to pay after the deductions, never below zero."""
    return max(ZERO, money(amount - sum((d.amount for d in deductions), ZERO)))
