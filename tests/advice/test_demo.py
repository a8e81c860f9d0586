"""The demo command's advice data: the demo customers' households declare a mortgage and get a first score."""

from __future__ import annotations

from sqlalchemy import select

from jiabao.advice.models import FinancialFacts, ScoreSnapshot
from jiabao.db.session import unit_of_work
from jiabao.demo.advice import seed_advice
from jiabao.demo.seed import seed_households
from jiabao.demo.users import ensure_demo_users
from jiabao.runtime import Runtime


def test_demo_customers_get_facts_and_a_score(runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        seed_households(session, runtime.cipher, count=20, now=runtime.clock.now(), seed=7)
    with unit_of_work(runtime.sessions) as session:
        ensure_demo_users(session, now=runtime.clock.now())
    assert seed_advice(runtime) == 3
    assert seed_advice(runtime) == 0  # idempotent: facts once
    with unit_of_work(runtime.sessions) as session:
        assert len(session.scalars(select(FinancialFacts)).all()) == 3
        snapshots = session.scalars(select(ScoreSnapshot)).all()
        assert len(snapshots) == 3 and all(0 <= s.score <= 100 for s in snapshots)
