"""Diagnoses by plain name (issue 11, item 8): customers name the illness as the doctor wrote it (肺炎, 阑尾炎),
never an ICD-10 code; the code the claims engine needs is looked up here.

Names come from the underwriting knowledge base (331 conditions with Chinese names, synonyms and ICD-10 codes)
plus a short list of common acute illnesses that are claimed often but never underwritten (a cold, a sprain).
Only an exact name or synonym is taken as the diagnosis; anything else returns suggestions for the form, so a
guess never becomes a coded diagnosis. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiabao.underwriting.engine import KnowledgeBase, search_impairments
from jiabao.underwriting.engine.search import normalise

COMMON_ACUTE: dict[str, str] = {
    "急性上呼吸道感染": "J06.9",
    "上呼吸道感染": "J06.9",
    "感冒": "J00",
    "急性支气管炎": "J20.9",
    "急性扁桃体炎": "J03.9",
    "急性胃肠炎": "A09",
    "急性肠胃炎": "A09",
    "踝关节扭伤": "S93.4",
    "腰扭伤": "S33.5",
    "胆囊结石": "K80.2",
    "泌尿系感染": "N39.0",
    "龋齿": "K02.9",
    "结膜炎": "H10.9",
    "皮肤裂伤": "T14.1",
}
"""Common acute illnesses and injuries (ICD-10, 国家临床版 2.0 category codes) that the underwriting knowledge
base does not list because they do not affect underwriting."""


@dataclass(frozen=True, slots=True)
class Diagnosis:
    name: str
    icd10: str


def names(kb: KnowledgeBase) -> list[str]:
    """Every name a customer can pick from (for the form's suggestion list), sorted."""
    found = set(COMMON_ACUTE)
    for imp in kb.impairments.values():
        found.add(imp.name.zh)
        found.update(imp.synonyms.zh)
    return sorted(found)


def resolve(kb: KnowledgeBase, text: str) -> Diagnosis | None:
    """The diagnosis for an exact name or synonym (Chinese or English), or None."""
    query = normalise(text)
    if not query:
        return None
    for name, code in COMMON_ACUTE.items():
        if normalise(name) == query:
            return Diagnosis(name, code)
    for hit in search_impairments(kb, text):
        imp = kb.impairments[hit.code]
        exact = {normalise(n) for n in (imp.name.zh, imp.name.en, *imp.synonyms.zh, *imp.synonyms.en)}
        if query in exact:
            return Diagnosis(imp.name.zh, imp.icd10[0])
    return None


def suggestions(kb: KnowledgeBase, text: str, limit: int = 5) -> list[str]:
    """Names close to what was typed (for "did you mean")."""
    query = normalise(text)
    common = [n for n in COMMON_ACUTE if query and (query in normalise(n) or normalise(n) in query)]
    found = common + [h.name_zh for h in search_impairments(kb, text)]
    return list(dict.fromkeys(found))[:limit]
