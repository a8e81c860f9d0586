"""Base questions of version 2026.1: measurements, lifestyle, and one specific disclosure list per body system.

Every disclosure question names each condition it asks about (no catch-all "any other illness" question:
NFRA Sales Conduct Measures 2023 art. 27; SPC Interpretation II art. 6).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

STATIC_QUESTIONS = (Path(__file__).resolve().parent / "static_questions.yaml").read_text(encoding="utf-8")

GROUPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "cardiovascular": ("心脏及血管疾病", "heart and blood-vessel conditions", {}),
    "neurological": ("脑血管及神经系统疾病", "cerebrovascular and neurological conditions", {}),
    "endocrine": ("内分泌及代谢疾病", "endocrine and metabolic conditions", {}),
    "respiratory": ("呼吸系统及鼻咽部疾病", "respiratory, nose and throat conditions", {}),
    "digestive": ("肝胆及消化系统疾病", "liver, gallbladder and digestive conditions", {}),
    "renal": ("肾脏及泌尿系统疾病", "kidney and urinary conditions", {}),
    "mental": ("精神、心理及行为问题", "mental-health and behavioural conditions", {}),
    "musculoskeletal": ("骨骼、关节及脊柱疾病", "bone, joint and spine conditions", {}),
    "tumour": ("肿瘤、结节、囊肿及息肉", "tumours, nodules, cysts and polyps", {}),
    "blood": ("血液疾病", "blood conditions", {}),
    "immune": ("免疫系统疾病", "immune-system conditions", {}),
    "eye_ear": ("眼部及耳部疾病", "eye and ear conditions", {}),
    "skin": ("皮肤疾病", "skin conditions", {}),
    "infectious": ("传染病及慢性感染", "infectious diseases and chronic infections", {}),
    "reproductive_female": ("妇科疾病", "gynaecological conditions", {"sex": "female", "min_age": 12}),
    "reproductive_male": ("男性生殖系统疾病", "male reproductive conditions", {"sex": "male", "min_age": 12}),
    "pregnancy": ("妊娠相关情况", "pregnancy-related conditions", {"sex": "female", "min_age": 16, "max_age": 55}),
    "congenital": ("先天性疾病及儿童期疾病", "congenital and childhood conditions", {}),
    "infant": ("新生儿期情况", "newborn conditions", {"max_age": 3}),
}


def disclosure_question(
    group: str, items: list[dict[str, Any]], lines: list[str], flow: Callable[[Any], str]
) -> list[str]:
    """One base question that names every condition of the group."""
    zh_cat, en_cat, filters = GROUPS[group]
    names_zh = "、".join(it["row"]["zh"] for it in items)
    names_en = "; ".join(it["row"]["en"] for it in items)
    text = {
        "zh": f"被保险人是否曾被医生诊断患有以下{zh_cat}，或目前正因此接受治疗或定期复查："
        f"{names_zh}？请勾选所有符合的项目",
        "en": f"Has a doctor ever diagnosed the insured person with any of these {en_cat}, or are they being "
        f"treated or monitored for one: {names_en}? Tick every one that applies",
    }
    out = [
        f"  - id: disclose_{group}",
        "    text:",
        f"      zh: {flow(text['zh'])}",
        f"      en: {flow(text['en'])}",
        "    type: impairments",
        "    fact: disclosures",
        f"    lines: {flow(lines)}",
    ]
    out.extend(f"    {key}: {value}" for key, value in filters.items())
    out.append(f"    covers: {flow([it['row']['code'] for it in items])}")
    return out
