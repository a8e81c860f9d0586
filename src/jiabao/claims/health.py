"""Health data of a claim (diseases, the decision's explanation, the rejection notice, why it is complex),
encrypted at rest with the PII cipher like the claim's facts (PIPL art. 28: medical data is sensitive), never in
the clear ``Claim.details`` JSON."""

from __future__ import annotations

import json
from typing import Any

from jiabao.claims.models import Claim
from jiabao.db.context import ServiceContext

HEALTH_COLUMN = "claims.health"
HEALTH_KEYS = (
    "ci_disease",
    "mild_name",
    "explanation_zh",
    "explanation_en",
    "rejection_notice_zh",
    "rejection_notice_en",
    "complexity_reasons",
)
"""What ``Claim.health_enc`` holds; rows written before it existed may still carry these keys in ``details``."""


def health(ctx: ServiceContext, claim: Claim) -> dict[str, Any]:
    """The claim's health data (decrypted; callers show it only to those who may read the claim)."""
    legacy = {k: claim.details[k] for k in HEALTH_KEYS if k in claim.details}
    if claim.health_enc is None:
        return legacy
    stored: dict[str, Any] = json.loads(ctx.cipher.decrypt(HEALTH_COLUMN, claim.health_enc))
    return legacy | stored


def set_health(ctx: ServiceContext, claim: Claim, **values: Any) -> None:
    """Add health data to the claim's encrypted record (never to the clear ``details``)."""
    current = health(ctx, claim)
    claim.health_enc = ctx.cipher.encrypt(HEALTH_COLUMN, json.dumps(current | values, ensure_ascii=False))


__all__ = ["HEALTH_COLUMN", "HEALTH_KEYS", "health", "set_health"]
