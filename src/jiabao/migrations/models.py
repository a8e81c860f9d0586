"""Every mapped model, imported once so the metadata is complete (for Alembic and the tests)."""

from __future__ import annotations

from jiabao.advice import models as advice_models
from jiabao.claims import models as claim_models
from jiabao.db import audit, outbox, seed_progress
from jiabao.db.base import Base
from jiabao.family import models as family_models
from jiabao.family import proxy_models
from jiabao.identity import inbox as identity_inbox
from jiabao.identity import models as identity_models
from jiabao.ledger import models as ledger_models
from jiabao.partners import models as partner_models
from jiabao.policies.application import family_models as family_application_models
from jiabao.policies.application import models as policy_models
from jiabao.policies.billing import family_models as family_billing_models
from jiabao.policies.billing import models as suspension_models
from jiabao.policies.common import models as policy_records
from jiabao.policies.servicing import models as servicing_models
from jiabao.risk.aml import models as aml_models
from jiabao.risk.fraud import models as fraud_models
from jiabao.risk.lists import models as watch_list_models
from jiabao.risk.screening import models as screening_models
from jiabao.security import models as security_models
from jiabao.underwriting import models as underwriting_models
from jiabao.valuation import models as valuation_models
from jiabao.voice import models as voice_models

__all__ = [
    "Base",
    "advice_models",
    "aml_models",
    "audit",
    "claim_models",
    "family_application_models",
    "family_billing_models",
    "family_models",
    "fraud_models",
    "identity_inbox",
    "identity_models",
    "ledger_models",
    "outbox",
    "partner_models",
    "policy_models",
    "policy_records",
    "proxy_models",
    "screening_models",
    "security_models",
    "seed_progress",
    "servicing_models",
    "suspension_models",
    "underwriting_models",
    "valuation_models",
    "voice_models",
    "watch_list_models",
]
metadata = Base.metadata
