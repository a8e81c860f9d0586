"""The report files (报送文件), pure: one CSV file per report, in the format documented in ``docs/risk.md``.

A file is UTF-8 (no byte-order mark), comma-separated, ``\\r\\n`` line ends, quoted where needed (RFC 4180).
Line 1 is the file header: ``#JBAML``, the format version, the kind (``LVTR`` large-value, ``STR`` suspicious),
the report number, the reporting institution, the generation date and the number of records. Line 2 names the
columns; one record a line follows. The columns are fixed per kind (``LVTR_COLUMNS``, ``STR_COLUMNS``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

FORMAT_VERSION = "1.0"
INSTITUTION = "JIABAO-LIFE"

LVTR_COLUMNS = (
    "record_no",
    "case_no",
    "rule",
    "trade_date",
    "direction",
    "total_cny",
    "txn_count",
    "customer_name",
    "id_type",
    "id_number",
    "party",
    "policy_nos",
    "due_on",
)
STR_COLUMNS = (
    "record_no",
    "case_no",
    "rule",
    "detected_on",
    "confirmed_on",
    "amount_cny",
    "customer_name",
    "id_type",
    "id_number",
    "policy_nos",
    "analysis",
    "due_on",
)


@dataclass(frozen=True, slots=True)
class ReportRecord:
    case_no: str
    rule: str
    day: date
    """Trade date (large-value) or detection date (suspicious)."""
    amount: Decimal
    customer_name: str
    id_type: str
    id_number: str
    policy_nos: tuple[str, ...]
    due_on: date
    direction: str = ""
    txn_count: int = 0
    party: str = "natural"
    confirmed_on: date | None = None
    analysis: str = ""


def _clean(text: str) -> str:
    """No control characters in a field (a line break inside a quoted field is legal CSV but not wanted)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def render(kind: str, report_no: str, generated_on: date, records: Sequence[ReportRecord]) -> str:
    if kind not in ("LVTR", "STR"):
        raise ValueError(f"unknown report kind {kind!r}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["#JBAML", FORMAT_VERSION, kind, report_no, INSTITUTION, generated_on.isoformat(), len(records)])
    writer.writerow(LVTR_COLUMNS if kind == "LVTR" else STR_COLUMNS)
    for i, r in enumerate(records, start=1):
        common = [_clean(r.customer_name), r.id_type, r.id_number]
        policies = ";".join(r.policy_nos)
        if kind == "LVTR":
            writer.writerow(
                [i, r.case_no, r.rule, r.day.isoformat(), r.direction, f"{r.amount:.2f}", r.txn_count, *common,
                 r.party, policies, r.due_on.isoformat()]
            )  # fmt: skip
        else:
            confirmed = r.confirmed_on.isoformat() if r.confirmed_on else ""
            writer.writerow(
                [i, r.case_no, r.rule, r.day.isoformat(), confirmed, f"{r.amount:.2f}", *common, policies,
                 _clean(r.analysis), r.due_on.isoformat()]
            )  # fmt: skip
    return out.getvalue()


def parse(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Read a file back (for tests and for checking a file before it is sent)."""
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    if head[0] != "#JBAML":
        raise ValueError("not a Jiabao AML report file")
    header = {
        "version": head[1],
        "kind": head[2],
        "report_no": head[3],
        "institution": head[4],
        "generated_on": head[5],
        "records": head[6],
    }
    columns = rows[1]
    return header, [dict(zip(columns, r, strict=True)) for r in rows[2:]]
