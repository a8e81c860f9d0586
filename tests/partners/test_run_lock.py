"""One commission run of a month at a time (issue 15 item 4): a second run — unsharded, sharded, from the page or
the command line, in another transaction or process — started while one is computing is refused at once with 409
``run_in_progress`` and writes nothing; once the first has committed, the month can be run again and posts nothing
new. Two runs started at the same moment post the month exactly once. Runs on SQLite and on PostgreSQL
(``--db postgresql``): advisory locks there, a lock file beside the database here."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from jiabao.batch.executor import SerialExecutor
from jiabao.cli import app as cli
from jiabao.core.auth import Role
from jiabao.core.errors import Conflict
from jiabao.db import locks
from jiabao.db.session import unit_of_work
from jiabao.partners import commissions
from jiabao.partners.models import CommissionLine, CommissionRun, PaymentInstruction
from jiabao.runtime import Runtime
from tests.factories import cli_environment, ctx_for, make_user
from tests.partners.book import generate
from tests.partners.network import approve_plan, network, sell, statement
from tests.partners.test_sharded_run import RULES, held
from tests.web.test_pages import csrf, log_in

MONTH = "2026-11"


def lines(runtime: Runtime) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count(CommissionLine.id))) or 0)


def runs(runtime: Runtime) -> list[tuple[int, str]]:
    with unit_of_work(runtime.sessions) as session:
        return [(r.seq, r.status) for r in session.scalars(select(CommissionRun).order_by(CommissionRun.seq))]


def refused(runtime: Runtime, action: Callable[[Any], object]) -> Conflict:
    with pytest.raises(Conflict) as caught, unit_of_work(runtime.sessions) as session:
        action(ctx_for(runtime, session))
    assert caught.value.code == "run_in_progress" and caught.value.status == 409
    assert [f.field for f in caught.value.fields] == ["month"] and "正在计算" in caught.value.message_zh
    return caught.value


def test_a_run_started_while_the_month_is_computing_is_refused_and_can_run_after_it(
    client: TestClient, runtime: Runtime
) -> None:
    net = network(runtime)
    approve_plan(runtime)
    sell(client, runtime, net.individual_user)
    with unit_of_work(runtime.sessions) as session:  # the first run has posted but not committed yet
        first = commissions.run_month(ctx_for(runtime, session), MONTH)
        assert first.lines_written == 3
        refused(runtime, lambda ctx: commissions.run_month(ctx, MONTH))
        refused(runtime, lambda ctx: commissions.approve(ctx, MONTH))
        with pytest.raises(Conflict) as sharded:
            commissions.run_month_sharded(runtime.sessions, lambda s: ctx_for(runtime, s),
                                          runtime.settings.database_url, MONTH, SerialExecutor(), 2)  # fmt: skip
        assert sharded.value.code == "run_in_progress"
    assert runs(runtime) == [(1, "computed")] and lines(runtime) == 3
    with unit_of_work(runtime.sessions) as session:  # the first has committed: the month runs again, adds nothing
        again = commissions.run_month(ctx_for(runtime, session), MONTH)
    assert (again.seq, again.lines_written) == (2, 0)
    with unit_of_work(runtime.sessions) as session:
        assert len(commissions.approve(ctx_for(runtime, session), MONTH)) == 3


def test_a_failed_run_releases_the_month(client: TestClient, runtime: Runtime) -> None:
    net = network(runtime)
    approve_plan(runtime)
    sell(client, runtime, net.individual_user)
    with pytest.raises(RuntimeError), unit_of_work(runtime.sessions) as session:
        commissions.run_month(ctx_for(runtime, session), MONTH)
        raise RuntimeError("the job died before committing")
    assert runs(runtime) == [] and lines(runtime) == 0
    with unit_of_work(runtime.sessions) as session:
        assert commissions.run_month(ctx_for(runtime, session), MONTH).lines_written == 3


class Racing(SerialExecutor):
    """Runs a competing run of the same month in another thread (its own connection) while the shards are being
    computed, then the shards themselves."""

    def __init__(self, compete: Callable[[], object]) -> None:
        self.compete = compete
        self.outcome: list[object] = []

    def run(self, fn: Any, shards: Sequence[Any], *, progress: Any = None) -> Any:  # type: ignore[override]
        def other() -> None:
            try:
                self.outcome.append(self.compete())
            except Exception as exc:
                self.outcome.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(60)
        return super().run(fn, shards)


def test_a_run_started_while_a_sharded_run_computes_is_refused(runtime: Runtime) -> None:
    generate(runtime, policies=20)
    approve_plan(runtime, RULES, effective=date(2023, 1, 1))

    def unsharded() -> object:
        with unit_of_work(runtime.sessions) as session:
            return commissions.run_month(ctx_for(runtime, session), "2026-10")

    racing = Racing(unsharded)
    summary, _ = commissions.run_month_sharded(runtime.sessions, lambda s: ctx_for(runtime, s),
                                               runtime.settings.database_url, "2026-10", racing, 3)  # fmt: skip
    [competitor] = racing.outcome
    assert isinstance(competitor, Conflict) and competitor.code == "run_in_progress", competitor
    assert runs(runtime) == [(1, "computed")]
    assert summary.lines_written == sum(1 for _ in held(runtime, "2026-10"))  # one key per line: posted once


def test_two_runs_started_at_once_post_the_month_once(runtime: Runtime) -> None:
    """Two threads, each with its own connection, start the same month at the same moment: one computes; the other
    is refused (or, if it came second, finds nothing to add). The month holds exactly one run's lines."""
    generate(runtime, policies=40)
    approve_plan(runtime, RULES, effective=date(2023, 1, 1))
    start = threading.Barrier(2)
    results: list[object] = []

    def one() -> None:
        start.wait()
        try:
            with unit_of_work(runtime.sessions) as session:
                results.append(commissions.run_month(ctx_for(runtime, session), "2026-10"))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done = [r for r in results if isinstance(r, commissions.RunSummary)]
    failed = [r for r in results if not isinstance(r, commissions.RunSummary)]
    assert len(results) == 2 and done, results
    assert all(isinstance(r, Conflict) and r.code == "run_in_progress" for r in failed), failed
    assert sorted(r.lines_written > 0 for r in done) == ([True] if failed else [False, True])
    month = held(runtime, "2026-10")
    with unit_of_work(runtime.sessions) as session:  # every key was posted once: a re-run finds nothing to add
        assert commissions.run_month(ctx_for(runtime, session), "2026-10").lines_written == 0
        posted = int(session.scalar(select(func.count(CommissionLine.id))) or 0)
    assert posted == len(month) == sum(r.lines_written for r in done)


def test_the_page_and_the_command_line_refuse_a_second_run_with_the_reason(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = network(runtime)
    approve_plan(runtime)
    sell(client, runtime, net.individual_user)
    make_user(runtime, "finance", Role.ADMIN)
    log_in(client, "finance")
    token = csrf(client, "/commissions")
    cli_environment(runtime, monkeypatch)
    with unit_of_work(runtime.sessions) as session:
        commissions.run_month(ctx_for(runtime, session), MONTH)
    engine = runtime.sessions.kw["bind"]
    with locks.held(engine, commissions.run_lock_name(MONTH)):  # as a sharded run holds it between its transactions
        page = client.post("/commissions/run", data={"csrf_token": token, "month": MONTH})
        assert page.status_code == 409 and "正在计算" in page.text
        approve = client.post(f"/commissions/{MONTH}/approve", data={"csrf_token": token})
        assert approve.status_code == 409 and "正在计算" in approve.text
        line = CliRunner().invoke(cli, ["commissions", "run", "--month", MONTH])
        assert line.exit_code == 2 and "run_in_progress" in line.output and "正在计算" in line.output, line.output
    assert runs(runtime) == [(1, "computed")]  # nothing written by the refused ones
    assert statement(runtime, MONTH, net.individual).by_kind["first_year"] > Decimal(0)
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(PaymentInstruction.id))) == 0
