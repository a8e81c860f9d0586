"""Issue 9, item 1: underwriting results change what is issued and charged, and one premium figure holds
everywhere (member lines = first charge = every later instalment = the PDF).

Rules: a rated insured pays the rating on the standard premium (numerical rating, regulation.md §1.1–1.2; the
knowledge base's rating.yaml: Table 1 = +25%); an exclusion (除外责任) is a term of the contract and must be stated
in it (Insurance Law art. 17: exclusion clauses must be shown and explained in the policy); a declined member is
not insured, so nothing may be charged for them (Insurance Law art. 13: the contract is what the parties agreed).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.cover.flow import DECLINED, EXCLUDED, RATED, answer, confirm_and_pay, family_with_child, pdf_text, yuan

FEN = Decimal("0.01")
MONTHLY = Decimal("0.088")


def test_rated_excluded_and_declined_members_change_what_is_issued_and_charged(
    client: TestClient, runtime: Runtime
) -> None:
    household, head, wife, child, headers = family_with_child(runtime, client)
    body = {
        "product_code": "family_ci", "coverage": 30, "payment_term": 20, "frequency": "monthly",
        "insureds": [{"person_id": p, "sum_assured": "300000"} for p in (head, wife, child)],
    }  # fmt: skip
    started = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers)
    assert started.status_code == 201, started.text
    app_id = started.json()["id"]

    answer(client, app_id, head, headers, RATED)
    answer(client, app_id, wife, headers, EXCLUDED)
    app = answer(client, app_id, child, headers, DECLINED)

    # Never 核保通过 (accepted) while a member is declined; the child is removed, not charged.
    assert app["status"] == "accepted_partly"
    insureds = {i["person_id"]: i for i in app["insureds"]}
    assert insureds[child]["conclusion"] == "declined" and insureds[child]["covered"] is False
    assert insureds[child]["uw_status"] == "removed"

    # The family re-priced without the child: the standard premiums are a fresh quote for the two adults.
    quote = client.post(
        f"/api/v1/households/{household}/quote",
        json={"lines": [{"person_id": p, "product_code": "family_ci", "sum_assured": "300000", "coverage": 30,
                         "payment_term": 20, "frequency": "monthly"} for p in (head, wife)]},
        headers=headers,
    )  # fmt: skip
    assert quote.status_code == 200, quote.text
    standard = {m["person_id"]: Decimal(m["annual_premium"]) for m in quote.json()["members"]}
    assert Decimal(insureds[head]["standard_premium"]) == standard[head]
    assert Decimal(insureds[wife]["standard_premium"]) == standard[wife]

    # Rated: +25% on the head's line; excluded: the wife pays the standard premium and has the clause.
    assert insureds[head]["extra_premium_percent"] == 25
    rated = (standard[head] * Decimal("1.25")).quantize(FEN, rounding=ROUND_HALF_UP)
    assert Decimal(insureds[head]["annual_premium"]) == rated
    assert Decimal(insureds[wife]["annual_premium"]) == standard[wife]
    assert [e["code"] for e in insureds[wife]["exclusions"]] == ["EX_THYROID"]
    assert "甲状腺" in insureds[wife]["exclusions"][0]["wording_zh"]

    # One figure: the application's premium is the sum of the covered members' lines.
    parts = {p: (Decimal(insureds[p]["annual_premium"]) * MONTHLY).quantize(FEN, ROUND_HALF_UP) for p in (head, wife)}
    assert Decimal(app["annual_premium"]) == rated + standard[wife]
    assert Decimal(app["instalment"]) == sum(parts.values())
    assert {p: Decimal(insureds[p]["instalment"]) for p in (head, wife)} == parts

    # The confirmation asks nothing about the removed child.
    needed = client.get(f"/api/v1/applications/{app_id}/requirements", headers=headers).json()
    assert child not in {c["person_id"] for c in needed["consents"]}

    paid = confirm_and_pay(client, app_id, headers)
    assert Decimal(paid["amount"]) == Decimal(app["instalment"])  # charged now

    policy = client.get(f"/api/v1/policies/{paid['policy_id']}", headers=headers).json()
    assert {i["person_id"] for i in policy["insureds"]} == {head, wife}
    assert Decimal(policy["instalment"]) == Decimal(app["instalment"])
    assert Decimal(policy["annual_premium"]) == Decimal(app["annual_premium"])
    lines = {i["person_id"]: i for i in policy["insureds"]}
    assert lines[head]["extra_premium_percent"] == 25
    assert lines[wife]["exclusions"][0]["code"] == "EX_THYROID"
    assert sum(Decimal(i["instalment"]) for i in policy["insureds"]) == Decimal(policy["instalment"])

    schedule = client.get(f"/api/v1/policies/{paid['policy_id']}/instalments", headers=headers).json()
    amounts = {Decimal(i["amount"]) for i in schedule["instalments"]}
    assert amounts == {Decimal(app["instalment"])}  # every future instalment is the same figure
    assert len(schedule["instalments"]) == 240

    text = pdf_text(client, paid["policy_id"], headers)
    assert "张小宝" not in text  # the declined child is not on the policy
    assert yuan(app["instalment"]) in text and yuan(parts[head]) in text and yuan(parts[wife]) in text
    assert "特别约定" in text and "25%" in text and "甲状腺" in text


def test_a_declined_member_alone_leaves_the_application_declined(client: TestClient, runtime: Runtime) -> None:
    household, _head, _wife, child, headers = family_with_child(runtime, client, seq=2)
    body = {"product_code": "family_ci", "coverage": 30, "payment_term": 20,
            "insureds": [{"person_id": child, "sum_assured": "200000"}]}  # fmt: skip
    app_id = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers).json()["id"]
    app = answer(client, app_id, child, headers, DECLINED)
    assert app["status"] == "declined"
    needed = client.post(f"/api/v1/applications/{app_id}/confirm", json={}, headers=headers)
    assert needed.status_code == 409


def test_servicing_add_member_charges_the_rated_premium(client: TestClient, runtime: Runtime) -> None:
    """保全加人: the member added with a rating pays the rated premium in every later instalment, as at issue."""
    from tests.policies.flow import healthy, issue
    from tests.policies.test_servicing_members import CHILD_CONSENTS, _child, _questions, _submit

    issued = issue(client, runtime)  # annual, issued 2026-11-26
    child = _child(client, runtime, issued)
    answers = healthy(_questions(client, issued, child), disclose_cardiovascular=["HTN"])
    body = {
        "kind": "add_insured", "person_id": child, "sum_assured": "200000", "answers": answers,
        "reflexive": {"HTN": dict(RATED[1])}, "consents": CHILD_CONSENTS,
    }  # fmt: skip
    before = client.get(f"/api/v1/policies/{issued.policy_id}", headers=issued.headers).json()
    done = _submit(client, issued, body)
    assert done.status_code == 201, done.text
    assert done.json()["status"] == "completed" and done.json()["result"]["conclusion"] == "rated"
    policy = client.get(f"/api/v1/policies/{issued.policy_id}", headers=issued.headers).json()
    added = next(i for i in policy["insureds"] if i["person_id"] == child)
    assert added["extra_premium_percent"] == 25
    rated = (Decimal(added["standard_premium"]) * Decimal("1.25")).quantize(FEN, rounding=ROUND_HALF_UP)
    assert Decimal(added["annual_premium"]) == rated
    assert Decimal(done.json()["result"]["member_annual_premium"]) == rated
    schedule = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    unpaid = [Decimal(i["amount"]) for i in schedule["instalments"] if i["state"] != "paid"]
    assert set(unpaid) == {Decimal(before["instalment"]) + rated}  # annual: the modal factor is 1
