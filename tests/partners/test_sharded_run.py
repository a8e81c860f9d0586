"""The monthly run sharded by seller on the batch executors (issue 15 item 4): the same lines as the unsharded run,
whichever executor and shard count, in either order; a re-run posts nothing (the run is idempotent)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from jiabao.batch.executor import ProcessExecutor, SerialExecutor
from jiabao.core.errors import Conflict
from jiabao.db.session import unit_of_work
from jiabao.partners import commissions
from jiabao.partners.models import CommissionLine, CommissionRun, Partner
from jiabao.runtime import Runtime
from tests.factories import ctx_for
from tests.partners.book import generate
from tests.partners.network import PLAN_RULES, approve_plan

RULES = PLAN_RULES | {"quality": {"rate": "0.05", "max_complaints": 0}, "tax": {"method": "agent_cumulative"}}


def sharded(runtime: Runtime, month: str, executor: object, shards: int) -> commissions.RunSummary:
    summary, outcomes = commissions.run_month_sharded(
        runtime.sessions,
        lambda session: ctx_for(runtime, session),
        runtime.settings.database_url,
        month,
        executor,  # type: ignore[arg-type]
        shards,
    )
    assert len(outcomes) == shards
    return summary


def unsharded(runtime: Runtime, month: str) -> commissions.RunSummary:
    with unit_of_work(runtime.sessions) as session:
        return commissions.run_month(ctx_for(runtime, session), month)


def held(runtime: Runtime, month: str) -> dict[tuple[int, int, str, str], Decimal]:
    with unit_of_work(runtime.sessions) as session:
        rows = session.execute(
            select(CommissionLine.partner_id, CommissionLine.policy_id, CommissionLine.ref, CommissionLine.kind,
                   func.sum(CommissionLine.amount))
            .where(CommissionLine.month == month)
            .group_by(CommissionLine.partner_id, CommissionLine.policy_id, CommissionLine.ref, CommissionLine.kind)
        ).all()  # fmt: skip
    return {(p, pol or 0, ref, kind): Decimal(a) for p, pol, ref, kind, a in rows}


def test_sharded_runs_post_exactly_the_lines_of_the_unsharded_run(runtime: Runtime) -> None:
    book = generate(runtime)
    approve_plan(runtime, RULES, effective=date(2023, 1, 1))
    # October: a process pool of 2 workers over 3 seller shards posts first; the unsharded run then finds nothing
    # to add — every key, amount and partner-level line (quality bonus, tax) is the same.
    first = sharded(runtime, "2026-10", ProcessExecutor(workers=2), 3)
    october = held(runtime, "2026-10")
    kinds = Counter(k[3] for k in october)
    assert first.events == len(book.policies) and first.lines_written == len(october)
    assert kinds["first_year"] + kinds["renewal"] == len(book.policies)
    # the plan's overrides: team 5% in year 1 and 2% in year 2, region 2% in year 1
    assert kinds["override"] == sum({1: 2, 2: 1}.get(year, 0) for year in book.october_years)
    assert kinds["quality"] > 0 and kinds["tax"] > 0
    # persistency bonuses (13th and 25th month) on the first premium of policy years 2 and 3, from the ledger
    assert kinds["persistency_13"] == book.october_years.count(2) > 0
    assert kinds["persistency_25"] == book.october_years.count(3) > 0
    again = unsharded(runtime, "2026-10")
    assert again.events == first.events and again.lines_written == 0 and again.total == 0
    # November (clawbacks of October's lines from the seller, its team and the region): the unsharded run first,
    # then the process pool and the serial executor with other shard counts post nothing.
    nov = unsharded(runtime, "2026-11")
    november = held(runtime, "2026-11")
    clawbacks = {k[1] for k in november if k[3] == "clawback"}
    assert clawbacks == set(book.clawed_back)
    for executor, shards in ((ProcessExecutor(workers=2), 4), (SerialExecutor(), 5), (SerialExecutor(), 1)):
        rerun = sharded(runtime, "2026-11", executor, shards)
        assert rerun.events == nov.events and rerun.lines_written == 0, (executor, shards)
    assert held(runtime, "2026-11") == november


def test_a_move_mid_month_pays_the_override_to_the_team_of_the_premiums_date(runtime: Runtime) -> None:
    """Overrides go up the dated hierarchy: agent_0 moved team on 15 October, so each October premium's team
    override goes to the team the seller belonged to on the day it was received, whichever shard computes it."""
    book = generate(runtime)
    approve_plan(runtime, RULES, effective=date(2023, 1, 1))
    sharded(runtime, "2026-10", SerialExecutor(), 3)
    with unit_of_work(runtime.sessions) as session:
        receivers = set(
            session.scalars(
                select(CommissionLine.partner_id)
                .join(Partner, Partner.id == CommissionLine.partner_id)
                .where(
                    CommissionLine.kind == "override",
                    CommissionLine.policy_id.in_(book.policies[::7]),  # agent_0's policies
                    Partner.kind == "team",
                )
            )
        )
    assert len(receivers) == 2  # both teams: before and after the move


def test_an_unfinished_sharded_run_cannot_be_approved_and_a_re_run_completes_it(runtime: Runtime) -> None:
    generate(runtime, policies=20)
    approve_plan(runtime, RULES, effective=date(2023, 1, 1))

    class Failing(SerialExecutor):
        def run(self, fn, shards, *, progress=None):  # type: ignore[no-untyped-def, override]
            fn(shards[0])
            raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError):
        sharded(runtime, "2026-10", Failing(), 2)
    with unit_of_work(runtime.sessions) as session:
        assert session.scalars(select(CommissionRun.status)).all() == ["running"]
        with pytest.raises(Conflict) as refused:
            commissions.approve(ctx_for(runtime, session), "2026-10")
        assert refused.value.code == "run_incomplete"
        seller = session.scalars(select(CommissionLine.partner_id).limit(1)).one()
        pdf = commissions.statement_pdf(ctx_for(runtime, session), "2026-10", seller)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "状态：计算中" in text and "running" not in text  # the statement says the run has not finished
    partial = held(runtime, "2026-10")
    done = sharded(runtime, "2026-10", SerialExecutor(), 2)
    assert done.lines_written > 0
    complete = held(runtime, "2026-10")
    assert set(partial) < set(complete)
    assert unsharded(runtime, "2026-10").lines_written == 0
