"""One commit per request, and the record of a stop kept (docs/architecture.md, "One transaction per request or
job"; AML Law 2024 arts. 35–36: a watch-list hit is kept for review, never told to the customer; 金规〔2024〕10号:
an intercepted application stays on the risk officer's list).

A screening hit or an application-risk interception stops the request: the request's own transaction rolls back
(it never commits, not even partly), and the hit is written by a separate, explicit audit unit that commits only it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.policies.application.models import Application
from jiabao.risk.fraud.models import RiskAssessment
from jiabao.risk.lists.formats import ParsedEntry
from jiabao.risk.screening.models import ScreeningCase
from jiabao.runtime import Runtime
from tests.fraud_aml.flows import set_income
from tests.policies.flow import application, confirm_body
from tests.risk.test_screening_flow import load


@contextmanager
def transactions(runtime: Runtime) -> Iterator[list[tuple[int, str]]]:
    """``(session, how)`` of every transaction that ends meanwhile (commit or rollback)."""
    seen: list[tuple[int, str]] = []

    def committed(session: Session) -> None:
        seen.append((id(session), "commit"))

    def rolled_back(session: Session, previous: object) -> None:
        seen.append((id(session), "rollback"))

    event.listen(runtime.sessions, "after_commit", committed)
    event.listen(runtime.sessions, "after_soft_rollback", rolled_back)
    try:
        yield seen
    finally:
        event.remove(runtime.sessions, "after_commit", committed)
        event.remove(runtime.sessions, "after_soft_rollback", rolled_back)


def one_commit_outside_the_failed_request(seen: list[tuple[int, str]]) -> None:
    """The request's session rolled back and never committed; exactly one other transaction (the audit unit)
    committed. (Before: the gate committed inside the request's session, which then rolled back.)"""
    rolled = {s for s, how in seen if how == "rollback"}
    committed = [s for s, how in seen if how == "commit"]
    assert rolled and not rolled & set(committed), seen
    assert len(committed) == 1, seen


def _count(runtime: Runtime, model: type, *where: object) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_a_screening_stop_rolls_the_request_back_and_commits_only_the_hit(client: TestClient, runtime: Runtime) -> None:
    _household, app_id, head, _wife, headers = application(client, runtime)
    load(runtime, ParsedEntry("F-9", "individual", "张伟", birth_dates=["1985-03-14"], nationalities=["CN"]))
    body = confirm_body(client, app_id, headers)
    with transactions(runtime) as seen:
        stopped = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert stopped.status_code == 409
    one_commit_outside_the_failed_request(seen)
    with unit_of_work(runtime.sessions) as session:
        app = session.get(Application, app_id)
        assert app is not None and app.status == "accepted"  # nothing of the stopped step survives
        case = session.scalars(select(ScreeningCase)).one()
        assert (case.person_id, case.decision, case.status) == (head, "hit", "stopped")
        screened = session.scalars(select(AuditEntry).where(AuditEntry.action == "screening.screened")).all()
        assert [int(e.entity_id) for e in screened] == [case.id]
    # a second attempt does not record the same stop twice (the open case is found by the audit unit)
    assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 409
    assert _count(runtime, ScreeningCase) == 1


def test_an_intercepted_application_is_kept_by_the_audit_unit(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, _wife, headers = application(client, runtime)
    set_income(client, household_id, headers, head, "5000")  # 60× income: intercepted
    body = confirm_body(client, app_id, headers)
    with transactions(runtime) as seen:
        refused = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "application_not_accepted"
    one_commit_outside_the_failed_request(seen)
    with unit_of_work(runtime.sessions) as session:
        [row] = session.scalars(select(RiskAssessment)).all()
        assert (row.application_id, row.outcome, row.status, row.points) == (app_id, "intercept", "intercepted", 90)
        app = session.get(Application, app_id)
        assert app is not None and app.status == "accepted"
    assert _count(runtime, AuditEntry, AuditEntry.action == "risk.application.score") == 1
