"""Application risk scoring (核保风控), pure: rules over the application and its household, each adding points
with a reason; the total decides pass, review (a person looks) or intercept.

Anti-Insurance-Fraud Work Measures (金规〔2024〕10号): risk data is checked at underwriting as well as at claims;
the rules below follow the fraud patterns named in issue 13 (many policies in a short time, cover far above
income, undeclared cover elsewhere, identifiers shared across unrelated households, applying soon after a
diagnosis, agents whose business produces many early claims).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

REVIEW_AT = 40
INTERCEPT_AT = 70
MAX_POINTS = 100


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    REVIEW = "review"
    INTERCEPT = "intercept"


@dataclass(frozen=True, slots=True)
class InsuredRisk:
    person_id: int
    sum_assured: Decimal
    annual_income: Decimal | None = None
    """The insured's own income, or the policyholder's for a dependant (child, non-working spouse)."""
    existing_cover: Decimal = Decimal(0)
    """Sum assured already in force on the platform for this person."""
    days_since_diagnosis: int | None = None
    """Days between the latest diagnosis recorded for this person anywhere on the platform (claims of any
    household) and the application; None when there is none."""
    declared_other_cover: bool | None = None
    known_other_cover: bool | None = None
    """Cover elsewhere found in industry data (CBIT); None when no source answered."""


@dataclass(frozen=True, slots=True)
class SharedIdentifier:
    kind: str  # phone | account | address | device
    other_households: int
    """Unrelated households (not this one) where the same identifier appears."""


@dataclass(frozen=True, slots=True)
class AgentRecord:
    policies: int
    early_claims: int
    """Policies the agent sold with a claim within their first year."""
    partner_name: str | None = None
    """Set when the seller is a network partner (issue 15): ``policies`` and ``early_claims`` are then the partner's
    quality figures (policies sold; of them with a claim whose event fell within two policy years) and the rule
    uses the partner early-claim threshold ``limit``."""
    limit: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ApplicationRisk:
    application_id: int
    insureds: tuple[InsuredRisk, ...]
    recent_applications: int = 0
    """Other applications by this household in the last 90 days."""
    shared: tuple[SharedIdentifier, ...] = ()
    agent: AgentRecord | None = None


def _agent_hit(agent: AgentRecord, share: Decimal) -> Hit | None:
    """An agent with a high share of early claims: the partner's own quality figure against the partner threshold
    (above it puts the partner under review too), else the household agent's first-year share."""
    if agent.partner_name is not None and agent.limit is not None:
        if share <= agent.limit:
            return None
        return Hit(
            "agent_early_claims",
            20,
            f"销售合伙人{agent.partner_name}所售保单中{agent.early_claims}张在两个保单年度内出险，"
            f"占{share:.0%}，超过品质阈值{agent.limit:.0%}",
            f"{agent.early_claims} of the policies sold by partner {agent.partner_name} ({share:.0%}) had a claim "
            f"within two policy years, above the quality threshold of {agent.limit:.0%}",
        )
    if share < AGENT_EARLY_SHARE:
        return None
    return Hit(
        "agent_early_claims",
        20,
        f"经办代理人保单的首年出险比例为{share:.0%}",
        f"{share:.0%} of the agent's policies had a claim in their first year",
    )


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    points: int
    text_zh: str
    text_en: str
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class Score:
    points: int
    outcome: Outcome
    hits: tuple[Hit, ...] = field(default_factory=tuple)


COVER_MULTIPLE_REVIEW = Decimal(20)
COVER_MULTIPLE_HIGH = Decimal(40)
DIAGNOSIS_DAYS = 180
AGENT_MIN_POLICIES = 10
AGENT_EARLY_SHARE = Decimal("0.2")
SHARED_POINTS = {"account": (25, 40), "phone": (15, 30), "device": (15, 30), "address": (10, 20)}
"""Points for an identifier seen in one other household, and in three or more."""


def _insured_hits(i: InsuredRisk) -> list[Hit]:
    hits = []
    total = i.sum_assured + i.existing_cover
    if i.annual_income is not None and i.annual_income > 0:
        multiple = total / i.annual_income
        if multiple > COVER_MULTIPLE_HIGH:
            hits.append(
                Hit(
                    "cover_far_above_income",
                    45,
                    f"保额合计为年收入的{multiple:.0f}倍（超过{COVER_MULTIPLE_HIGH}倍）",
                    f"Total cover is {multiple:.0f} times income (above {COVER_MULTIPLE_HIGH})",
                    i.person_id,
                )
            )
        elif multiple > COVER_MULTIPLE_REVIEW:
            hits.append(
                Hit(
                    "cover_above_income",
                    25,
                    f"保额合计为年收入的{multiple:.0f}倍（超过{COVER_MULTIPLE_REVIEW}倍）",
                    f"Total cover is {multiple:.0f} times income (above {COVER_MULTIPLE_REVIEW})",
                    i.person_id,
                )
            )
    if i.days_since_diagnosis is not None and 0 <= i.days_since_diagnosis <= DIAGNOSIS_DAYS:
        hits.append(
            Hit(
                "recent_diagnosis",
                45,
                f"投保前{i.days_since_diagnosis}天平台内有该被保险人的诊断记录",
                f"A diagnosis of this insured is on record {i.days_since_diagnosis} days before applying",
                i.person_id,
            )
        )
    if i.known_other_cover and i.declared_other_cover is False:
        hits.append(
            Hit(
                "undeclared_other_cover",
                30,
                "行业数据显示在他处有保障，但投保时未告知",
                "Industry data shows cover elsewhere that was not declared",
                i.person_id,
            )
        )
    return hits


def score(facts: ApplicationRisk) -> Score:
    """Add the points of every rule that applies; ≥ 70 intercept, ≥ 40 review, else pass."""
    hits: list[Hit] = []
    if facts.recent_applications >= 5:
        hits.append(
            Hit(
                "many_applications",
                40,
                f"近90天内该家庭已有{facts.recent_applications}份其他投保申请",
                f"{facts.recent_applications} other applications by this household in 90 days",
            )
        )
    elif facts.recent_applications >= 3:
        hits.append(
            Hit(
                "several_applications",
                20,
                f"近90天内该家庭已有{facts.recent_applications}份其他投保申请",
                f"{facts.recent_applications} other applications by this household in 90 days",
            )
        )
    for insured in facts.insureds:
        hits += _insured_hits(insured)
    for s in facts.shared:
        if s.other_households <= 0 or s.kind not in SHARED_POINTS:
            continue
        low, high = SHARED_POINTS[s.kind]
        kind_zh = {"account": "银行账户", "phone": "手机号", "device": "设备", "address": "地址"}[s.kind]
        hits.append(
            Hit(
                f"shared_{s.kind}",
                high if s.other_households >= 3 else low,
                f"同一{kind_zh}出现在另外{s.other_households}个无关家庭",
                f"The same {s.kind} appears in {s.other_households} unrelated households",
            )
        )
    agent = facts.agent
    if agent and agent.policies >= AGENT_MIN_POLICIES:
        hit = _agent_hit(agent, Decimal(agent.early_claims) / agent.policies)
        if hit is not None:
            hits.append(hit)
    points = min(MAX_POINTS, sum(h.points for h in hits))
    outcome = Outcome.INTERCEPT if points >= INTERCEPT_AT else Outcome.REVIEW if points >= REVIEW_AT else Outcome.PASS
    return Score(points=points, outcome=outcome, hits=tuple(hits))
