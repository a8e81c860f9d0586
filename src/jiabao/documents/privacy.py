"""Guards that keep clear personal data out of documents and messages.

Documents and messages take *masked* values only (``jiabao.core.pii.mask_*``). These checks refuse a value
that looks like a clear ID number or a clear mainland mobile number, and scan finished text for the same
patterns before it leaves the renderer.
"""

from __future__ import annotations

import re

# An 18-character resident ID (17 digits and a digit or X check character), not inside a longer number.
# Letters around it do not hide it: "JB11010519800101123X" is refused too.
CLEAR_ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
# A 15-digit first-generation ID, same boundaries.
CLEAR_OLD_ID_RE = re.compile(r"(?<!\d)\d{15}(?!\d)")
# An 11-digit mainland mobile number, optionally with +86 / 86, not inside a longer number.
CLEAR_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")

_PATTERNS = (("ID number", CLEAR_ID_RE), ("ID number", CLEAR_OLD_ID_RE), ("mobile number", CLEAR_MOBILE_RE))


class ClearPersonalDataError(ValueError):
    """A clear ID or phone number reached a renderer that only accepts masked values."""


def find_clear_pii(text: str) -> list[str]:
    """The kinds of clear personal data found in ``text`` (empty when the text is clean)."""
    return [kind for kind, pattern in _PATTERNS if pattern.search(text)]


def ensure_no_clear_pii(text: str, *, where: str) -> str:
    """Return ``text`` unchanged, or raise if it carries a clear ID or mobile number."""
    found = find_clear_pii(text)
    if found:
        raise ClearPersonalDataError(f"{where}: clear {', '.join(sorted(set(found)))} refused; pass masked values")
    return text


def ensure_masked(value: str, *, where: str) -> str:
    """A masked identifier must contain the mask character and no clear ID or phone number."""
    if "*" not in value:
        raise ClearPersonalDataError(f"{where}: value is not masked; use jiabao.core.pii masking")
    return ensure_no_clear_pii(value, where=where)
