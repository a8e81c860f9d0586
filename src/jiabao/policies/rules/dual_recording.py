"""Dual recording (双录) and sales traceability under the 2017 rule (保监发〔2017〕54号, regulation.md §0, §2.3, H).

- Group business is out of scope (art. 4). Phone sales: the whole call is audio-recorded (art. 5). Internet
  sales: page traceability under the internet rules (art. 5).
- Otherwise on-site audio + video (with the policyholder's consent) when (art. 6):
  (1) a personal-insurance (人身保险: life, health, accident) product with a term over 1 year is sold through a
      concurrent-business agency (兼业代理), banks and their self-service terminals included; or
  (2) through any other channel, the product is unit-linked (投资连结, any term), or the term is over 1 year and
      the policyholder is aged 60 or over (60周岁（含）以上) at application.
- QC (art. 10): at least 30% of issued cases with recordings, and 100% of those under (2).
- Key segments (art. 7): five, plus the insured's consent for death cover and, for new-type products, the
  brochure and the hand-copied risk statement.

A 2021 draft that would drop the age test was not found as a final rule (Conf. L) and is not implemented.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jiabao.core.errors import invalid
from jiabao.policies.rules._common import age_at

ELDERLY_AGE = 60
QC_MINIMUM_RATE = Decimal("0.30")
QC_SALT = "jiabao-dual-recording-qc-v1"
_BASIS = "Traceability rule 2017 (保监发〔2017〕54号) arts. 4–7, 10; regulation.md §2.3, Conf. H"


class SalesChannel(StrEnum):
    BANK = "bank"  # 银行类保险兼业代理机构 (branch counters and self-service terminals)
    CONCURRENT_AGENCY = "concurrent_agency"  # 非银行类保险兼业代理机构
    AGENT = "agent"  # 个人保险代理人 / 营销员
    PROFESSIONAL_INTERMEDIARY = "professional_intermediary"  # 专业代理机构、经纪人
    DIRECT = "direct"  # the insurer's own staff or counter
    PHONE = "phone"  # 电话销售
    INTERNET = "internet"  # 互联网保险

    @property
    def concurrent_business(self) -> bool:
        return self in (SalesChannel.BANK, SalesChannel.CONCURRENT_AGENCY)


class RecordingType(StrEnum):
    NONE = "none"
    ON_SITE_AUDIO_VIDEO = "on_site_audio_video"  # 现场同步录音录像
    PHONE_AUDIO = "phone_audio"  # 电话全程录音
    INTERNET_TRACE = "internet_trace"  # 互联网页面可回溯


@dataclass(frozen=True, slots=True)
class SaleFacts:
    channel: SalesChannel
    term_months: int | None
    """Insurance term (保险期间) in months; None for whole of life."""
    policyholder_birth_date: date
    application_date: date
    unit_linked: bool = False
    group: bool = False


@dataclass(frozen=True, slots=True)
class RecordingRequirement:
    type: RecordingType
    reasons: tuple[str, ...]
    """Stable codes: bank_channel_over_1y, concurrent_agency_over_1y, unit_linked, policyholder_60_plus_over_1y,
    phone_sale, internet_sale, group_excluded, not_required."""
    full_qc: bool
    """True when every recording must be quality-checked (art. 10: the art. 6(2) cases)."""
    policyholder_age: int
    basis: str = _BASIS


def _over_one_year(term_months: int | None) -> bool:
    return term_months is None or term_months > 12


def recording_requirement(facts: SaleFacts) -> RecordingRequirement:
    """Which recording the sale needs, and why (see the module docstring). A 12-month term is not "over 1 year"."""
    if facts.term_months is not None and facts.term_months < 1:
        raise invalid("term_months", "out_of_range", "保险期间至少 1 个月", "the term is at least 1 month")
    age = age_at(facts.policyholder_birth_date, facts.application_date)
    if facts.group:
        return RecordingRequirement(RecordingType.NONE, ("group_excluded",), False, age)
    if facts.channel is SalesChannel.PHONE:
        return RecordingRequirement(RecordingType.PHONE_AUDIO, ("phone_sale",), False, age)
    if facts.channel is SalesChannel.INTERNET:
        return RecordingRequirement(RecordingType.INTERNET_TRACE, ("internet_sale",), False, age)
    long_term = _over_one_year(facts.term_months)
    if facts.channel.concurrent_business:
        if not long_term:
            return RecordingRequirement(RecordingType.NONE, ("not_required",), False, age)
        reason = "bank_channel_over_1y" if facts.channel is SalesChannel.BANK else "concurrent_agency_over_1y"
        return RecordingRequirement(RecordingType.ON_SITE_AUDIO_VIDEO, (reason,), False, age)
    reasons = tuple(
        code
        for code, applies in (
            ("unit_linked", facts.unit_linked),
            ("policyholder_60_plus_over_1y", long_term and age >= ELDERLY_AGE),
        )
        if applies
    )
    if not reasons:
        return RecordingRequirement(RecordingType.NONE, ("not_required",), False, age)
    return RecordingRequirement(RecordingType.ON_SITE_AUDIO_VIDEO, reasons, True, age)


def qc_bucket(case_id: str, *, salt: str = QC_SALT) -> Decimal:
    """A reproducible number in [0, 1) from the case id (SHA-256 of ``salt:case_id``, first 8 bytes)."""
    digest = hashlib.sha256(f"{salt}:{case_id}".encode()).digest()
    return Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64)


def qc_selected(
    case_id: str, requirement: RecordingRequirement, *, rate: Decimal = QC_MINIMUM_RATE, salt: str = QC_SALT
) -> bool:
    """Whether an issued case's recording goes to quality control (art. 10).

    Full-QC cases always; other on-site and phone recordings when ``qc_bucket(case_id) < rate``, so over many
    cases about ``rate`` of them, the same ones on every run. ``rate`` may not be below the 30% minimum.
    Phone sales fall under separate phone-QC rules (art. 10 last para.); sampling them at the same rate is our
    conservative choice. Internet page traces and unrecorded sales are not sampled.
    """
    if not QC_MINIMUM_RATE <= rate <= 1:
        raise invalid("rate", "below_minimum", "质检比例不得低于 30%", "the QC rate must be at least 30%")
    if requirement.full_qc:
        return True
    if requirement.type not in (RecordingType.ON_SITE_AUDIO_VIDEO, RecordingType.PHONE_AUDIO):
        return False
    return qc_bucket(case_id, salt=salt) < rate


class Segment(StrEnum):
    """Key segments of an on-site recording (art. 7)."""

    SELLER_ID = "seller_id"
    DOCUMENTS_SHOWN = "documents_shown"
    EXPLANATION = "explanation"
    POLICYHOLDER_AFFIRMS = "policyholder_affirms"
    SIGNING = "signing"
    INSURED_CONSENT = "insured_consent"
    NEW_TYPE_BROCHURE = "new_type_brochure"


SEGMENT_LABELS: dict[Segment, tuple[str, str]] = {
    Segment.SELLER_ID: ("销售人员出示有效身份证明", "The seller shows valid ID"),
    Segment.DOCUMENTS_SHOWN: (
        "出示投保提示书、产品条款和免除保险人责任条款的书面说明",
        "The seller shows the application prompt, the terms and the written explanation of exclusions",
    ),
    Segment.EXPLANATION: (
        "明确说明：保险产品、承保机构、保险责任、缴费方式/金额/期间、保险期间、犹豫期后退保损失",
        "Explains: it is insurance, the insurer, cover, payment method/amount/term, policy term, surrender loss",
    ),
    Segment.POLICYHOLDER_AFFIRMS: ("投保人明确肯定答复", "The policyholder clearly says yes"),
    Segment.SIGNING: ("投保人签署投保单等文件", "The policyholder signs the application and documents"),
    Segment.INSURED_CONSENT: (
        "被保险人同意投保人为其订立合同并认可合同内容",
        "The insured consents to the contract and accepts its content (death cover)",
    ),
    Segment.NEW_TYPE_BROCHURE: (
        "出示产品说明书，投保人抄录风险提示语句",
        "The seller shows the brochure; the policyholder hand-copies the risk statement (new-type product)",
    ),
}


def required_segments(*, death_cover: bool, new_type: bool = False) -> tuple[Segment, ...]:
    """The checklist for one recording: the five segments, then the conditional ones (art. 7)."""
    segments = [
        Segment.SELLER_ID,
        Segment.DOCUMENTS_SHOWN,
        Segment.EXPLANATION,
        Segment.POLICYHOLDER_AFFIRMS,
        Segment.SIGNING,
    ]
    if death_cover:
        segments.append(Segment.INSURED_CONSENT)
    if new_type:
        segments.append(Segment.NEW_TYPE_BROCHURE)
    return tuple(segments)


def explanation_points(*, new_type: bool = False, health: bool = False) -> tuple[str, ...]:
    """What the explanation segment must state (art. 7(3)), as stable codes."""
    points = ["is_insurance", "insurer", "cover", "payment_method", "payment_amount", "payment_term"]
    points += ["policy_term", "surrender_loss_after_cooling_off"]
    if new_type:
        points.append("uncertain_benefits")
    if health:
        points += ["waiting_period_start", "designated_hospitals", "renewal_conditions", "indemnity_principle"]
    return tuple(points)


def missing_segments(required: Iterable[Segment], recorded: Iterable[Segment]) -> tuple[Segment, ...]:
    """Required segments not found in the recording, in checklist order (a recording with any missing fails QC)."""
    done = set(recorded)
    return tuple(s for s in required if s not in done)
