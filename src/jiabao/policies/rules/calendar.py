"""Chinese working days (工作日) and the service-level deadlines of the policy lifecycle.

Working days follow the State Council's holiday arrangement as published in ``chinese-calendar``: statutory
holidays (法定节假日) are not working days, and the make-up working days (调休上班, often a Saturday or Sunday next
to Spring Festival or National Day) are. The library only knows the years it ships data for (the State Council
publishes each year's arrangement in the preceding November or December). For a later year we use a
**provisional** calendar from the maintained ``holidays`` package (pinned; its China calendar computes the lunar
holidays — Spring Festival, Qingming, Dragon Boat, Mid-Autumn — from the lunar calendar, with the observed
substitute days): Monday to Friday, less those holidays, less the fixed-date ones of the 2024 revision of the
holiday measures (元旦, 劳动节 1–2 May, 国庆节 1–3 Oct) as a floor. Spring Festival is never counted as
working days. :func:`is_provisional` says so, so that deadlines are still computed (and shown as provisional)
instead of failing; the make-up working weekends (调休) are not known until the State Council publishes them, and
upgrading ``chinese-calendar`` replaces the provisional days with the official ones. Years before the data
(pre-2004) are refused with :class:`~jiabao.core.errors.InvalidInput`.

Counting convention (Civil Code art. 201, Conf. H): "within N days of X" does **not** count the day of X; the
count starts the next day. So a request received on a Monday with a 2-working-day limit is due on Wednesday,
and one received on a Saturday is due on the following Tuesday. The day of X counts as day 0 whether or not it is
itself a working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import chinese_calendar
from holidays.countries.china import China

from jiabao.core.errors import invalid

_KNOWN_YEARS: frozenset[int] = frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
    d.year for d in chinese_calendar.workdays
)
FIRST_SUPPORTED_YEAR = min(_KNOWN_YEARS)
LAST_SUPPORTED_YEAR = max(_KNOWN_YEARS)


PROVISIONAL_HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})
"""Fixed-date statutory holidays (全国年节及纪念日放假办法, 2024 revision), a floor for years beyond the data."""


def is_provisional(day: date) -> bool:
    """True when ``day`` lies beyond the official holiday data, so its working-day status is provisional."""
    return day.year > LAST_SUPPORTED_YEAR


@lru_cache(maxsize=64)
def provisional_holidays(year: int) -> frozenset[date]:
    """The statutory holidays of a year beyond ``chinese-calendar``'s data, from the ``holidays`` package's China
    calendar (lunar holidays computed, observed days included) plus the fixed-date floor."""
    found = set(China(years=year, categories=("public",)))  # type: ignore[no-untyped-call]
    found |= {date(year, month, dom) for month, dom in PROVISIONAL_HOLIDAYS}
    return frozenset(found)


def _is_workday(day: date) -> bool:
    if is_provisional(day):
        return day.weekday() < 5 and day not in provisional_holidays(day.year)
    return bool(chinese_calendar.is_workday(day))


def _check_year(day: date, field: str) -> None:
    if day.year < FIRST_SUPPORTED_YEAR:
        raise invalid(
            field,
            "calendar_year_unsupported",
            f"{day.isoformat()} 超出节假日数据范围（{FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR} 年），无法计算工作日",
            f"{day.isoformat()} is outside the holiday data ({FIRST_SUPPORTED_YEAR}–{LAST_SUPPORTED_YEAR}); "
            "working days cannot be counted",
        )


def is_working_day(day: date) -> bool:
    """True on a Chinese working day: Monday–Friday that is not a statutory holiday, or a 调休 make-up day."""
    _check_year(day, "date")
    return _is_workday(day)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted); negative ``n`` goes back.

    ``add_working_days(d, 0)`` is ``d``. Every day visited must lie in the supported years.
    """
    _check_year(start, "start")
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        _check_year(day, "start")
        if _is_workday(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days in the half-open interval (a, b]; negative when ``b`` is before ``a``.

    Consistent with :func:`add_working_days`: ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a)
    _check_year(a, "a")
    _check_year(b, "b")
    return sum(1 for i in range(1, (b - a).days + 1) if _is_workday(a + timedelta(days=i)))


class DayUnit(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


class SlaKind(StrEnum):
    """The service-level limits the lifecycle tracks. Values are stable codes (stored by the services)."""

    SERVICING_ACCEPT = "servicing_accept"
    SERVICING_INCOMPLETE_NOTICE = "servicing_incomplete_notice"
    SERVICING_COMPLETE = "servicing_complete"
    APPLICATION_INCOMPLETE_NOTICE = "application_incomplete_notice"
    CONTRACT_DELIVERY = "contract_delivery"
    CLAIM_DECISION_ORDINARY = "claim_decision_ordinary"
    CLAIM_DECISION_COMPLEX = "claim_decision_complex"
    CLAIM_REJECTION_NOTICE = "claim_rejection_notice"
    CLAIM_PAYMENT = "claim_payment"
    MIS_SELLING_CASE = "mis_selling_case"
    SUSPENSION_NOTICE = "suspension_notice"
    SURRENDER_PAYMENT = "surrender_payment"
    RECORDING_QC_FIX = "recording_qc_fix"
    RETURN_VISIT = "return_visit"


@dataclass(frozen=True, slots=True)
class SlaRule:
    days: int
    unit: DayUnit
    starts_at: str
    basis: str


_BSR = "Basic Service Rules for Life Insurance 2010 (人身保险业务基本服务规定)"
SLA_RULES: dict[SlaKind, SlaRule] = {
    SlaKind.SERVICING_ACCEPT: SlaRule(2, DayUnit.WORKING, "complete request received", f"{_BSR} art. 19; §2.8 H"),
    SlaKind.SERVICING_INCOMPLETE_NOTICE: SlaRule(
        5, DayUnit.WORKING, "incomplete request received", f"{_BSR} art. 19; §2.8 H"
    ),
    SlaKind.SERVICING_COMPLETE: SlaRule(
        5, DayUnit.WORKING, "approval, or full premium paid", f"{_BSR} art. 20; §2.8 H"
    ),
    SlaKind.APPLICATION_INCOMPLETE_NOTICE: SlaRule(
        5, DayUnit.WORKING, "application documents received", f"{_BSR} art. 10; §2.8 H"
    ),
    SlaKind.CONTRACT_DELIVERY: SlaRule(
        15, DayUnit.WORKING, "complete application accepted without exam", f"{_BSR} art. 11; §2.8 H"
    ),
    SlaKind.CLAIM_DECISION_ORDINARY: SlaRule(
        5, DayUnit.WORKING, "claim and documents received", f"{_BSR} art. 23; §0, §2.6 H"
    ),
    SlaKind.CLAIM_DECISION_COMPLEX: SlaRule(
        30,
        DayUnit.CALENDAR,
        "claim and documents first received",
        "Insurance Law art. 23; SPC Interp. II art. 15; §2.6 H",
    ),
    SlaKind.CLAIM_REJECTION_NOTICE: SlaRule(
        3, DayUnit.CALENDAR, "rejection decided", f"Insurance Law art. 24; {_BSR} art. 24; §2.6 H"
    ),
    SlaKind.CLAIM_PAYMENT: SlaRule(10, DayUnit.CALENDAR, "amount agreed", f"Insurance Law art. 23; {_BSR} art. 26; H"),
    SlaKind.MIS_SELLING_CASE: SlaRule(15, DayUnit.WORKING, "mis-selling found", f"{_BSR} art. 18; §2.2 H"),
    SlaKind.SUSPENSION_NOTICE: SlaRule(
        10, DayUnit.WORKING, "suspension (中止) date", f"Insurance Law art. 36; {_BSR} art. 21; §2.7 H"
    ),
    SlaKind.SURRENDER_PAYMENT: SlaRule(
        30, DayUnit.CALENDAR, "surrender notice received", "Insurance Law art. 47; §2.7 H"
    ),
    SlaKind.RECORDING_QC_FIX: SlaRule(
        15, DayUnit.WORKING, "QC problem found", "Traceability rule 2017 (保监发〔2017〕54号) art. 10; §2.3 H"
    ),
    SlaKind.RETURN_VISIT: SlaRule(
        15, DayUnit.CALENDAR, "policy received (default cooling-off)", f"{_BSR} art. 15; §2.2 H (length per product)"
    ),
}


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A limit counted from ``start``. ``due`` is the last day on which the act is on time."""

    kind: SlaKind
    start: date
    due: date
    warn_from: date
    basis: str

    def status(self, as_of: date, *, done_on: date | None = None) -> DeadlineStatus:
        """``on_time`` / ``due_soon`` (from ``warn_from`` to ``due``) / ``overdue`` (after ``due``).

        Once the act is done (``done_on``), only whether it was done by ``due`` matters.
        """
        if done_on is not None:
            return DeadlineStatus.ON_TIME if done_on <= self.due else DeadlineStatus.OVERDUE
        if as_of > self.due:
            return DeadlineStatus.OVERDUE
        if as_of >= self.warn_from:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TIME


def sla_deadline(kind: SlaKind, start: date, *, warn_lead: int = 1, paused_days: int = 0) -> Deadline:
    """The deadline for ``kind`` counted from ``start`` (see :data:`SLA_RULES` for each limit and its source).

    ``warn_lead`` is how many days (in the rule's own unit) before ``due`` the status turns ``due_soon``.
    ``paused_days`` (also in the rule's unit) extends the limit by the time the clock stood still: for a complex
    claim, the days between the insurer's request for more documents and their arrival (SPC Interp. II art. 15,
    §0 H); for a servicing request, the working days of a medical exam (Basic Service Rules art. 20, H).
    """
    if warn_lead < 0 or paused_days < 0:
        field = "warn_lead" if warn_lead < 0 else "paused_days"
        raise invalid(field, "negative", "不能为负数", "must not be negative")
    rule = SLA_RULES[kind]
    if rule.unit is DayUnit.WORKING:
        due = add_working_days(start, rule.days + paused_days)
        warn_from = add_working_days(due, -warn_lead)
    else:
        due = start + timedelta(days=rule.days + paused_days)
        warn_from = due - timedelta(days=warn_lead)
    return Deadline(kind, start, due, max(warn_from, start), rule.basis)
