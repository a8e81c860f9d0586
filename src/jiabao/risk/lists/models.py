"""Watch lists (名单): sanctions, PEP, internal and industry-shared lists, versioned.

Every load is a new version; the previous versions and their entries are kept, and the changes (added, changed,
removed entries) are recorded. Entry details are stored encrypted (internal lists hold personal data), with the
primary name in clear only for public lists (sanctions, PEP) and masked otherwise."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class WatchList(Base):
    __tablename__ = "watch_lists"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    """sanctions | pep | internal | industry"""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WatchListVersion(Base):
    __tablename__ = "watch_list_versions"
    __table_args__ = (UniqueConstraint("list_id", "version_no", name="uq_watch_list_versions_list_version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    list_id: Mapped[int] = mapped_column(IdType, ForeignKey("watch_lists.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    """The file names loaded, and their SHA-256 digests."""
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    loaded_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    entry_count: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean)
    token: Mapped[str] = mapped_column(String(32))
    """Random per load: caches of the screening index are keyed on it (ids repeat across databases)."""


class WatchListEntry(Base):
    __tablename__ = "watch_list_entries"
    __table_args__ = (UniqueConstraint("version_id", "entry_id", name="uq_watch_list_entries_version_entry"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("watch_list_versions.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(40))
    """The list's own identifier (the OFAC ``ent_num``)."""
    kind: Mapped[str] = mapped_column(String(20))
    primary_name: Mapped[str] = mapped_column(String(400))
    content_hash: Mapped[str] = mapped_column(String(64))
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)


class WatchListChange(Base):
    __tablename__ = "watch_list_changes"
    __table_args__ = (Index("ix_watch_list_changes_version", "version_id", "change"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("watch_list_versions.id"))
    entry_id: Mapped[str] = mapped_column(String(40))
    change: Mapped[str] = mapped_column(String(10))
    """added | changed | removed"""
