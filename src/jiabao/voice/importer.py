"""Bulk import of complaints (``jiabao complaints import FILE.csv``), e.g. a regulator's batch.

Header ``ref,received_on,channel,category,region,product_line,household_ref,summary``. Every row is checked
before anything is written: a file with any invalid row is refused whole, naming the row (1 = the first data
row) and the field. A ``ref`` already imported is skipped (re-importing changes nothing)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.db.context import ServiceContext
from jiabao.family.enums import Region
from jiabao.family.models import Household
from jiabao.voice import service
from jiabao.voice.deadlines import time_limit
from jiabao.voice.models import Complaint
from jiabao.voice.routing import Candidate, Routing, route
from jiabao.voice.taxonomy import Category, Channel, ProductLine, Status

HEADER = ("ref", "received_on", "channel", "category", "region", "product_line", "household_ref", "summary")
MAX_ROWS = 100_000
BATCH = 1000


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int
    imported: int
    skipped: int


@dataclass(frozen=True, slots=True)
class _Row:
    ref: str
    received_on: date
    channel: Channel
    category: Category
    region: Region
    product_line: ProductLine
    household_id: int | None
    summary: str


def _problem(row: int, field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(
        f"Row {row}, field {field}: {en}",
        f"第{row}行，字段 {field}：{zh}",
        code="import_refused",
        fields=(FieldProblem(f"row {row}: {field}", "invalid", zh, en),),
        extra={"row": row, "field": field},
    )


def _clean(value: str | None) -> str:
    return (value or "").strip()


def parse(text: str, households: dict[str, int], today: date) -> list[_Row]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip().lstrip("\ufeff") for h in header) != HEADER:
        raise _problem(0, "header", f"表头须为 {','.join(HEADER)}", f"The header must be {','.join(HEADER)}")
    rows: list[_Row] = []
    seen: set[str] = set()
    for n, raw in enumerate(reader, start=1):
        if not any(cell.strip() for cell in raw):
            continue
        if n > MAX_ROWS:
            raise _problem(n, "ref", "行数超过上限", f"More than {MAX_ROWS} rows")
        if len(raw) != len(HEADER):
            raise _problem(n, "row", f"应有{len(HEADER)}列，实有{len(raw)}列", f"Expected {len(HEADER)} columns")
        values = dict(zip(HEADER, (_clean(c) for c in raw), strict=True))
        ref = values["ref"]
        if not ref or len(ref) > 40 or any(not (ch.isalnum() or ch in "-_/.") for ch in ref):
            raise _problem(n, "ref", "编号为空、过长或含非法字符", "Empty, too long or with invalid characters")
        if ref in seen:
            raise _problem(n, "ref", "文件内编号重复", "Duplicate ref in the file")
        seen.add(ref)
        try:
            received = date.fromisoformat(values["received_on"])
        except ValueError:
            raise _problem(n, "received_on", "日期格式应为 YYYY-MM-DD", "Use YYYY-MM-DD") from None
        if received > today or received < today - timedelta(days=366 * 10):
            raise _problem(n, "received_on", "日期不在合理范围", "The date is out of range")
        parsed: dict[str, str] = {}
        for field, enum in (
            ("channel", Channel),
            ("category", Category),
            ("region", Region),
            ("product_line", ProductLine),
        ):
            try:
                parsed[field] = enum(values[field]).value
            except ValueError:
                allowed = ", ".join(e.value for e in enum)
                raise _problem(n, field, f"取值应为：{allowed}", f"Must be one of: {allowed}") from None
        household_id = None
        if values["household_ref"]:
            household_id = households.get(values["household_ref"])
            if household_id is None:
                raise _problem(n, "household_ref", "家庭账户不存在", "No such household account")
        summary = values["summary"]
        if not summary or len(summary) > 2000 or any(ord(ch) < 32 and ch not in "\t" for ch in summary):
            raise _problem(n, "summary", "内容为空、过长或含控制字符", "Empty, too long or with control characters")
        rows.append(
            _Row(
                ref,
                received,
                Channel(parsed["channel"]),
                Category(parsed["category"]),
                Region(parsed["region"]),
                ProductLine(parsed["product_line"]),
                household_id,
                summary,
            )
        )
    return rows


def import_csv(ctx: ServiceContext, text: str) -> ImportResult:
    """Validate the whole file, then add the complaints whose ref is new, routed and on the clock."""
    wanted = sorted(_household_refs(text))
    accounts: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found = ctx.session.execute(select(Household.account_no, Household.id).where(Household.account_no.in_(chunk)))
        accounts.update({str(acc): int(hid) for acc, hid in found.all()})
    rows = parse(text, accounts, ctx.clock.today())
    existing: set[str] = set()
    for start in range(0, len(rows), 500):
        refs = [r.ref for r in rows[start : start + 500]]
        existing |= set(ctx.session.scalars(select(Complaint.ref).where(Complaint.ref.in_(refs))))
    partners = _partners(ctx, {r.household_id for r in rows if r.household_id is not None})
    load = {c.user_id: c for c in service.routing_pool(ctx)}
    fresh = [r for r in rows if r.ref not in existing]
    for start in range(0, len(fresh), BATCH):
        batch: list[tuple[Complaint, Routing]] = []
        for row in fresh[start : start + BATCH]:
            limit = time_limit(row.received_on, [])
            partner_id = partners.get(row.household_id) if row.household_id is not None else None
            routing = route(row.category, list(load.values()), [partner_id])
            if routing.handler_id is not None:
                chosen = load[routing.handler_id]
                load[chosen.user_id] = Candidate(chosen.user_id, chosen.role, chosen.open_cases + 1)
            complaint = Complaint(
                ref=row.ref,
                channel=row.channel.value,
                received_on=row.received_on,
                received_at=ctx.now(),
                complainant_kind="customer",
                household_id=row.household_id,
                policy_ids=[],
                category=row.category.value,
                product_line=row.product_line.value,
                region=row.region.value,
                partner_id=partner_id,
                summary_enc=ctx.cipher.encrypt(service.SUMMARY_COLUMN, row.summary),
                status=(Status.IN_PROGRESS if routing.handler_id is not None else Status.RECEIVED).value,
                team=routing.team,
                handler_id=routing.handler_id,
                recused=list(routing.recused),
                limit_days=limit.limit_days,
                due_on=limit.due,
                created_by=ctx.principal.user_id or None,
                updated_at=ctx.now(),
            )
            batch.append((complaint, routing))
        ctx.session.add_all([c for c, _ in batch])
        ctx.session.flush()
        for complaint, routing in batch:
            service.record_imported(ctx, complaint, routing)
        ctx.session.flush()
    imported = len(fresh)
    ctx.audit("complaint.import", "complaint", None, {"rows": len(rows), "imported": imported})
    return ImportResult(len(rows), imported, len(rows) - imported)


def _partners(ctx: ServiceContext, household_ids: set[int]) -> dict[int, int | None]:
    found: dict[int, int | None] = {}
    ids = sorted(household_ids)
    for start in range(0, len(ids), 500):
        stmt = select(Household.id, Household.partner_id).where(Household.id.in_(ids[start : start + 500]))
        found.update({int(h): p for h, p in ctx.session.execute(stmt).all()})
    return found


def _household_refs(text: str) -> set[str]:
    refs: set[str] = set()
    for row in csv.reader(io.StringIO(text)):
        if len(row) == len(HEADER) and row[6].strip():
            refs.add(row[6].strip())
    return refs
