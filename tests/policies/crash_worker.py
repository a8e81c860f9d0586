"""Run as a separate process by test_crash_safety: pays for an application and stops dead between taking the
payment and issuing the policy (the parent kills it with SIGKILL while it waits)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from jiabao.config import Settings
from jiabao.core.auth import Principal, Role
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.policies.issuance import service as issuance
from jiabao.runtime import build_runtime


def main() -> None:
    application_id, key, marker, user_id, person_id = sys.argv[1:6]
    runtime = build_runtime(Settings())
    real_issue = issuance.issue

    def stall(ctx: ServiceContext, *args: Any) -> Any:
        ctx.session.flush()  # the payment row is written (not committed) …
        Path(marker).write_text("paid")
        time.sleep(600)  # … and the process is killed here
        return real_issue(ctx, *args)

    issuance.issue = stall  # type: ignore[assignment]
    principal = Principal(
        user_id=int(user_id), role=Role.CUSTOMER, username="zhang", display_name="x", person_id=int(person_id)
    )
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=principal)
        issuance.pay_first_premium(
            ctx, runtime.products, int(application_id), idempotency_key=key, account="6222021234567890128"
        )


if __name__ == "__main__":
    main()
