"""Finding an impairment by Chinese or English name, synonym or ICD-10 code (疾病检索).

Names and codes are normalised before comparing (Unicode NFKC, case-folded, without spaces, dots, hyphens
or apostrophes), so ``k76.0``, ``K760`` and ``K76.0`` are the same code: a missing dot silently breaks code
matching in many hospital systems (regulation.md §4).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from jiabao.underwriting.engine.codes import Sex
from jiabao.underwriting.engine.kb import KnowledgeBase

_STRIP = re.compile(r"[\s.\-'’·・_]")
_ICD = re.compile(r"^[a-z][0-9]{2}[0-9a-z]{0,4}$")


def normalise(text: str) -> str:
    """Unicode NFKC, case-folded, without spaces, dots, hyphens and apostrophes."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    name_zh: str
    name_en: str
    category: str
    matched: str  # the name, synonym or ICD-10 code that matched
    score: int


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    term: str
    shown: str
    kind: str  # "name", "synonym" or "icd"


_SCORES = {
    ("icd", "exact"): 100,
    ("name", "exact"): 95,
    ("synonym", "exact"): 90,
    ("icd", "child"): 85,
    ("icd", "prefix"): 80,
    ("name", "prefix"): 70,
    ("synonym", "prefix"): 60,
    ("name", "contains"): 50,
    ("synonym", "contains"): 40,
}
_INDEXES: dict[str, tuple[_Entry, ...]] = {}


def _index(kb: KnowledgeBase) -> tuple[_Entry, ...]:
    cached = _INDEXES.get(kb.digest)
    if cached is None:
        entries: list[_Entry] = []
        for imp in kb.impairments.values():
            entries.extend(_Entry(imp.code, normalise(c), c, "icd") for c in imp.icd10)
            entries.extend(_Entry(imp.code, normalise(n), n, "name") for n in (imp.name.zh, imp.name.en))
            synonyms = (*imp.synonyms.zh, *imp.synonyms.en)
            entries.extend(_Entry(imp.code, normalise(s), s, "synonym") for s in synonyms)
        cached = _INDEXES[kb.digest] = tuple(entries)
    return cached


def _score(entry: _Entry, query: str) -> int:
    if entry.term == query:
        return _SCORES[(entry.kind, "exact")]
    if entry.kind == "icd":
        if not _ICD.match(query):
            return 0
        if query.startswith(entry.term):
            return _SCORES[("icd", "child")]  # E11.9 finds E11
        return _SCORES[("icd", "prefix")] if entry.term.startswith(query) and len(query) >= 3 else 0
    if entry.term.startswith(query):
        return _SCORES[(entry.kind, "prefix")]
    return _SCORES[(entry.kind, "contains")] if query in entry.term else 0


def search_impairments(
    kb: KnowledgeBase, query: str, *, sex: Sex | None = None, limit: int = 10
) -> tuple[SearchHit, ...]:
    """Impairments matching ``query``, best first: exact code or name, then prefixes, then substrings.

    ``sex`` leaves out conditions that only apply to the other sex (e.g. pregnancy for a man).
    """
    wanted = normalise(query)
    if not wanted:
        return ()
    best: dict[str, tuple[int, str]] = {}
    for entry in _index(kb):
        score = _score(entry, wanted)
        if score and score > best.get(entry.code, (0, ""))[0]:
            best[entry.code] = (score, entry.shown)
    hits = []
    for code, (score, shown) in best.items():
        imp = kb.impairments[code]
        if sex is not None and imp.sex is not None and imp.sex is not sex:
            continue
        hits.append(SearchHit(code, imp.name.zh, imp.name.en, kb.categories[code].value, shown, score))
    hits.sort(key=lambda h: (-h.score, h.code))
    return tuple(hits[:limit])
