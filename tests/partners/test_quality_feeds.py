"""The partner quality figures feed the application risk scoring (issue 13's "agent with a high share of early
claims" rule) and the complaint early warnings (issue 14: a cluster about one partner is a hard trigger, with the
partner's complaint rate against its policies in force as the exposure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jiabao.claims.models import Claim, ClaimLine
from jiabao.db.session import unit_of_work
from jiabao.partners.models import Attribution, Partner
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Policy
from jiabao.risk.fraud import application_rules as ar
from jiabao.risk.fraud import service as fraud
from jiabao.runtime import Runtime
from jiabao.voice import early_warning
from jiabao.voice.models import Complaint, ComplaintWarning
from jiabao.voice.service import SUMMARY_COLUMN
from tests.factories import ctx_for
from tests.partners.book import generate

AT = datetime(2026, 11, 1, tzinfo=UTC)


def _claim(runtime: Runtime, session: Session, policy: Policy, n: int) -> None:
    claim = Claim(claim_no=f"CLBOOK{n:04d}", idempotency_key=f"book-claim-{n}", household_id=policy.household_id,
                  insured_person_id=policy.policyholder_person_id, channel="online", claim_type="critical_illness",
                  event_date=policy.effective_date + timedelta(days=200), reported_at=AT, status="paid",
                  facts_enc=b"", claimed_amount=Decimal("100000.00"), decision_due=date(2026, 12, 1),
                  account_masked="****3445", payee_person_id=policy.policyholder_person_id,
                  account_enc=runtime.cipher.encrypt("claims.account", "6222020200112233445"))  # fmt: skip
    session.add(claim)
    session.flush()
    session.add(ClaimLine(claim_id=claim.id, policy_id=policy.id, benefit="ci", amount=Decimal("100000.00")))


def _score_for(runtime: Runtime, application_id: int) -> ar.Score:
    with unit_of_work(runtime.sessions) as session:
        application = session.scalars(
            select(Application).options(selectinload(Application.insureds)).where(Application.id == application_id)
        ).one()
        return ar.score(fraud.application_facts(ctx_for(runtime, session), application))


def test_a_partner_with_a_high_early_claim_share_adds_the_agent_rule_to_its_new_applications(runtime: Runtime) -> None:
    """金规〔2024〕10号 (risk data at underwriting): agent_0 sold 10 of the book's 70 policies; 2 of them had a claim
    within two policy years (20% > the partner threshold of 10%) — a new application it sells scores the rule with
    the partner named; an application sold by agent_1 (no early claims) does not."""
    book = generate(runtime, policies=70)
    mine = book.policies[::7]  # agent_0's policies
    with unit_of_work(runtime.sessions) as session:
        for n, pid in enumerate(mine[:2]):
            policy = session.get(Policy, pid)
            assert policy is not None
            _claim(runtime, session, policy, n)
        apps = {
            seller: session.scalar(
                select(Attribution.subject_id).where(
                    Attribution.subject == "application", Attribution.selling_partner_id == seller
                )
            )
            for seller in book.sellers[:2]
        }
    flagged = _score_for(runtime, apps[book.sellers[0]])  # type: ignore[arg-type]
    hit = [h for h in flagged.hits if h.code == "agent_early_claims"]
    assert len(hit) == 1 and hit[0].points == 20
    assert "销售合伙人代理人0" in hit[0].text_zh and "20%" in hit[0].text_zh and "超过品质阈值10%" in hit[0].text_zh
    clean = _score_for(runtime, apps[book.sellers[1]])  # type: ignore[arg-type]
    assert all(h.code != "agent_early_claims" for h in clean.hits)


def _complaints(runtime: Runtime, user_id: int, n: int, on: date) -> None:
    with unit_of_work(runtime.sessions) as session:
        for i in range(n):
            session.add(Complaint(ref=f"TS-BOOK-{user_id}-{i}", channel="phone", received_on=on, received_at=AT,
                                  complainant_kind="customer", policy_ids=[], category="sales", product_line="disease",
                                  region="north", partner_id=user_id, status="received", updated_at=AT,
                                  summary_enc=runtime.cipher.encrypt(SUMMARY_COLUMN, "销售时夸大收益")))  # fmt: skip


def test_a_cluster_about_one_partner_is_a_hard_trigger_with_its_book_in_force_as_exposure(runtime: Runtime) -> None:
    """Issue 14's early warning: three complaints in a month naming one partner fire the partner-cluster trigger;
    the warning carries the partner's policies in force at the month end (10 for agent_0), the complaints per
    1,000 of them (300.0) and the count expected from its own rate over the baseline; two complaints about another
    partner do not fire."""
    book = generate(runtime, policies=70)
    with unit_of_work(runtime.sessions) as session:
        users = {p.id: p.user_id for p in session.scalars(select(Partner).where(Partner.id.in_(book.sellers[:2])))}
    _complaints(runtime, users[book.sellers[0]], 3, date(2026, 11, 10))
    _complaints(runtime, users[book.sellers[1]], 2, date(2026, 11, 12))
    with unit_of_work(runtime.sessions) as session:
        warnings = [w for w in early_warning.month_warnings(session, "2026-11") if "partner_id" in w]
        assert len(warnings) == 1
        w = warnings[0]
        assert w["method"] == "hard_trigger:partner_cluster" and w["observed"] == 3
        assert w["partner_id"] == users[book.sellers[0]] and w["network_partner_id"] == book.sellers[0]
        assert w["partner_name"] == "代理人0" and w["in_force"] == 10 and w["complaints_per_1000"] == 300.0
        # no complaint in the baseline: the half-complaint prior over its policy-months in force, times 10 in force
        assert 0 < w["expected"] < 1
        assert early_warning.send(session, "2026-11", now=AT) == len(early_warning.month_warnings(session, "2026-11"))
        stored = session.scalars(select(ComplaintWarning).where(ComplaintWarning.partner_id.is_not(None))).one()
        assert stored.method == "hard_trigger:partner_cluster" and float(stored.expected) == w["expected"]
