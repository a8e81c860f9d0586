"""Masks that mask (issue 10, item 1), applied to every JSON response of the API, whatever the domain.

A masked resident ID (``110105********002X``) keeps the address code and the last four characters; beside the
full birth date it gives the whole number back. So, for the roles that may not see clear identity data
(partner, actuary, admin, auditor — ``CLEAR_PII_ROLES`` is the complement):

- every ``…id_number_masked`` value is masked further: the first three and the last two characters only
  (``110*************2X``), which leaves thousands of candidates even with the birth date known;
- every ``birth_date`` / ``…_birth_date`` is withheld (``null``): the ``age`` beside it serves these roles.

For the roles that may see clear data, a response that shows a full birth date together with an ID number is
written to the audit log (which persons, which path), like a clear read.

A member's declared annual income (encrypted at rest, ``jiabao.family.income``) is shown only to the roles whose
work uses it (``INCOME_ROLES``: the family itself, its partner for suitability, underwriting for financial
underwriting, service, and risk for fraud and AML checks); for every other role the ``annual_income`` of a member
(an object with a ``member_id``) is withheld (``null``). In-process users — the suitability check, the advice
engine, the fraud scoring — read it through the family service, not through the API.
"""

from __future__ import annotations

import json
import logging
from collections.abc import MutableMapping
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiabao.core.auth import CLEAR_PII_ROLES, Role
from jiabao.db import audit

log = logging.getLogger("jiabao")


def remask_id_number(masked: str) -> str:
    """The stricter display mask: first three and last two characters (whatever the stored mask kept)."""
    if len(masked) <= 5:
        return "*" * len(masked)
    return masked[:3] + "*" * (len(masked) - 5) + masked[-2:]


INCOME_ROLES = frozenset({Role.CUSTOMER, Role.PARTNER, Role.UNDERWRITER, Role.SERVICE, Role.RISK})
"""Roles that need a member's income (see the module docstring)."""


def withhold_income(document: Any) -> bool:
    """``annual_income`` of every member object set to ``null`` in place; True when anything changed."""
    changed = False
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "member_id" in node and node.get("annual_income") is not None:
                node["annual_income"] = None
                changed = True
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, dict | list))
    return changed


def _is_birth_date(key: str) -> bool:
    return key == "birth_date" or key.endswith("_birth_date")


def _is_masked_id(key: str) -> bool:
    return key.endswith("id_number_masked")


def redact(document: Any) -> bool:
    """Withhold birth dates and strengthen ID masks in place; True when anything changed."""
    changed = False
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if _is_birth_date(key) and value is not None:
                    node[key] = None
                    changed = True
                elif _is_masked_id(key) and isinstance(value, str):
                    node[key] = remask_id_number(value)
                    changed = True
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, dict | list))
    return changed


def persons_shown_with_birth_date(document: Any) -> list[str]:
    """Ids of the persons whose birth date appears in an object that also carries an ID number."""
    shown: list[str] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keys = set(node)
            if any(_is_birth_date(k) and node[k] for k in keys) and any(
                _is_masked_id(k) or k == "id_number" for k in keys
            ):
                shown.append(str(node.get("person_id", node.get("id", "?"))))
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, dict | list))
    return shown


def _dump(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class PersonalDataFilter:
    """ASGI middleware over /api JSON responses. The caller's role is left in the request state by the
    authentication dependency (``jiabao.api.deps.current_principal``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        start: MutableMapping[str, Any] | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            body = await self._filter(scope, start, body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, capture)

    async def _filter(self, scope: Scope, start: MutableMapping[str, Any], body: bytes) -> bytes:
        content_type = dict(start.get("headers", [])).get(b"content-type", b"")
        if b"json" not in content_type or (b"birth_date" not in body and b"id_number_masked" not in body):
            return body
        state = scope.get("state", {})
        role = state.get("principal_role")
        if role is None:
            return body
        try:
            document = json.loads(body)
        except ValueError:
            return body
        withheld = Role(role) not in INCOME_ROLES and withhold_income(document)
        if Role(role) in CLEAR_PII_ROLES:
            shown = persons_shown_with_birth_date(document)
            if not shown or start.get("status", 200) >= 400:
                return _dump(document) if withheld else body
            if await anyio.to_thread.run_sync(self._audit, scope, state, shown):
                return _dump(document) if withheld else body
            # no audit entry, no reveal: fail closed with the masked form
        redact(document)
        return _dump(document)

    def _audit(self, scope: Scope, state: dict[str, Any], persons: list[str]) -> bool:
        runtime = scope["app"].state.runtime
        try:
            with runtime.sessions.begin() as session:
                audit.record(
                    session,
                    at=runtime.clock.now(),
                    actor_id=state.get("principal_id"),
                    actor_role=str(state.get("principal_role")),
                    action="pii.birth_date_with_id",
                    entity="person",
                    entity_id=persons[0] if len(persons) == 1 else f"{len(persons)} persons",
                    detail={"persons": persons[:50], "path": scope["path"]},
                )
        except Exception:  # the response was already produced: log, never turn it into a 500
            log.exception("could not audit a birth-date read on %s", scope["path"])
            return False
        return True
