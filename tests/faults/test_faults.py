"""Faults (issue 10, item 11): a web worker killed in the middle of a request, PostgreSQL restarted under load, a
batch job killed half-way. After recovery nothing is lost and nothing is doubled."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.config import PROJECT_ROOT, Settings
from jiabao.core.pii import generate_key
from jiabao.family.models import Person
from jiabao.policies.common.models import Payment, Policy
from jiabao.runtime import Runtime, build_runtime
from jiabao.security.models import JobProgress
from tests.factories import make_family
from tests.policies.flow import ACCOUNT, application, confirm_body


def _env(settings: Settings, tmp_path: Path, **extra: str) -> dict[str, str]:
    return os.environ | {
        "JIABAO_DATABASE_URL": settings.database_url,
        "JIABAO_DATA_DIR": str(tmp_path),
        "JIABAO_SECRET_KEY": settings.secret_key,
        "JIABAO_PII_KEYS": settings.pii_keys,
        "JIABAO_BLIND_INDEX_KEY": settings.blind_index_key,
        "JIABAO_PLAIN_HTTP": "true",
        "JIABAO_ENVIRONMENT": "test",
        "PYTHONPATH": str(PROJECT_ROOT),
        **extra,
    }


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(condition: object, what: str, seconds: float = 150) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "tests.faults.server", str(port)], env=env, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    _wait_for(up, "the server did not start")
    return server, url


def _count(runtime: Runtime, column: object) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count(column))) or 0)  # type: ignore[call-overload]


def test_web_worker_killed_mid_request(
    client: TestClient, runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    _, app_id, _, _, headers = application(client, runtime)
    body = confirm_body(client, app_id, headers)
    assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 200
    runtime.engine.dispose()
    marker = tmp_path / "stalled"
    server, url = _serve(_env(settings, tmp_path, JIABAO_TEST_STALL=str(marker)))
    request_headers = headers | {"Idempotency-Key": "kill-mid-request-1"}
    outcome: list[object] = []

    def pay() -> None:
        try:
            outcome.append(httpx.post(f"{url}/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT},
                                      headers=request_headers, timeout=60))  # fmt: skip
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=pay)
    thread.start()
    _wait_for(marker.exists, "the request never reached the payment")
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=30)
    thread.join(timeout=30)
    assert isinstance(outcome[0], httpx.HTTPError)  # the client saw the connection drop
    assert _count(runtime, Payment.id) == 0 and _count(runtime, Policy.id) == 0  # nothing half-done
    server, url = _serve(_env(settings, tmp_path))  # the restarted worker; the client retries with its key
    try:
        retried = [
            httpx.post(f"{url}/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT},
                       headers=request_headers, timeout=60)
            for _ in range(2)
        ]  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert [r.status_code for r in retried] == [201, 201], [r.text for r in retried]
    assert [r.json()["replayed"] for r in retried] == [False, True]
    assert _count(runtime, Payment.id) == 1 and _count(runtime, Policy.id) == 1


def test_batch_job_killed_half_way_resumes_without_doubling(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    for n in range(4):
        make_family(runtime, username=f"f{n}", seq=n + 1, phone=f"1391234567{n}")
    runtime.engine.dispose()
    pii_keys = f"2:{generate_key()},{settings.pii_keys}"
    env = _env(settings, tmp_path, JIABAO_PII_KEYS=pii_keys)
    progress = tmp_path / "progress"
    worker = subprocess.Popen([sys.executable, "-m", "tests.faults.rotate_worker", str(progress)], env=env,
                              cwd=PROJECT_ROOT)  # fmt: skip
    _wait_for(
        lambda: progress.exists() and progress.read_text() == "persons.id_number_enc 2", "the job never got going"
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    rotated = build_runtime(settings.model_copy(update={"pii_keys": pii_keys}))
    with rotated.sessions() as session:
        versions = [blob[0] for blob in session.scalars(select(Person.id_number_enc))]
    assert 2 in versions and 1 in versions, versions  # killed half-way
    rerun = subprocess.run([sys.executable, "-m", "tests.faults.rotate_worker", str(progress)], env=env,
                           cwd=PROJECT_ROOT, timeout=300, check=True)  # fmt: skip
    assert rerun.returncode == 0
    with rotated.sessions() as session:
        assert {blob[0] for blob in session.scalars(select(Person.id_number_enc))} == {2}
        mark = session.scalars(select(JobProgress).where(JobProgress.part == "persons.id_number_enc")).one()
    assert mark.finished and mark.done == 4  # every person once: none lost, none done twice
    rotated.engine.dispose()


@pytest.fixture
def postgres_only(db_kind: str) -> Iterator[None]:
    if db_kind != "postgresql":
        pytest.skip("restarts the PostgreSQL server: PostgreSQL pass only")
    yield


def _restart_postgres() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, timeout=120)


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_restart_under_load(
    postgres_only: None, client: TestClient, runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    """Concurrent first-premium payers with idempotency keys keep retrying through a PostgreSQL restart: every
    answer is a documented status (201, 409 or 503 busy — never a 500), and each key pays exactly once."""
    apps = []
    for n in range(3):
        _, app_id, _, _, headers = application(client, runtime, username=f"p{n}", seq=n + 1)
        body = confirm_body(client, app_id, headers)
        assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 200
        apps.append((app_id, headers | {"Idempotency-Key": f"pay-under-restart-{n}"}))
    runtime.engine.dispose()
    server, url = _serve(_env(settings, tmp_path))
    statuses: list[int] = []
    odd: list[str] = []
    restarted = threading.Event()

    def payer(i: int) -> int:
        app_id, headers = apps[i % len(apps)]
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            try:
                response = httpx.post(f"{url}/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT},
                                      headers=headers, timeout=30)  # fmt: skip
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            statuses.append(response.status_code)
            if response.status_code not in (201, 503):
                odd.append(response.text[:300])
            if response.status_code == 201 and restarted.is_set():
                return 201
            time.sleep(0.1)
        return 0

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(payer, i) for i in range(6)]
            time.sleep(0.5)
            _restart_postgres()
            restarted.set()
            results = [f.result() for f in futures]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert 500 not in statuses and set(statuses) <= {201, 409, 503}, (sorted(set(statuses)), odd)
    assert results == [201] * 6, (results, sorted(set(statuses)), odd)
    assert _count(runtime, Payment.id) == 3 and _count(runtime, Policy.id) == 3  # none doubled, none lost
