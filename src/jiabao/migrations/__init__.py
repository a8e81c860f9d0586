"""Alembic migrations. They sit above the domains (they import every model) and run on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head", *, cipher: object | None = None) -> None:
    """Bring the database to ``revision`` on the given engine's connection. ``cipher`` (the runtime's
    ``PiiCipher``) is for the migrations that encrypt existing values (0017); without it they use the settings."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["pii_cipher"] = cipher
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str, *, cipher: object | None = None) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["pii_cipher"] = cipher
        command.downgrade(config, revision)
