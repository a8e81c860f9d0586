"""One family application (issue 12 item 3): the advice plan for two working parents, two children and a
grandparent with a mortgage becomes ONE application for several members and products; each member answers one
health questionnaire, reused by every product that insures them; one confirmation; one payment issues every
policy (the family plan), each first premium posted to the ledger; a repeated payment charges nothing more."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.advice import service as advice
from jiabao.advice.schemas import FactsIn
from jiabao.core.errors import Conflict
from jiabao.db.session import unit_of_work
from jiabao.policies.application import family as family_application
from jiabao.policies.application.confirmation import ConfirmIn, ConsentIn
from jiabao.policies.application.schemas import QuestionnaireIn
from jiabao.policies.common.models import Payment
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
        confirmed = family_application.confirm(
            ctx,
            engine,
            fa_id,
            ConfirmIn(
                consents=[ConsentIn(person_id=c["person_id"], kind=c["kind"]) for c in needed["consents"]],
                disclosures_acknowledged=True,
                confirm_advice=[f["code"] for f in needed["findings"]],
            ),
        )
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
    posted = assert_balanced(runtime)
    assert len([j for j in posted if j.movement == "premium_received"]) == len(payable)
    assert reconcile_on(runtime, runtime.clock.today()).clean
