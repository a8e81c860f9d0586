"""Screening in the business flow, the review queue and re-screening after a list change.

``gate`` is the one call the flows make (application confirmation, claim payment, beneficiary change): it screens
the parties, records a case for each, and when a party is a hit or needs review it **stops** the process with a
neutral message that does not tip the customer off (AML Law 2024 art. 35; anti-fraud: risk data checked at
underwriting and claims, NFRA 金规〔2024〕10号). Because the stopped request rolls back, ``gate`` first rolls back
the caller's unsaved work, commits the screening cases on their own, and then raises.

Reviewers (role ``risk``) clear a case ("not the listed party": a clearance stops the same person being stopped
again on the same, unchanged entry) or confirm it (the person stays stopped). Every decision is audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, JiabaoError, NotFound, PermissionDenied
from jiabao.core.pii import mask_name
from jiabao.db import audit_unit
from jiabao.db.context import ServiceContext
from jiabao.family.models import Person
from jiabao.risk.lists import service as lists
from jiabao.risk.screening.engine import ENGINE_VERSION, ListEntry, Result, ScreeningIndex, Subject, screen_shard
from jiabao.risk.screening.models import ScreeningCase, ScreeningClearance

MATCHES_COLUMN = "screening_cases.matches"
REVIEWERS = frozenset({Role.RISK, Role.ADMIN})
VIEWERS = frozenset({Role.RISK, Role.ADMIN, Role.AUDITOR})
Occasion = Literal["application", "claim_payment", "beneficiary_change", "policyholder_change", "list_change"]


class ScreeningStopped(JiabaoError):
    """A party is a hit: the business cannot go on online. The text never says why (no tipping off)."""

    status = 409
    default_code = "service_unavailable_for_customer"
    default_zh = "很抱歉，此项业务暂时无法在线办理。请联系客服了解办理方式。"
    default_en = "Sorry, this cannot be completed online at present. Please contact customer service."


class ScreeningPending(JiabaoError):
    """A party needs a manual check first. Neutral text as well."""

    status = 409
    default_code = "additional_check_pending"
    default_zh = "您的业务需要补充审核，审核完成后我们会通知您，请稍后再试。"
    default_en = "Your request needs an additional check; we will let you know when it is done. Please try later."


# -- the index, cached per set of list versions -------------------------------------------------------------------
_INDEX_CACHE: dict[tuple[Any, ...], ScreeningIndex] = {}


def current_index(session: Session, cipher: Any) -> ScreeningIndex | None:
    """The screening index over every current list version (built once per set of versions and database)."""
    versions = lists.version_keys(session)
    if not versions:
        return None
    bind = session.get_bind()
    key = (str(bind.engine.url), *versions)
    index = _INDEX_CACHE.get(key)
    if index is None:
        _INDEX_CACHE.clear()
        index = _INDEX_CACHE[key] = ScreeningIndex(lists.current_entries(session, cipher))
    return index


# -- the flow -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Party:
    person_id: int | None
    role: str  # policyholder | insured | beneficiary | payee
    name: str = ""
    """For a party known only by name (a named beneficiary who is not a member)."""


@dataclass(frozen=True, slots=True)
class _Named:
    """A name-only party shaped like a person for screening and recording."""

    id: int
    name: str
    birth_date: Any = None
    id_type: str = ""


@dataclass(frozen=True, slots=True)
class _Known:
    """A screened customer as plain values, for the audit unit (which must not touch the request's objects)."""

    id: int
    name: str
    birth_date: Any = None


def _is_customer(person: object) -> bool:
    return isinstance(person, Person | _Known)


def _subject(person: Person | _Named) -> Subject:
    nationality = "CN" if person.id_type in ("resident_id", "居民身份证", "id_card") else None
    return Subject(str(person.id), person.name, person.birth_date, nationality)


def _people(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(list(ids))))}


def _clearances(session: Session, person_id: int) -> set[tuple[str, str, str]]:
    rows = session.execute(
        select(ScreeningClearance.list_code, ScreeningClearance.entry_id, ScreeningClearance.entry_hash).where(
            ScreeningClearance.person_id == person_id
        )
    )
    return {(a, b, c) for a, b, c in rows}


def _confirmed(session: Session, person_id: int) -> bool:
    stmt = select(func.count(ScreeningCase.id)).where(
        ScreeningCase.person_id == person_id, ScreeningCase.status == "confirmed"
    )
    return bool(session.scalar(stmt))


def screen_person(ctx: ServiceContext, index: ScreeningIndex, person: Person | _Named) -> Result:
    """Screen one person; matches on entries a reviewer cleared for this person (and unchanged since) drop out."""
    result = index.screen([_subject(person)])[0]
    if result.decision == "pass" or isinstance(person, _Named):
        return result
    cleared = _clearances(ctx.session, person.id)
    hashes = {(e.list_code, e.entry_id): e.version for e in index.entries}
    kept = tuple(m for m in result.matches if (m.list_code, m.entry_id, hashes.get((m.list_code, m.entry_id), ""))
                 not in cleared)  # fmt: skip
    if not kept:
        return Result(result.ref, "pass")
    return Result(result.ref, result.decision, kept)


def _record(
    ctx: ServiceContext, occasion: str, context: str, household_id: int | None, party: Party,
    person: Person | _Named | _Known, result: Result, versions: str, status: str | None = None,
) -> int:  # fmt: skip
    payload = {
        "subject": {"name": person.name, "role": party.role,
                    "birth_date": person.birth_date.isoformat() if person.birth_date else None},
        "matches": [
            {"list": m.list_code, "entry_id": m.entry_id, "matched_name": m.matched_name, "name_score": m.name_score,
             "score": m.score, "reasons": list(m.reasons)}
            for m in result.matches
        ],
    }  # fmt: skip
    case = ScreeningCase(
        occasion=occasion,
        context=context[:60],
        person_id=person.id if _is_customer(person) else None,
        household_id=household_id,
        party_role=party.role,
        subject_masked=mask_name(person.name)[:60],
        decision=result.decision,
        score=result.best.score if result.best else 0.0,
        engine_version=ENGINE_VERSION,
        list_versions=versions[:200],
        matches_enc=ctx.cipher.encrypt(MATCHES_COLUMN, json.dumps(payload, ensure_ascii=False)),
        created_at=ctx.now(),
        status=status or {"pass": "closed", "review": "open", "hit": "stopped"}[result.decision],
    )
    ctx.session.add(case)
    ctx.session.flush()
    ctx.audit("screening.screened", "screening_case", case.id,
              {"occasion": occasion, "context": context[:60], "decision": result.decision})  # fmt: skip
    return case.id


def _assess(ctx: ServiceContext, index: ScreeningIndex, parties: Sequence[Party]
            ) -> list[tuple[Party, Person | _Named, Result, bool]]:  # fmt: skip
    people = _people(ctx.session, sorted({p.person_id for p in parties if p.person_id is not None}))
    outcomes: list[tuple[Party, Person | _Named, Result, bool]] = []
    for n, party in enumerate(dict.fromkeys(parties)):
        subject: Person | _Named | None
        subject = people.get(party.person_id) if party.person_id is not None else _Named(-n - 1, party.name)
        if subject is None or not subject.name:
            continue
        result = screen_person(ctx, index, subject)
        confirmed = isinstance(subject, Person) and _confirmed(ctx.session, subject.id)
        outcomes.append((party, subject, result, confirmed))
    return outcomes


def _record_alerts(ctx: ServiceContext, occasion: str, context: str, household_id: int | None,
                   outcomes: Sequence[tuple[Party, Person | _Named | _Known, Result, bool]]) -> None:  # fmt: skip
    versions = ",".join(lists.version_labels(ctx.session))
    for party, person, result, confirmed in outcomes:
        if result.decision == "pass" and not confirmed:
            continue
        if _is_customer(person):
            open_case = ctx.session.scalar(
                select(ScreeningCase.id).where(
                    ScreeningCase.person_id == person.id, ScreeningCase.context == context[:60],
                    ScreeningCase.status.in_(("open", "stopped")),
                )
            )  # fmt: skip
            if open_case is not None:
                continue
        _record(ctx, occasion, context, household_id, party, person, result, versions,
                status="stopped" if confirmed else None)  # fmt: skip


def assess(ctx: ServiceContext, *, occasion: Occasion, context: str, household_id: int | None,
           parties: Sequence[Party]) -> str:  # fmt: skip
    """Screen the parties and record the alerts in the current transaction; return pass / review / hit."""
    index = current_index(ctx.session, ctx.cipher)
    if index is None or not parties:
        return "pass"
    outcomes = _assess(ctx, index, parties)
    if any(r.decision == "hit" or c for _, _, r, c in outcomes):
        decision = "hit"
    elif any(r.decision == "review" for _, _, r, _ in outcomes):
        decision = "review"
    else:
        return "pass"
    _record_alerts(ctx, occasion, context, household_id, outcomes)
    return decision


def gate(ctx: ServiceContext, *, occasion: Occasion, context: str, household_id: int | None,
         parties: Sequence[Party]) -> None:  # fmt: skip
    """Screen the parties of a business step; raise ``ScreeningStopped`` / ``ScreeningPending`` to stop it.

    The request then fails and rolls its own work back; the screening cases are written by an explicit audit unit
    in their own transaction (``jiabao.db.audit_unit``), so the stop is on record although the request failed."""
    index = current_index(ctx.session, ctx.cipher)
    if index is None or not parties:
        return
    outcomes = _assess(ctx, index, parties)
    stop = any(r.decision == "hit" or c for _, _, r, c in outcomes)
    pending = any(r.decision == "review" for _, _, r, _ in outcomes)
    if not stop and not pending:
        return
    kept = [(party, _Known(p.id, p.name, p.birth_date) if isinstance(p, Person) else p, result, confirmed)
            for party, p, result, confirmed in outcomes]  # fmt: skip
    audit_unit.record_after(ctx, lambda unit: _record_alerts(unit, occasion, context, household_id, kept))
    if stop:
        raise ScreeningStopped()
    raise ScreeningPending()


def parties(holder: int | None = None, insureds: Sequence[int] = (), beneficiaries: Sequence[str] = (),
            payee: int | None = None) -> list[Party]:  # fmt: skip
    """The parties of a business step, by role (beneficiaries by name)."""
    out = [Party(holder, "policyholder")] if holder is not None else []
    out += [Party(pid, "insured") for pid in insureds]
    out += [Party(None, "beneficiary", name) for name in beneficiaries if name]
    if payee is not None:
        out.append(Party(payee, "payee"))
    return out


def hold_claim_payment(ctx: ServiceContext, claim: Any, payable: list[Any]) -> list[Any]:
    """Claim payment hook: ``payable`` unchanged when the payee and the insured pass; otherwise nothing is paid now,
    the claim goes to a person (status ``referred``, a neutral note) and the screening case to the risk queue."""
    if not payable:
        return payable
    decision = assess(ctx, occasion="claim_payment", context=f"claim:{claim.id}", household_id=claim.household_id,
                      parties=parties(insureds=[claim.insured_person_id], payee=claim.payee_person_id))  # fmt: skip
    if decision == "pass":
        return payable
    claim.details = {**claim.details, "hold": "additional_check"}
    claim.status = "referred"
    return []


# -- the review queue ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CaseView:
    id: int
    occasion: str
    context: str
    party_role: str
    subject_masked: str
    decision: str
    score: float
    status: str
    created_at: str
    reviewed_at: str | None
    review_note: str | None
    subject: dict[str, Any] | None = None
    matches: tuple[dict[str, Any], ...] = ()


def _require(ctx: ServiceContext, roles: frozenset[Role]) -> None:
    if ctx.principal.role not in roles:
        raise PermissionDenied("Your role may not use the screening queue", "您的角色不能使用名单筛查队列")


def require_viewer(ctx: ServiceContext) -> None:
    _require(ctx, VIEWERS)


def _view(case: Any, payload: dict[str, Any] | None = None) -> CaseView:
    return CaseView(
        id=case.id, occasion=case.occasion, context=case.context, party_role=case.party_role,
        subject_masked=case.subject_masked, decision=case.decision, score=round(case.score, 3), status=case.status,
        created_at=case.created_at.isoformat(), reviewed_at=case.reviewed_at.isoformat() if case.reviewed_at else None,
        review_note=case.review_note,
        subject=payload["subject"] if payload else None,
        matches=tuple(payload["matches"]) if payload else (),
    )  # fmt: skip


def queue(ctx: ServiceContext, *, status: str = "open", limit: int = 50, offset: int = 0) -> list[CaseView]:
    """Screening cases by status (default: those waiting for a reviewer), oldest first."""
    _require(ctx, VIEWERS)
    stmt = (
        select(ScreeningCase)
        .where(ScreeningCase.status == status)
        .order_by(ScreeningCase.created_at, ScreeningCase.id)
        .limit(limit)
        .offset(offset)
    )
    return [_view(c) for c in ctx.session.scalars(stmt)]


def case_detail(ctx: ServiceContext, case_id: int) -> CaseView:
    """One case with the subject and each matched list entry side by side (the clear read is audited)."""
    _require(ctx, VIEWERS)
    case = ctx.session.get(ScreeningCase, case_id)
    if case is None:
        raise NotFound("Screening case not found", "未找到此筛查记录", code="screening_case_not_found")
    payload = json.loads(ctx.cipher.decrypt(MATCHES_COLUMN, case.matches_enc))
    for match in payload["matches"]:
        entry = lists.entry_detail(ctx.session, ctx.cipher, match["list"], match["entry_id"])
        match["entry"] = entry.as_dict() if entry else None
    ctx.audit("screening.case_read", "screening_case", case.id)
    return _view(case, payload)


def review(ctx: ServiceContext, case_id: int, decision: Literal["clear", "confirm"], note: str) -> CaseView:
    """A reviewer's decision: ``clear`` (not the listed party) or ``confirm`` (it is: the person stays stopped)."""
    _require(ctx, REVIEWERS)
    case = ctx.session.get(ScreeningCase, case_id, with_for_update=True)
    if case is None:
        raise NotFound("Screening case not found", "未找到此筛查记录", code="screening_case_not_found")
    if case.status not in ("open", "stopped"):
        raise Conflict("This case has already been decided", "此筛查记录已有审核结论", code="screening_case_decided")
    if decision == "clear" and case.person_id is not None:
        payload = json.loads(ctx.cipher.decrypt(MATCHES_COLUMN, case.matches_enc))
        index = current_index(ctx.session, ctx.cipher)
        hashes = {(e.list_code, e.entry_id): e.version for e in index.entries} if index else {}
        for match in payload["matches"]:
            ctx.session.add(ScreeningClearance(
                person_id=case.person_id, list_code=match["list"], entry_id=match["entry_id"],
                entry_hash=hashes.get((match["list"], match["entry_id"]), ""), case_id=case.id, cleared_at=ctx.now(),
            ))  # fmt: skip
    case.status = "cleared" if decision == "clear" else "confirmed"
    case.reviewed_by = ctx.principal.user_id or None
    case.reviewed_at = ctx.now()
    case.review_note = note
    ctx.audit("screening.review", "screening_case", case.id, {"decision": decision})
    ctx.session.flush()
    return _view(case)


# -- re-screening after a list change -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RescreenOutcome:
    subjects: int
    entries: int
    review: int
    hit: int


def _population(session: Session, page: int = 5000) -> Iterator[list[Person]]:
    last = 0
    while True:
        rows = list(session.scalars(select(Person).where(Person.id > last).order_by(Person.id).limit(page)))
        if not rows:
            return
        yield rows
        last = rows[-1].id


def rescreen_customers(ctx: ServiceContext, version_id: int) -> RescreenOutcome:
    """Screen every person against only the entries a list version added or changed (a pure shard function per
    page of persons, run in-process; a batch executor can run the same ``screen_shard`` elsewhere)."""
    changed = lists.changed_entry_ids(ctx.session, version_id)
    if not changed:
        return RescreenOutcome(0, 0, 0, 0)
    entries: list[ListEntry] = lists.version_entries(ctx.session, ctx.cipher, version_id, only=changed)
    versions = ",".join(lists.version_labels(ctx.session))
    subjects = review_count = hits = 0
    for page in _population(ctx.session):
        people = {str(p.id): p for p in page}
        results = screen_shard(entries, [_subject(p) for p in page])
        subjects += len(page)
        for result in results:
            if result.decision == "pass":
                continue
            person = people[result.ref]
            review_count += result.decision == "review"
            hits += result.decision == "hit"
            # A hit found by a background job is reviewed by a person before anything is stopped.
            _record(ctx, "list_change", f"list_version:{version_id}", None, Party(person.id, "customer"), person,
                    result, versions, status="open")  # fmt: skip
    return RescreenOutcome(subjects, len(entries), review_count, hits)
