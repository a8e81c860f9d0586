"""Wiring: turns settings into the long-lived objects an app or a job needs (engine, sessions, keys, clock)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jiabao.actuarial.tables import load_table_library
from jiabao.claims.engine import RuleSet, load_rules
from jiabao.config import Settings
from jiabao.core.auth import Principal, TokenSigner
from jiabao.core.clock import Clock, SystemClock
from jiabao.core.pii import PiiCipher, generate_key
from jiabao.db.context import ServiceContext
from jiabao.db.session import make_engine, make_session_factory
from jiabao.products.catalog import load_catalog
from jiabao.products.service import ProductEngine
from jiabao.security.keys import check_canaries
from jiabao.underwriting.engine import KnowledgeBaseStore


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: PiiCipher
    tokens: TokenSigner
    products: ProductEngine
    knowledge: KnowledgeBaseStore = field(default_factory=KnowledgeBaseStore)
    claim_rules: RuleSet = field(default_factory=load_rules)
    clock: Clock = field(default_factory=SystemClock)

    def job_context(self, session: Session, principal: Principal) -> ServiceContext:
        """The service context of a batch job or command acting as ``principal``: the runtime's clock and cipher,
        and the configured base URL and hotline, so a job's messages carry the same links as a request's."""
        return ServiceContext(
            session=session, clock=self.clock, cipher=self.cipher, principal=principal,
            base_url=self.settings.base_url, hotline=self.settings.hotline,
        )  # fmt: skip


def ensure_secrets(settings: Settings) -> Settings:
    """Fill missing keys: from ``data_dir/secrets.json`` (created on first run, outside git) unless in production.

    In production every key must come from the environment; starting without one is refused.
    """
    if settings.secret_key and settings.pii_keys and settings.blind_index_key:
        return settings
    if settings.environment == "production":
        raise RuntimeError("JIABAO_SECRET_KEY, JIABAO_PII_KEYS and JIABAO_BLIND_INDEX_KEY must be set in production")
    path = Path(settings.data_dir) / "secrets.json"
    if path.is_file():
        stored = json.loads(path.read_text())
    else:
        stored = {
            "secret_key": generate_key(),
            "pii_keys": f"1:{generate_key()}",
            "blind_index_key": generate_key(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(stored, fh)
    return settings.model_copy(
        update={
            "secret_key": settings.secret_key or stored["secret_key"],
            "pii_keys": settings.pii_keys or stored["pii_keys"],
            "blind_index_key": settings.blind_index_key or stored["blind_index_key"],
        }
    )


MIN_SECRET_LENGTH = 32


def check_production(settings: Settings) -> None:
    """Production refuses short secrets and plain HTTP (issue 10, items 5 and 6)."""
    if settings.environment != "production":
        return
    if len(settings.secret_key) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            f"JIABAO_SECRET_KEY is too short for production: at least {MIN_SECRET_LENGTH} characters "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )
    if settings.plain_http:
        raise RuntimeError("JIABAO_PLAIN_HTTP is for development only: production serves the cookie as Secure")


def build_runtime(settings: Settings, *, clock: Clock | None = None, engine: Engine | None = None) -> Runtime:
    settings = ensure_secrets(settings)
    check_production(settings)
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = engine or make_engine(
        settings.database_url, echo=settings.log_sql, concurrency=settings.max_concurrent_requests
    )
    cipher = PiiCipher.from_config(settings.pii_keys, settings.blind_index_key)
    clock = clock or SystemClock()
    check_canaries(engine, cipher, settings.secret_key, now=clock.now())
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        cipher=cipher,
        tokens=TokenSigner(settings.secret_key, settings.token_ttl_seconds),
        products=ProductEngine(load_catalog(), load_table_library(settings.tables_dir)),
        clock=clock,
    )
