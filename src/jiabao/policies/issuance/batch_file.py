"""A partner's batch file (批量投保文件, issue 16 item 6): JSON Lines, one :class:`~.batch.BatchItemIn` per line, read
and checked before anything is written, then split into household shards for the worker processes.

A line that is not valid JSON or not a valid item gets its line number and reason (the fields at fault) and is
never sent to issuance; a blank line is skipped; an item key used on an earlier line is refused on the later one
(as :func:`~.batch.issue_items` refuses a key used twice in one batch). All of a household's items go to the same
shard, in file order, so two items of one family are never issued concurrently by two processes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from jiabao.policies.issuance.batch import BatchItemIn, ItemError


@dataclass(frozen=True)
class ParsedLine:
    line: int
    item: BatchItemIn


@dataclass(frozen=True)
class BadLine:
    line: int
    key: str | None
    error: ItemError


def _invalid(zh: str, en: str, fields: list[dict[str, str]]) -> ItemError:
    return ItemError(code="invalid_input", message_zh=zh, message_en=en, fields=fields)


def _fields(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(part) for part in problem["loc"]) or "(line)",
            "code": problem["type"],
            "message_zh": "格式或取值不正确",
            "message_en": problem["msg"],
        }
        for problem in exc.errors(include_url=False, include_input=False)
    ]


def parse_lines(lines: Iterable[str]) -> tuple[list[ParsedLine], list[BadLine]]:
    """The valid items and the bad lines (line numbers from 1), in file order."""
    good: list[ParsedLine] = []
    bad: list[BadLine] = []
    keys: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            bad.append(BadLine(number, None, _invalid(
                f"第{number}行不是有效的JSON（第{exc.colno}列）",
                f"Line {number} is not valid JSON: {exc.msg} (column {exc.colno})",
                [{"field": "(line)", "code": "invalid_json", "message_zh": "不是有效的JSON", "message_en": exc.msg}],
            )))  # fmt: skip
            continue
        key = value.get("key") if isinstance(value, dict) and isinstance(value.get("key"), str) else None
        try:
            item = BatchItemIn.model_validate(value)
        except ValidationError as exc:
            bad.append(BadLine(number, key, _invalid(
                f"第{number}行的投保内容不完整或有误", f"Line {number} is not a valid batch item", _fields(exc)
            )))  # fmt: skip
            continue
        if item.key in keys:
            bad.append(BadLine(number, item.key, _invalid(
                f"第{number}行的编号{item.key}已在第{keys[item.key]}行使用",
                f"Line {number}: the item key {item.key} is already used on line {keys[item.key]}",
                [{"field": "key", "code": "duplicate", "message_zh": "编号重复", "message_en": "duplicate key"}],
            )))  # fmt: skip
            continue
        keys[item.key] = number
        good.append(ParsedLine(number, item))
    return good, bad


def household_shards(items: list[ParsedLine], shards: int) -> list[list[ParsedLine]]:
    """Split into at most ``shards`` lists of whole households, balanced by item count (largest household first
    into the lightest shard), each in file order; empty shards are dropped."""
    by_household: dict[int, list[ParsedLine]] = {}
    for parsed in items:
        by_household.setdefault(parsed.item.household_id, []).append(parsed)
    out: list[list[ParsedLine]] = [[] for _ in range(max(1, shards))]
    for group in sorted(by_household.values(), key=lambda g: (-len(g), g[0].line)):
        min(out, key=len).extend(group)
    return [sorted(shard, key=lambda p: p.line) for shard in out if shard]
