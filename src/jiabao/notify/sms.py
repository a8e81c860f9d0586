"""SMS length: how many segments (条) a text costs.

A text that uses only the GSM 7-bit alphabet fits 160 characters in one SMS and 153 per part when
concatenated. Anything else (every Chinese text, and every text opening with 【家保】) is sent as UCS-2:
70 characters in one SMS, 67 per part when longer — the rule Chinese carriers bill by.
"""

from __future__ import annotations

import math

SENDER_LINE = "【家保】"
UCS2_SINGLE = 70
UCS2_PART = 67
GSM_SINGLE = 160
GSM_PART = 153
MAX_SEGMENTS = 4  # a hard cap; the texts aim at 2 segments in Chinese and 3 in English

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€")  # each costs two septets


class SmsTooLong(ValueError):
    """A rendered SMS would cost more segments than allowed."""


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text)


def sms_length(text: str) -> int:
    """Characters as the network counts them (GSM extension characters count twice)."""
    if is_gsm7(text):
        return sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)  # astral characters take two UCS-2 units


def sms_segments(text: str) -> int:
    """Number of SMS segments: 1 up to 70 (UCS-2) or 160 (GSM-7) characters, then 67 or 153 per part."""
    length = sms_length(text)
    single, part = (GSM_SINGLE, GSM_PART) if is_gsm7(text) else (UCS2_SINGLE, UCS2_PART)
    if length <= single:
        return 1
    return math.ceil(length / part)
