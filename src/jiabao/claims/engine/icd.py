"""ICD-10 code matching (疾病编码匹配).

Codes are compared without the dot and in upper case (``C50.9`` → ``C509``). A pattern is a code prefix
(``C50`` matches ``C50.9``) or an inclusive range of prefixes (``I20-I25`` matches ``I21.0``): the code's first
characters, as many as the bound has, must lie between the bounds. Letter-then-digits codes of equal length
order correctly as strings, which is all the comparison needs.
"""

from __future__ import annotations

from collections.abc import Iterable


def normalise(code: str) -> str:
    return code.replace(".", "").replace(" ", "").upper()


def matches(code: str, pattern: str) -> bool:
    """True when ``code`` falls under ``pattern`` (a prefix or a ``LOW-HIGH`` range of prefixes)."""
    c = normalise(code)
    if "-" in pattern:
        low, high = (normalise(p) for p in pattern.split("-", 1))
        return low <= c[: len(low)] and c[: len(high)] <= high
    return c.startswith(normalise(pattern))


def matches_any(code: str, patterns: Iterable[str]) -> bool:
    return any(matches(code, p) for p in patterns)
