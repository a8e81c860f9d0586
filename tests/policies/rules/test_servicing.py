"""Servicing (保全): item catalogue, SLAs in working days, online share, beneficiary designations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules.calendar import SlaKind
from jiabao.policies.rules.servicing import (
    SERVICING_ITEMS,
    Beneficiary,
    Channel,
    ServicingItem,
    online_share,
    servicing_deadlines,
    validate_beneficiaries,
)


def test_every_item_is_available_online_and_at_a_counter() -> None:
    assert set(SERVICING_ITEMS) == set(ServicingItem)
    # every request a customer makes is online and at a counter; rescission (Insurance Law art. 16) and the age
    # correction (art. 32) are the insurer's own decisions, made by service staff (issue 17)
    insurer = {ServicingItem.RESCISSION, ServicingItem.AGE_CORRECTION}
    assert all(rule.online and rule.counter for item, rule in SERVICING_ITEMS.items() if item not in insurer)
    assert all(SERVICING_ITEMS[item].counter and not SERVICING_ITEMS[item].online for item in insurer)
    assert "insured_consent" in SERVICING_ITEMS[ServicingItem.BENEFICIARY].consents
    assert SERVICING_ITEMS[ServicingItem.ADD_INSURED].underwriting
    assert SERVICING_ITEMS[ServicingItem.REINSTATEMENT].underwriting
    assert not SERVICING_ITEMS[ServicingItem.REMOVE_INSURED].underwriting


def test_acceptance_over_a_make_up_sunday() -> None:
    # Fri 26 Sep 2025 + 2 wd: Sun 28 Sep (make-up) = 1, Mon 29 = 2.
    [accept] = servicing_deadlines(ServicingItem.CONTACT_DETAILS, date(2025, 9, 26))
    assert (accept.kind, accept.due) == (SlaKind.SERVICING_ACCEPT, date(2025, 9, 29))


def test_finish_counts_from_approval_and_surrender_pays_in_30_days() -> None:
    deadlines = servicing_deadlines(ServicingItem.SURRENDER, date(2025, 3, 3), approved_on=date(2025, 3, 4))
    assert [(d.kind, d.due) for d in deadlines] == [
        (SlaKind.SERVICING_ACCEPT, date(2025, 3, 5)),  # Mon 3 + 2 wd
        (SlaKind.SERVICING_COMPLETE, date(2025, 3, 11)),  # Tue 4 + 5 wd: 5, 6, 7, 10, 11
        (SlaKind.SURRENDER_PAYMENT, date(2025, 4, 2)),  # 3 Mar + 30 days
    ]
    incomplete = servicing_deadlines(ServicingItem.BENEFICIARY, date(2025, 3, 3), incomplete=True)
    assert [(d.kind, d.due) for d in incomplete] == [(SlaKind.SERVICING_INCOMPLETE_NOTICE, date(2025, 3, 10))]


def test_online_share() -> None:
    records = [
        (ServicingItem.BENEFICIARY, Channel.ONLINE),
        (ServicingItem.BENEFICIARY, Channel.ONLINE),
        (ServicingItem.SURRENDER, Channel.COUNTER),
        (ServicingItem.SURRENDER, Channel.ONLINE),
        (ServicingItem.PAYMENT_ACCOUNT, Channel.COUNTER),
        (ServicingItem.CONTACT_DETAILS, Channel.ONLINE),
    ]
    share = online_share(records)
    assert (share.online, share.total, share.share) == (4, 6, Decimal("0.6667"))  # 4/6 to 4 places
    assert share.by_item[ServicingItem.SURRENDER] == Decimal("0.5000")
    assert share.by_item[ServicingItem.PAYMENT_ACCOUNT] == Decimal("0.0000")
    assert online_share([]).share == Decimal("0.0000")


def test_legal_heirs() -> None:
    result = validate_beneficiaries([], legal_heirs=True)
    assert result.legal_heirs and result.beneficiaries == ()
    with pytest.raises(InvalidInput):
        validate_beneficiaries([Beneficiary("王芳", 1, Decimal(100))], legal_heirs=True)
    with pytest.raises(InvalidInput):
        validate_beneficiaries([], legal_heirs=False)


def test_two_orders_each_summing_to_100() -> None:
    result = validate_beneficiaries(
        [
            Beneficiary("王芳", 1, Decimal("60")),
            Beneficiary("李明", 1, Decimal("40")),
            Beneficiary("李强", 2, Decimal("100")),
        ],
        legal_heirs=False,
    )
    assert [(b.name, b.order, b.share) for b in result.beneficiaries] == [
        ("王芳", 1, Decimal("60")),
        ("李明", 1, Decimal("40")),
        ("李强", 2, Decimal("100")),
    ]


def test_equal_shares_when_none_given() -> None:
    # 100 / 3 = 33.33 each, the remaining 0.01 to the first named.
    result = validate_beneficiaries(
        [Beneficiary("甲", 1, None), Beneficiary("乙", 1, None), Beneficiary("丙", 1, None)], legal_heirs=False
    )
    assert [b.share for b in result.beneficiaries] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def codes(beneficiaries: list[Beneficiary]) -> set[str]:
    with pytest.raises(InvalidInput) as exc:
        validate_beneficiaries(beneficiaries, legal_heirs=False)
    return {f.code for f in exc.value.fields}


def test_shares_not_summing_to_100() -> None:
    assert codes([Beneficiary("甲", 1, Decimal("60")), Beneficiary("乙", 1, Decimal("30"))]) == {"shares_not_100"}
    assert codes([Beneficiary("甲", 1, Decimal("60")), Beneficiary("乙", 1, Decimal("40.01"))]) == {"shares_not_100"}


def test_bad_shares_orders_and_names() -> None:
    assert codes([Beneficiary("甲", 1, Decimal("0")), Beneficiary("乙", 1, Decimal("100"))]) == {"share_range"}
    assert codes([Beneficiary("甲", 1, Decimal("100.5"))]) == {"share_range"}
    assert codes([Beneficiary("甲", 1, Decimal("33.333")), Beneficiary("乙", 1, Decimal("66.667"))]) == {"share_range"}
    assert codes([Beneficiary("甲", 1, None), Beneficiary("乙", 1, Decimal("50"))]) == {"mixed_shares"}
    assert codes([Beneficiary("甲", 1, Decimal("50")), Beneficiary("甲", 1, Decimal("50"))]) == {"names"}
    # Orders 1 and 3 (no 2), and order 3's shares are wrong too: both problems reported at once.
    assert codes([Beneficiary("甲", 1, Decimal("100")), Beneficiary("乙", 3, Decimal("90"))]) == {
        "orders",
        "shares_not_100",
    }
