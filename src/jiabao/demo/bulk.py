"""Bulk seeding on PostgreSQL (``jiabao seed --bulk``): millions of households with their book in force, through
COPY, resumable chunk by chunk.

- **Chunks.** Chunk k holds ``chunk_size`` households generated from (seed, k) alone, with ids from the chunk's own
  range of every table (``first id + k × stride``), so a chunk is the same rows whoever builds it and whenever.
  Each chunk is one transaction that also records it in ``seed_chunks``; a re-run with the same seed skips the
  recorded chunks and continues — a killed run leaves no partial chunk and no duplicate.
- **Producers.** A pool of worker processes (default 2) builds chunks — the population, AES-GCM encryption and
  blind indexes of every ID number, phone and bank account, the book priced by the quoting engine — while the main
  process streams finished chunks into PostgreSQL with psycopg's ``cursor.copy``.
- **Indexes.** The secondary indexes, unique constraints (but the ID-number blind index, which the load checks
  against) and foreign keys of the loaded tables are dropped before the load — their DDL saved in
  ``seed_dropped_ddl`` in the same transaction — and rebuilt after it, then the tables are analysed and the
  sequences moved past the loaded ids.
- **Ledger.** Each first premium's household-ledger journal and entries (``bulk_book.premium_journal``) are built
  with the payment and sent in the same chunk, by COPY: a chunk's payments and journals commit together. The
  policies sold by the serving partner get their ``partner_attributions`` row when that user is a network partner.
- **ID numbers.** A chunk's generator keeps its own ID numbers distinct; one that another chunk (or an earlier
  seeding) already holds is renumbered in the main process — the next free sequence number of the same area, birth
  date and sex, found against the blind-index unique index — before the chunk is written.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from jiabao.actuarial.tables import load_table_library
from jiabao.core.pii import PiiCipher, mask_id_number, mask_phone
from jiabao.core.validation import generate_resident_id
from jiabao.demo.bulk_book import COLUMNS as BOOK_COLUMNS
from jiabao.demo.bulk_book import (
    BookPricer,
    BookRows,
    Fen,
    IdCursor,
    Insurable,
    Purchase,
    RawJson,
    choose_purchases,
    household_book,
)
from jiabao.demo.population import PopulationGenerator
from jiabao.family.enums import LifeEventKind, Relationship, region_of
from jiabao.family.income import seal_income
from jiabao.family.service import ID_COLUMN, PHONE_COLUMN, account_number
from jiabao.products.catalog import load_catalog
from jiabao.products.service import ProductEngine

Progress = Callable[[int], None]

MAX_MEMBERS = 7
MAX_POLICIES = 16
MAX_INSTALMENTS = 360  # 30 years monthly: the longest schedule the catalog allows
MAX_ENTRIES = 5  # lines of a premium_received journal of one policy (4 for a first premium; 5 with interest)
FAMILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": (
        "id", "name", "sex", "birth_date", "id_type", "id_number_enc", "id_number_bidx", "id_number_masked",
        "phone_enc", "phone_bidx", "phone_masked", "region_code", "occupation", "occupation_class", "annual_income_enc",
        "social_insurance", "retired", "deceased_on", "created_at", "updated_at",
    ),
    "households": ("id", "account_no", "head_person_id", "partner_id", "region", "created_at"),
    "members": (
        "id", "household_id", "person_id", "relationship_to_head", "joined_on", "left_on", "left_reason",
    ),
    "life_events": (
        "id", "household_id", "person_id", "kind", "occurred_on", "note", "recorded_at", "recorded_by",
    ),
}  # fmt: skip
COLUMNS = {**FAMILY_COLUMNS, **BOOK_COLUMNS}
TABLES = tuple(COLUMNS)  # load order (parents first)
KEEP = {"uq_persons_id_number_bidx"}
"""Kept during the load: the unique blind index of the ID number, which the renumbering step reads."""


def strides(chunk_size: int) -> dict[str, int]:
    """Ids each chunk reserves per table (upper bounds: households are dense, the rest may leave gaps)."""
    per_household = {
        "households": 1,
        "persons": MAX_MEMBERS,
        "members": MAX_MEMBERS,
        "life_events": MAX_MEMBERS,
        "applications": MAX_POLICIES,
        "policies": MAX_POLICIES,
        "payments": MAX_POLICIES,
        "return_visits": MAX_POLICIES,
        "application_insureds": MAX_POLICIES * MAX_MEMBERS,
        "policy_insureds": MAX_POLICIES * MAX_MEMBERS,
        "beneficiary_designations": MAX_POLICIES * MAX_MEMBERS,
        "instalments": MAX_POLICIES * MAX_INSTALMENTS,
        "ledger_journals": MAX_POLICIES,
        "ledger_entries": MAX_POLICIES * MAX_ENTRIES,
        "partner_attributions": MAX_POLICIES,
    }
    return {table: chunk_size * n for table, n in per_household.items()}


@dataclass(frozen=True)
class Plan:
    """What every producer needs to build chunk k (picklable)."""

    seed: int
    chunk_size: int
    households: int
    first_ids: dict[str, int]
    now: datetime
    partner_id: int | None
    pii_keys: str
    blind_index_key: str
    tables_dir: str | None
    seller_id: int | None = None
    """The ``partners`` row of the partner user serving every tenth household, when it is a network partner: it
    sold those households' policies (an ``application`` attribution each, as the application flow records it)."""

    def chunk_households(self, k: int) -> int:
        return min(self.chunk_size, self.households - k * self.chunk_size)

    def chunks(self) -> int:
        return -(-self.households // self.chunk_size)


@dataclass
class Chunk:
    k: int
    households: int
    persons: list[tuple[Any, ...]]
    copy: dict[str, bytes]
    policies: int
    rows: int
    priced: int = 0
    cpu: float = 0.0
    """CPU seconds the producer spent building the chunk (``time.process_time``: its own process's, meaningful
    on a shared machine)."""


@dataclass
class Summary:
    households: int = 0
    persons: int = 0
    policies: int = 0
    rows: int = 0
    chunks_done: int = 0
    chunks_skipped: int = 0
    renumbered: int = 0
    stopped: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    producer_cpu: float = 0.0
    """CPU seconds the producers spent building the chunks written in this call."""
    writer_cpu: float = 0.0
    """CPU seconds this (the writing) process spent renumbering, formatting and sending the chunks."""


# --- COPY text format -------------------------------------------------------------------------------------------

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _field(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):  # also Fen
        return str(value)
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, RawJson):
        return value.replace("\\", "\\\\")  # JSON text escapes its own control characters
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\\", "\\\\")
    if isinstance(value, str) and not _SPECIAL.search(value):
        return value
    return str(value).translate(_ESCAPE)


def _text(value: str) -> str:
    return value.translate(_ESCAPE) if _SPECIAL.search(value) else value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\\", "\\\\")


_FORMAT: dict[type, Callable[[Any], str]] = {
    type(None): lambda _: "\\N",
    bool: lambda v: "t" if v else "f",
    int: int.__repr__,
    Fen: int.__repr__,
    str: _text,
    RawJson: lambda v: v.replace("\\", "\\\\"),
    date: date.isoformat,
    datetime: datetime.isoformat,
    bytes: lambda v: "\\\\x" + v.hex(),
    dict: _json,
    list: _json,
}
"""The COPY text of each exact type :func:`_field` meets (one dictionary look-up a value instead of a chain of
``isinstance`` tests); any other type goes through :func:`_field`."""


def copy_text(rows: list[tuple[Any, ...]]) -> bytes:
    """Rows in PostgreSQL's COPY text format."""
    get, fallback = _FORMAT.get, _field
    return "".join("\t".join([(get(type(v)) or fallback)(v) for v in row]) + "\n" for row in rows).encode("utf-8")


# --- producers --------------------------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(plan: Plan) -> None:
    tables = load_table_library(Path(plan.tables_dir) if plan.tables_dir else None)
    _worker["cipher"] = PiiCipher.from_config(plan.pii_keys, plan.blind_index_key)
    _worker["pricer"] = BookPricer(ProductEngine(load_catalog(), tables), plan.now.date())


def _build_in_worker(plan: Plan, k: int) -> Chunk:
    started = time.process_time()
    chunk = build_chunk(plan, k, _worker["cipher"], _worker["pricer"])
    chunk.cpu = time.process_time() - started
    return chunk


def build_chunk(plan: Plan, k: int, cipher: PiiCipher, pricer: BookPricer) -> Chunk:
    """Chunk k: its households, members, persons (encrypted, blind-indexed) and their book in force."""
    count = plan.chunk_households(k)
    now, today = plan.now, plan.now.date()
    step = strides(plan.chunk_size)
    ids = IdCursor({t: plan.first_ids[t] + k * step[t] for t in step})
    generator = PopulationGenerator(seed=plan.seed * 1_000_003 + k, today=today, surname_pool=True)
    rng = random.Random(f"{plan.seed}:{k}:book")
    catalog_codes = sorted(pricer.engine.catalog.products)
    persons: list[tuple[Any, ...]] = []
    family: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    book = BookRows()
    placed: set[str] = set()
    households: list[tuple[int, list[Insurable], list[Purchase], int | None]] = []
    for n in range(count):
        spec = generator.household()
        household_id = ids.take("households")
        members: list[Insurable] = []
        for p in spec.members:
            pid = ids.take("persons")
            persons.append(
                (pid, p.name, p.sex, p.birth_date, "resident_id", cipher.encrypt(ID_COLUMN, p.id_number),
                 cipher.blind_index(ID_COLUMN, p.id_number), mask_id_number(p.id_number),
                 cipher.encrypt(PHONE_COLUMN, p.phone) if p.phone else None,
                 cipher.blind_index(PHONE_COLUMN, p.phone) if p.phone else None,
                 mask_phone(p.phone) if p.phone else None, p.region_code, p.occupation, p.occupation_class,
                 seal_income(cipher, p.annual_income), p.social_insurance, p.retired,
                 None, now, now)
            )  # fmt: skip
            family["members"].append((ids.take("members"), household_id, pid, p.relationship.value, today, None, None))
            if p.relationship is Relationship.CHILD:
                family["life_events"].append(
                    (ids.take("life_events"), household_id, pid, LifeEventKind.BIRTH.value, p.birth_date, None, now,
                     None)
                )  # fmt: skip
            relation = (
                p.relationship.value if p.relationship.value in ("self", "spouse", "child", "parent") else "other"
            )
            members.append(
                Insurable(pid, p.name, p.birth_date, p.sex, relation, p.social_insurance, p.occupation_class)
            )
        partner = plan.partner_id if household_id % 10 == 1 else None
        family["households"].append(
            (household_id, account_number(household_id), members[0].person_id, partner,
             region_of(spec.region_code).value, now)
        )  # fmt: skip
        # every product in force even in a small chunk: each household features, in turn, a product the chunk does
        # not hold yet (one it cannot take, e.g. children's cover in a household without children, comes round again)
        missing = [code for code in catalog_codes if code not in placed]
        featured = missing[n % len(missing)] if missing and n < 6 * len(catalog_codes) else None
        purchases = choose_purchases(pricer.engine.catalog, members, rng, today, featured)
        placed.update(purchase.product for purchase in purchases)
        households.append((household_id, members, purchases, partner))
    # the chunk's new insured lines priced a product at a time, then each household laid out (its own random
    # source: the purchases above are drawn before any layout)
    pricer.trim()
    pricer.prefetch([(members, purchases) for _, members, purchases, _ in households])
    layout = random.Random(f"{plan.seed}:{k}:layout")
    for household_id, members, purchases, partner in households:
        household_book(
            household_id=household_id, members=members, purchases=purchases, pricer=pricer, cipher=cipher, ids=ids,
            rng=layout, now=now,
            channel="partner" if partner else layout.choice(("online", "agent", "agent", "bank")), out=book,
            seller=plan.seller_id if partner else None,
        )  # fmt: skip
    tables = {**family, **book.rows}
    return Chunk(
        k=k,
        households=count,
        persons=persons,
        copy={t: copy_text(rows) for t, rows in tables.items() if rows},
        policies=book.policies,
        rows=len(persons) + sum(len(rows) for rows in tables.values()),
        priced=pricer.calls,
    )


# --- the main process -------------------------------------------------------------------------------------------


def _max_ids(conn: Connection) -> dict[str, int]:
    return {
        t: int(conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")).scalar_one()) + 1  # noqa: S608 - fixed names
        for t in strides(1)
    }


def _start_run(conn: Connection, seed: int, chunk_size: int, now: datetime) -> dict[str, int]:
    row = conn.execute(
        text("SELECT chunk_size, first_ids FROM seed_runs WHERE seed = :s FOR UPDATE"), {"s": seed}
    ).one_or_none()
    if row is not None:
        if row.chunk_size != chunk_size:
            raise ValueError(
                f"seed {seed} was loaded in chunks of {row.chunk_size}; resume with --chunk-size {row.chunk_size}"
            )
        first = row.first_ids if isinstance(row.first_ids, dict) else json.loads(row.first_ids)
        missing = sorted(set(strides(1)) - set(first))
        if missing:
            raise ValueError(
                f"seed {seed} was started by an older loader without {', '.join(missing)}; "
                "finish or reload it with that version, or seed with another --seed"
            )
        return {t: int(v) for t, v in first.items()}
    first = _max_ids(conn)
    conn.execute(
        text("INSERT INTO seed_runs (seed, chunk_size, first_ids, started_at) VALUES (:s, :c, :f, :n)"),
        {"s": seed, "c": chunk_size, "f": json.dumps(first), "n": now},
    )
    return first


def drop_secondary(conn: Connection) -> int:
    """Save and drop the loaded tables' secondary indexes, unique constraints and foreign keys (once per run)."""
    if conn.execute(text("SELECT COUNT(*) FROM seed_dropped_ddl")).scalar_one():
        return 0  # a resumed run: already dropped
    oids = "ARRAY[" + ",".join(f"'{t}'::regclass" for t in TABLES) + "]"
    constraints = conn.execute(
        text(
            "SELECT conname, conrelid::regclass::text AS tbl, contype, pg_get_constraintdef(oid) AS ddl "  # noqa: S608
            f"FROM pg_constraint WHERE conrelid = ANY({oids}) AND contype IN ('f', 'u') ORDER BY conname"
        )
    ).all()
    indexes = conn.execute(
        text(
            "SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS tbl, "  # noqa: S608
            "pg_get_indexdef(i.indexrelid) AS ddl FROM pg_index i "
            f"WHERE i.indrelid = ANY({oids}) AND NOT i.indisprimary "
            "AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) ORDER BY 1"
        )
    ).all()
    saved = [
        (c.conname, c.tbl, 0 if c.contype == "u" else 1, f'ALTER TABLE {c.tbl} ADD CONSTRAINT "{c.conname}" {c.ddl}')
        for c in constraints
        if c.conname not in KEEP
    ]
    saved += [(i.name, i.tbl, 0, i.ddl) for i in indexes if i.name not in KEEP]
    for name, table, position, ddl in saved:
        conn.execute(
            text("INSERT INTO seed_dropped_ddl (name, table_name, position, ddl) VALUES (:n, :t, :p, :d)"),
            {"n": name, "t": table, "p": position, "d": ddl},
        )
    for name, table, position, _ in sorted(saved, key=lambda s: -s[2]):  # foreign keys first
        if position == 1 or name in {c.conname for c in constraints}:
            conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        else:
            conn.execute(text(f'DROP INDEX "{name}"'))
    return len(saved)


def rebuild_secondary(engine: Engine) -> int:
    """Rebuild what :func:`drop_secondary` saved, one statement per transaction (a kill resumes here)."""
    with engine.connect() as conn:
        saved = conn.execute(text("SELECT name, ddl FROM seed_dropped_ddl ORDER BY position, name")).all()
    for name, ddl in saved:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
            conn.execute(text(ddl))
            conn.execute(text("DELETE FROM seed_dropped_ddl WHERE name = :n"), {"n": name})
    return len(saved)


def fix_sequences(conn: Connection) -> None:
    for table in TABLES:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed table names
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def _renumber(conn: Connection, cipher: PiiCipher, persons: list[tuple[Any, ...]]) -> int:
    """Give a person whose ID number is already taken the next free one of the same area, birth date and sex."""
    bidx = [p[6] for p in persons]
    taken = set(
        conn.execute(text("SELECT id_number_bidx FROM persons WHERE id_number_bidx = ANY(:b)"), {"b": bidx}).scalars()
    )
    if not taken:
        return 0
    mine = set(bidx)
    changed = 0
    for i, p in enumerate(persons):
        if p[6] not in taken:
            continue
        for sequence in range(500):
            number = generate_resident_id(region_code=p[11], birth_date=p[3], sex=p[2], sequence=sequence)
            index = cipher.blind_index(ID_COLUMN, number)
            if index in mine or index in taken:
                continue
            if conn.execute(text("SELECT 1 FROM persons WHERE id_number_bidx = :b"), {"b": index}).first():
                taken.add(index)
                continue
            persons[i] = (*p[:5], cipher.encrypt(ID_COLUMN, number), index, mask_id_number(number), *p[8:])
            mine.add(index)
            changed += 1
            break
    return changed


def _write(conn: Connection, plan: Plan, chunk: Chunk, cipher: PiiCipher) -> int:
    renumbered = _renumber(conn, cipher, chunk.persons)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    data = {"persons": copy_text(chunk.persons), **chunk.copy}
    for table in TABLES:
        if table in data:
            with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                copy.write(data[table])
    conn.execute(
        text(
            "INSERT INTO seed_chunks (seed, chunk, households, persons, policies, rows, committed_at) "
            "VALUES (:s, :k, :h, :p, :o, :r, now())"
        ),
        {"s": plan.seed, "k": chunk.k, "h": chunk.households, "p": len(chunk.persons), "o": chunk.policies,
         "r": chunk.rows},
    )  # fmt: skip
    return renumbered


def _produce(plan: Plan, todo: list[int], workers: int, cipher: PiiCipher) -> Iterator[Chunk]:
    """Finished chunks in order; ``workers`` processes build ahead while the caller writes."""
    if workers <= 0:
        _init_worker(plan)
        for k in todo:
            yield _build_in_worker(plan, k)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(plan,)) as pool:
        pending: list[Future[Chunk]] = []
        queue = iter(todo)
        for k in queue:
            pending.append(pool.submit(_build_in_worker, plan, k))
            if len(pending) > workers:
                break
        while pending:
            chunk = pending.pop(0).result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(pool.submit(_build_in_worker, plan, nxt))
            yield chunk


def bulk_seed(
    engine: Engine,
    cipher: PiiCipher,
    *,
    households: int,
    now: datetime,
    pii_keys: str,
    blind_index_key: str,
    tables_dir: str | None,
    seed: int = 20211231,
    chunk_size: int = 2000,
    workers: int = 2,
    partner_id: int | None = None,
    stop_after: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Load ``households`` households (and their book) for ``seed``; continues a run of the same seed.

    ``stop_after`` stops after that many chunks were written in this call, leaving the run unfinished (the
    indexes stay dropped) — what a killed run leaves behind, for the resumption test."""
    if engine.dialect.name != "postgresql":
        raise ValueError("--bulk loads PostgreSQL through COPY; SQLite keeps the ordinary seeder")
    summary = Summary()
    with engine.begin() as conn:
        first = _start_run(conn, seed, chunk_size, now)
        done = set(conn.execute(text("SELECT chunk FROM seed_chunks WHERE seed = :s"), {"s": seed}).scalars())
        drop_secondary(conn)
    plan = Plan(
        seed, chunk_size, households, first, now, partner_id, pii_keys, blind_index_key, tables_dir,
        seller_id=selling_partner(engine, partner_id),
    )  # fmt: skip
    todo = [k for k in range(plan.chunks()) if k not in done]
    summary.chunks_skipped = plan.chunks() - len(todo)
    if progress:
        progress(sum(plan.chunk_households(k) for k in range(plan.chunks()) if k in done))
    for chunk in _produce(plan, todo, workers, cipher):
        started = time.process_time()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL synchronous_commit = off"))
            summary.renumbered += _write(conn, plan, chunk, cipher)
        summary.writer_cpu += time.process_time() - started
        summary.producer_cpu += chunk.cpu
        summary.chunks_done += 1
        summary.households += chunk.households
        summary.persons += len(chunk.persons)
        summary.policies += chunk.policies
        summary.rows += chunk.rows
        if progress:
            progress(chunk.households)
        if stop_after is not None and summary.chunks_done >= stop_after and summary.chunks_done < len(todo):
            summary.stopped = True
            return summary
    finish(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE seed_runs SET finished_at = now() WHERE seed = :s"), {"s": seed})
    return summary


def selling_partner(engine: Engine, partner_user_id: int | None) -> int | None:
    """The network partner (``partners`` row) of the serving partner user, if it is one."""
    if partner_user_id is None:
        return None
    with engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM partners WHERE user_id = :u"), {"u": partner_user_id}).scalar()
    return int(found) if found is not None else None


def finish(engine: Engine) -> None:
    """Rebuild the dropped indexes and constraints, move the sequences past the loaded ids, analyse."""
    rebuild_secondary(engine)
    with engine.begin() as conn:
        fix_sequences(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in TABLES:
            conn.execute(text(f"ANALYZE {table}"))


def default_workers() -> int:
    return max(1, min(2, (os.cpu_count() or 1)))


__all__ = ["Summary", "bulk_seed", "copy_text", "strides"]
