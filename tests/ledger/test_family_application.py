"""One family application (issue 12 item 3): the advice plan for two working parents, two children and a
grandparent with a mortgage becomes ONE application for several members and products; each member answers one
health questionnaire, reused by every product that insures them; one confirmation — refused until the terms and
the 投保须知 of every product are opened (《互联网保险业务监管办法》 art. 18; 银保监发〔2020〕26号: what was shown is
kept); one payment issues every policy (the family plan), each first premium posted to the ledger, each policy's
application carrying what was opened for its return visit; a repeated payment charges nothing more."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.advice import service as advice
from jiabao.advice.schemas import FactsIn
from jiabao.core.errors import Conflict, InvalidInput
from jiabao.db.session import unit_of_work
from jiabao.policies.application import family as family_application
from jiabao.policies.application.confirmation import ConfirmIn, ConsentIn
from jiabao.policies.application.schemas import QuestionnaireIn
from jiabao.policies.common.models import Payment, Policy
from jiabao.products import reading
from jiabao.runtime import Runtime
from jiabao.underwriting.models import UnderwritingDecision
from tests.advice.test_api import facts_body, five
from tests.factories import ctx_for
from tests.ledger.helpers import assert_balanced, reconcile_on
from tests.policies.flow import ACCOUNT, healthy


def test_plan_becomes_one_family_application_paid_once(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    household = ids["household"]
    engine, kb = runtime.products, runtime.knowledge.get()
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        advice.save_facts(ctx, engine, household, FactsIn.model_validate(facts_body(ids)))
        fa_id = advice.to_family_application(ctx, engine, household, None)
        opened = family_application.view(ctx, engine, fa_id)
    assert len(opened.applications) >= 2 and len({a.product_code for a in opened.applications}) >= 2
    assert len(opened.members) >= 3 and opened.status == "questionnaire"
    several = [m for m in opened.members if len(m.products) > 1]
    assert several, "some member is insured by more than one product"

    for member in opened.members:
        with unit_of_work(runtime.sessions) as session:
            ctx = ctx_for(runtime, session)
            _, questionnaire = family_application.questions(ctx, engine, kb, fa_id, member.person_id)
            asked = [q.model_dump(mode="json") for q in questionnaire.questions]
            assert len({q["id"] for q in asked}) == len(asked)  # each question once, whatever the products
            family_application.answer(ctx, engine, kb, fa_id, member.person_id, QuestionnaireIn(answers=healthy(asked)))
        with unit_of_work(runtime.sessions) as session, pytest.raises(Conflict):  # answered once, for all
            family_application.questions(ctx_for(runtime, session), engine, kb, fa_id, member.person_id)
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        app_ids = [a.id for a in opened.applications]
        decisions = session.scalars(
            select(UnderwritingDecision).where(UnderwritingDecision.application_id.in_(app_ids))
        ).all()
        for member in several:  # one decision per product from the one set of answers
            assert len([d for d in decisions if d.person_id == member.person_id]) == len(member.products)
        needed = family_application.requirements(ctx, engine, fa_id)
        confirmation = ConfirmIn(
            consents=[ConsentIn(person_id=c["person_id"], kind=c["kind"]) for c in needed["consents"]],
            disclosures_acknowledged=True,
            confirm_advice=[f["code"] for f in needed["findings"]],
        )
        to_read = family_application.documents(ctx, engine, fa_id)
        assert len(to_read) >= 2 and all(d.missing == ["terms", "notice"] for d in to_read)
        with pytest.raises(InvalidInput) as refused:  # nothing opened yet: every product is named
            family_application.confirm(ctx, engine, fa_id, confirmation)
        reason = refused.value.fields[0]
        assert reason.code == "documents_not_opened"
        assert all(f"《{d.name_zh}》" in reason.message_zh and d.name_en in reason.message_en for d in to_read)
        first, *others = to_read
        for d in others:
            for document in ("terms", "notice"):
                reading.record_opened(ctx, household_id=household, code=d.product_code, version=d.version,
                                      document=document)  # fmt: skip
        reading.record_opened(ctx, household_id=household, code=first.product_code, version=first.version,
                              document="terms")  # fmt: skip
        with pytest.raises(InvalidInput) as refused:  # one product's 投保须知 still unopened: only it is named
            family_application.confirm(ctx, engine, fa_id, confirmation)
        reason = refused.value.fields[0]
        assert f"《{first.name_zh}》" in reason.message_zh
        assert not any(f"《{d.name_zh}》" in reason.message_zh for d in others)
        assert [d.product_code for d in family_application.unread(ctx, engine, fa_id)] == [first.product_code]
    with unit_of_work(runtime.sessions) as session:  # the refused confirmations changed nothing
        ctx = ctx_for(runtime, session)
        assert family_application.view(ctx, engine, fa_id).status == "awaiting_confirmation"
        reading.record_opened(ctx, household_id=household, code=first.product_code, version=first.version,
                              document="notice")  # fmt: skip
        confirmed = family_application.confirm(ctx, engine, fa_id, confirmation)
    assert confirmed.status == "awaiting_payment", confirmed
    payable = [a for a in confirmed.applications if a.status == "awaiting_payment"]
    for attempt in range(2):  # the same key twice: one charge per product, once
        with unit_of_work(runtime.sessions) as session:
            paid = family_application.pay(
                ctx_for(runtime, session), engine, fa_id, idempotency_key="family-pay-0001", account=ACCOUNT
            )
        assert paid.status == "issued" and len(paid.policies) == len(payable), attempt
    with unit_of_work(runtime.sessions) as session:
        firsts = session.scalars(select(Payment).where(Payment.kind == "first_premium")).all()
        assert len(firsts) == len(payable)
        assert sum(p.amount for p in firsts) == confirmed.total_first_premium
    with unit_of_work(runtime.sessions) as session:  # each policy's application keeps what was opened before it
        ctx = ctx_for(runtime, session)
        for policy in session.scalars(select(Policy).where(Policy.id.in_([p["policy_id"] for p in paid.policies]))):
            shown = reading.shown_for_application(ctx, policy.application_id)
            assert sorted(shown) == ["notice", "terms"], policy.product_code
    posted = assert_balanced(runtime)
    assert len([j for j in posted if j.movement == "premium_received"]) == len(payable)
    assert reconcile_on(runtime, runtime.clock.today()).clean
