"""Screening many subjects at once (pure): distinct names are screened once, across processes.

The name part (candidates and name scores) depends only on the name, so each distinct name is screened once,
in chunks spread over a process pool (forked: the index is shared copy-on-write); birth date and nationality then
corroborate per subject in the parent. ``screen_shard`` in ``engine`` is the single-process form of the same."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence

from jiabao.risk.screening.engine import NameCandidates, ScreeningIndex

_INDEX: ScreeningIndex | None = None


def _chunk(names: Sequence[str]) -> list[NameCandidates]:
    assert _INDEX is not None
    return [_INDEX.name_candidates(n) for n in names]


def name_candidates_many(
    index: ScreeningIndex,
    names: Sequence[str],
    *,
    processes: int | None = None,
    chunk_size: int = 4000,
    progress: Callable[[int], None] | None = None,
) -> dict[str, NameCandidates]:
    """Name candidates for every distinct name in ``names`` (dict name → candidates)."""
    global _INDEX
    distinct = list(dict.fromkeys(names))
    chunks = [distinct[i : i + chunk_size] for i in range(0, len(distinct), chunk_size)]
    processes = processes or min(2, os.cpu_count() or 1)
    found: dict[str, NameCandidates] = {}
    if processes <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            for name in chunk:
                found[name] = index.name_candidates(name)
            if progress:
                progress(len(chunk))
        return found
    _INDEX = index
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for chunk, result in zip(chunks, pool.imap(_chunk, chunks), strict=True):
                found.update(zip(chunk, result, strict=True))
                if progress:
                    progress(len(chunk))
    finally:
        _INDEX = None
    return found
