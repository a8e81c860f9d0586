"""One settings object for the whole platform (env prefix ``JIABAO_``).

Settings are read once, when :func:`get_settings` or ``Settings()`` is called, never at import time, so tests
and the CLI can build an app with their own settings (``create_app(settings)``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout's root (``src/jiabao/config.py`` → two levels up)."""


def default_tables_dir() -> Path | None:
    """``../shared/data`` beside the checkout when it exists, else ``None`` (parametric fallback basis)."""
    for candidate in (PROJECT_ROOT.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if (candidate / "china_life_2010_2013_cl1.csv").is_file():
            return candidate
    return None


class Settings(BaseSettings):
    """Platform settings. Every field can be set as ``JIABAO_<FIELD>`` in the environment or a ``.env`` file."""

    model_config = SettingsConfigDict(env_prefix="JIABAO_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(default_factory=lambda: f"sqlite:///{PROJECT_ROOT / 'var' / 'jiabao.db'}")
    data_dir: Path = Field(default_factory=lambda: PROJECT_ROOT / "var")
    tables_dir: Path | None = Field(default_factory=default_tables_dir)
    secret_key: str = ""
    """Signs session cookies and API tokens. Generated into ``data_dir/secrets.json`` in development."""
    pii_keys: str = ""
    """Comma-separated ``version:base64key`` pairs for AES-256-GCM; the first is used for new writes."""
    blind_index_key: str = ""
    """Base64 HMAC key for the blind index (exact look-up of encrypted values)."""
    default_language: Literal["zh", "en"] = "zh"
    token_ttl_seconds: int = 12 * 3600
    session_ttl_seconds: int = 8 * 3600
    seed_households: int = 2000
    plain_http: bool = False
    """Development only: serve the session cookie without ``Secure`` so the app works over http://127.0.0.1.
    Off by default (the cookie is ``Secure``); refused in production."""
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    """Largest request body accepted (413 above it)."""
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    """Largest multipart body (document uploads)."""
    login_max_failures: int = Field(default=5, ge=1)
    """Failed log-ins per account (or per address, times four) before a temporary lock."""
    login_lock_seconds: int = Field(default=15 * 60, ge=1)
    log_sql: bool = False
    max_concurrent_requests: int = Field(default=20, ge=1, le=500)
    """Requests served at once per process; more wait their turn (the database pool holds twice as many
    connections, so PostgreSQL's ``max_connections`` must exceed 2 × this × the number of processes)."""
    claims_advance_adjuster_above: Decimal = Field(default=Decimal("50000"), ge=0, le=Decimal("100000000"))
    """A CI advance payment (重疾先赔) above this amount (yuan) is never paid without an adjuster."""

    @field_validator("tables_dir", mode="before")
    @classmethod
    def _empty_tables_dir_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value
