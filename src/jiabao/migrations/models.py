"""Every mapped model, imported once so the metadata is complete (for Alembic and the tests)."""

from __future__ import annotations

from jiabao.advice import models as advice_models
from jiabao.claims import models as claim_models
from jiabao.db import audit, outbox
from jiabao.db.base import Base
from jiabao.family import models as family_models
from jiabao.identity import models as identity_models
from jiabao.policies import models as policy_models
from jiabao.policies import policy_models as policy_records
from jiabao.underwriting import models as underwriting_models

__all__ = [
    "Base",
    "advice_models",
    "audit",
    "claim_models",
    "family_models",
    "identity_models",
    "outbox",
    "policy_models",
    "policy_records",
    "underwriting_models",
]
metadata = Base.metadata
