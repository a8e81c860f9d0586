"""Progress of a resumable bulk load (``jiabao seed --bulk``): one row per run (its chunk size and the first id of
every table, so a re-run lays out the same ids), one per committed chunk (written in the chunk's own transaction, so
a chunk is either complete and recorded or absent), and the DDL of the secondary indexes and constraints dropped
for the load (rebuilt, then deleted, at the end — a killed run rebuilds them when it is resumed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, UtcDateTime


class SeedRun(Base):
    __tablename__ = "seed_runs"

    seed: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    chunk_size: Mapped[int] = mapped_column(Integer)
    first_ids: Mapped[dict[str, Any]] = mapped_column(JSON)
    """{table: first id of chunk 0}; chunk k of table t uses ids first + k × stride(t) onwards."""
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class SeedChunk(Base):
    __tablename__ = "seed_chunks"

    seed: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    households: Mapped[int] = mapped_column(Integer)
    persons: Mapped[int] = mapped_column(Integer)
    policies: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    committed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SeedDroppedDdl(Base):
    __tablename__ = "seed_dropped_ddl"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    """Rebuild order: indexes and unique constraints (0) before foreign keys (1)."""
    ddl: Mapped[str] = mapped_column(Text)
