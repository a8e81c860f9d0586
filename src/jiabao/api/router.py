"""The JSON API, version 1."""

from __future__ import annotations

from fastapi import APIRouter

from jiabao.api import (
    accounts,
    advice,
    applications,
    audit,
    auth,
    claims,
    households,
    partners,
    policies,
    policy_billing,
    policy_servicing,
    policy_visits,
    privacy,
    products,
    risk_ops,
    screening,
    staff_admin,
    voice,
)

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(households.router)
api_router.include_router(products.router)
api_router.include_router(applications.router)
api_router.include_router(policies.router)
api_router.include_router(policy_billing.router)
api_router.include_router(policy_visits.router)
api_router.include_router(policy_servicing.router)
api_router.include_router(claims.router)
api_router.include_router(audit.router)
api_router.include_router(risk_ops.router)
api_router.include_router(voice.router)
api_router.include_router(advice.router)
api_router.include_router(screening.router)
api_router.include_router(privacy.router)
api_router.include_router(accounts.router)
api_router.include_router(staff_admin.router)
api_router.include_router(partners.router)
