"""Named exclusive locks across processes, for jobs that must never run twice at once (the monthly commission run of
a month). They never wait: when another holder has the lock, :class:`LockHeld` is raised at once, so the caller can
refuse with a clear reason.

* PostgreSQL: advisory locks, keyed by the first 8 bytes of the name's BLAKE2b digest. :func:`for_transaction` takes
  ``pg_try_advisory_xact_lock`` on the session's connection: the server releases it at commit or rollback, so the
  lock covers everything the transaction writes until it is visible. :func:`held` takes ``pg_try_advisory_lock`` on
  a connection of its own kept for the block (a job spanning several transactions and processes). Either is
  released by the server when the connection drops: a process that dies never leaves a lock behind.
* SQLite: ``flock`` on a file beside the database (``<database>.<name>.lock``), released at the end of the
  transaction (:func:`for_transaction`) or of the block (:func:`held`), and by the kernel when the process dies.
  An in-memory database is seen by one process only: a lock within the process.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session, SessionTransaction

_LOCAL: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


class LockHeld(Exception):
    """Another transaction or process holds the lock."""

    def __init__(self, name: str) -> None:
        super().__init__(f"lock {name!r} is held elsewhere")
        self.name = name


def key(name: str) -> int:
    """The advisory-lock key of a name (a signed 64-bit integer, stable across processes and versions)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _file_lock(database: str | None, name: str) -> Any:
    """Take the SQLite lock without waiting; returns the release function. Raises LockHeld."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        with _LOCAL_GUARD:
            lock = _LOCAL.setdefault(name, threading.Lock())
        if not lock.acquire(blocking=False):
            raise LockHeld(name)
        return lock.release
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    fd = os.open(f"{database}.{safe}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LockHeld(name) from None

    def release() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)  # the open file description: also for children forked meanwhile
        finally:
            os.close(fd)

    return release


def for_transaction(session: Session, name: str) -> None:
    """Hold ``name`` until the session's current transaction ends (commit or rollback). Taking it again in the same
    transaction is a no-op. Raises :class:`LockHeld` when another transaction or process holds it."""
    held_here: set[str] = session.info.setdefault("locks", set())
    if name in held_here:
        return
    connection = session.connection()  # begins the transaction if needed
    if connection.dialect.name == "postgresql":
        if not connection.scalar(select(func.pg_try_advisory_xact_lock(key(name)))):
            raise LockHeld(name)
        root = _root(session)
        held_here.add(name)
        _on_end(session, root, lambda: held_here.discard(name))
        return
    release = _file_lock(connection.engine.url.database, name)
    root = _root(session)
    held_here.add(name)

    def done() -> None:
        held_here.discard(name)
        release()

    _on_end(session, root, done)


def _root(session: Session) -> SessionTransaction:
    transaction = session.get_transaction()
    if transaction is None:  # pragma: no cover - session.connection() began one
        raise RuntimeError("no transaction")
    while transaction.parent is not None:
        transaction = transaction.parent
    return transaction


def _on_end(session: Session, root: SessionTransaction, callback: Any) -> None:
    fired = False

    def ended(_session: Session, transaction: SessionTransaction) -> None:
        nonlocal fired
        if transaction is root and not fired:
            fired = True
            callback()

    event.listen(session, "after_transaction_end", ended)


@contextmanager
def held(engine: Engine, name: str) -> Iterator[None]:
    """Hold ``name`` for the block, across the transactions (and worker processes) it runs. Raises
    :class:`LockHeld` at once when another transaction or process holds it."""
    if engine.dialect.name != "postgresql":
        release = _file_lock(engine.url.database, name)
        try:
            yield
        finally:
            release()
        return
    connection: Connection = engine.connect()
    try:
        got = connection.scalar(select(func.pg_try_advisory_lock(key(name))))
        connection.commit()  # the session-level lock outlives the transaction; don't sit idle in one
        if not got:
            raise LockHeld(name)
        try:
            yield
        finally:
            try:
                connection.scalar(select(func.pg_advisory_unlock(key(name))))
                connection.commit()
            except Exception:  # pragma: no cover - a broken connection: the server dropped the lock with it
                connection.invalidate()
    finally:
        connection.close()
