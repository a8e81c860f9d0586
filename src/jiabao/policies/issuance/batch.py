"""Batch issuance for an institutional partner (批量投保出单, issue 16 item 6).

A partner sends many complete applications at once: household, insureds, product and options, each insured's
health answers, the confirmation (consents, beneficiaries, acknowledged disclosures) and the paying account. Each
item goes through **the same domain functions, in the same order, as one at a time** through the API —
:func:`jiabao.policies.application.service.start` (pricing, minors' cap, cover ratio, age limits, partner
authorisation), ``submit_questionnaire`` per insured (smart underwriting), ``confirm`` (application risk gate,
consents, suitability, watch-list screening) and :func:`jiabao.policies.issuance.service.pay_first_premium`
(payment, policy, schedule, beneficiaries, return visit, ledger, audit, outbox) — so a batch can never issue
what one at a time would refuse, nor price it differently.

Per item, never all-or-nothing unless asked: each item runs in its own savepoint. A refusal (bad input, a rule,
a watch-list hit, a declined risk) rolls back only that item's writes and comes back with its code and message;
an application that underwriting refers or declines is kept, as one at a time keeps it. Records that must
outlive a refusal (a watch-list hit, an application-risk interception: ``jiabao.db.audit_unit``) are still
written after the unit of work. With ``all_or_nothing`` any item not issued rolls the whole batch back.

Idempotent per item key: the first premium is taken with the idempotency key ``batch:<item key>`` (scoped to
the household like every client key), so sending an item again returns the policy it already issued and never
charges twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError
from jiabao.core.idempotency import scoped_key
from jiabao.db import audit_unit
from jiabao.db.context import ServiceContext
from jiabao.policies.application import service as applications
from jiabao.policies.application.confirmation import ConfirmIn
from jiabao.policies.application.schemas import ApplicationIn, QuestionnaireIn
from jiabao.policies.common.models import Payment, Policy
from jiabao.policies.issuance import service as issuance
from jiabao.products.service import ProductEngine
from jiabao.risk.fraud import hooks as risk
from jiabao.underwriting.engine import KnowledgeBase

MAX_ITEMS = 1000
"""Items per batch request; a larger file is sent in several batches (the command line does it)."""
NOT_ISSUED = ("referred", "declined")


class BatchItemIn(BaseModel):
    """One complete application of a partner's batch."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9._:-]+$")
    """The partner's own reference for this item: sending it again never issues or charges twice."""
    household_id: int
    application: ApplicationIn
    answers: dict[int, QuestionnaireIn]
    """Each insured's health answers, by person id."""
    confirmation: ConfirmIn
    account: str = Field(min_length=12, max_length=30)
    """The policyholder's own bank card number, charged the first premium."""


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BatchItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    all_or_nothing: bool = False
    """Issue every item or none: any item not issued rolls the whole batch back."""


class ItemError(BaseModel):
    code: str
    message_zh: str
    message_en: str
    fields: list[dict[str, str]] = Field(default_factory=list)


class BatchItemOut(BaseModel):
    key: str
    status: Literal["issued", "replayed", "referred", "declined", "refused", "rolled_back"]
    """issued now; replayed (issued by an earlier send of this key); referred to an underwriter or declined by
    underwriting (the application is kept, nothing charged); refused (nothing kept); rolled_back (all or nothing)."""
    application_id: int | None = None
    policy_id: int | None = None
    policy_no: str | None = None
    first_premium: Decimal | None = None
    error: ItemError | None = None


class BatchOut(BaseModel):
    issued: int
    replayed: int
    not_issued: int
    items: list[BatchItemOut]


def payment_key(item_key: str) -> str:
    return f"batch:{item_key}"


def issue_batch(ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, data: BatchIn) -> BatchOut:
    """Issue each item as one at a time would; one result per item, in order.

    The caller's unit of work must run the audit units after it ends (``jiabao.db.audit_unit.expect``): a
    refused item's savepoint is rolled back, and a watch-list hit's record must survive it."""
    return issue_items(ctx, engine, kb, data.items, all_or_nothing=data.all_or_nothing)


def issue_items(
    ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, items: Sequence[BatchItemIn], *, all_or_nothing: bool
) -> BatchOut:
    """:func:`issue_batch` for any number of items (the command line sends a file's items in batches of its
    choosing; ``all_or_nothing`` then covers every item given here)."""
    if not audit_unit.deferred(ctx.session):
        raise RuntimeError("issue_batch needs a unit of work that runs the audit units (audit_unit.expect)")
    outer = ctx.session.begin_nested() if all_or_nothing else None
    issued_before = _issued_before(ctx, items)
    seen: set[str] = set()
    results = []
    for item in items:
        if item.key in seen:
            results.append(_refused(item.key, _duplicate(item.key)))
            continue
        seen.add(item.key)
        results.append(
            _one(ctx, engine, kb, item, issued_before.get(scoped_key(item.household_id, payment_key(item.key))))
        )
        # The item is flushed: forget its objects, so the session (and every later flush) stays as small as
        # one application's, however long the batch.
        ctx.session.expunge_all()
    if outer is not None:
        if all(r.status in ("issued", "replayed") for r in results):
            outer.commit()
        else:
            outer.rollback()  # nothing of this batch is kept (the refusals' audit units still are)
            results = [r if r.status == "refused" else BatchItemOut(key=r.key, status="rolled_back") for r in results]
    # The batch's own payments are indexed for the fraud scoring before its transaction commits, so a concurrent
    # batch never finds them committed but not indexed and indexes them too in its own long transaction (the
    # unique source would make one of the two wait for the other, then fail).
    risk.index_payments(ctx)
    issued = sum(r.status == "issued" for r in results)
    replayed = sum(r.status == "replayed" for r in results)
    return BatchOut(issued=issued, replayed=replayed, not_issued=len(results) - issued - replayed, items=results)


def _issued_before(ctx: ServiceContext, items: Sequence[BatchItemIn]) -> dict[str, BatchItemOut]:
    """What an earlier send of these item keys already issued (its first premium and policy), in one query per
    1,000 keys for the whole batch."""
    keys = {scoped_key(item.household_id, payment_key(item.key)): item.key for item in items}
    found: dict[str, BatchItemOut] = {}
    ordered = list(keys)
    for start in range(0, len(ordered), 1000):
        rows = ctx.session.execute(
            select(Payment.idempotency_key, Payment.application_id, Payment.amount, Policy.id, Policy.policy_no)
            .join(Policy, Policy.application_id == Payment.application_id)
            .where(Payment.idempotency_key.in_(ordered[start : start + 1000]))
        )
        for scoped, application_id, amount, policy_id, policy_no in rows:
            found[scoped] = BatchItemOut(
                key=keys[scoped], status="replayed", application_id=application_id, policy_id=policy_id,
                policy_no=policy_no, first_premium=amount,
            )  # fmt: skip
    return found


def _one(
    ctx: ServiceContext, engine: ProductEngine, kb: KnowledgeBase, item: BatchItemIn, replayed: BatchItemOut | None
) -> BatchItemOut:
    if replayed is not None:
        return replayed
    savepoint = ctx.session.begin_nested()
    try:
        opened = applications.start(ctx, engine, item.household_id, item.application)
        decided = opened
        for insured in opened.insureds:
            answers = item.answers.get(insured.person_id)
            if answers is None:
                raise InvalidInput(fields=(_missing_answers(insured.person_id),))
            decided = applications.submit_questionnaire(ctx, engine, kb, opened.id, insured.person_id, answers)
        if decided.status in NOT_ISSUED or decided.status == "underwriting":
            savepoint.commit()  # kept, as one at a time keeps a referred or declined application
            return BatchItemOut(
                key=item.key, status="declined" if decided.status == "declined" else "referred",
                application_id=opened.id,
            )  # fmt: skip
        applications.confirm(ctx, engine, opened.id, item.confirmation)
        paid = issuance.pay_first_premium(
            ctx, engine, opened.id, idempotency_key=payment_key(item.key), account=item.account
        )
    except JiabaoError as exc:
        savepoint.rollback()
        return _refused(item.key, exc)
    savepoint.commit()
    return BatchItemOut(
        key=item.key, status="issued", application_id=opened.id, policy_id=paid.policy_id,
        policy_no=paid.policy_no, first_premium=paid.amount,
    )  # fmt: skip


def _refused(key: str, exc: JiabaoError) -> BatchItemOut:
    error = ItemError(
        code=exc.code, message_zh=exc.message_zh, message_en=exc.message_en, fields=[f.as_dict() for f in exc.fields]
    )
    return BatchItemOut(key=key, status="refused", error=error)


def _missing_answers(person_id: int) -> FieldProblem:
    return FieldProblem(
        f"answers.{person_id}", "missing", "缺少该被保险人的健康告知", "The health answers of this insured are missing"
    )


def _duplicate(key: str) -> JiabaoError:
    return InvalidInput(
        fields=(FieldProblem("key", "duplicate", f"批次内编号重复：{key}", f"The item key {key} is used twice"),)
    )
