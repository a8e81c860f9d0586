"""The name-screening engine (pure): an index over list entries, candidate blocking, scoring and corroboration.

How a subject is screened (``docs/risk.md`` explains the figures):

1. Its name becomes token forms (``names.name_forms``: pinyin / Wade-Giles / Cantonese for Han names, transliteration
   for other scripts).
2. **Token look-up.** Each token finds the list tokens within about one edit of its spelling skeleton through a
   deletion-neighbourhood index (``names.deletion_keys``); each pair gets a similarity from ``rapidfuzz`` (OSA,
   best of the plain spelling and the skeleton). Computed once per distinct token.
3. **Blocking.** Only list names that contain a token similar to one of the subject's *rarest* tokens are candidates
   (enough of them that a candidate that could reach the floor score cannot be missed).
4. **Name score** = best one-to-one token assignment, summed, over the longer name's token count: order does not
   matter, a missing or extra token costs.
5. **Corroboration** raises or lowers it: birth date, nationality, identity number, each with its reason.
6. **Decision**: ``hit`` when the name is close *and* an identifier corroborates it; ``review`` above the review
   score (a person decides); otherwise ``pass``.

``screen_shard(entries, subjects)`` is the whole thing as one pure function, for batch executors.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Literal

from rapidfuzz.distance import OSA

from jiabao.risk.screening.names import consonants, deletion_keys, is_abjad, list_name_forms, name_forms, skeleton

ENGINE_VERSION = "name-screening/2026.12-1"
Decision = Literal["pass", "review", "hit"]
SCREENED_KINDS = frozenset({"individual", "entity"})
"""Vessels and aircraft are not screened against names of persons and organisations."""


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed party as the engine sees it (the database keeps more)."""

    list_code: str
    entry_id: str
    kind: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    nationalities: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    id_numbers: tuple[str, ...] = ()  # upper-case letters and digits only
    version: str = ""
    """The entry's content hash (a reviewer's clearance holds while it is unchanged)."""


@dataclass(frozen=True, slots=True)
class Subject:
    """A person (or organisation) to screen."""

    ref: str
    name: str
    birth_date: date | None = None
    nationality: str | None = None
    id_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    list_code: str
    entry_id: str
    matched_name: str
    name_score: float
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Result:
    ref: str
    decision: Decision
    matches: tuple[Match, ...] = ()

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class Thresholds:
    review: float = 0.80
    """Final score from which a person reviews the match."""
    hit: float = 1.00
    """Final score from which the match is a hit, if also ``hit_name`` and corroborated by an identifier."""
    hit_name: float = 0.90
    token: float = 0.75
    """Least similarity for two tokens to count as the same token."""
    floor: float = 0.60
    """Least name score kept as a candidate (the corroboration can add at most ``0.13`` without an ID number)."""
    keep: int = 5
    """Matches kept per subject."""


DEFAULT_THRESHOLDS = Thresholds()

# Corroboration weights (reason code → adjustment).
ADJUST: dict[str, float] = {
    "birth_date_match": 0.10,
    "birth_month_match": 0.07,
    "birth_year_match": 0.05,
    "birth_date_close": -0.05,
    "birth_date_differs": -0.25,
    "nationality_match": 0.03,
    "nationality_differs": -0.05,
    "id_number_match": 0.50,
    "id_number_differs": -0.30,
}
CORROBORATING = frozenset({"birth_date_match", "birth_month_match", "birth_year_match", "id_number_match"})


def normalise_id(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _token_similarity(a: str, b: str) -> float:
    return max(OSA.normalized_similarity(a, b), OSA.normalized_similarity(skeleton(a), skeleton(b)))


@dataclass(slots=True)
class _TokenVocab:
    tokens: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    postings: list[list[int]] = field(default_factory=list)
    keys: dict[str, list[int]] = field(default_factory=dict)
    consonant_keys: dict[str, list[int]] = field(default_factory=dict)
    plain_keys: dict[str, list[int]] = field(default_factory=dict)

    def add(self, token: str, name_idx: int) -> int:
        tid = self.ids.get(token)
        if tid is None:
            tid = len(self.tokens)
            self.ids[token] = tid
            self.tokens.append(token)
            self.postings.append([])
            for key in deletion_keys(skeleton(token)):
                self.keys.setdefault(key, []).append(tid)
            for key in deletion_keys(token):
                self.plain_keys.setdefault(key, []).append(tid)
            cons = consonants(token)
            if cons:
                for key in deletion_keys(cons):
                    self.consonant_keys.setdefault(key, []).append(tid)
        postings = self.postings[tid]
        if not postings or postings[-1] != name_idx:
            postings.append(name_idx)
        return tid


NameCandidates = list[tuple[int, int, float]]
"""(entry index, name index, name score), best first."""


class ScreeningIndex:
    """Everything needed to screen against a set of list entries, built once (about a second for the OFAC list)."""

    def __init__(self, entries: Iterable[ListEntry], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.thresholds = thresholds
        self.entries: list[ListEntry] = [e for e in entries if e.kind in SCREENED_KINDS]
        self.name_entry: list[int] = []
        self.name_text: list[str] = []
        self.name_tokens: list[tuple[int, ...]] = []
        self.vocab = _TokenVocab()
        self.by_id_number: dict[str, list[int]] = {}
        self._similar: dict[tuple[str, bool], dict[int, float]] = {}
        self._reached: dict[tuple[str, bool], frozenset[int]] = {}
        for entry_idx, entry in enumerate(self.entries):
            seen: set[tuple[str, ...]] = set()
            for name in entry.names:
                for form in list_name_forms(name):
                    if form in seen:
                        continue
                    seen.add(form)
                    name_idx = len(self.name_text)
                    self.name_entry.append(entry_idx)
                    self.name_text.append(name)
                    self.name_tokens.append(tuple(self.vocab.add(t, name_idx) for t in form))
            for number in entry.id_numbers:
                key = normalise_id(number)
                if len(key) >= 5:
                    self.by_id_number.setdefault(key, []).append(entry_idx)

    def __len__(self) -> int:
        return len(self.entries)

    # -- tokens -------------------------------------------------------------------------------------------------
    def similar(self, token: str, abjad: bool = False) -> dict[int, float]:
        """List tokens similar to ``token`` (token id → similarity ≥ the token threshold). Cached."""
        cache_key = (token, abjad)
        found = self._similar.get(cache_key)
        if found is not None:
            return found
        vocab, limit = self.vocab, self.thresholds.token
        result: dict[int, float] = {}
        exact = vocab.ids.get(token)
        if exact is not None:
            result[exact] = 1.0
        if abjad:
            cons = consonants(token)
            keys, index = (deletion_keys(cons), vocab.consonant_keys) if cons else (set(), vocab.consonant_keys)
        else:
            keys, index = deletion_keys(skeleton(token)), vocab.keys
        skel = skeleton(token)
        lookups = [(key, index) for key in keys]
        if not abjad:
            lookups += [(key, vocab.plain_keys) for key in deletion_keys(token)]
        for key, where in lookups:
            for tid in where.get(key, ()):
                if tid in result:
                    continue
                other = vocab.tokens[tid]
                if abjad:
                    # Unwritten vowels: compare consonant skeletons, and never call it an exact match.
                    sim = 0.95 * OSA.normalized_similarity(consonants(token), consonants(other))
                elif max(len(token), len(other)) <= 3:
                    sim = 0.95 if skel == skeleton(other) else 0.0  # short syllables: a letter is a new name
                else:
                    sim = _token_similarity(token, other)
                if sim >= limit:
                    result[tid] = sim
        self._similar[cache_key] = result
        return result

    def _reach(self, token: str, abjad: bool) -> frozenset[int]:
        """The list names containing a token similar to ``token`` (cached)."""
        key = (token, abjad)
        found = self._reached.get(key)
        if found is None:
            postings = self.vocab.postings
            similar = self.similar(token, abjad)
            found = self._reached[key] = frozenset().union(*(postings[t] for t in similar))
        return found

    # -- names --------------------------------------------------------------------------------------------------
    def _score(self, sims: list[dict[int, float]], name_tokens: tuple[int, ...]) -> float:
        pairs = [(v, i, j) for i, s in enumerate(sims) for j, t in enumerate(name_tokens) if (v := s.get(t))]
        if not pairs:
            return 0.0
        pairs.sort(reverse=True)
        used_i: set[int] = set()
        used_j: set[int] = set()
        total = 0.0
        for v, i, j in pairs:
            if i in used_i or j in used_j:
                continue
            used_i.add(i)
            used_j.add(j)
            total += v
        return total / max(len(sims), len(name_tokens))

    def name_candidates(self, name: str) -> NameCandidates:
        """List names close to ``name`` with their name score (≥ the floor), best per entry, best first."""
        floor = self.thresholds.floor
        abjad = is_abjad(name)
        best: dict[int, tuple[float, int]] = {}
        name_tokens_of = self.name_tokens
        for form in name_forms(name):
            sims = [self.similar(t, abjad) for t in form]
            n = len(sims)
            # How many of the subject's tokens each list name contains (an upper bound of its score).
            reaches = sorted((self._reach(t, abjad) for t in form), key=len)
            need = max(1, math.ceil(floor * n - 1e-9))
            candidates: set[int] | frozenset[int]
            if need >= n:
                candidates = reaches[0].intersection(*reaches[1:])
            elif n <= 6:
                candidates = set()
                for combo in combinations(reaches, need):
                    candidates |= combo[0].intersection(*combo[1:])
            else:
                counts: Counter[int] = Counter()
                for reach in reaches:
                    counts.update(reach)
                candidates = {k for k, c in counts.items() if c >= need}
            for name_idx in candidates:
                name_tokens = name_tokens_of[name_idx]
                if n < len(name_tokens) and sum(name_idx in r for r in reaches) < floor * len(name_tokens) - 1e-9:
                    continue
                score = self._score(sims, name_tokens)
                if score >= floor:
                    entry_idx = self.name_entry[name_idx]
                    previous = best.get(entry_idx)
                    if previous is None or score > previous[0]:
                        best[entry_idx] = (score, name_idx)
        ranked = sorted(((e, ni, s) for e, (s, ni) in best.items()), key=lambda c: -c[2])
        return ranked

    # -- subjects -----------------------------------------------------------------------------------------------
    def decide(self, subject: Subject, candidates: NameCandidates) -> Result:
        """Corroborate the name candidates with the subject's identifiers and decide."""
        th = self.thresholds
        matches: list[tuple[Match, bool]] = []
        by_entry = {e: (ni, s) for e, ni, s in candidates}
        subject_ids = {normalise_id(n) for n in subject.id_numbers if n}
        for number in subject_ids:
            for entry_idx in self.by_id_number.get(number, ()):
                by_entry.setdefault(entry_idx, (-1, 0.0))
        for entry_idx, (name_idx, name_score) in by_entry.items():
            entry = self.entries[entry_idx]
            reasons = ["name_exact" if name_score >= 0.999 else "name_similar"] if name_idx >= 0 else []
            reasons += corroborate(subject, entry, subject_ids)
            score = name_score + sum(ADJUST.get(r, 0.0) for r in reasons)
            if "id_number_match" in reasons:
                score = max(score, th.hit)  # the same identity number is a hit whatever the name
            corroborated = any(r in CORROBORATING for r in reasons)
            matched_name = self.name_text[name_idx] if name_idx >= 0 else entry.names[0] if entry.names else ""
            match = Match(entry.list_code, entry.entry_id, matched_name, round(name_score, 4), round(score, 4),
                          tuple(reasons))  # fmt: skip
            is_hit = score >= th.hit and corroborated and (name_score >= th.hit_name or "id_number_match" in reasons)
            matches.append((match, is_hit))
        matches.sort(key=lambda m: (-int(m[1]), -m[0].score))
        kept = tuple(m for m, _ in matches if m.score >= th.review)[: th.keep]
        if not kept:
            return Result(subject.ref, "pass")
        decision: Decision = "hit" if matches[0][1] else "review"
        return Result(subject.ref, decision, kept)

    def screen(self, subjects: Iterable[Subject]) -> list[Result]:
        cache: dict[str, NameCandidates] = {}
        results = []
        for subject in subjects:
            found = cache.get(subject.name)
            if found is None:
                found = cache[subject.name] = self.name_candidates(subject.name)
            results.append(self.decide(subject, found))
        return results


def corroborate(subject: Subject, entry: ListEntry, subject_ids: set[str] | None = None) -> list[str]:
    """Reasons from birth date, nationality and identity numbers (each raises or lowers the score)."""
    reasons: list[str] = []
    dob = _birth_date_reason(subject.birth_date, entry.birth_dates)
    if dob:
        reasons.append(dob)
    if subject.nationality and entry.nationalities:
        same = subject.nationality.upper() in entry.nationalities
        reasons.append("nationality_match" if same else "nationality_differs")
    ids = subject_ids if subject_ids is not None else {normalise_id(n) for n in subject.id_numbers if n}
    if ids and entry.id_numbers:
        listed = {normalise_id(n) for n in entry.id_numbers}
        if ids & listed:
            reasons.append("id_number_match")
        elif any(len(a) == 18 and len(b) == 18 for a in ids for b in listed):
            reasons.append("id_number_differs")  # both carry a PRC resident ID number, and they differ
    return reasons


def _birth_date_reason(birth: date | None, listed: Sequence[str]) -> str | None:
    if birth is None or not listed:
        return None
    iso = birth.isoformat()
    close = False
    best: str | None = None
    for value in listed:
        if len(value) == 10:
            if value == iso:
                return "birth_date_match"
            close = close or abs(int(value[:4]) - birth.year) <= 1
        elif len(value) == 7:
            if iso.startswith(value):
                best = "birth_month_match"
            close = close or abs(int(value[:4]) - birth.year) <= 1
        elif len(value) == 4 and value.isdigit():
            if int(value) == birth.year and best is None:
                best = "birth_year_match"
            close = close or abs(int(value) - birth.year) <= 1
    if best:
        return best
    return "birth_date_close" if close else "birth_date_differs"


def screen_shard(entries: Sequence[ListEntry], subjects: Sequence[Subject]) -> list[Result]:
    """Screen ``subjects`` against ``entries``: one pure function, so a batch executor can run shards anywhere."""
    return ScreeningIndex(entries).screen(subjects)
