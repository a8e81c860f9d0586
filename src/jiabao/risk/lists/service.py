"""Loading list versions and reading the current entries (for screening and the list pages)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from jiabao.core.errors import NotFound
from jiabao.core.pii import PiiCipher, mask_name
from jiabao.db.context import ServiceContext
from jiabao.risk.lists.formats import ParsedEntry, invalid
from jiabao.risk.lists.models import WatchList, WatchListChange, WatchListEntry, WatchListVersion
from jiabao.risk.screening.engine import ListEntry

DATA_COLUMN = "watch_list_entries.data"
LIST_KINDS = frozenset({"sanctions", "pep", "internal", "industry"})
PUBLIC_KINDS = frozenset({"sanctions", "pep"})


@dataclass(frozen=True, slots=True)
class LoadSummary:
    list_code: str
    version_no: int
    version_id: int
    entries: int
    added: int
    changed: int
    removed: int


def import_list(
    ctx: ServiceContext, *, code: str, name: str, kind: str, entries: Sequence[ParsedEntry], source: str
) -> LoadSummary:
    """Load ``entries`` as the new current version of list ``code``; the old version stays, changes are recorded."""
    if kind not in LIST_KINDS:
        raise invalid("kind", "名单类型无效", "Unknown list kind")
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum():
        raise invalid("code", "名单代码无效", "List code must be letters, digits, - or _")
    session = ctx.session
    watch_list = session.scalar(select(WatchList).where(WatchList.code == code))
    if watch_list is None:
        watch_list = WatchList(code=code, name=name[:120], kind=kind, created_at=ctx.now())
        session.add(watch_list)
        session.flush()
    previous = session.scalar(
        select(WatchListVersion).where(WatchListVersion.list_id == watch_list.id, WatchListVersion.current)
    )
    old: dict[str, str] = {}
    if previous is not None:
        found = session.execute(
            select(WatchListEntry.entry_id, WatchListEntry.content_hash).where(WatchListEntry.version_id == previous.id)
        )
        old = {entry_id: digest for entry_id, digest in found}
    new = {e.entry_id: e for e in entries}
    hashes = {k: e.content_hash() for k, e in new.items()}
    added = sorted(k for k in new if k not in old)
    changed = sorted(k for k in new if k in old and old[k] != hashes[k])
    removed = sorted(k for k in old if k not in new)
    if previous is not None:
        session.execute(update(WatchListVersion).where(WatchListVersion.id == previous.id).values(current=False))
    version = WatchListVersion(
        list_id=watch_list.id,
        version_no=(previous.version_no + 1) if previous is not None else 1,
        source=source[:300],
        loaded_at=ctx.now(),
        loaded_by=ctx.principal.user_id or None,
        entry_count=len(new),
        added=len(added),
        changed=len(changed),
        removed=len(removed),
        current=True,
        token=uuid.uuid4().hex,
    )
    session.add(version)
    session.flush()
    public = watch_list.kind in PUBLIC_KINDS
    rows = [
        {
            "version_id": version.id,
            "entry_id": e.entry_id,
            "kind": e.kind,
            "primary_name": (e.name if public else mask_name(e.name))[:400],
            "content_hash": hashes[e.entry_id],
            "data_enc": ctx.cipher.encrypt(DATA_COLUMN, json.dumps(e.as_dict(), ensure_ascii=False)),
        }
        for e in new.values()
    ]
    for start in range(0, len(rows), 2000):
        session.execute(insert(WatchListEntry), rows[start : start + 2000])
    changes = [{"version_id": version.id, "entry_id": k, "change": "added"} for k in added]
    changes += [{"version_id": version.id, "entry_id": k, "change": "changed"} for k in changed]
    changes += [{"version_id": version.id, "entry_id": k, "change": "removed"} for k in removed]
    for start in range(0, len(changes), 5000):
        session.execute(insert(WatchListChange), changes[start : start + 5000])
    ctx.audit(
        "watch_list.loaded",
        "watch_list_version",
        version.id,
        {"list": code, "version": version.version_no, "added": len(added), "changed": len(changed),
         "removed": len(removed), "source": source[:300]},
    )  # fmt: skip
    session.flush()
    return LoadSummary(code, version.version_no, version.id, len(new), len(added), len(changed), len(removed))


def _decode(cipher: PiiCipher, blob: bytes) -> ParsedEntry:
    return ParsedEntry.from_dict(json.loads(cipher.decrypt(DATA_COLUMN, blob)))


def current_entries(session: Session, cipher: PiiCipher, codes: Sequence[str] | None = None) -> list[ListEntry]:
    """Every entry of the current version of each list (or of the lists ``codes``), as the engine sees them."""
    stmt = (
        select(WatchList.code, WatchListEntry.data_enc, WatchListEntry.content_hash)
        .join(WatchListVersion, WatchListVersion.list_id == WatchList.id)
        .join(WatchListEntry, WatchListEntry.version_id == WatchListVersion.id)
        .where(WatchListVersion.current)
    )
    if codes:
        stmt = stmt.where(WatchList.code.in_(list(codes)))
    rows = session.execute(stmt)
    return [_decode(cipher, blob).to_engine(code, digest) for code, blob, digest in rows]


def version_entries(
    session: Session, cipher: PiiCipher, version_id: int, only: Sequence[str] | None = None
) -> list[ListEntry]:
    """Entries of one version (optionally only the entry ids ``only``)."""
    row = session.execute(
        select(WatchList.code).join(WatchListVersion).where(WatchListVersion.id == version_id)
    ).first()
    if row is None:
        raise NotFound("名单版本不存在", "No such list version")
    stmt = select(WatchListEntry.entry_id, WatchListEntry.data_enc, WatchListEntry.content_hash).where(
        WatchListEntry.version_id == version_id
    )
    wanted = None if only is None else set(only)  # filtered here: thousands of ids make too long an IN list
    return [
        _decode(cipher, blob).to_engine(row[0], digest)
        for entry_id, blob, digest in session.execute(stmt)
        if wanted is None or entry_id in wanted
    ]


def changed_entry_ids(session: Session, version_id: int) -> list[str]:
    """Entries added or changed by a version (what customers must be re-screened against)."""
    stmt = select(WatchListChange.entry_id).where(
        WatchListChange.version_id == version_id, WatchListChange.change.in_(("added", "changed"))
    )
    return list(session.scalars(stmt))


def entry_detail(session: Session, cipher: PiiCipher, list_code: str, entry_id: str) -> ParsedEntry | None:
    """The current entry ``entry_id`` of list ``list_code``, with everything the list says."""
    stmt = (
        select(WatchListEntry.data_enc)
        .join(WatchListVersion, WatchListEntry.version_id == WatchListVersion.id)
        .join(WatchList, WatchListVersion.list_id == WatchList.id)
        .where(WatchList.code == list_code, WatchListEntry.entry_id == entry_id)
        .order_by(WatchListVersion.version_no.desc())
        .limit(1)
    )
    blob = session.scalar(stmt)
    return None if blob is None else _decode(cipher, blob)


def list_versions(session: Session) -> list[tuple[WatchList, WatchListVersion]]:
    stmt = (
        select(WatchList, WatchListVersion)
        .join(WatchListVersion, WatchListVersion.list_id == WatchList.id)
        .order_by(WatchList.code, WatchListVersion.version_no.desc())
    )
    return [(a, b) for a, b in session.execute(stmt)]


def current_versions(session: Session) -> dict[str, int]:
    stmt = select(WatchList.code, WatchListVersion.version_no).join(WatchListVersion).where(WatchListVersion.current)
    return {code: no for code, no in session.execute(stmt)}


def version_keys(session: Session) -> list[str]:
    """What identifies the current list contents: the random token of each current version."""
    return sorted(session.scalars(select(WatchListVersion.token).where(WatchListVersion.current)))


def version_labels(session: Session) -> list[str]:
    return [f"{code}@{no}" for code, no in sorted(current_versions(session).items())]
