"""Every query the fraud scoring makes. Risk control reads across the platform's business (applications,
policies, payments, claims, persons) by design; it writes only its own tables."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, String, bindparam, cast, exists, func, insert, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from jiabao.claims.models import Claim, ClaimInvoice
from jiabao.db.context import ServiceContext
from jiabao.family.income import open_income
from jiabao.family.models import Household, Member, Person
from jiabao.policies.application.family_models import FamilyApplicationItem
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Payment, Policy, PolicyInsured
from jiabao.risk.fraud.models import RiskAssessment, RiskIdentifier

CLAIM_FACTS_COLUMN = "claims.facts"
CLAIM_ACCOUNT_COLUMN = "claims.account"
PAYMENT_ACCOUNT_COLUMN = "payments.account"
ACCOUNT_INDEX = "risk.account"
HOSPITAL_INDEX = "risk.hospital"


def related_households(ctx: ServiceContext, household_id: int) -> set[int]:
    """Every household of everyone who is or was a member of this one (itself included): a person in two
    households (a child who married out) is the same person, not a shared identifier. One query."""
    theirs = aliased(Member)
    return set(
        ctx.session.scalars(
            select(theirs.household_id)
            .join(Member, Member.person_id == theirs.person_id)
            .where(Member.household_id == household_id)
            .distinct()
        )
    )


def households_sharing_phone(ctx: ServiceContext, household_id: int, person_ids: set[int]) -> set[int]:
    """Other households with a member whose phone (blind index) is one of these persons' (one query)."""
    return set(ctx.session.scalars(_SHARING_PHONE, {"ids": sorted(person_ids), "household_id": household_id}))


def households_sharing_account(ctx: ServiceContext, household_id: int) -> set[int]:
    """Households with an indexed bank account also indexed for this household (itself included; one query)."""
    return set(ctx.session.scalars(_SHARING_ACCOUNT, {"household_id": household_id}))


def recent_applications(ctx: ServiceContext, household_id: int, application_id: int, since: datetime) -> int:
    """Other applications of the household since ``since``; a family application (several products applied for
    together, issue 12) counts once, and the products of this application's own family application not at all."""
    stmt = (
        select(Application.id, FamilyApplicationItem.family_application_id)
        .outerjoin(FamilyApplicationItem, FamilyApplicationItem.application_id == Application.id)
        .where(Application.household_id == household_id, Application.created_at >= since)
    )
    rows = list(ctx.session.execute(stmt).all())
    own = next((fa for app, fa in rows if app == application_id), None)
    others = {f"f{fa}" if fa is not None else f"a{app}" for app, fa in rows if app != application_id}
    others.discard(f"f{own}")
    return len(others)


def existing_cover(ctx: ServiceContext, person_id: int) -> Decimal:
    rows = ctx.session.scalars(
        select(PolicyInsured.sum_assured)
        .join(Policy, Policy.id == PolicyInsured.policy_id)
        .where(
            PolicyInsured.person_id == person_id,
            PolicyInsured.status == "active",
            Policy.status.in_(("in_force", "in_grace", "suspended")),
        )
    )
    return sum(rows, Decimal(0))


def income_of(ctx: ServiceContext, person_id: int) -> Decimal | None:
    """The person's declared annual income (encrypted at rest, opened here for the scoring only)."""
    return open_income(ctx.cipher, ctx.session.scalar(select(Person.annual_income_enc).where(Person.id == person_id)))


_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_INCOMES = select(Person.id, Person.annual_income_enc).where(Person.id.in_(_IDS))
_DIAGNOSES = select(Claim.insured_person_id, Claim.facts_enc, Claim.event_date).where(Claim.insured_person_id.in_(_IDS))
_COVERS = (
    select(PolicyInsured.person_id, PolicyInsured.sum_assured)
    .join(Policy, Policy.id == PolicyInsured.policy_id)
    .where(
        PolicyInsured.person_id.in_(_IDS),
        PolicyInsured.status == "active",
        Policy.status.in_(("in_force", "in_grace", "suspended")),
    )
)
_PHONES = aliased(Person)
_SHARING_PHONE = (
    select(Member.household_id)
    .join(Person, Person.id == Member.person_id)
    .where(
        Person.phone_bidx.in_(select(_PHONES.phone_bidx).where(_PHONES.id.in_(_IDS), _PHONES.phone_bidx.is_not(None))),
        Member.household_id != bindparam("household_id"),
    )
    .distinct()
)
_SHARING_ACCOUNT = (
    select(RiskIdentifier.household_id)
    .where(
        RiskIdentifier.kind == "account",
        RiskIdentifier.bidx.in_(
            select(RiskIdentifier.bidx).where(
                RiskIdentifier.kind == "account", RiskIdentifier.household_id == bindparam("household_id")
            )
        ),
    )
    .distinct()
)
"""The application gate's statements, built once so their compiled forms are cached."""


def incomes_of(ctx: ServiceContext, person_ids: Iterable[int]) -> dict[int, Decimal | None]:
    """:func:`income_of` for several persons in one query."""
    rows = ctx.session.execute(_INCOMES, {"ids": sorted(set(person_ids))})
    return {pid: open_income(ctx.cipher, sealed) for pid, sealed in rows}


def latest_diagnoses(ctx: ServiceContext, person_ids: Iterable[int]) -> dict[int, date]:
    """The latest diagnosis or illness event recorded in any claim of each person (facts are decrypted here, in
    the process; nothing leaves it); one query, absent: nothing recorded."""
    latest: dict[int, date] = {}
    for person, blob, event in ctx.session.execute(_DIAGNOSES, {"ids": sorted(set(person_ids))}):
        days = [event]
        if blob:
            facts = json.loads(ctx.cipher.decrypt(CLAIM_FACTS_COLUMN, blob))
            for d in facts.get("claim", {}).get("diagnoses", []):
                if d.get("first_diagnosed_on"):
                    days.append(date.fromisoformat(d["first_diagnosed_on"]))
        candidate = max(days)
        if person not in latest or candidate > latest[person]:
            latest[person] = candidate
    return latest


def existing_covers(ctx: ServiceContext, person_ids: Iterable[int]) -> dict[int, Decimal]:
    """:func:`existing_cover` for several persons in one query (absent: none)."""
    out: dict[int, Decimal] = {}
    for person, amount in ctx.session.execute(_COVERS, {"ids": sorted(set(person_ids))}):
        out[person] = out.get(person, Decimal(0)) + amount
    return out


def agent_record(ctx: ServiceContext, agent_id: int) -> tuple[int, int]:
    """(policies sold to the agent's households, of which with a claim whose event was in the first year).

    Counted by the database: the policies are only counted, and only the (policy, claim) pairs of the same
    household come back, never the agent's whole book."""
    sold = int(
        ctx.session.scalar(
            select(func.count(Policy.id))
            .join(Household, Household.id == Policy.household_id)
            .where(Household.partner_id == agent_id)
        )
        or 0
    )
    if not sold:
        return 0, 0
    pairs = ctx.session.execute(
        select(Policy.id, Policy.effective_date, Claim.event_date)
        .join(Household, Household.id == Policy.household_id)
        .join(Claim, Claim.household_id == Policy.household_id)
        .where(Household.partner_id == agent_id)
    )
    early = {policy for policy, start, event in pairs if 0 <= (event - start).days <= 365}
    return sold, len(early)


def cover_start(ctx: ServiceContext, household_id: int, person_id: int, event: date) -> int | None:
    """Days from the latest cover start or reinstatement before the event (smallest over the covering policies)."""
    rows = ctx.session.execute(
        select(PolicyInsured.start_date, Policy.reinstated_on)
        .join(Policy, Policy.id == PolicyInsured.policy_id)
        .where(Policy.household_id == household_id, PolicyInsured.person_id == person_id)
    ).all()
    best: int | None = None
    for start, reinstated in rows:
        clock = start
        for text in reinstated or []:
            day = date.fromisoformat(str(text)[:10])
            if clock < day <= event:
                clock = day
        if clock <= event:
            days = (event - clock).days
            best = days if best is None else min(best, days)
    return best


def claims_since(
    ctx: ServiceContext, since: datetime, *, exclude: int, insured: int | None = None, household: int | None = None
) -> int:
    stmt = select(func.count(Claim.id)).where(Claim.reported_at >= since, Claim.id != exclude)
    if insured is not None:
        stmt = stmt.where(Claim.insured_person_id == insured)
    if household is not None:
        stmt = stmt.where(Claim.household_id == household)
    return int(ctx.session.scalar(stmt) or 0)


def invoices_claimed_elsewhere(ctx: ServiceContext, household_id: int, invoices: list[str]) -> int:
    if not invoices:
        return 0
    return int(
        ctx.session.scalar(
            select(func.count(ClaimInvoice.id))
            .join(Claim, Claim.id == ClaimInvoice.claim_id)
            .where(ClaimInvoice.invoice_no.in_(invoices), Claim.household_id != household_id)
        )
        or 0
    )


_PLATFORM_MEAN: dict[date, float] = {}


def _platform_mean(ctx: ServiceContext) -> float:
    """The mean claimed amount over all claims, computed once a day per process (a full-table aggregate)."""
    today = ctx.clock.today()
    if today not in _PLATFORM_MEAN:
        _PLATFORM_MEAN.clear()
        _PLATFORM_MEAN[today] = float(ctx.session.scalar(select(func.avg(Claim.claimed_amount))) or 0.0)
    return _PLATFORM_MEAN[today]


def hospital_stats(ctx: ServiceContext, bidx: str, exclude_claim: int) -> tuple[int, float, float]:
    """(claims at the hospital, share confirmed as fraud, its mean claimed amount over the platform's mean); the
    last two only once the hospital has enough claims to judge."""
    at_hospital = (
        RiskIdentifier.kind == "hospital",
        RiskIdentifier.bidx == bidx,
        RiskIdentifier.claim_id != exclude_claim,
    )
    count = int(ctx.session.scalar(select(func.count(RiskIdentifier.id)).where(*at_hospital)) or 0)
    if count < 20:
        return count, 0.0, 1.0
    fraud = int(
        ctx.session.scalar(
            select(func.count(RiskAssessment.id))
            .join(RiskIdentifier, RiskIdentifier.claim_id == RiskAssessment.claim_id)
            .where(*at_hospital, RiskAssessment.fraud_label.is_(True))
        )
        or 0
    )
    here = ctx.session.scalar(
        select(func.avg(Claim.claimed_amount))
        .join(RiskIdentifier, RiskIdentifier.claim_id == Claim.id)
        .where(*at_hospital)
    )
    overall = _platform_mean(ctx)
    ratio = float(here) / overall if here and overall else 1.0
    return count, fraud / count, ratio


def record_identifier(
    ctx: ServiceContext,
    *,
    source: str,
    kind: str,
    bidx: str,
    masked: str,
    person_id: int,
    household_id: int,
    claim_id: int | None = None,
) -> None:
    if ctx.session.scalar(select(RiskIdentifier.id).where(RiskIdentifier.source == source)) is not None:
        return
    ctx.session.add(
        RiskIdentifier(
            source=source,
            kind=kind,
            bidx=bidx,
            masked=masked[:60],
            person_id=person_id,
            household_id=household_id,
            claim_id=claim_id,
            seen_at=ctx.now(),
        )
    )


RESYNC_WINDOW = 1000
"""Ids below the last one indexed that are looked at again: a payment committed late (a lower id after a
higher one) is still picked up."""


def _not_indexed(prefix: str, key: Any) -> Any:
    """No risk identifier has the source ``prefix:<key>`` yet (the unique index on ``source`` answers it)."""
    source = literal(f"{prefix}:", String) + cast(key, String)
    return ~exists().where(RiskIdentifier.source == source)


def _add_identifiers(ctx: ServiceContext, rows: list[dict[str, Any]]) -> None:
    """Insert in one statement; a source a concurrent request indexed meanwhile is skipped, not an error."""
    if not rows:
        return
    dialect = ctx.session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = pg_insert(RiskIdentifier).on_conflict_do_nothing(index_elements=["source"])
    elif dialect == "sqlite":
        stmt = sqlite_insert(RiskIdentifier).on_conflict_do_nothing(index_elements=["source"])
    else:  # pragma: no cover - the two supported databases are above
        stmt = insert(RiskIdentifier)
    ctx.session.execute(stmt, rows)


def _resync_from(prefix: str) -> Any:
    """The first id to look at again: the last one indexed (by the latest identifier's source ``prefix:<id>``)
    minus the window, as a scalar subquery, so the whole sync reads in one round trip."""
    last = (
        select(cast(func.substr(RiskIdentifier.source, len(prefix) + 2), Integer))
        .where(RiskIdentifier.kind == "account", RiskIdentifier.source.like(f"{prefix}:%"))
        .order_by(RiskIdentifier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(last, 0) - RESYNC_WINDOW


def _unindexed(limit: int) -> Any:
    household = func.coalesce(Policy.household_id, Application.household_id)
    payments = (
        select(
            literal("payment").label("prefix"), Payment.id.label("id"), Payment.account_enc.label("sealed"),
            Payment.account_masked.label("masked"), Payment.holder_person_id.label("person_id"),
            household.label("household_id"),
        )
        .outerjoin(Policy, Policy.id == Payment.policy_id)
        .outerjoin(Application, Application.id == Payment.application_id)
        .where(Payment.id > _resync_from("payment"), _not_indexed("payment", Payment.id), household.is_not(None))
        .order_by(Payment.id)
        .limit(limit)
        .subquery()
    )  # fmt: skip
    claims = (
        select(
            literal("claim").label("prefix"), Claim.id.label("id"), Claim.account_enc.label("sealed"),
            Claim.account_masked.label("masked"), Claim.payee_person_id.label("person_id"),
            Claim.household_id.label("household_id"),
        )
        .where(Claim.id > _resync_from("claim"), _not_indexed("claim", Claim.id))
        .order_by(Claim.id)
        .limit(limit)
        .subquery()
    )  # fmt: skip
    return union_all(select(payments), select(claims))


_UNINDEXED = _unindexed(50_000)
"""Built once (the default limit): its compiled form is cached."""


def sync_identifiers(ctx: ServiceContext, *, limit: int = 50_000) -> int:
    """Index the bank accounts of payments and claims not indexed yet, incrementally from the last one indexed
    (decrypted in the process; only the keyed blind index and the mask are stored). One query reads only the
    rows not indexed yet (from the watermarks, an anti-join on the identifiers' unique source) and one statement
    inserts them."""
    ctx.session.flush()
    now = ctx.now()
    found = ctx.session.execute(_UNINDEXED if limit == 50_000 else _unindexed(limit)).all()
    rows = [
        _identifier(
            ctx, f"{prefix}:{key}", PAYMENT_ACCOUNT_COLUMN if prefix == "payment" else CLAIM_ACCOUNT_COLUMN,
            sealed, masked, person, home, now,
        )
        for prefix, key, sealed, masked, person, home in sorted(found, key=lambda r: (r[0] != "payment", r[1]))
    ]  # fmt: skip
    _add_identifiers(ctx, rows)
    return len(rows)


def _identifier(
    ctx: ServiceContext,
    source: str,
    column: str,
    sealed: bytes,
    masked: str,
    person_id: int,
    household_id: int,
    now: datetime,
) -> dict[str, Any]:
    number = ctx.cipher.decrypt(column, sealed)
    return {
        "source": source,
        "kind": "account",
        "bidx": ctx.cipher.blind_index(ACCOUNT_INDEX, number),
        "masked": masked[:60],
        "person_id": person_id,
        "household_id": household_id,
        "claim_id": None,
        "seen_at": now,
    }


def since(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
