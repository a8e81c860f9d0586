"""Run as a separate process by tests/faults: the app under uvicorn (settings from the environment). With
``JIABAO_TEST_STALL=<marker file>`` issuing a policy stalls after the payment row is written, so the parent can
kill the web worker in the middle of the request."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import uvicorn

from jiabao.app import create_app
from jiabao.db.context import ServiceContext
from jiabao.policies.issuance import service as issuance


def main() -> None:
    port = int(sys.argv[1])
    marker = os.environ.get("JIABAO_TEST_STALL")
    if marker:
        real_issue = issuance.issue

        def stall(ctx: ServiceContext, *args: Any) -> Any:
            ctx.session.flush()
            Path(marker).write_text("in the middle of the request")
            time.sleep(600)
            return real_issue(ctx, *args)

        issuance.issue = stall  # type: ignore[assignment]
    uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
