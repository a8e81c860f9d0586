"""The advice API end to end: declare facts (stored encrypted, reads audited), assess, plan within budget,
life events re-assess and message the family when a gap widens, the score history, and who may see it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.advice import service as advice
from jiabao.advice.models import FinancialFacts, ScoreSnapshot
from jiabao.core.auth import Role
from jiabao.core.clock import FixedClock
from jiabao.db.audit import AuditEntry
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, ctx_for, make_family, make_user, resident_id

D = Decimal


def five(runtime: Runtime) -> dict[str, int]:
    """Two working parents, two children and a grandparent (the head's mother)."""
    fam = make_family(runtime)
    ids = {"household": fam.household_id, "head": fam.head_person_id}
    members = {
        "spouse": dict(name="李娜", relationship="spouse", id_number=resident_id(date(1988, 6, 1), "F", 2)),
        "son": dict(name="张子轩", relationship="child", id_number=resident_id(date(2017, 8, 1), "M", 3)),
        "daughter": dict(name="张雨桐", relationship="child", id_number=resident_id(date(2021, 4, 2), "F", 4)),
        "granny": dict(name="王秀英", relationship="parent", id_number=resident_id(date(1952, 2, 2), "F", 5)),
    }
    for fields in members.values():
        add_member(runtime, fam.household_id, **fields)
    with unit_of_work(runtime.sessions) as session:
        overview = advice.family.get_overview(ctx_for(runtime, session), fam.household_id)
        by_name = {m.name: m.person_id for m in overview.members}
    ids |= {key: by_name[str(fields["name"])] for key, fields in members.items()}
    return ids


def facts_body(ids: dict[str, int], mortgage: int = 1500000) -> dict[str, object]:
    return {
        "members": [
            {"person_id": ids["head"], "annual_income": "300000", "social_insurance": True},
            {"person_id": ids["spouse"], "annual_income": "200000", "cover_elsewhere": {"accident": "500000"},
             "premiums_elsewhere": "600"},
            {"person_id": ids["son"], "education_cost": "300000"},
            {"person_id": ids["daughter"], "education_cost": "300000"},
            {"person_id": ids["granny"], "annual_income": "36000", "social_insurance": True},
        ],
        "debts": [{"kind": "mortgage", "outstanding": str(mortgage)}],
        "liquid_assets": "200000",
    }  # fmt: skip


def test_facts_are_encrypted_and_reads_audited(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    headers = token_for(client, "zhang")
    url = f"/api/v1/households/{ids['household']}/advice/facts"
    saved = client.put(url, headers=headers, json=facts_body(ids))
    assert saved.status_code == 200, saved.text
    got = client.get(url, headers=headers).json()
    head = next(m for m in got["members"] if m["person_id"] == ids["head"])
    assert D(head["annual_income"]) == 300000 and got["debts"] == [{"kind": "mortgage", "outstanding": "1500000.00"}]
    assert got["version"] == 1
    with unit_of_work(runtime.sessions) as session:
        row = session.scalars(select(FinancialFacts)).one()
        assert b"30000000" not in row.payload_enc and b"mortgage" not in row.payload_enc  # ciphertext only
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "advice.facts.read")).all()
        assert len(reads) == 1
        first = session.scalars(select(ScoreSnapshot)).one()
        assert first.trigger == "new_mortgage" and not first.message_queued  # the first snapshot is the baseline


def test_assessment_and_plan_within_budget(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    headers = token_for(client, "zhang")
    base = f"/api/v1/households/{ids['household']}/advice"
    client.put(f"{base}/facts", headers=headers, json=facts_body(ids))
    result = client.get(f"{base}/assessment", headers=headers).json()
    assert 0 <= result["score"] < 50 and result["assumptions_version"] == "2026.1"
    head = next(m for m in result["members"] if m["person_id"] == ids["head"])
    assert head["tier"] == "breadwinner"
    death = next(k for k in head["kinds"] if k["kind"] == "death")
    assert D(death["gap"]) == D(death["need"]) > 300000 * 10  # income to 22 of the 5-year-old + mortgage share
    spouse = next(m for m in result["members"] if m["person_id"] == ids["spouse"])
    accident = next(k for k in spouse["kinds"] if k["kind"] == "accident")
    assert D(accident["cover"]) == 500000  # declared cover elsewhere counts
    assert result["reasons"][0]["text_zh"].startswith("张伟的")
    plan = client.get(f"{base}/plan", headers=headers).json()
    income = D(300000 + 200000 + 36000)
    assert D(plan["budget"]) == income / 10 - 600  # premiums held elsewhere use part of the budget
    assert 0 < D(plan["total_premium"]) <= D(plan["budget"])
    assert plan["score_after"] > plan["score_before"] and D(plan["gap_after"]) < D(plan["gap_before"])
    assert {line["person_id"] for line in plan["lines"]} >= {ids["head"], ids["spouse"]}
    granny = {line["product_code"] for line in plan["lines"] if line["person_id"] == ids["granny"]}
    assert "senior_accident" in granny
    for line in plan["lines"]:
        assert line["why_zh"] and D(line["closes"]) > 0
    smaller = client.get(f"{base}/plan", headers=headers, params={"budget_share": "0.03"}).json()
    assert D(smaller["total_premium"]) <= D(smaller["budget"]) < D(plan["budget"])
    refused = client.get(f"{base}/plan", headers=headers, params={"budget_share": "0.9"})
    assert refused.status_code == 422


def test_bad_facts_are_refused_with_the_field(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    other = make_family(runtime, name="陈静", birth=date(1990, 1, 1), seq=9, username="chen", phone="13912345678")
    headers = token_for(client, "zhang")
    url = f"/api/v1/households/{ids['household']}/advice/facts"
    body = facts_body(ids)
    body["members"] = [{"person_id": other.head_person_id, "annual_income": "1"}]  # type: ignore[index]
    refused = client.put(url, headers=headers, json=body)
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "members.0.person_id"
    negative = client.put(url, headers=headers, json={"liquid_assets": "-5"})
    assert negative.status_code == 422
    three_decimals = client.put(url, headers=headers, json={"liquid_assets": "5.123"})
    assert three_decimals.status_code == 422


def test_life_event_widens_gap_and_messages_family(client: TestClient, runtime: Runtime) -> None:
    """A birth: the household has a new child, the gap grows, the head gets an SMS with the suggestion."""
    ids = five(runtime)
    headers = token_for(client, "zhang")
    base = f"/api/v1/households/{ids['household']}/advice"
    client.put(f"{base}/facts", headers=headers, json=facts_body(ids))
    add_member(runtime, ids["household"], name="张小宝", relationship="child",
               id_number=resident_id(date(2026, 10, 1), "M", 6))  # fmt: skip
    born = client.post(f"{base}/events", headers=headers, json={"kind": "birth", "occurred_on": "2026-10-01"})
    assert born.status_code == 201, born.text
    out = born.json()
    assert out["snapshot"]["trigger"] == "birth" and out["snapshot"]["widened"] and out["snapshot"]["message_queued"]
    assert D(out["snapshot"]["total_gap"]) > D(out["previous_gap"])
    with unit_of_work(runtime.sessions) as session:
        sms = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms")).all()
        mine = [m for m in sms if m.payload["kind"] == "protection_gap_widened"]
        assert len(mine) == 1 and mine[0].payload["person_id"] == ids["head"]
        assert mine[0].payload["body"].startswith("【家保】") and "保障缺口增加了" in mine[0].payload["body"]
        assert mine[0].payload["suggestion"]
    # a death ends the membership; the survivors' gap is re-computed and the history shows every score
    died = client.post(
        f"{base}/events",
        headers=headers,
        json={"kind": "death", "occurred_on": "2026-11-26", "person_id": ids["granny"]},
    )
    assert died.status_code == 201, died.text
    history = client.get(f"{base}/history", headers=headers).json()
    assert [h["trigger"] for h in history] == ["new_mortgage", "birth", "death"]
    assert all(0 <= h["score"] <= 100 for h in history)
    future = client.post(f"{base}/events", headers=headers, json={"kind": "marriage", "occurred_on": "2030-01-01"})
    assert future.status_code == 422


def test_job_picks_up_timeline_events_and_children_turning_18(
    client: TestClient, runtime: Runtime, clock: FixedClock
) -> None:
    ids = five(runtime)
    headers = token_for(client, "zhang")
    base = f"/api/v1/households/{ids['household']}/advice"
    client.put(f"{base}/facts", headers=headers, json=facts_body(ids))
    system = make_user(runtime, "advice-job", Role.ADMIN)

    def run() -> advice.JobPage:
        with unit_of_work(runtime.sessions) as session:
            return advice.reassess_due(ctx_for(runtime, session, system), runtime.products, after_id=0, limit=50)

    assert run().reassessed == 0  # nothing changed since the snapshot
    # the head retires, recorded on the family timeline (not through the advice API)
    client.post(f"/api/v1/households/{ids['household']}/events", headers=headers,
                json={"kind": "retirement", "occurred_on": "2026-11-25", "person_id": ids["head"]})  # fmt: skip
    page = run()
    assert page.households == 1 and page.reassessed == 1
    assert run().reassessed == 0
    clock.advance(timedelta(days=366 * 9))  # the son (born 2017-08-01) is now 18
    assert run().reassessed == 1
    history = client.get(f"{base}/history", headers=headers).json()
    assert [h["trigger"] for h in history] == ["new_mortgage", "retirement", "child_adult"]


def test_who_may_see_the_finances(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    make_family(runtime, name="陈静", birth=date(1990, 1, 1), seq=9, username="chen", phone="13912345678")
    make_user(runtime, "uw", Role.UNDERWRITER)
    url = f"/api/v1/households/{ids['household']}/advice/facts"
    assert client.get(url, headers=token_for(client, "chen")).status_code == 404  # another family's: not found
    assert client.get(url, headers=token_for(client, "uw")).status_code == 403  # no need to see incomes
    zero = "/api/v1/households/0/advice/facts"
    assert client.get(zero, headers=token_for(client, "zhang")).status_code == 422  # ids are bounded


def test_policy_in_force_counts_and_its_end_widens_the_gap(client: TestClient, runtime: Runtime) -> None:
    """Cover held here closes part of the gap; when the policy ends (cooling-off cancellation) the daily job
    re-assesses with the trigger ``policy_ended`` and messages the family."""
    from tests.policies.flow import issue

    issued = issue(client, runtime)  # family CI 300,000 each for the head and the spouse
    base = f"/api/v1/households/{issued.household_id}/advice"
    first = client.post(f"{base}/reassess", headers=issued.headers)
    assert first.status_code == 201 and first.json()["snapshot"]["trigger"] == "first"
    result = client.get(f"{base}/assessment", headers=issued.headers).json()
    head = next(m for m in result["members"] if m["person_id"] == issued.head)
    kinds = {k["kind"]: k for k in head["kinds"]}
    assert D(kinds["ci"]["cover"]) == 300000 and D(kinds["death"]["cover"]) == 300000  # family CI: CI and death
    plan = client.get(f"{base}/plan", headers=issued.headers).json()
    assert D(plan["existing_premiums"]) > 0  # the policy's premium uses part of the budget
    cancelled = client.post(f"/api/v1/policies/{issued.policy_id}/cancellation", headers=issued.headers)
    assert cancelled.status_code == 201, cancelled.text
    system = make_user(runtime, "advice-job", Role.ADMIN)
    with unit_of_work(runtime.sessions) as session:
        page = advice.reassess_due(ctx_for(runtime, session, system), runtime.products, after_id=0, limit=10)
    assert page.reassessed == 1 and page.messages == 1
    history = client.get(f"{base}/history", headers=issued.headers).json()
    assert [h["trigger"] for h in history] == ["first", "policy_ended"]
    assert history[1]["widened"] and D(history[1]["total_gap"]) > D(history[0]["total_gap"])
