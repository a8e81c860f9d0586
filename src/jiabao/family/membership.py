"""Adding a member without an existence oracle (issue 10 item 4; docs/security.md, "Adding a member").

Whether an ID number belongs to a client of the insurer is itself personal information (PIPL art. 4: any
information relating to an identified person; insurers' duty of confidentiality). A customer or a partner adding
a member therefore never learns it: the addition is validated on what was submitted only (422 with the field for a
bad number, the household's own consistency rules, 409 if the person is already a member of *this* household,
which the caller can see anyway), then recorded as a **membership request** — 202, the same body whether the
number is unknown, belongs to a client in another household, or to no household at all. Nothing is looked up in
the customer file at that moment. The back office (service, admin) verifies the identity documents and, for a
person the insurer already knows, that person's own consent, then approves (the member is created, or the existing
person is linked) or rejects with the same neutral text in every case. Staff at the counter, who check documents
and may search by ID number anyway, add members directly (``service.add_member``).

Opening a household (:func:`open_household`) follows the same rule for partners: when the head's ID number is
already registered, the partner gets the same 201 and the same body shape as for a new person — a household whose
head is a *provisional* record made only of what the partner submitted (unsearchable, nothing of the registered
person attached) — and a head-link request (relationship ``self``) waits in the same back-office queue; on
approval the registered person becomes the head and the provisional record is removed.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict, NotFound, PermissionDenied
from jiabao.core.pii import mask_id_number, mask_name
from jiabao.db.context import ServiceContext
from jiabao.family import repository, service
from jiabao.family.enums import LifeEventKind, Relationship
from jiabao.family.models import Household, LifeEvent, Member, MembershipRequest, Person
from jiabao.family.person_input import validate_person
from jiabao.family.schemas import (
    HouseholdIn,
    HouseholdOut,
    MemberIn,
    MemberOut,
    MembershipDecisionIn,
    MembershipQueueItem,
    MembershipRequestOut,
)

DATA_COLUMN = "membership_requests.data"
DIRECT = frozenset({Role.SERVICE, Role.ADMIN})
"""Roles that add a member at once: they verify documents at the counter and may search by ID number anyway."""
DECIDERS = DIRECT
PENDING_TEXT = (
    "已收到添加家庭成员的申请，我们将在核验身份证明（如为已有客户，还将征得本人同意）后通知您结果，一般在3个工作日内。",
    "We have received the request to add a family member. We will verify the identity documents (and, where needed, "
    "obtain the person's own consent) and tell you the outcome, usually within 3 working days.",
)
DECIDED_TEXT = {
    "approved": ("家庭成员已添加。", "The family member has been added."),
    "rejected": (
        "未能完成身份核验，本次申请未添加该成员；如需帮助请联系客服或您的服务顾问。",
        "The identity could not be verified, so the member was not added; please contact customer service or your "
        "adviser for help.",
    ),
}


def open_household(ctx: ServiceContext, data: HouseholdIn) -> HouseholdOut:
    """Open a family account. Staff at the counter (identity verified, may search by ID anyway) keep the direct
    refusal of a registered head (409 ``person_exists``, then the normal search finds the client). Anyone else gets
    a household whichever the number: for a registered one, with a provisional head and a head-link request."""
    if ctx.principal.role in DIRECT:
        return service.create_household(ctx, data)
    valid = validate_person(data.head, today=ctx.clock.today())  # a bad number: 422, the same for everyone
    known = repository.person_by_id_index(ctx.session, ctx.cipher.blind_index(service.ID_COLUMN, valid.id_number))
    out = service.create_household(ctx, data, provisional_head=known is not None)
    if known is not None:
        payload = {**data.head.model_dump(mode="json"), "relationship": Relationship.SELF.value}
        row = MembershipRequest(
            household_id=out.id,
            requested_by=ctx.principal.user_id or None,
            relationship_to_head=Relationship.SELF.value,
            name_masked=mask_name(valid.name)[:60],
            id_number_masked=mask_id_number(valid.id_number),
            data_enc=ctx.cipher.encrypt(DATA_COLUMN, json.dumps(payload, ensure_ascii=False, sort_keys=True)),
            status="pending",
            created_at=ctx.now(),
        )
        ctx.session.add(row)
        ctx.session.flush()
        # the audit log is staff-only: it records why this head is provisional, for the officer and the auditor
        ctx.audit("household.head_request", "household", out.id, {"request_id": row.id})
    return out


def add_or_request(ctx: ServiceContext, household_id: int, data: MemberIn) -> MemberOut | MembershipRequestOut:
    """Staff add at once; customers and partners file a request (the same answer for every ID number)."""
    if ctx.principal.role in DIRECT:
        return service.add_member(ctx, household_id, data)
    return request_member(ctx, household_id, data)


def request_member(ctx: ServiceContext, household_id: int, data: MemberIn) -> MembershipRequestOut:
    """Validate what was submitted (as a direct addition would) and record the request; no customer-file look-up."""
    household, valid = service.check_new_member_of(ctx, household_id, data)
    payload = data.model_dump(mode="json")
    row = MembershipRequest(
        household_id=household.id,
        requested_by=ctx.principal.user_id or None,
        relationship_to_head=data.relationship.value,
        name_masked=mask_name(valid.name)[:60],
        id_number_masked=mask_id_number(valid.id_number),
        data_enc=ctx.cipher.encrypt(DATA_COLUMN, json.dumps(payload, ensure_ascii=False, sort_keys=True)),
        status="pending",
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit(
        "member.request", "household", household.id, {"request_id": row.id, "relationship": row.relationship_to_head}
    )
    return _out(row)


def _out(row: MembershipRequest) -> MembershipRequestOut:
    zh, en = PENDING_TEXT if row.status == "pending" else DECIDED_TEXT[row.status]
    return MembershipRequestOut(
        id=row.id, household_id=row.household_id, status=row.status,
        relationship=Relationship(row.relationship_to_head), name_masked=row.name_masked,
        id_number_masked=row.id_number_masked, created_at=row.created_at,
        member_id=row.member_id if row.status == "approved" else None, message_zh=zh, message_en=en,
    )  # fmt: skip


def requests_of(ctx: ServiceContext, household_id: int) -> list[MembershipRequestOut]:
    """The household's membership requests, newest first (readers of the household)."""
    service.get_overview(ctx, household_id)  # 404 for a household the caller may not see
    stmt = (
        select(MembershipRequest)
        .where(
            MembershipRequest.household_id == household_id,
            # a head-link request exists only for a registered number: the household's readers never see it
            MembershipRequest.relationship_to_head != Relationship.SELF.value,
        )
        .order_by(MembershipRequest.id.desc())
    )
    return [_out(r) for r in ctx.session.scalars(stmt)]


def pending(ctx: ServiceContext) -> list[MembershipQueueItem]:
    """The back office's queue: pending requests with the submitted data (masked) and whether the person is
    already a client (the officer then obtains that person's consent before approving)."""
    _require_decider(ctx)
    stmt = select(MembershipRequest).where(MembershipRequest.status == "pending").order_by(MembershipRequest.id)
    out = []
    for row in ctx.session.scalars(stmt):
        data = MemberIn.model_validate(json.loads(ctx.cipher.decrypt(DATA_COLUMN, row.data_enc)))
        known = repository.person_by_id_index(ctx.session, ctx.cipher.blind_index(service.ID_COLUMN, data.id_number))
        out.append(MembershipQueueItem(request=_out(row), known_person_id=known.id if known else None))
    return out


def _require_decider(ctx: ServiceContext) -> None:
    if ctx.principal.role not in DECIDERS:
        raise PermissionDenied("Only the back office verifies membership requests", "仅后台人员可核验成员申请")


def decide(ctx: ServiceContext, request_id: int, decision: MembershipDecisionIn) -> MembershipRequestOut:
    """Approve (create the person, or link the person already known — whose consent the officer has obtained) or
    reject. The requester sees only the neutral outcome text."""
    _require_decider(ctx)
    row = ctx.session.scalars(
        select(MembershipRequest).where(MembershipRequest.id == request_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound("Membership request not found", "未找到该成员申请", code="membership_request_not_found")
    if row.status != "pending":
        raise Conflict("This request was already decided", "该申请已处理", code="membership_request_decided")
    row.decided_at, row.decided_by = ctx.now(), ctx.principal.user_id or None
    if not decision.approve:
        row.status = "rejected"
        ctx.audit(
            "member.request_rejected", "household", row.household_id, {"request_id": row.id, "note": decision.note}
        )
        return _out(row)
    data = MemberIn.model_validate(json.loads(ctx.cipher.decrypt(DATA_COLUMN, row.data_enc)))
    known = repository.person_by_id_index(ctx.session, ctx.cipher.blind_index(service.ID_COLUMN, data.id_number))
    if data.relationship is Relationship.SELF:
        member_id = _link_head(ctx, row, known)
    elif known is None:
        member = service.add_member(ctx, row.household_id, data)
        member_id = member.member_id
    else:
        member_id = _link(ctx, row, known.id, data)
    row.status, row.member_id = "approved", member_id
    ctx.audit("member.request_approved", "household", row.household_id,
              {"request_id": row.id, "member_id": member_id, "linked_existing": known is not None})  # fmt: skip
    return _out(row)


def _link(ctx: ServiceContext, row: MembershipRequest, person_id: int, data: MemberIn) -> int:
    """The person is already a client: after their consent, they become a member of this household too."""
    household, _valid = service.check_new_member_of(ctx, row.household_id, data)
    today: date = ctx.clock.today()
    member = Member(household_id=household.id, person_id=person_id, relationship_to_head=data.relationship,
                    joined_on=today)  # fmt: skip
    ctx.session.add(member)
    ctx.session.add(
        LifeEvent(
            household_id=household.id,
            person_id=person_id,
            kind=LifeEventKind.MEMBER_JOINED,
            occurred_on=today,
            recorded_at=ctx.now(),
            recorded_by=ctx.principal.user_id or None,
        )
    )
    ctx.session.flush()
    return member.id


def _link_head(ctx: ServiceContext, row: MembershipRequest, known: Person | None) -> int:
    """The household was opened with a provisional head because the number was registered: after the registered
    person's consent, they become the head (household, head member and life events re-pointed) and the
    provisional record — only ever the caller's own submission — is deleted. A provisional head already named on
    an application or a policy cannot be merged silently: the officer is told to resolve that first."""
    household = ctx.session.get(Household, row.household_id)
    if household is None or known is None:  # the registered person was erased meanwhile: nothing to link
        raise Conflict("The registered person no longer exists", "该客户记录已不存在，请驳回本申请",
                       code="membership_request_stale")  # fmt: skip
    provisional = household.head_person_id
    service.forget_overviews(ctx)
    try:
        with ctx.session.begin_nested():
            ctx.session.execute(update(Member).where(Member.person_id == provisional).values(person_id=known.id))
            ctx.session.execute(update(LifeEvent).where(LifeEvent.person_id == provisional).values(person_id=known.id))
            household.head_person_id = known.id
            ctx.session.flush()
            ctx.session.execute(delete(Person).where(Person.id == provisional))
    except IntegrityError as exc:
        ctx.session.expire_all()
        raise Conflict(
            "The provisional head is already named on an application or a policy; resolve that first",
            "临时户主已用于投保申请或保单，请先处理后再关联",
            code="provisional_head_in_use",
        ) from exc
    head = ctx.session.scalars(
        select(Member).where(Member.household_id == household.id, Member.person_id == known.id)
    ).first()
    return head.id if head is not None else 0
