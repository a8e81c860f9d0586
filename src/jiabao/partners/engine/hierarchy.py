"""The partner hierarchy on a date: dated memberships (who belonged to which team or region when). A membership
runs from ``valid_from`` (inclusive) to ``valid_to`` (exclusive); a move mid-month closes one and opens the next on
the same day, so every date has at most one parent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Membership:
    partner_id: int
    parent_id: int
    valid_from: date
    valid_to: date | None = None

    def on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class Hierarchy:
    """Index of memberships for fast look-ups by partner and date."""

    def __init__(self, memberships: Iterable[Membership]) -> None:
        self._by_partner: dict[int, list[Membership]] = {}
        for m in memberships:
            self._by_partner.setdefault(m.partner_id, []).append(m)
        for rows in self._by_partner.values():
            rows.sort(key=lambda m: m.valid_from)

    def parent_on(self, partner_id: int, day: date) -> int | None:
        for m in self._by_partner.get(partner_id, ()):
            if m.on(day):
                return m.parent_id
        return None

    def upline(self, partner_id: int, day: date, *, limit: int = 10) -> list[int]:
        """Parents from the nearest up, on that date (a cycle or a chain longer than ``limit`` stops)."""
        out: list[int] = []
        current = self.parent_on(partner_id, day)
        while current is not None and current not in out and len(out) < limit:
            out.append(current)
            current = self.parent_on(current, day)
        return out


def overlapping(existing: Iterable[Membership], new: Membership) -> bool:
    """True when ``new`` overlaps one of the partner's existing memberships."""
    for m in existing:
        if m.partner_id != new.partner_id:
            continue
        end_m = m.valid_to or date.max
        end_n = new.valid_to or date.max
        if m.valid_from < end_n and new.valid_from < end_m:
            return True
    return False


def nearest_of_kind(upline: list[int], kinds: Mapping[int, str]) -> dict[str, int]:
    """The nearest upline partner of each kind (the team above, the region above)."""
    out: dict[str, int] = {}
    for pid in upline:
        out.setdefault(kinds.get(pid, ""), pid)
    return out
