"""The explicit audit unit: records that must outlive a failed request (docs/architecture.md, "One transaction per
request or job").

A request has one unit of work and commits once. A few refusals must nevertheless leave a record behind although
the request fails and rolls back — a watch-list hit that stops an application, an application-risk interception:
AML Law 2024 arts. 35–36 and the anti-fraud measures require the hit to be kept for review. Such a step registers
its record with :func:`record_after` and raises; the request's unit of work rolls its own work back (nothing of the
stopped step survives) and then runs each registered record in **its own, separate transaction**
(:func:`run_pending`), which commits only the record. The request's session never commits a partial step.

The API and page unit of work (``jiabao.api.deps.unit_of_work``) marks its session with :func:`expect` and runs the
records after its commit or rollback. A caller that did not (a script or job with its own session) gets the
records written in its current transaction, flushed, so its own commit keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from jiabao.db.context import ServiceContext

Record = Callable[["ServiceContext"], None]
_KEY = "audit_units"


def expect(session: Session) -> None:
    """This session's unit of work runs the audit units after it ends (see :func:`run_pending`)."""
    session.info[_KEY] = []


def deferred(session: Session) -> bool:
    """True when ``session``'s unit of work runs audit units after it ends (the API and pages)."""
    return session.info.get(_KEY) is not None


def record_after(ctx: ServiceContext, record: Record) -> None:
    """Write ``record`` in a separate transaction once the current request has ended (committed or rolled back).

    ``record`` receives a context whose session is the audit unit's own; it must not touch objects of the request's
    session (pass plain values)."""
    units = ctx.session.info.get(_KEY)
    if units is None:  # no runner: the caller's own transaction keeps it
        record(ctx)
        ctx.session.flush()
        return
    units.append(lambda session: record(replace(ctx, session=session)))


def run_pending(session: Session, factory: sessionmaker[Session]) -> int:
    """Run (each in its own committed transaction) the audit units registered on ``session``; returns how many."""
    units: list[Callable[[Session], None]] = session.info.pop(_KEY, None) or []
    for unit in units:
        with factory.begin() as audit_session:
            unit(audit_session)
    return len(units)
