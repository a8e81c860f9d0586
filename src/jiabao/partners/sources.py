"""Premium events for the commission run — the ONE place the partner domain reads money from other domains.

``premium_events(session, start, end)`` reads the **household ledger** (``jiabao.ledger``): commission is paid on
premium actually received and recorded in the books, and clawed back on what the books record going back.

* A premium: every ``premium_received`` journal with a value date (``occurred_on``) in the month, one event per
  journal and policy; the amount is the premium the journal settles for that policy (its ``premium_receivable``
  credits — the interest on back premiums at reinstatement is interest income, not premium). A single payment's
  journal is ``payment:<id>``, a family bill's debit ``bill:<id>`` (one event per policy on the bill). The
  instalments the journal settled (its memo) place the premium in a policy year (the earliest instalment's due
  date) and tell the first premium of a year (its sequence).
* A cooling-off cancellation: the ``refund`` journal (memo kind ``refund``: the 犹豫期 refund) of the month.
* A surrender: the ``cash_value`` journal of kind ``surrender`` of the month (a termination cash value after two
  years' suspension claws nothing back, as before).
* A rescission: the policy's ``end_reason`` (``rescinded`` by the servicing flow's 解除合同 under art. 16,
  ``rescinded_age`` by an age correction under art. 32) and ``ended_on`` — the ledger has no rescission movement
  (the refund is a payment of its own kind).

The seller of each policy is its own attribution, else its application's. ``Shard(index, count)`` keeps only the
events whose seller id (0 when none) ≡ ``index`` (mod ``count``): the run is sharded by seller.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from jiabao.core.money import from_fen
from jiabao.ledger.models import LedgerEntry, LedgerJournal
from jiabao.partners.engine.run import PremiumEvent
from jiabao.partners.models import Attribution
from jiabao.policies.common.models import Instalment, Policy

PER_YEAR = {"annual": 1, "semi_annual": 2, "quarterly": 4, "monthly": 12}
# 解除合同: for non-disclosure (Insurance Law art. 16, ``rescinded``) and for a true age outside the product's
# limits (art. 32, ``rescinded_age``, the age-correction and ID-correction flows)
RESCISSION_REASONS = ("rescission", "rescinded", "rescinded_age")
PREMIUM_RECEIVED = "premium_received"
RECEIVABLE = "premium_receivable"
CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Shard:
    """The sellers whose id ≡ ``index`` (mod ``count``); policies without a seller are in shard 0."""

    index: int = 0
    count: int = 1


def policy_year(effective: date, on: date) -> int:
    """Policy year (1-based) a date falls in, counting anniversaries of the effective date."""
    years = on.year - effective.year - ((on.month, on.day) < (effective.month, effective.day))
    return max(1, years + 1)


def with_seller(stmt: Any, shard: Shard) -> tuple[Any, ColumnElement[Any]]:
    """``stmt`` (which selects from ``policies``) joined to the policy's and its application's attributions, kept to
    the shard's sellers; and the seller column (NULL when the policy has none)."""
    by_policy, by_application = aliased(Attribution), aliased(Attribution)
    stmt = stmt.outerjoin(by_policy, and_(by_policy.subject == "policy", by_policy.subject_id == Policy.id)).outerjoin(
        by_application,
        and_(by_application.subject == "application", by_application.subject_id == Policy.application_id),
    )
    seller = func.coalesce(by_policy.selling_partner_id, by_application.selling_partner_id)
    if shard.count > 1:
        stmt = stmt.where(func.coalesce(seller, 0) % shard.count == shard.index)
    return stmt, seller


def premium_events(session: Session, start: date, end: date, shard: Shard = Shard()) -> list[PremiumEvent]:
    """Premiums received and policies ended between ``start`` and ``end`` (inclusive), as the ledger records them,
    for the shard's sellers."""
    policy_cols = (
        Policy.id,
        Policy.product_code,
        Policy.payment_term,
        Policy.frequency,
        Policy.annual_premium,
        Policy.effective_date,
    )
    settled = (
        select(
            LedgerJournal.id,
            LedgerJournal.source,
            LedgerJournal.occurred_on,
            LedgerJournal.memo,
            func.sum(LedgerEntry.fen),
            *policy_cols,
        )
        .select_from(LedgerEntry)
        .join(LedgerJournal, LedgerJournal.id == LedgerEntry.journal_id)
        .join(Policy, Policy.id == LedgerEntry.policy_id)
    )
    settled, seller = with_seller(settled, shard)
    settled = (
        settled.add_columns(seller)
        .where(
            LedgerJournal.movement == PREMIUM_RECEIVED,
            LedgerJournal.occurred_on >= start,
            LedgerJournal.occurred_on <= end,
            LedgerEntry.account == RECEIVABLE,
            LedgerEntry.fen < 0,
        )
        .group_by(LedgerJournal.id, *policy_cols, seller)
        .order_by(LedgerJournal.id, Policy.id)
    )
    rows = session.execute(settled).all()
    instalments = _instalments(session, {i for r in rows for i in (r[3] or {}).get("instalments", [])})
    out: list[PremiumEvent] = []
    for _jid, source, on, memo, credit, pol, product, term, freq, annual, effective, sold_by in rows:
        mine = [instalments[i][1:] for i in (memo or {}).get("instalments", []) if instalments.get(i, (0,))[0] == pol]
        seq, due = min(mine) if mine else (None, None)
        out.append(
            PremiumEvent(
                source,
                "premium",
                pol,
                sold_by,
                product,
                term,
                policy_year(effective, due or on),
                seq is None or (seq - 1) % PER_YEAR.get(freq, 1) == 0,
                Decimal(annual),
                from_fen(-int(credit)),
                on,
                effective,
            )
        )
    out += _ended(session, start, end, shard)
    return out


def _instalments(session: Session, ids: set[int]) -> dict[int, tuple[int, int, date]]:
    """Instalment id → (policy, sequence, due date)."""
    out: dict[int, tuple[int, int, date]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        stmt = select(Instalment.id, Instalment.policy_id, Instalment.seq, Instalment.due_date).where(
            Instalment.id.in_(ordered[i : i + CHUNK])
        )
        for iid, pol, seq, due in session.execute(stmt):
            out[iid] = (pol, seq, due)
    return out


def _ended(session: Session, start: date, end: date, shard: Shard) -> list[PremiumEvent]:
    """Cooling-off refunds and surrender cash values the ledger records in the month; rescissions from policies."""
    cols = (
        Policy.id,
        Policy.product_code,
        Policy.payment_term,
        Policy.annual_premium,
        Policy.effective_date,
    )
    paid_out = select(LedgerJournal.id, LedgerJournal.movement, LedgerJournal.memo, LedgerJournal.occurred_on, *cols)
    paid_out = paid_out.select_from(LedgerJournal).join(Policy, Policy.id == LedgerJournal.policy_id)
    paid_out, seller = with_seller(paid_out, shard)
    paid_out = (
        paid_out.add_columns(seller)
        .where(
            LedgerJournal.movement.in_(("refund", "cash_value")),
            LedgerJournal.occurred_on >= start,
            LedgerJournal.occurred_on <= end,
        )
        .order_by(LedgerJournal.id)
    )
    found: dict[int, tuple[str, date, tuple[Any, ...]]] = {}
    for _jid, movement, memo, on, *rest in session.execute(paid_out):
        kind = (memo or {}).get("kind")
        what = "cooling_off" if movement == "refund" and kind == "refund" else None
        what = "surrender" if movement == "cash_value" and kind == "surrender" else what
        if what is not None and rest[0] not in found:
            found[rest[0]] = (what, on, tuple(rest))
    rescinded = select(Policy.ended_on, *cols)
    rescinded, seller = with_seller(rescinded, shard)
    rescinded = rescinded.add_columns(seller).where(
        Policy.ended_on >= start, Policy.ended_on <= end, Policy.end_reason.in_(RESCISSION_REASONS)
    )
    extra: dict[int, list[tuple[str, date, tuple[Any, ...]]]] = defaultdict(list)
    for ended_on, *rest in session.execute(rescinded.order_by(Policy.id)):
        if ended_on is None:  # pragma: no cover - the query keeps dated ends only
            continue
        extra[rest[0]].append(("rescission", ended_on, tuple(rest)))
    out: list[PremiumEvent] = []
    for what, on, (pol, product, term, annual, effective, sold_by) in [
        *found.values(),
        *(e for events in extra.values() for e in events),
    ]:
        out.append(
            PremiumEvent(
                f"end:{pol}",
                what,
                pol,
                sold_by,
                product,
                term,
                policy_year(effective, on),
                False,
                Decimal(annual),
                Decimal(0),
                on,
                effective,
            )
        )
    return out
