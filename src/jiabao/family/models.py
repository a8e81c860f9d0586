"""Family account tables (家庭账户): persons, households, members with history, and life events.

Relationships are ``lazy="raise"``: every eager load is explicit in the repository.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiabao.db.base import Base, IdType, UtcDateTime


class Person(Base):
    """A natural person (自然人). ID number and phone are stored encrypted, with a blind index and a mask."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    id_type: Mapped[str] = mapped_column(String(40))
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_bidx: Mapped[str] = mapped_column(String(32), unique=True)
    id_number_masked: Mapped[str] = mapped_column(String(24))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    phone_bidx: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    phone_masked: Mapped[str | None] = mapped_column(String(20), default=None)
    region_code: Mapped[str | None] = mapped_column(String(6), default=None)
    occupation: Mapped[str | None] = mapped_column(String(60), default=None)
    occupation_class: Mapped[int | None] = mapped_column(Integer, default=None)
    annual_income_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)  # family.income
    social_insurance: Mapped[bool] = mapped_column(Boolean, default=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    deceased_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Household(Base):
    """A family account (家庭账户): the unit of sales, underwriting, service and claims."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    account_no: Mapped[str] = mapped_column(String(20), unique=True)
    head_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), index=True, default=None)
    region: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    members: Mapped[list[Member]] = relationship(back_populates="household", lazy="raise", order_by="Member.id")


class Member(Base):
    """A person's membership of a household, with its relationship to the head and its history (joined/left)."""

    __tablename__ = "members"
    __table_args__ = (Index("ix_members_household_active", "household_id", "left_on"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"), index=True)
    relationship_to_head: Mapped[str] = mapped_column(String(20))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)
    left_reason: Mapped[str | None] = mapped_column(String(40), default=None)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")

    @property
    def active(self) -> bool:
        return self.left_on is None


class LifeEvent(Base):
    """A household timeline entry (家庭大事记): marriage, birth, child leaves home, retirement, death…"""

    __tablename__ = "life_events"
    __table_args__ = (Index("ix_life_events_household", "household_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)


class MembershipRequest(Base):
    """A customer's or partner's request to add a member, waiting for the back office to verify the identity
    documents (and, for a person already known to the insurer, that person's consent) — docs/security.md,
    "Adding a member". The submitted data is kept encrypted; nothing in it is looked up until a person decides."""

    __tablename__ = "membership_requests"
    __table_args__ = (Index("ix_membership_requests_status", "status", "id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    requested_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    relationship_to_head: Mapped[str] = mapped_column(String(20))
    name_masked: Mapped[str] = mapped_column(String(60))
    id_number_masked: Mapped[str] = mapped_column(String(24))
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    decided_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    member_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("members.id"), default=None)
