"""Engine, sessions and the unit of work: one transaction per request or job; services only flush."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

AfterCommit = Callable[[], None]


def make_engine(url: str, *, echo: bool = False, concurrency: int = 20) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and a busy timeout so several workers can share it.

    ``concurrency`` is the number of requests (or jobs) served at once: the pool holds twice as many connections,
    so that one that briefly needs a second connection (an audit entry written apart) never waits for the pool.
    """
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        # Writers queue on SQLite's lock (busy timeout 30 s); enough pooled connections that readers don't also
        # queue behind them when every worker thread is busy.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if ":memory:" not in url:
            kwargs.update(pool_size=concurrency, max_overflow=max(concurrency, 30), pool_timeout=60)
    else:
        kwargs.update(pool_size=concurrency, max_overflow=concurrency, pool_timeout=60, pool_pre_ping=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def after_commit(session: Session, callback: AfterCommit) -> None:
    """Run ``callback`` once the unit of work has committed (dropped on rollback): e.g. outbox delivery."""
    session.info.setdefault("after_commit", []).append(callback)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session, commit once when the block succeeds, roll back when it raises.

    Callbacks registered with :func:`after_commit` run after a successful commit only.
    """
    session = factory()
    try:
        yield session
        session.commit()
        callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    except BaseException:
        session.rollback()
        session.info.pop("after_commit", None)
        raise
    finally:
        session.close()
    for callback in callbacks:
        callback()
