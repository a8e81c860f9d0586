"""The risk figures (screenings, interceptions) come from the risk domain, built separately (``jiabao.risk``).

Until it is wired in, the provider answers "not available" with the reason; the integrator replaces
``risk_counts`` with a query over the risk tables (same signature) and the KPIs fill in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.util import find_spec

from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class RiskCounts:
    available: bool
    screenings: int | None = None
    interceptions: int | None = None
    reason: str | None = None


NOT_AVAILABLE = RiskCounts(
    available=False, reason="risk screening data not available: the risk domain (jiabao.risk) is not installed"
)


def risk_counts(session: Session, start: date, end: date) -> RiskCounts:
    """Screenings and interceptions in [start, end], or not available (null with a reason)."""
    if find_spec("jiabao.risk") is None:
        return NOT_AVAILABLE
    return RiskCounts(
        available=False,
        reason="jiabao.risk is present but not yet wired into reporting (see jiabao.reporting.risk_provider)",
    )
