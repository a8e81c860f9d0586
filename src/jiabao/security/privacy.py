"""Personal-information rights (PIPL arts. 44-47) and the retention job (docs/privacy.md).

- ``export``: the household's personal information as one machine-readable JSON document (art. 45: copy;
  art. 45 para. 3: portability), audited.
- ``withdraw_consent``: optional consents can be withdrawn as easily as given (art. 15); the consequences are
  told before and after (art. 15 para. 2: past processing stays lawful; art. 16: no refusal of service except
  where the information is necessary).
- ``request_deletion``: recorded with a due date (art. 47); the retention job carries it out for what no law
  requires keeping, and says what is kept and why.
- ``run_retention``: deletes or anonymises data past its retention period by category, in committed batches
  (resumable, each row once), except what insurance or anti-money-laundering law requires keeping.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session, sessionmaker

from jiabao.claims.models import Claim
from jiabao.core.errors import NotFound, PermissionDenied
from jiabao.core.pii import PiiCipher
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import OutboxMessage
from jiabao.family import queries, service
from jiabao.family.models import Member, Person
from jiabao.policies.common.models import Policy, PolicyInsured
from jiabao.security.models import ConsentRecord, JobProgress, LoginThrottle, PrivacyRequest, UserSession

DELETION_DAYS = 15
"""Answer within 15 working days at the latest (GB/T 35273-2020 §8.7); the job runs daily."""


@dataclass(frozen=True)
class Consent:
    kind: str
    zh: str
    en: str
    consequence_zh: str
    consequence_en: str


CONSENTS = {
    c.kind: c
    for c in (
        Consent(
            "marketing",
            "接收产品推荐和营销信息",
            "Product recommendations and marketing messages",
            "撤回后不再向您发送产品推荐；保单、缴费、理赔等服务通知照常发送。",
            "No more recommendations; policy, premium and claim notices are still sent.",
        ),
        Consent(
            "partner_access",
            "允许服务您家庭的合作代理人查看家庭信息",
            "Let the partner agent serving your household see it",
            "撤回后代理人不能再查看或代办您家庭的业务，请通过网上或柜面自助办理。",
            "The agent can no longer see or act for your household; use the website or a counter.",
        ),
        Consent(
            "health_analytics",
            "将健康信息用于改进核保和产品（去标识化统计）",
            "Use health information (de-identified) to improve underwriting and products",
            "撤回后您的健康信息只用于您本人的投保和理赔，不再进入统计；已完成的统计不受影响（《个人信息保护法》第十五条）。",
            "Your health information is used only for your own applications and claims; statistics already made are "
            "not affected (PIPL art. 15).",
        ),
    )
}

KEPT_BY_LAW_ZH = (
    "保单、缴费和理赔记录依《保险法》及监管规定在合同终止后至少保存五年，客户身份资料和交易记录依《反洗钱法》第十九条"
    "在业务关系结束后至少保存五年；期满后自动匿名化。"
)
KEPT_BY_LAW_EN = (
    "Policy, premium and claim records are kept at least five years after the contract ends (Insurance Law and "
    "CBIRC rules); customer identity and transaction records at least five years after the relationship ends "
    "(Anti-Money Laundering Law art. 19). They are anonymised when that period ends."
)


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=40, json_schema_extra={"enum": list(CONSENTS)})


class ConsentOut(BaseModel):
    person_id: int | None
    kind: str
    name_zh: str
    name_en: str
    granted: bool
    consequence_zh: str
    consequence_en: str


class DeletionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: int | None = Field(default=None, ge=1, le=2**63 - 1, description="One member; none: the household")
    reason: str = Field(default="", max_length=200)


class DeletionOut(BaseModel):
    id: int
    status: str
    due_on: date
    deleted_zh: str
    deleted_en: str
    kept_zh: str
    kept_en: str


def _customer(ctx: ServiceContext) -> None:
    if ctx.principal.role.value != "customer":
        raise PermissionDenied()


def export(ctx: ServiceContext, household_id: int, extra: dict[str, Any]) -> dict[str, Any]:
    """The household's personal information as the customer may see it (clear identity via the audited endpoint)."""
    _customer(ctx)
    overview = service.get_overview(ctx, household_id)
    persons = [m.person_id for m in [*overview.members, *overview.former_members]]
    consents = ctx.session.scalars(select(ConsentRecord).where(ConsentRecord.person_id.in_(persons))).all()
    requests = ctx.session.scalars(select(PrivacyRequest).where(PrivacyRequest.household_id == household_id)).all()
    identities = [queries.reveal_identity(ctx, m.person_id).model_dump(mode="json") for m in overview.members]
    ctx.audit("privacy.export", "household", household_id, {"persons": len(persons)})
    return {
        "format": "jiabao.personal-data/1",
        "generated_at": ctx.now().isoformat(),
        "household": overview.model_dump(mode="json"),
        "identities": identities,
        "events": [e.model_dump(mode="json") for e in service.timeline(ctx, household_id)],
        **extra,
        "consents": [{"person_id": c.person_id, "kind": c.kind, "granted": c.granted} for c in consents],
        "privacy_requests": [
            {"id": r.id, "kind": r.kind, "status": r.status, "created_at": r.created_at.isoformat()} for r in requests
        ],
    }


def consents_for(ctx: ServiceContext, person_id: int | None = None) -> list[ConsentOut]:
    granted: dict[str, bool] = {}
    if person_id is not None:
        rows = ctx.session.scalars(select(ConsentRecord).where(ConsentRecord.person_id == person_id)).all()
        granted = {r.kind: r.granted for r in rows}
    return [
        ConsentOut(
            person_id=person_id,
            kind=c.kind,
            name_zh=c.zh,
            name_en=c.en,
            granted=granted.get(c.kind, True),
            consequence_zh=c.consequence_zh,
            consequence_en=c.consequence_en,
        )
        for c in CONSENTS.values()
    ]


def withdraw_consent(ctx: ServiceContext, person_id: int, data: ConsentIn) -> ConsentOut:
    _customer(ctx)
    consent = CONSENTS.get(data.kind)
    if consent is None:
        raise NotFound("No such consent", "没有该项授权", code="consent_not_found")
    queries.person_view(ctx, person_id)  # the caller's own household only (404 otherwise)
    row = ctx.session.scalars(
        select(ConsentRecord).where(ConsentRecord.person_id == person_id, ConsentRecord.kind == data.kind)
    ).first()
    if row is None:
        row = ConsentRecord(person_id=person_id, kind=data.kind, granted=False, changed_at=ctx.now())
        ctx.session.add(row)
    row.granted, row.changed_at, row.changed_by = False, ctx.now(), ctx.principal.user_id
    ctx.session.flush()
    ctx.audit("privacy.consent_withdrawn", "person", person_id, {"kind": data.kind})
    return next(c for c in consents_for(ctx, person_id) if c.kind == data.kind)


def request_deletion(ctx: ServiceContext, household_id: int, data: DeletionIn) -> DeletionOut:
    _customer(ctx)
    overview = service.get_overview(ctx, household_id)
    if data.person_id is not None and data.person_id not in {m.person_id for m in overview.members}:
        raise NotFound("Member not found", "未找到该家庭成员", code="member_not_found")
    row = PrivacyRequest(
        household_id=household_id,
        person_id=data.person_id,
        user_id=ctx.principal.user_id,
        kind="deletion",
        subject=data.reason[:40],
        status="received",
        created_at=ctx.now(),
        due_on=ctx.now() + timedelta(days=DELETION_DAYS),
        detail={"reason": data.reason},
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("privacy.deletion_requested", "household", household_id, {"request_id": row.id})
    return deletion_out(row)


def deletion_out(row: PrivacyRequest) -> DeletionOut:
    return DeletionOut(
        id=row.id,
        status=row.status,
        due_on=row.due_on.date(),
        deleted_zh="没有保单、理赔记录的成员的姓名、证件号、手机号、职业和收入将被匿名化。",
        deleted_en="Members without policies or claims have their name, ID number, phone, occupation and income "
        "anonymised.",
        kept_zh=KEPT_BY_LAW_ZH,
        kept_en=KEPT_BY_LAW_EN,
    )


# --- the retention job ---------------------------------------------------------------------------------------

RETENTION = {
    "login_throttle": timedelta(days=30),
    "user_sessions": timedelta(days=30),
    "outbox": timedelta(days=180),
    "former_members": timedelta(days=3 * 365),
}


@dataclass
class RetentionReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, category: str, n: int) -> None:
        self.counts[category] = self.counts.get(category, 0) + n


def _held_by_law(session: Session, person_id: int) -> bool:
    """A policyholder, insured, or claimant: insurance and AML law keep the records (anonymised later)."""
    return bool(
        session.scalar(
            select(
                exists().where(Policy.policyholder_person_id == person_id)
                | exists().where(PolicyInsured.person_id == person_id)
                | exists().where(or_(Claim.insured_person_id == person_id, Claim.payee_person_id == person_id))
            )
        )
    )


def anonymise_person(session: Session, cipher: PiiCipher, person: Person) -> None:
    placeholder = f"ANONYMISED-{person.id}-{secrets.token_hex(4)}"
    person.name = "已匿名"
    person.id_number_enc = cipher.encrypt("persons.id_number", placeholder)
    person.id_number_bidx = cipher.blind_index("persons.id_number", placeholder)
    person.id_number_masked = "******"
    person.phone_enc = None
    person.phone_bidx = None
    person.phone_masked = None
    person.occupation = None
    person.annual_income_enc = None
    person.birth_date = date(person.birth_date.year, 1, 1)  # the age group stays for statistics


def run_retention(
    sessions: sessionmaker[Session],
    cipher: PiiCipher,
    *,
    now: datetime,
    batch: int = 200,
    progress: Callable[[str, int], None] | None = None,
    stop_after_batches: int | None = None,
) -> RetentionReport:
    """One run: each category in committed batches; a killed run resumes (``job_progress``) without doubling."""
    report = RetentionReport()
    with sessions.begin() as session:
        report.add(
            "login_throttle",
            session.execute(
                delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - RETENTION["login_throttle"])
            ).rowcount,  # type: ignore[attr-defined]
        )
        report.add(
            "user_sessions",
            session.execute(
                delete(UserSession).where(UserSession.expires_at < now - RETENTION["user_sessions"])
            ).rowcount,  # type: ignore[attr-defined]
        )
    batches = 0
    job = f"retention-{now.date().isoformat()}"
    for category in ("outbox", "former_members", "deletion_requests"):
        while True:
            with sessions.begin() as session:
                mark = session.scalars(
                    select(JobProgress).where(JobProgress.job == job, JobProgress.part == category)
                ).first()
                if mark is None:
                    mark = JobProgress(job=job, part=category, last_id=0, done=0, finished=False, updated_at=now)
                    session.add(mark)
                    session.flush()
                if mark.finished:
                    break
                last, n = _retention_batch(session, cipher, category, mark.last_id, batch, now)
                mark.done += n
                mark.updated_at = now
                if last is None:
                    mark.finished = True
                else:
                    mark.last_id = last
                report.add(category, n)
            if progress is not None:
                progress(category, n)
            batches += 1
            if stop_after_batches is not None and batches >= stop_after_batches:
                return report
            if last is None:
                break
    return report


def _retention_batch(
    session: Session, cipher: PiiCipher, category: str, after: int, batch: int, now: datetime
) -> tuple[int | None, int]:
    """Process one batch after id ``after``; returns (last id seen or None when done, rows changed)."""
    changed = 0
    if category == "outbox":
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id > after, OutboxMessage.delivered_at < now - RETENTION["outbox"])
            .order_by(OutboxMessage.id)
            .limit(batch)
        ).all()
        for message in rows:
            if not message.payload.get("anonymised"):
                message.payload = {"kind": message.payload.get("kind"), "anonymised": True}
                changed += 1
        return (rows[-1].id if rows else None), changed
    if category == "former_members":
        cutoff = (now - RETENTION["former_members"]).date()
        persons = session.scalars(
            select(Person)
            .where(Person.id > after, Person.name != "已匿名")
            .where(exists().where(Member.person_id == Person.id, Member.left_on < cutoff))
            .where(~exists().where(Member.person_id == Person.id, Member.left_on.is_(None)))
            .order_by(Person.id)
            .limit(batch)
        ).all()
        for person in persons:
            if not _held_by_law(session, person.id):
                anonymise_person(session, cipher, person)
                changed += 1
        return (persons[-1].id if persons else None), changed
    requests = session.scalars(
        select(PrivacyRequest)
        .where(PrivacyRequest.id > after, PrivacyRequest.kind == "deletion", PrivacyRequest.status == "received")
        .order_by(PrivacyRequest.id)
        .limit(batch)
    ).all()
    for request in requests:
        if request.person_id is not None:
            targets = [request.person_id]
        else:
            members = session.scalars(select(Member).where(Member.household_id == request.household_id))
            targets = [m.person_id for m in members]
        done, kept = [], []
        for person_id in targets:
            target = session.get(Person, person_id)
            if target is None or target.name == "已匿名":
                continue
            if _held_by_law(session, person_id):
                kept.append(person_id)
            else:
                anonymise_person(session, cipher, target)
                done.append(person_id)
                changed += 1
        request.status = "completed" if not kept else "partly_kept_by_law"
        request.detail = {**request.detail, "anonymised": done, "kept_by_law": kept, "completed_at": now.isoformat()}
    return (requests[-1].id if requests else None), changed
