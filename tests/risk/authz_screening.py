"""Authorization rows for the screening routes, merged into tests/api/test_authorization.py's table, and a
screening case for them to act on. Reviewers are the risk role (and admin); auditors may read."""

from __future__ import annotations

from typing import Any

from jiabao.risk.lists.formats import ParsedEntry
from jiabao.risk.lists.service import import_list
from jiabao.risk.screening import service as screening
from jiabao.runtime import Runtime
from tests.factories import ctx_for

VIEWERS = {"risk", "admin", "auditor"}
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/screening/cases"): VIEWERS,
    ("GET", "/api/v1/screening/cases/{case_id}"): VIEWERS,
    ("POST", "/api/v1/screening/cases/{case_id}/review"): {"risk", "admin"},
    ("GET", "/api/v1/screening/lists"): VIEWERS,
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/screening/cases/{case_id}/review"): {"decision": "clear", "note": "出生日期与证件均不符"},
}


def make_case(runtime: Runtime, person_id: int, name: str) -> int:
    """An internal list naming ``name``, and the open case that screening ``person_id`` at application gives."""
    from sqlalchemy import select

    from jiabao.db.session import unit_of_work
    from jiabao.risk.screening.models import ScreeningCase

    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        entry = ParsedEntry(entry_id="AUTHZ-1", kind="individual", name=name)
        import_list(ctx, code="authz", name="测试名单", kind="internal", entries=[entry], source="authz")
        decision = screening.assess(ctx, occasion="application", context="application:authz", household_id=None,
                                    parties=[screening.Party(person_id, "policyholder")])  # fmt: skip
        assert decision == "review"
        case_id = session.scalar(select(ScreeningCase.id).order_by(ScreeningCase.id.desc()))
    assert case_id is not None
    return int(case_id)
