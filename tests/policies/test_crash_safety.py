"""A process killed between payment and issuance leaves neither; paying again then issues exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.config import PROJECT_ROOT, Settings
from jiabao.db.session import unit_of_work
from jiabao.identity.models import User
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Payment, Policy
from jiabao.runtime import Runtime
from tests.policies.flow import ACCOUNT, application, confirm_body


def test_sigkill_between_payment_and_issuance_leaves_neither(
    client: TestClient, runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    _, app_id, head, _, headers = application(client, runtime)
    client.post(f"/api/v1/applications/{app_id}/confirm", json=confirm_body(client, app_id, headers), headers=headers)
    with unit_of_work(runtime.sessions) as session:
        user_id = session.scalars(select(User.id).where(User.username == "zhang")).one()
    runtime.engine.dispose()  # SQLite: no open connection of ours while the worker writes
    marker = tmp_path / "paid"
    env = os.environ | {
        "JIABAO_DATABASE_URL": settings.database_url,
        "JIABAO_DATA_DIR": str(tmp_path),
        "JIABAO_SECRET_KEY": settings.secret_key,
        "JIABAO_PII_KEYS": settings.pii_keys,
        "JIABAO_BLIND_INDEX_KEY": settings.blind_index_key,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.policies.crash_worker",
            str(app_id),
            "crash-key-0001",
            str(marker),
            str(user_id),
            str(head),
        ],
        env=env,
        cwd=PROJECT_ROOT,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert worker.poll() is None, "the worker exited before reaching the payment"
        assert time.monotonic() < deadline, "the worker never reached the payment"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    with unit_of_work(runtime.sessions) as session:  # "after restart": a fresh look at the database
        assert session.scalar(select(func.count(Payment.id))) == 0
        assert session.scalar(select(func.count(Policy.id))) == 0
        assert session.get(Application, app_id).status == "awaiting_payment"  # type: ignore[union-attr]
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": "crash-key-0001"},
    )
    assert paid.status_code == 201 and paid.json()["replayed"] is False
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(Payment.id))) == 1
        assert session.scalar(select(func.count(Policy.id))) == 1
