"""What every service call receives: the unit of work's session, the clock, the PII cipher and the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from jiabao.core.auth import Principal
from jiabao.core.clock import Clock
from jiabao.core.pii import PiiCipher
from jiabao.db import audit


@dataclass(frozen=True, slots=True)
class ServiceContext:
    session: Session
    clock: Clock
    cipher: PiiCipher
    principal: Principal
    base_url: str = ""
    """The configured public address (``JIABAO_BASE_URL``): links in messages are made absolute with it."""
    hotline: str = "95xxx"
    """The configured customer service number (``JIABAO_HOTLINE``)."""

    def link(self, path: str) -> str:
        """An absolute link for a message (``/policies/7`` → ``https://jiabao.example/policies/7``)."""
        if path.startswith(("http://", "https://")) or not self.base_url:
            return path
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def now(self) -> datetime:
        return self.clock.now()

    def audit(self, action: str, entity: str, entity_id: object, detail: dict[str, Any] | None = None) -> None:
        """Append an audit entry for the caller, in the current transaction."""
        audit.record(
            self.session,
            at=self.clock.now(),
            actor_id=self.principal.user_id or None,
            actor_role=str(self.principal.role),
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
