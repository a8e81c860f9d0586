"""A consented family proxy (家人代办, PRODUCT.md C8/C12: a child may act for an elderly parent with authorisation):
both parties' consent, the scope and the expiry are recorded; the proxy's servicing requests for the parent are
accepted within the scope and period, every act audited; outside the scope, after the expiry or after revocation
they are refused (Insurance Law arts. 20, 41: the contract's changes are the policyholder's, or their agent's)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.errors import InvalidInput
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.family import proxies
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import issue_for
from tests.factories import add_member, ctx_for, make_family, resident_id
from tests.policies.test_billing_helpers import on


def _granny_policy(client: TestClient, runtime: Runtime) -> tuple[int, int, int, int, dict[str, str]]:
    fam = make_family(runtime)
    add_member(runtime, fam.household_id, name="王秀英", relationship="parent",
               id_number=resident_id(date(1950, 2, 2), "F", 5))  # fmt: skip
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{fam.household_id}/members", headers=headers).json()
    granny = next(m["person_id"] for m in members if m["relationship"] == "parent")
    policy = issue_for(
        client, fam.household_id, headers, "senior_cancer", [(granny, "100000")], payment_term=1,
        policyholder_person_id=granny,
    )  # fmt: skip  # the parent's own policy: servicing is hers to request
    return fam.household_id, fam.head_person_id, granny, policy, headers


def _contact(client: TestClient, policy: int, headers: dict[str, str]) -> int:
    body = {"kind": "contact_details", "phone": "13987654321"}
    return client.post(f"/api/v1/policies/{policy}/service-requests", json=body, headers=headers).status_code


def test_proxy_scope_expiry_and_audit(client: TestClient, runtime: Runtime) -> None:
    household, head, granny, policy, headers = _granny_policy(client, runtime)
    assert _contact(client, policy, headers) == 403  # not the policyholder, no proxy

    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        today = ctx.clock.today()
        common = dict(principal_person_id=granny, proxy_person_id=head, expires_on=today + timedelta(days=365))
        with pytest.raises(InvalidInput) as one_sided:
            proxies.grant(ctx, household, scope=["servicing"], principal_consent=True, proxy_consent=False, **common)
        assert one_sided.value.fields[0].field == "consent"
        with pytest.raises(InvalidInput):
            proxies.grant(ctx, household, scope=["banking"], principal_consent=True, proxy_consent=True, **common)
        claims_only = proxies.grant(
            ctx, household, scope=["claims"], principal_consent=True, proxy_consent=True, **common
        )
    assert claims_only.active and claims_only.scope == ["claims"]
    assert _contact(client, policy, headers) == 403  # outside the scope

    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        granted = proxies.grant(
            ctx, household, principal_person_id=granny, proxy_person_id=head, scope=["claims", "servicing"],
            expires_on=date(2027, 3, 1), principal_consent=True, proxy_consent=True,
        )  # fmt: skip
    assert _contact(client, policy, headers) == 201  # within scope and period: accepted
    with unit_of_work(runtime.sessions) as session:
        acts = session.scalars(select(AuditEntry).where(AuditEntry.action == "family.proxy_act")).all()
        assert [(a.detail["act"], a.detail["proxy_id"]) for a in acts] == [("servicing", granted.id)]
        granted_rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "family.proxy_granted")).all()
        assert len(granted_rows) == 2

    on(runtime, date(2027, 3, 2))  # the day after the expiry
    headers = token_for(client, "zhang")
    assert _contact(client, policy, headers) == 403
    on(runtime, date(2027, 2, 1))
    headers = token_for(client, "zhang")
    with unit_of_work(runtime.sessions) as session:
        proxies.revoke(ctx_for(runtime, session), household, granted.id)
    assert _contact(client, policy, headers) == 403  # revoked
    with unit_of_work(runtime.sessions) as session:
        listed = proxies.list_for_household(ctx_for(runtime, session), household)
    assert [(p.id, p.active, p.revoked) for p in listed] == [(granted.id, False, True), (claims_only.id, True, False)]
