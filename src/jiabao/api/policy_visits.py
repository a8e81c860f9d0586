"""/api/v1 policy visits routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["policies"])
