"""Quality per partner from the operating tables: a policy surrendered before its first anniversary counts against
13-month persistency (继续率), which puts the seller under review; the portal shows it."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from jiabao.db.session import unit_of_work
from jiabao.partners import quality
from jiabao.partners import service as partners
from jiabao.policies.common.models import Policy
from jiabao.runtime import Runtime
from tests.factories import ctx_for
from tests.partners.network import network, sell
from tests.web.test_pages import log_in


def test_a_policy_lost_before_its_13th_month_puts_the_seller_under_review(client: TestClient, runtime: Runtime) -> None:
    net = network(runtime)
    kept = sell(client, runtime, net.individual_user, seq=1)
    lost = sell(client, runtime, net.individual_user, seq=2)
    with unit_of_work(runtime.sessions) as session:
        for sold, status in ((kept, "in_force"), (lost, "surrendered")):
            policy = session.get(Policy, sold.policy_id)
            assert policy is not None
            policy.effective_date, policy.status = date(2025, 10, 1), status  # first anniversary 1 Oct 2026
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        partner = partners.get(ctx, net.individual)
        counts = quality.counts(ctx, partner, date(2026, 11, 26))
        assert (counts.policies_sold, counts.due_13, counts.kept_13, counts.in_force) == (2, 2, 1, 1)
        figures = quality.review(ctx, partner, date(2026, 11, 26))
        assert str(figures.persistency_13) == "0.5000" and figures.reasons == ("persistency_13",)
        assert partner.review["reasons"] == ["persistency_13"]
    log_in(client, "agent_li")
    assert "业务品质复核中" in client.get("/partner").text
