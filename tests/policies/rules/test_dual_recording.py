"""Dual recording (双录) under the 2017 rule: channels, term, age exactly 60, unit-linked; QC sampling; segments."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules.dual_recording import (
    RecordingType,
    SaleFacts,
    SalesChannel,
    Segment,
    explanation_points,
    missing_segments,
    qc_bucket,
    qc_selected,
    recording_requirement,
    required_segments,
)

APPLIED = date(2025, 6, 15)
BORN_1990 = date(1990, 1, 1)


def sale(channel: SalesChannel, term: int | None, birth: date = BORN_1990, **kw: bool) -> SaleFacts:
    return SaleFacts(channel, term, birth, APPLIED, **kw)


def test_bank_channel_one_year_product_is_not_recorded() -> None:
    assert recording_requirement(sale(SalesChannel.BANK, 12)).type is RecordingType.NONE


def test_bank_channel_over_one_year_is_recorded_but_sampled() -> None:
    req = recording_requirement(sale(SalesChannel.BANK, 13))
    assert (req.type, req.reasons, req.full_qc) == (RecordingType.ON_SITE_AUDIO_VIDEO, ("bank_channel_over_1y",), False)
    other = recording_requirement(sale(SalesChannel.CONCURRENT_AGENCY, None))  # whole life
    assert other.reasons == ("concurrent_agency_over_1y",)


def test_policyholder_exactly_60_on_the_application_date() -> None:
    req = recording_requirement(sale(SalesChannel.AGENT, 240, birth=date(1965, 6, 15)))
    assert req.policyholder_age == 60
    assert (req.type, req.reasons, req.full_qc) == (
        RecordingType.ON_SITE_AUDIO_VIDEO,
        ("policyholder_60_plus_over_1y",),
        True,
    )
    day_before = recording_requirement(sale(SalesChannel.AGENT, 240, birth=date(1965, 6, 16)))
    assert (day_before.policyholder_age, day_before.type) == (59, RecordingType.NONE)


def test_elderly_one_year_product_is_not_recorded() -> None:
    assert recording_requirement(sale(SalesChannel.AGENT, 12, birth=date(1950, 1, 1))).type is RecordingType.NONE


def test_unit_linked_any_term_outside_the_bank() -> None:
    req = recording_requirement(sale(SalesChannel.DIRECT, 12, unit_linked=True))
    assert (req.reasons, req.full_qc) == (("unit_linked",), True)
    both = recording_requirement(sale(SalesChannel.AGENT, None, birth=date(1950, 1, 1), unit_linked=True))
    assert both.reasons == ("unit_linked", "policyholder_60_plus_over_1y")
    # Through a bank the unit-linked test of art. 6(2) does not apply; a 1-year term is not recorded.
    assert recording_requirement(sale(SalesChannel.BANK, 12, unit_linked=True)).type is RecordingType.NONE


def test_phone_internet_and_group() -> None:
    assert recording_requirement(sale(SalesChannel.PHONE, 12)).type is RecordingType.PHONE_AUDIO
    internet = recording_requirement(sale(SalesChannel.INTERNET, None, birth=date(1950, 1, 1)))
    assert internet.type is RecordingType.INTERNET_TRACE
    group = recording_requirement(sale(SalesChannel.BANK, None, group=True))
    assert (group.type, group.reasons) == (RecordingType.NONE, ("group_excluded",))
    with pytest.raises(InvalidInput):
        recording_requirement(sale(SalesChannel.AGENT, 0))


def test_qc_sampling_is_reproducible_and_near_30_percent() -> None:
    sampled = recording_requirement(sale(SalesChannel.BANK, 60))
    ids = [f"APP-2025-{i:06d}" for i in range(10_000)]
    picks = [qc_selected(i, sampled) for i in ids]
    assert picks == [qc_selected(i, sampled) for i in ids]
    assert 0.28 < sum(picks) / len(ids) < 0.32
    # The bucket is SHA-256("salt:id") read as a fraction of 2^64.
    digest = hashlib.sha256(b"jiabao-dual-recording-qc-v1:APP-1").digest()
    assert qc_bucket("APP-1") == Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64)


def test_full_qc_and_unrecorded_cases() -> None:
    full = recording_requirement(sale(SalesChannel.AGENT, 240, birth=date(1950, 1, 1)))
    assert all(qc_selected(f"X{i}", full) for i in range(200))
    none = recording_requirement(sale(SalesChannel.AGENT, 240))
    assert not any(qc_selected(f"X{i}", none) for i in range(200))
    bank = recording_requirement(sale(SalesChannel.BANK, 60))
    assert all(qc_selected(f"X{i}", bank, rate=Decimal("1")) for i in range(200))
    with pytest.raises(InvalidInput):
        qc_selected("X", bank, rate=Decimal("0.29"))


def test_segment_checklist() -> None:
    base = required_segments(death_cover=False)
    assert base == (
        Segment.SELLER_ID,
        Segment.DOCUMENTS_SHOWN,
        Segment.EXPLANATION,
        Segment.POLICYHOLDER_AFFIRMS,
        Segment.SIGNING,
    )
    death = required_segments(death_cover=True, new_type=True)
    assert death[5:] == (Segment.INSURED_CONSENT, Segment.NEW_TYPE_BROCHURE)
    assert missing_segments(death, [Segment.SELLER_ID, Segment.SIGNING, Segment.EXPLANATION]) == (
        Segment.DOCUMENTS_SHOWN,
        Segment.POLICYHOLDER_AFFIRMS,
        Segment.INSURED_CONSENT,
        Segment.NEW_TYPE_BROCHURE,
    )
    assert missing_segments(base, base) == ()
    health = explanation_points(health=True)
    assert "surrender_loss_after_cooling_off" in health and "waiting_period_start" in health
    assert "uncertain_benefits" in explanation_points(new_type=True)
