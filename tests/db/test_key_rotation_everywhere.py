"""Key rotation reaches every ciphertext (issue 10 item 6; docs/security.md "Keys"): the encrypted columns of every
table and the ciphertexts kept inside JSON documents (a servicing change's new card in ``policies.details``, the card
of a referred reinstatement in ``service_requests.payload``). After ``jiabao keys rotate`` the old key can be dropped:
every encrypted value in the database opens with the new key alone and no longer with the old one. PIPL art. 51
(encryption as a security measure) is only kept if a retired key opens nothing."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import JSON, select

from jiabao.config import Settings
from jiabao.core.auth import Role
from jiabao.core.pii import PiiCipher, PiiKeyError, generate_key
from jiabao.db.session import unit_of_work
from jiabao.migrations.models import metadata
from jiabao.policies.billing import reinstatement_review
from jiabao.risk.lists.formats import ParsedEntry
from jiabao.risk.lists.service import import_list
from jiabao.runtime import Runtime, build_runtime
from jiabao.security import keys
from tests.api.conftest import token_for
from tests.claims.flow import issue_for, outpatient_claim, with_uploads
from tests.factories import add_member, ctx_for, make_family, make_user, resident_id
from tests.policies.flow import ACCOUNT, issue
from tests.policies.test_billing_helpers import on

NEW_CARD = "6225880137026283"  # Luhn-valid
# every table the business flows below put ciphertexts in: the test proves rotation on real rows of each
FILLED = {
    "persons.id_number_enc", "persons.phone_enc", "persons.annual_income_enc",
    "uw_decisions.facts_enc", "uw_decisions.result_enc",
    "payments.account_enc", "claims.facts_enc", "claims.account_enc", "claims.health_enc",
    "claim_assessments.result_enc", "claim_documents.data_enc", "complaints.summary_enc",
    "advice_facts.payload_enc", "watch_list_entries.data_enc",
    "policies.details[*_enc_b64]", "service_requests.payload[*_enc_b64]",
}  # fmt: skip


def _fill(client: TestClient, runtime: Runtime) -> int:
    issued = issue(client, runtime)  # household, underwriting decisions, the first premium's card
    changed = client.post(f"/api/v1/policies/{issued.policy_id}/service-requests", headers=issued.headers,
                          json={"kind": "payment_account", "account": NEW_CARD, "debit_authorised": True})  # fmt: skip
    assert changed.status_code == 201, changed.text
    members = client.get(f"/api/v1/households/{issued.household_id}/members", headers=issued.headers).json()
    income = client.patch(f"/api/v1/members/{members[0]['member_id']}", json={"annual_income": "300000"},
                          headers=issued.headers)  # fmt: skip
    assert income.status_code == 200, income.text
    complaint = client.post(f"/api/v1/households/{issued.household_id}/complaints", headers=issued.headers,
                            json={"summary": "变更后仍从旧卡扣款，请核实", "phone": "13912345678"})  # fmt: skip
    assert complaint.status_code == 201, complaint.text
    facts = {"members": [{"person_id": issued.head, "annual_income": "300000", "social_insurance": True}],
             "debts": [], "liquid_assets": "100000"}  # fmt: skip
    saved = client.put(f"/api/v1/households/{issued.household_id}/advice/facts", headers=issued.headers, json=facts)
    assert saved.status_code == 200, saved.text
    with unit_of_work(runtime.sessions) as session:
        import_list(ctx_for(runtime, session), code="internal", name="内部名单", kind="internal",
                    entries=[ParsedEntry("X-1", "individual", "欧阳无忌")], source="test")  # fmt: skip
    # a second family with a child's outpatient cover and a claim paid straight through
    li = make_family(runtime, name="李强", username="li", seq=7, phone="13712345678")
    add_member(runtime, li.household_id, name="李小宝", relationship="child",
               id_number=resident_id(date(2016, 9, 9), "M", 8))  # fmt: skip
    headers = token_for(client, "li")
    members = client.get(f"/api/v1/households/{li.household_id}/members", headers=headers).json()
    child = next(m["person_id"] for m in members if m["relationship"] == "child")
    issue_for(client, li.household_id, headers, "outpatient_medical", [(child, "20000")], payment_term=1)
    runtime.clock.advance(timedelta(days=45))
    body = with_uploads(client, li.household_id, headers, outpatient_claim(child, runtime.clock.today()))
    claim = client.post(f"/api/v1/households/{li.household_id}/claims", json=body,
                        headers=headers | {"Idempotency-Key": "rotation-claim-0001"})  # fmt: skip
    assert claim.status_code == 201, claim.text
    # a referred reinstatement keeps the card for the back premiums inside the request
    on(runtime, date(2028, 2, 1))
    referred = client.post(f"/api/v1/policies/{issued.policy_id}/reinstatement",
                           json={"account": ACCOUNT, "risk_increased": True},
                           headers=issued.headers | {"Idempotency-Key": f"refer-pol-{issued.policy_id}"})  # fmt: skip
    assert referred.status_code == 202, referred.text
    return issued.policy_id


def _every_ciphertext(runtime: Runtime) -> dict[str, list[tuple[str, bytes]]]:
    """``part → [(associated data, blob)]`` for every encrypted value in the database."""
    found: dict[str, list[tuple[str, bytes]]] = {}
    with runtime.engine.connect() as conn:
        for col in keys.encrypted_columns(metadata):
            blobs = conn.execute(select(metadata.tables[col.table].c[col.enc])).scalars()
            found[f"{col.table}.{col.enc}"] = [(col.aad, bytes(b)) for b in blobs if b is not None]
        for emb in keys.EMBEDDED:
            docs = conn.execute(select(metadata.tables[emb.table].c[emb.json])).scalars()
            found[f"{emb.table}.{emb.json}[*_enc_b64]"] = [
                (aad, base64.b64decode(holder[key]))
                for doc in docs
                for holder, key, aad in keys.embedded_values(doc, emb.aad)
            ]
    return found


def _json_keys(document: Any) -> set[str]:
    if isinstance(document, dict):
        return set(document) | {k for v in document.values() for k in _json_keys(v)}
    if isinstance(document, list):
        return {k for v in document for k in _json_keys(v)}
    return set()


def test_every_ciphertext_opens_with_the_new_key_only_after_rotation(
    client: TestClient, runtime: Runtime, settings: Settings
) -> None:
    policy_id = _fill(client, runtime)
    before = _every_ciphertext(runtime)
    assert {part for part, values in before.items() if values} >= FILLED
    # no ciphertext hides in a JSON column the rotation does not know
    embedded = {(e.table, e.json) for e in keys.EMBEDDED}
    with runtime.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, JSON) and (table.name, column.name) not in embedded:
                    for doc in conn.execute(select(column)).scalars():
                        assert not any(k.endswith("_enc_b64") for k in _json_keys(doc)), (table.name, column.name)

    old_key = settings.pii_keys.split(":", 1)[1]
    new_key = generate_key()
    rotated = build_runtime(settings.model_copy(update={"pii_keys": f"2:{new_key},1:{old_key}"}))
    # killed after a few batches of 3 rows, then run again to the end: resumable
    keys.rotate(rotated.sessions, metadata, rotated.cipher, settings.secret_key, now=rotated.clock.now(), batch=3,
                stop_after_batches=4)  # fmt: skip
    report = keys.rotate(rotated.sessions, metadata, rotated.cipher, settings.secret_key,
                         now=rotated.clock.now(), batch=3)  # fmt: skip
    assert report.unreadable == 0
    index_key = base64.b64decode(settings.blind_index_key)
    new_only = PiiCipher({2: base64.b64decode(new_key)}, 2, index_key)
    old_only = PiiCipher({1: base64.b64decode(old_key)}, 1, index_key)
    after = _every_ciphertext(rotated)
    for part, values in after.items():
        assert len(values) == len(before[part]), part  # nothing lost, nothing added
        for aad, blob in values:
            assert blob[0] == 2, part
            new_only.decrypt(aad, blob)
            with pytest.raises(PiiKeyError):
                old_only.decrypt(aad, blob)
        assert sorted(new_only.decrypt(a, b) for a, b in values) == sorted(
            runtime.cipher.decrypt(a, b) for a, b in before[part]
        ), part  # the same clear values
    # the platform starts with the new key alone, and the underwriter's acceptance collects the back premiums from
    # the card kept inside the referral (decrypted with the new key)
    final = replace(build_runtime(settings.model_copy(update={"pii_keys": f"2:{new_key}"})), clock=runtime.clock)
    on(final, date(2028, 2, 10))
    underwriter = make_user(final, "uw-rotation", Role.UNDERWRITER)
    with unit_of_work(final.sessions) as session:
        done = reinstatement_review.decide(ctx_for(final, session, underwriter), policy_id, accept=True,
                                           reason="体检结果正常，同意复效")  # fmt: skip
    assert done.outcome == "reinstated"
    final.engine.dispose()
    rotated.engine.dispose()
