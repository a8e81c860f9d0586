"""Write ``kb/<version>/impairments/*.yaml`` and ``questions/base.yaml`` from ``impairments.psv``.

Run once: ``python -m jiabao.underwriting._bootstrap.generate 2026.1``. It refuses to overwrite files that
exist, because after bootstrapping the YAML files are the source of truth that underwriters edit.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from jiabao.underwriting._bootstrap.base_questions import STATIC_QUESTIONS, disclosure_question
from jiabao.underwriting._bootstrap.special import ARCHETYPES

HERE = Path(__file__).resolve().parent
KB = HERE.parent / "kb"
LINES = ("death", "ci", "medical", "accident", "ltc", "annuity")
_PLAIN = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][^:#,\[\]{}\"'&*!|>%@`]*$")
_RESERVED = {"yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"}


def scalar(value: Any) -> str:
    """A YAML scalar: plain when unambiguous, else JSON-quoted (valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text[-1:].isspace():
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def parse_rows(text: str) -> dict[str, list[dict[str, Any]]]:
    chapters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    category = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            category = line[1:]
            continue
        fields = line.split("|")
        code, icd, zh, en, syn_zh, syn_en, archetype, params = fields[:8]
        group = fields[8] if len(fields) > 8 else ""
        chapters[category].append(
            {
                "code": code,
                "icd10": icd.split(","),
                "zh": zh,
                "en": en,
                "syn_zh": [s for s in syn_zh.split(",") if s],
                "syn_en": [s for s in syn_en.split(",") if s],
                "archetype": archetype,
                "params": dict(kv.split("=", 1) for kv in params.split(",") if kv),
                "group": group,
            }
        )
    return chapters


def build(row: dict[str, Any]) -> dict[str, Any]:
    params = row["params"]
    questions, paths = ARCHETYPES[row["archetype"]](params)
    for override in ("death", "ci", "medical", "accident", "ltc"):
        if override in params:
            for item in paths:
                item[override] = params[override]
    return {"row": row, "questions": questions, "paths": paths}


def emit_impairment(item: dict[str, Any]) -> list[str]:
    row = item["row"]
    out = [
        f"  - code: {row['code']}",
        f"    icd10: {flow(row['icd10'])}",
        f"    name: {flow({'zh': row['zh'], 'en': row['en']})}",
        "    synonyms:",
        f"      zh: {flow(row['syn_zh'])}",
        f"      en: {flow(row['syn_en'])}",
    ]
    if "sex" in row["params"]:
        out.append(f"    sex: {row['params']['sex']}")
    if "supersedes" in row["params"]:
        out.append(f"    supersedes: [{row['params']['supersedes']}]")
    out.append(f"    questions: {flow(item['questions'])}")
    out.append("    paths:")
    for p in item["paths"]:
        out.append(f"      - id: {p['id']}")
        out.append(f"        label: {flow(p['label'])}")
        if p["when"]:
            out.append(f"        when: {flow(p['when'])}")
        out.extend(f"        {line}: {flow(p[line])}" for line in LINES)
    return out


def affected_lines(items: list[dict[str, Any]]) -> list[str]:
    lines = {line for it in items for p in it["paths"] for line in LINES if p[line] != "standard"}
    return [line for line in LINES if line in lines]


def main(version: str) -> None:
    target = KB / version
    chapters = parse_rows((HERE / "impairments.psv").read_text(encoding="utf-8"))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    (target / "impairments").mkdir(parents=True, exist_ok=True)
    for category, rows in chapters.items():
        items = [build(row) for row in rows]
        path = target / "impairments" / f"{category}.yaml"
        if path.exists():
            raise SystemExit(f"{path} exists; edit the YAML instead of regenerating")
        body = [
            f"# Impairments: {category}. Paths are read top-down; the first whose `when` matches applies.",
            f"category: {category}",
            "impairments:",
        ]
        for item in items:
            body.extend(emit_impairment(item))
            group = item["row"]["group"] or category
            if category == "reproductive":
                group = f"reproductive_{item['row']['params'].get('sex', 'female')}"
            groups[(category, group)].append(item)
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
    base = target / "questions" / "base.yaml"
    base.parent.mkdir(parents=True, exist_ok=True)
    if base.exists():
        raise SystemExit(f"{base} exists; edit the YAML instead of regenerating")
    text = [STATIC_QUESTIONS.rstrip()]
    for (_, group), items in groups.items():
        text.extend(disclosure_question(group, items, affected_lines(items), flow))
    base.write_text("\n".join(text) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "2026.1")
