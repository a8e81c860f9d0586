"""The figures the claims rules read from the database: a hospital's claims, its confirmed-fraud share and its
mean amount against the platform's (the ``unusual_hospital`` rule needs ≥ 20 claims to judge)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.claims.models import Claim
from jiabao.db.session import unit_of_work
from jiabao.risk.fraud import repository as repo
from jiabao.risk.fraud.models import RiskAssessment
from jiabao.runtime import Runtime
from tests.factories import ctx_for, make_family


def _claim(session, now, household: int, person: int, n: int, amount: str) -> Claim:  # type: ignore[no-untyped-def]
    claim = Claim(
        claim_no=f"CREPO{n:06d}", idempotency_key=f"repo-{n:06d}", household_id=household, insured_person_id=person,
        proxy=False, channel="online", claim_type="outpatient", event_date=date(2026, 11, 1),
        reported_at=now, status="paid", facts_enc=b"", claimed_amount=Decimal(amount),
        decision_due=date(2026, 11, 30), account_enc=b"", account_masked="6222****0128", payee_person_id=person,
    )  # fmt: skip
    session.add(claim)
    session.flush()
    return claim


def test_hospital_figures(runtime: Runtime) -> None:
    family = make_family(runtime)
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        key = ctx.cipher.blind_index(repo.HOSPITAL_INDEX, "某某专科医院")
        claims = []
        for n in range(25):
            at_hospital = n < 21
            claim = _claim(
                session, ctx.now(), family.household_id, family.head_person_id, n, "3000" if at_hospital else "500"
            )
            claims.append(claim)
            if at_hospital:
                repo.record_identifier(
                    ctx, source=f"claim-hospital:{claim.id}", kind="hospital", bidx=key, masked="某某专科医院",
                    person_id=family.head_person_id, household_id=family.household_id, claim_id=claim.id,
                )  # fmt: skip
            session.add(
                RiskAssessment(
                    kind="claim",
                    claim_id=claim.id,
                    household_id=family.household_id,
                    points=0,
                    score=0.0,
                    outcome="pass",
                    method="rules",
                    status="passed",
                    fraud_label=n < 6,
                    created_at=ctx.now(),
                )
            )
        session.flush()
        latest = claims[20]
        count, fraud_share, ratio = repo.hospital_stats(ctx, key, latest.id)
        assert count == 20  # this claim itself is left out
        assert fraud_share == 6 / 20
        mean_all = (21 * 3000 + 4 * 500) / 25
        assert abs(ratio - 3000 / mean_all) < 1e-9
        assert repo.hospital_stats(ctx, ctx.cipher.blind_index(repo.HOSPITAL_INDEX, "别的医院"), 0) == (0, 0.0, 1.0)
        since = repo.since(ctx.now(), 365)
        assert repo.claims_since(ctx, since, exclude=latest.id, insured=family.head_person_id) == 24
