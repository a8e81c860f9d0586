"""Idempotency keys scoped to a household (issue 10, item 4).

A client's ``Idempotency-Key`` is stored as ``h<household>:<sha256(household, key)>``: the same key from the same
household replays the first result, while the same key from another household is simply a different key. So one
household can neither learn that another used a key (no existence oracle) nor block another's request by using
its key first (no denial of service). The stored form fits the 80-character key columns.
"""

from __future__ import annotations

import hashlib


def scoped_key(household_id: int, key: str) -> str:
    digest = hashlib.sha256(f"{household_id}\x00{key}".encode()).hexdigest()[:48]
    return f"h{household_id}:{digest}"
