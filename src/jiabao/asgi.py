"""ASGI entry point for servers: ``uvicorn jiabao.asgi:app`` (settings from the environment)."""

from __future__ import annotations

from jiabao.app import create_app

app = create_app()
