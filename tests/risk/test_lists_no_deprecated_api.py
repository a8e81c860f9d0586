"""The watch-list and screening queries run without SQLAlchemy deprecation warnings (``Result.tuples()`` is
deprecated in SQLAlchemy 2.1: rows are typed tuples already), so an upgrade cannot silently break screening."""

from __future__ import annotations

import warnings

from sqlalchemy.exc import SADeprecationWarning

from jiabao.db.session import unit_of_work
from jiabao.risk.lists import service as lists
from jiabao.risk.lists.formats import ParsedEntry
from jiabao.risk.screening import service as screening
from jiabao.runtime import Runtime
from tests.factories import ctx_for


def test_list_queries_raise_no_deprecation_warning(runtime: Runtime) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", SADeprecationWarning)
        for entries in (
            [ParsedEntry("A", "individual", "王五")],
            [ParsedEntry("A", "individual", "王五", birth_dates=["1970"]), ParsedEntry("B", "individual", "赵六")],
        ):
            with unit_of_work(runtime.sessions) as session:
                summary = lists.import_list(ctx_for(runtime, session), code="internal", name="内部名单",
                                            kind="internal", entries=entries, source="test")  # fmt: skip
        with unit_of_work(runtime.sessions) as session:
            current = lists.current_entries(session, runtime.cipher)
            some = lists.version_entries(session, runtime.cipher, summary.version_id, only=["B"])
            versions = lists.list_versions(session)
            numbers = lists.current_versions(session)
            cleared = screening._clearances(session, 1)
    assert sorted(e.entry_id for e in current) == ["A", "B"] and [e.entry_id for e in some] == ["B"]
    assert [v.version_no for _, v in versions] == [2, 1] and numbers == {"internal": 2} and cleared == set()
