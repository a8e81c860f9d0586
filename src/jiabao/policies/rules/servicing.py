"""Servicing (保全): the item types, their channels, consents and service levels; the online share; beneficiaries.

Rules (regulation.md §2.7, §2.8, H): accept a complete request within 2 working days; for an incomplete one,
say everything missing at once within 5 working days; finish within 5 working days of approval (or of full
payment when premium is involved), exam time excluded (Basic Service Rules arts. 19–20). Surrender pays the cash
value within 30 days (Insurance Law art. 47) and the online surrender entry is never hidden (Internet Measures
art. 29). An online beneficiary change verifies identity and has the insured's consent (Internet Measures
art. 28). Reinstatement needs back premiums and underwriting that asks only whether the risk rose significantly
(SPC Interp. III art. 8).

Beneficiaries (Insurance Law arts. 39–40, H): named beneficiaries with an order (顺序) and shares (份额), or the
legal heirs (法定继承人). Within each order the shares sum to 100%; when no share is given for an order, the
beneficiaries of that order share equally (art. 40).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.policies.rules.calendar import Deadline, SlaKind, sla_deadline


class ServicingItem(StrEnum):
    CONTACT_DETAILS = "contact_details"  # 联系方式变更
    BENEFICIARY = "beneficiary"  # 受益人变更
    ADD_INSURED = "add_insured"  # 增加被保险人
    REMOVE_INSURED = "remove_insured"  # 减少被保险人
    PAYMENT_ACCOUNT = "payment_account"  # 缴费账户变更
    PAYMENT_FREQUENCY = "payment_frequency"  # 缴费频率变更
    SURRENDER = "surrender"  # 退保
    REINSTATEMENT = "reinstatement"  # 复效
    # issue 17: the full servicing menu
    ADDRESS = "address"  # 通讯地址变更
    OCCUPATION = "occupation"  # 职业变更
    IDENTITY = "identity"  # 身份信息更正
    REDUCE_SUM_ASSURED = "reduce_sum_assured"  # 减保
    REDUCED_PAID_UP = "reduced_paid_up"  # 减额交清
    POLICY_LOAN = "policy_loan"  # 保单贷款
    LOAN_REPAYMENT = "loan_repayment"  # 保单贷款还款
    AUTOMATIC_PREMIUM_LOAN = "automatic_premium_loan"  # 自动垫交
    SURVIVAL_CONFIRMATION = "survival_confirmation"  # 生存认证
    BENEFIT_PAYMENT = "benefit_payment"  # 生存金/满期金/年金领取
    RENEWAL = "renewal"  # 续保
    REPRINT = "reprint"  # 保单补发
    LOSS_REPORT = "loss_report"  # 保单挂失
    RESCISSION = "rescission"  # 解除合同（未如实告知）
    AGE_CORRECTION = "age_correction"  # 年龄更正
    ID_NUMBER = "id_number_correction"  # 证件号码更正
    # issue 12 item 4
    POLICYHOLDER = "policyholder"  # 变更投保人 (within the family, both parties consenting)


class Channel(StrEnum):
    ONLINE = "online"
    COUNTER = "counter"
    PHONE = "phone"
    """Taken by service staff on a call (电话): offline in the online share."""


@dataclass(frozen=True, slots=True)
class ItemRule:
    label_zh: str
    label_en: str
    online: bool
    counter: bool
    consents: tuple[str, ...]
    evidence: tuple[str, ...]
    underwriting: bool
    premium: bool
    """True when the item can involve paying premium: then "finish" counts from full payment."""
    slas: tuple[SlaKind, ...]


_STD = (SlaKind.SERVICING_ACCEPT, SlaKind.SERVICING_INCOMPLETE_NOTICE, SlaKind.SERVICING_COMPLETE)
_ID = "identity_verification"
HOLDER_CHANGE_CONSENT_DAYS = 15
"""A change of policyholder waits this many calendar days for the new policyholder's consent, then expires (ours,
configurable here: the law sets no period; 15 days matches the cooling-off practice customers know)."""

SERVICING_ITEMS: dict[ServicingItem, ItemRule] = {
    ServicingItem.POLICYHOLDER: ItemRule(
        "变更投保人",
        "Change of policyholder",
        True,
        True,
        ("current_holder_request", "new_holder_consent", "insured_consent_death_cover", "debit_authorisation"),
        (_ID, "new_holder_identity", "own_account"),
        False,
        False,
        _STD,
    ),
    ServicingItem.CONTACT_DETAILS: ItemRule(
        "联系方式变更", "Contact details", True, True, (), (_ID,), False, False, _STD
    ),
    ServicingItem.BENEFICIARY: ItemRule(
        "受益人变更",
        "Beneficiary change",
        True,
        True,
        ("insured_consent",),
        (_ID, "beneficiary_ids"),
        False,
        False,
        _STD,
    ),
    ServicingItem.ADD_INSURED: ItemRule(
        "增加被保险人",
        "Add an insured family member",
        True,
        True,
        ("insured_consent_death_cover", "health_data_separate"),
        (_ID, "relationship_proof", "health_declaration"),
        True,
        True,
        _STD,
    ),
    ServicingItem.REMOVE_INSURED: ItemRule(
        "减少被保险人", "Remove an insured member", True, True, (), (_ID,), False, False, _STD
    ),
    ServicingItem.PAYMENT_ACCOUNT: ItemRule(
        "缴费账户变更",
        "Payment account",
        True,
        True,
        ("debit_authorisation",),
        (_ID, "own_account"),
        False,
        False,
        _STD,
    ),
    ServicingItem.PAYMENT_FREQUENCY: ItemRule(
        "缴费频率变更", "Payment frequency", True, True, (), (_ID,), False, True, _STD
    ),
    ServicingItem.SURRENDER: ItemRule(
        "退保", "Surrender", True, True, (), (_ID, "payout_account"), False, False, (*_STD, SlaKind.SURRENDER_PAYMENT)
    ),
    ServicingItem.REINSTATEMENT: ItemRule(
        "复效",
        "Reinstatement",
        True,
        True,
        ("health_data_separate",),
        (_ID, "simplified_health_declaration"),
        True,
        True,
        _STD,
    ),
    ServicingItem.ADDRESS: ItemRule(
        "通讯地址变更", "Correspondence address", True, True, (), (_ID,), False, False, _STD
    ),
    ServicingItem.OCCUPATION: ItemRule(
        "职业变更", "Occupation change", True, True, (), (_ID, "occupation_declaration"), False, True, _STD
    ),
    ServicingItem.IDENTITY: ItemRule(
        "身份信息更正", "Identity correction", True, True, (), (_ID, "identity_evidence"), False, False, _STD
    ),
    ServicingItem.REDUCE_SUM_ASSURED: ItemRule(
        "减保", "Reduce the sum assured", True, True, (), (_ID, "payout_account"), False, False, _STD
    ),
    ServicingItem.REDUCED_PAID_UP: ItemRule("减额交清", "Reduced paid-up", True, True, (), (_ID,), False, False, _STD),
    ServicingItem.POLICY_LOAN: ItemRule(
        "保单贷款", "Policy loan", True, True, ("loan_terms",), (_ID, "payout_account"), False, False, _STD
    ),
    ServicingItem.LOAN_REPAYMENT: ItemRule(
        "保单贷款还款", "Loan repayment", True, True, (), (_ID, "own_account"), False, False, _STD
    ),
    ServicingItem.AUTOMATIC_PREMIUM_LOAN: ItemRule(
        "自动垫交", "Automatic premium loan", True, True, ("loan_terms",), (_ID,), False, True, _STD
    ),
    ServicingItem.SURVIVAL_CONFIRMATION: ItemRule(
        "生存认证", "Survival confirmation", True, True, (), (_ID, "liveness_check"), False, False, _STD
    ),
    ServicingItem.BENEFIT_PAYMENT: ItemRule(
        "生存金/满期金/年金领取",
        "Survival, maturity or annuity payment",
        True,
        True,
        (),
        ("registered_account",),
        False,
        False,
        _STD,
    ),
    ServicingItem.RENEWAL: ItemRule("续保", "Renewal", True, True, (), (_ID,), False, True, _STD),
    ServicingItem.REPRINT: ItemRule("保单补发", "Policy reprint", True, True, (), (_ID,), False, False, _STD),
    ServicingItem.LOSS_REPORT: ItemRule("保单挂失", "Policy loss report", True, True, (), (_ID,), False, False, _STD),
    ServicingItem.RESCISSION: ItemRule(
        "解除合同（未如实告知）",
        "Rescission for non-disclosure",
        False,
        True,
        (),
        ("underwriting_evidence",),
        True,
        False,
        _STD,
    ),
    ServicingItem.AGE_CORRECTION: ItemRule(
        "年龄更正", "Misstated age correction", False, True, (), (_ID, "identity_evidence"), False, True, _STD
    ),
    ServicingItem.ID_NUMBER: ItemRule(
        "证件号码更正", "ID number correction", True, True, (), (_ID, "identity_evidence"), False, True, _STD
    ),
}


def servicing_deadlines(
    item: ServicingItem, received_on: date, *, incomplete: bool = False, approved_on: date | None = None
) -> list[Deadline]:
    """The deadlines of one request (BSR arts. 19–20; Insurance Law art. 47; §2.7–2.8 H).

    Accept within 2 working days of receipt (or, when ``incomplete``, list everything missing within 5); finish
    within 5 working days of ``approved_on`` (pass the full-payment date when premium is involved) once known;
    a surrender also pays the cash value within 30 days of the request.
    """
    first = SlaKind.SERVICING_INCOMPLETE_NOTICE if incomplete else SlaKind.SERVICING_ACCEPT
    out = [sla_deadline(first, received_on)]
    if approved_on is not None:
        out.append(sla_deadline(SlaKind.SERVICING_COMPLETE, approved_on))
    if SlaKind.SURRENDER_PAYMENT in SERVICING_ITEMS[item].slas:
        out.append(sla_deadline(SlaKind.SURRENDER_PAYMENT, received_on))
    return out


@dataclass(frozen=True, slots=True)
class OnlineShare:
    online: int
    total: int
    share: Decimal
    """Online / total to 4 places (0.7500 = 75%); 0 when there are no records."""
    by_item: dict[ServicingItem, Decimal]


def _ratio(online: int, total: int) -> Decimal:
    return (Decimal(online) / Decimal(total)).quantize(Decimal("0.0001")) if total else Decimal("0.0000")


def online_share(records: Iterable[tuple[ServicingItem, Channel]]) -> OnlineShare:
    """保全E化率: the share of servicing requests made online, overall and per item."""
    counts: dict[ServicingItem, list[int]] = {}
    for item, channel in records:
        pair = counts.setdefault(ServicingItem(item), [0, 0])
        pair[0] += Channel(channel) is Channel.ONLINE
        pair[1] += 1
    online = sum(p[0] for p in counts.values())
    total = sum(p[1] for p in counts.values())
    return OnlineShare(online, total, _ratio(online, total), {k: _ratio(*v) for k, v in counts.items()})


@dataclass(frozen=True, slots=True)
class Beneficiary:
    name: str
    order: int
    share: Decimal | None
    """Percent (e.g. 50 or 33.33); None for every beneficiary of an order means equal shares."""


@dataclass(frozen=True, slots=True)
class BeneficiaryDesignation:
    legal_heirs: bool
    beneficiaries: tuple[Beneficiary, ...]
    """Named beneficiaries with every share filled in, sorted by order; empty for legal heirs."""


_PCT = Decimal("0.01")


def _problem(field: str, code: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(field, code, zh, en)


def _equal_shares(group: list[Beneficiary]) -> list[Beneficiary]:
    base = (Decimal(100) / len(group)).quantize(_PCT, rounding=ROUND_DOWN)
    rest = Decimal(100) - base * len(group)
    return [Beneficiary(b.name, b.order, base + (rest if i == 0 else 0)) for i, b in enumerate(group)]


def _order_problems(order: int, group: list[Beneficiary]) -> list[FieldProblem]:
    field = f"beneficiaries.order_{order}"
    shares = [b.share for b in group]
    problems = []
    if any(s is None for s in shares) and any(s is not None for s in shares):
        problems.append(_problem(field, "mixed_shares", "同一顺序须全部填写份额或全部不填", "give every share or none"))
    elif all(s is not None for s in shares):
        filled = [s for s in shares if s is not None]
        if any(not Decimal(0) < s <= 100 or s != s.quantize(_PCT) for s in filled):
            problems.append(_problem(field, "share_range", "份额须大于0且不超过100%", "a share must be in (0, 100]"))
        elif sum(filled) != 100:
            problems.append(
                _problem(
                    field, "shares_not_100", f"第{order}顺序份额合计须为100%", f"order {order} shares must total 100"
                )
            )
    names = [b.name.strip() for b in group]
    if any(not n for n in names) or len(set(names)) != len(names):
        problems.append(_problem(field, "names", "受益人姓名须填写且不重复", "names must be given and distinct"))
    return problems


def validate_beneficiaries(beneficiaries: Sequence[Beneficiary], *, legal_heirs: bool) -> BeneficiaryDesignation:
    """Validate a designation and fill equal shares where none were given (rules in the module docstring).

    Raises ``InvalidInput`` listing every problem: legal heirs combined with names; no names; orders not 1..n;
    a share ≤ 0 or > 100 or with more than 2 decimals; shares of an order not summing to 100; duplicate names.
    """
    if legal_heirs:
        if beneficiaries:
            raise InvalidInput(
                fields=(
                    _problem(
                        "beneficiaries",
                        "heirs_and_named",
                        "法定继承人与指定受益人不能同时选择",
                        "choose legal heirs or named beneficiaries",
                    ),
                )
            )
        return BeneficiaryDesignation(True, ())
    if not beneficiaries:
        raise InvalidInput(
            fields=(
                _problem(
                    "beneficiaries", "empty", "请指定受益人或选择法定继承人", "name a beneficiary or choose legal heirs"
                ),
            )
        )
    orders = sorted({b.order for b in beneficiaries})
    problems: list[FieldProblem] = []
    if orders != list(range(1, len(orders) + 1)):
        problems.append(_problem("beneficiaries", "orders", "受益顺序须从1开始连续编号", "orders must run 1, 2, … n"))
    filled: list[Beneficiary] = []
    for order in orders:
        group = [b for b in beneficiaries if b.order == order]
        order_problems = _order_problems(order, group)
        problems += order_problems
        if not order_problems:
            filled += _equal_shares(group) if group[0].share is None else group
    if problems:
        raise InvalidInput(fields=tuple(problems))
    return BeneficiaryDesignation(False, tuple(filled))
