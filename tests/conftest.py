"""Shared fixtures. The database back end is chosen with ``--db sqlite|postgresql`` (default sqlite).

Each test gets a freshly migrated database: SQLite copies a migrated template file; PostgreSQL migrates a new
database once per run (created and dropped here) and truncates every table before each test.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jiabao.app import create_app
from jiabao.config import Settings
from jiabao.core.clock import FixedClock
from jiabao.core.pii import generate_key
from jiabao.migrations import upgrade
from jiabao.runtime import Runtime, build_runtime
from jiabao.web import i18n

PG_ADMIN_URL = os.environ.get("JIABAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default=os.environ.get("JIABAO_TEST_DB", "sqlite"), choices=("sqlite", "postgresql"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL run only the tests that touch a database (pure engine tests ran on the SQLite pass)."""
    if config.getoption("--db") != "postgresql":
        return
    keep = [item for item in items if "database_url" in getattr(item, "fixturenames", ())]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def every_page_text_in_the_catalogs() -> Iterator[None]:
    """A page that looks up a key no catalog has shows the raw key: fail the test that rendered it (issue 11
    item 3, "a test fails on any untranslated message or any raw code on a rendered page"), in either language."""
    i18n.MISSING.clear()
    yield
    assert not i18n.MISSING, f"page text key(s) in no catalog (docs/i18n.md): {sorted(i18n.MISSING)}"


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def template_db(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a template file (SQLite) or a dedicated database (PostgreSQL) for this run."""
    if db_kind == "sqlite":
        path = tmp_path_factory.mktemp("db") / "template.db"
        engine = create_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield str(path)
        return
    name = f"jiabao_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)  # survives a restart
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")
            )
        ]
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(db_kind: str, template_db: str, tmp_path: Path) -> str:
    if db_kind == "sqlite":
        target = tmp_path / "jiabao.db"
        shutil.copyfile(template_db, target)
        return f"sqlite:///{target}"
    _truncate_all(template_db)
    return template_db


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        plain_http=True,  # the test client and the browser tests talk plain HTTP to 127.0.0.1
        database_url=database_url,
        data_dir=tmp_path,
        secret_key="test-secret-" + uuid.uuid4().hex,
        pii_keys=f"1:{generate_key()}",
        blind_index_key=generate_key(),
    )


@pytest.fixture
def runtime(settings: Settings, clock: FixedClock) -> Iterator[Runtime]:
    rt = build_runtime(settings, clock=clock)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime=runtime)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_url(runtime: Runtime) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime=runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # generous: two test passes may share the two cores
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
