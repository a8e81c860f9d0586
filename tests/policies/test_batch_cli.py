"""``jiabao issue-batch FILE`` (issue 16 item 6): a partner's JSON Lines file issued by the same rules as one at
a time, in household shards on worker processes (PostgreSQL; SQLite runs one process), with one result per line;
a malformed line gets its line number and reason and nothing is written for it."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from jiabao.cli import app as cli
from jiabao.core.auth import Role
from jiabao.policies.issuance.batch_file import household_shards, parse_lines
from jiabao.runtime import Runtime
from tests.factories import cli_environment, make_user
from tests.policies.test_batch_issuance import _batch_item, _households, _one_at_a_time, _snapshot, _specs

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+]+)?(Z|[+-]\d{2}:?\d{2})?$")


def _undated(value: Any) -> Any:
    """The snapshot without its dates: the command line runs on the system clock, the tests on a fixed one."""
    if isinstance(value, dict):
        return {k: _undated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_undated(v) for v in value]
    if isinstance(value, date | datetime) or (isinstance(value, str) and ISO_DATE.match(value)):
        return "<date>"
    if isinstance(value, str):
        return re.sub(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日", "<date>", value)
    return value


def _count(runtime: Runtime, sql: str, **params: Any) -> int:
    with runtime.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


@pytest.fixture
def service_headers(client: TestClient, runtime: Runtime) -> dict[str, str]:
    from tests.api.conftest import token_for

    make_user(runtime, "bulk-service", Role.SERVICE)
    return token_for(client, "bulk-service")


def test_issue_batch_file_on_two_workers_matches_one_at_a_time_and_reports_bad_lines(
    client: TestClient, runtime: Runtime, service_headers: dict[str, str], tmp_path: Path, monkeypatch: Any
) -> None:
    specs = _specs()[:3]
    first = _households(runtime, 1, len(specs))
    second = _households(runtime, 101, len(specs) + 1)
    outcomes = [_one_at_a_time(client, service_headers, h, s) for h, s in zip(first, specs, strict=True)]
    items = [
        _batch_item(client, service_headers, h, s, f"file-{n}", o)
        for n, (h, s, o) in enumerate(zip(second[:3], specs, outcomes, strict=True))
    ]
    fourth = _batch_item(client, service_headers, second[3], specs[1], "file-x", outcomes[1])
    no_account = {k: v for k, v in fourth.items() if k != "account"}
    lines = [
        json.dumps(items[0]),
        "",  # blank: skipped
        '{"key": "broken", "household_id": ',  # line 3: not JSON
        json.dumps(items[1]),
        json.dumps(no_account),  # line 5: no account
        json.dumps(items[2]),
        json.dumps(items[0] | {"household_id": second[3]}),  # line 7: key file-0 used on line 1
    ]
    source = tmp_path / "batch.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    cli_environment(runtime, monkeypatch)
    runner = CliRunner()
    args = ["issue-batch", str(source), "--workers", "2", "--batch-size", "2", "--output", str(out)]
    run = runner.invoke(cli, args)
    assert isinstance(run.exception, SystemExit), run.exception  # ended normally, not on an exception
    assert run.exit_code == 1, run.output  # some lines were not issued
    assert "line 3" in run.output and "line 5" in run.output
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "issued"), (3, "refused"), (4, "issued"), (5, "refused"), (6, "issued"), (7, "refused")]  # fmt: skip
    by_line = {r["line"]: r for r in results}
    assert by_line[3]["error"]["fields"][0]["code"] == "invalid_json"
    assert "Line 3" in by_line[3]["error"]["message_en"]
    assert [(f["field"], f["code"]) for f in by_line[5]["error"]["fields"]] == [("account", "missing")]
    assert by_line[5]["key"] == "file-x"
    assert [f["code"] for f in by_line[7]["error"]["fields"]] == ["duplicate"]
    # Nothing was written for the bad lines (the fourth household only had bad lines).
    assert _count(runtime, "SELECT count(*) FROM applications WHERE household_id = :h", h=second[3]) == 0
    assert _count(runtime, "SELECT count(*) FROM payments WHERE idempotency_key LIKE '%file-x%'") == 0

    # The issued policies are those issued one at a time for the same inputs (dates aside: another clock).
    for outcome, line in zip(outcomes, (1, 4, 6), strict=True):
        batched, single = _snapshot(runtime, by_line[line]["policy_id"]), _snapshot(runtime, outcome["policy_id"])
        for part in single:
            assert _undated(batched[part]) == _undated(single[part]), part

    # The same file again: every issued line is replayed, nothing charged twice.
    payments = _count(runtime, "SELECT count(*) FROM payments")
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    statuses = [json.loads(line)["status"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert statuses == ["replayed", "refused", "replayed", "refused", "replayed", "refused"]
    assert _count(runtime, "SELECT count(*) FROM payments") == payments


def test_all_or_nothing_file_with_a_bad_line_issues_nothing(
    client: TestClient, runtime: Runtime, service_headers: dict[str, str], tmp_path: Path, monkeypatch: Any
) -> None:
    spec = _specs()[1]
    households = _households(runtime, 1, 2)
    one = _one_at_a_time(client, service_headers, households[0], spec)
    good = _batch_item(client, service_headers, households[1], spec, "aon-1", one)
    source = tmp_path / "batch.jsonl"
    source.write_text(json.dumps(good) + "\n" + json.dumps({"key": "aon-2"}) + "\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    cli_environment(runtime, monkeypatch)
    runner = CliRunner()
    run = runner.invoke(cli, ["issue-batch", str(source), "--all-or-nothing", "--output", str(out)])
    assert run.exit_code == 1, run.output
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["status"]) for r in results] == [(1, "rolled_back"), (2, "refused")]
    assert _count(runtime, "SELECT count(*) FROM applications WHERE household_id = :h", h=households[1]) == 0
    # Without the bad line the good item is issued; an unknown sender is refused before anything is read.
    source.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert runner.invoke(cli, ["issue-batch", str(source), "--partner", "nobody"]).exit_code == 2
    run = runner.invoke(cli, ["issue-batch", str(source), "--all-or-nothing", "--output", str(out)])
    assert run.exit_code == 0, run.output
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "issued"


def test_parse_lines_and_household_shards() -> None:
    base = {"household_id": 1, "application": {"product_code": "whole_life", "payment_term": 20,
            "insureds": [{"person_id": 1, "sum_assured": "200000"}]}, "answers": {}, "confirmation": {},
            "account": "6222021234567890128"}  # fmt: skip
    rows = [base | {"key": "a"}, base | {"key": "b", "household_id": 2}, base | {"key": "c"}, base | {"key": "d",
            "household_id": 3}]  # fmt: skip
    good, bad = parse_lines([json.dumps(r) for r in rows] + ["[1, 2]", json.dumps(base | {"key": "bad key"})])
    assert [g.line for g in good] == [1, 2, 3, 4] and not any(b.key for b in bad[:1])
    assert [(b.line, b.error.fields[0]["field"]) for b in bad] == [(5, "(line)"), (6, "key")]
    shards = household_shards(good, 2)
    assert [[p.item.key for p in shard] for shard in shards] == [["a", "c"], ["b", "d"]]
    assert household_shards(good, 1) == [good]
