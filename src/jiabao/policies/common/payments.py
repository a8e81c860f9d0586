"""Recording money received (保费收入): one place builds a payment row, so the account is always encrypted with
the same column key and masked the same way, whatever the premium is for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.policies.common.models import Payment

ACCOUNT_COLUMN = "payments.account"


def receive(
    ctx: ServiceContext,
    *,
    key: str,
    kind: str,
    amount: Decimal,
    account_number: str,
    holder_person_id: int,
    details: dict[str, Any],
    policy_id: int | None = None,
    application_id: int | None = None,
) -> Payment:
    """A succeeded premium payment from the policyholder's own account, flushed so it has an id."""
    payment = Payment(
        idempotency_key=key,
        kind=kind,
        direction="in",
        application_id=application_id,
        policy_id=policy_id,
        amount=amount,
        account_enc=ctx.cipher.encrypt(ACCOUNT_COLUMN, account_number),
        account_masked=mask_bank_card(account_number),
        holder_person_id=holder_person_id,
        status="succeeded",
        created_at=ctx.now(),
        details=details,
    )
    ctx.session.add(payment)
    ctx.session.flush()
    return payment
