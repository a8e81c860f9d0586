"""The suspension history (效力中止记录) of a policy: every period, from the suspension date to the reinstatement,
termination or surrender that ended it. The claims engine reads every period, so an event that happened while a
policy was suspended stays unpaid after a later reinstatement (Insurance Law arts. 36–37; SPC Interp. III art. 8:
cover resumes from reinstatement, not retroactively)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType


class PolicySuspension(Base):
    """One period of suspension; open while ``ended_on`` is None."""

    __tablename__ = "policy_suspensions"
    __table_args__ = (UniqueConstraint("policy_id", "suspended_on"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"), index=True)
    suspended_on: Mapped[date] = mapped_column(Date)
    """First day without cover (the day after the grace period)."""
    notice_due: Mapped[date] = mapped_column(Date)
    """The suspension notice's deadline: 10 working days (art. 36; BSR art. 21)."""
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    """Reinstatement date (cover again from this day), or the termination / surrender date."""
    end_reason: Mapped[str | None] = mapped_column(String(30), default=None)
    """reinstated | deemed_reinstated | terminated | surrendered | cancelled"""
