"""/api/v1 households, members, persons and life events (家庭账户)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from jiabao.api.deps import require
from jiabao.core.auth import CLEAR_PII_ROLES, HOUSEHOLD_READERS, HOUSEHOLD_SEARCHERS, HOUSEHOLD_WRITERS, Role
from jiabao.db.context import ServiceContext
from jiabao.family import membership, queries, service
from jiabao.family.schemas import (
    HouseholdIn,
    HouseholdOut,
    HouseholdSummary,
    IdentityOut,
    LifeEventIn,
    LifeEventOut,
    MemberIn,
    MemberLeave,
    MemberOut,
    MembershipDecisionIn,
    MembershipQueueItem,
    MembershipRequestOut,
    MemberUpdate,
)

router = APIRouter(tags=["family"])

Reader = Annotated[ServiceContext, Depends(require(*HOUSEHOLD_READERS))]
Writer = Annotated[ServiceContext, Depends(require(*HOUSEHOLD_WRITERS))]
Searcher = Annotated[ServiceContext, Depends(require(*HOUSEHOLD_SEARCHERS))]
Opener = Annotated[ServiceContext, Depends(require(Role.PARTNER, Role.SERVICE, Role.ADMIN))]
Decider = Annotated[ServiceContext, Depends(require(*membership.DECIDERS))]
ClearReader = Annotated[ServiceContext, Depends(require(*CLEAR_PII_ROLES))]


@router.get("/households", operation_id="households_list")
def list_households(
    ctx: Reader, limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0
) -> list[HouseholdSummary]:
    """The caller's households: a customer's own, a partner's served ones, a page of all for staff."""
    return queries.list_households(ctx, limit=limit, offset=offset)


@router.post("/households", operation_id="households_create", status_code=201)
def create_household(ctx: Opener, data: HouseholdIn) -> HouseholdOut:
    """Open a family account with its head (户主). A partner gets 201 and the same body shape whether or not the
    head's ID number is already registered (then the head is provisional until the back office links the person:
    docs/security.md, "Opening a household"); staff at the counter get 409 ``person_exists`` and search."""
    return membership.open_household(ctx, data)


@router.get("/households/search", operation_id="households_search")
def search(ctx: Searcher, q: Annotated[str, Query(min_length=1, max_length=40)]) -> list[HouseholdSummary]:
    """Find households by account number, full ID number, mobile number (blind index) or name prefix."""
    return queries.search_households(ctx, q)


@router.get("/households/{household_id}", operation_id="households_get")
def get_household(ctx: Reader, household_id: int) -> HouseholdOut:
    """全家保障一览: the household overview."""
    return service.get_overview(ctx, household_id)


@router.get("/households/{household_id}/members", operation_id="members_list")
def list_members(ctx: Reader, household_id: int) -> list[MemberOut]:
    return service.get_overview(ctx, household_id).members


@router.post(
    "/households/{household_id}/members",
    operation_id="members_add",
    status_code=201,
    responses={202: {"model": MembershipRequestOut, "description": "Request recorded, pending verification"}},
)
def add_member(ctx: Writer, household_id: int, data: MemberIn, response: Response) -> MemberOut | MembershipRequestOut:
    """Staff (service, admin) add the member at once (201). A customer or partner files a membership request
    (202), answered the same whether or not the person is already known to the insurer; the back office
    verifies it (docs/security.md, "Adding a member")."""
    out = membership.add_or_request(ctx, household_id, data)
    if isinstance(out, MembershipRequestOut):
        response.status_code = 202
    return out


@router.get("/households/{household_id}/membership-requests", operation_id="membership_requests_list")
def list_membership_requests(ctx: Reader, household_id: int) -> list[MembershipRequestOut]:
    """The household's requests to add a member and their outcome."""
    return membership.requests_of(ctx, household_id)


@router.get("/membership-requests", operation_id="membership_requests_pending")
def pending_membership_requests(ctx: Decider) -> list[MembershipQueueItem]:
    """The back office's queue of pending requests, with whether each person is already a client."""
    return membership.pending(ctx)


@router.post("/membership-requests/{request_id}/decision", operation_id="membership_requests_decide")
def decide_membership_request(ctx: Decider, request_id: int, data: MembershipDecisionIn) -> MembershipRequestOut:
    """The back office approves (after verifying the documents and, for a known person, their consent) or rejects."""
    return membership.decide(ctx, request_id, data)


@router.patch("/members/{member_id}", operation_id="members_update")
def update_member(ctx: Writer, member_id: int, data: MemberUpdate) -> MemberOut:
    return service.update_member(ctx, member_id, data)


@router.post("/members/{member_id}/leave", operation_id="members_leave")
def member_leaves(ctx: Writer, member_id: int, data: MemberLeave) -> MemberOut:
    """A member leaves (child leaves home, divorce, death): history is kept."""
    return service.leave(ctx, member_id, data)


@router.get("/households/{household_id}/events", operation_id="events_list")
def list_events(ctx: Reader, household_id: int) -> list[LifeEventOut]:
    """The household timeline (家庭大事记)."""
    return service.timeline(ctx, household_id)


@router.post("/households/{household_id}/events", operation_id="events_add", status_code=201)
def add_event(ctx: Writer, household_id: int, data: LifeEventIn) -> LifeEventOut:
    return service.record_event(ctx, household_id, data)


@router.get("/persons/{person_id}", operation_id="persons_get")
def get_person(ctx: Reader, person_id: int) -> MemberOut:
    return queries.person_view(ctx, person_id)


@router.get("/persons/{person_id}/identity", operation_id="persons_identity")
def person_identity(ctx: ClearReader, person_id: int) -> IdentityOut:
    """The clear ID number and phone. Every call is written to the audit log."""
    return queries.reveal_identity(ctx, person_id)
