"""Citizen identity number arithmetic, GB 11643-1999 (公民身份号码).

Structure: 6-digit address code (GB/T 2260) + 8-digit birth date YYYYMMDD + 3-digit sequence code (odd = male,
even = female) + 1 check character (ISO 7064 MOD 11-2; 10 is written ``X``). See regulation.md §3.1.
This module is arithmetic only; :mod:`.identity` turns failures into field errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

#: Weight of position i (1-17) is 2^(18-i) mod 11: 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
WEIGHTS: Final[tuple[int, ...]] = tuple(pow(2, 17 - j, 11) for j in range(17))
_CHECK_CHARS: Final = "10X98765432"  # indexed by S mod 11

#: Province-level codes of GB/T 2260 (first two digits of the address code). The address code itself is not
#: checked further: the number is lifelong (ID Card Law art. 3) and counties get renamed or abolished.
#: 83 is *not* a GB/T 2260 code; it appears only in Taiwan residents' residence permits (830000).
PROVINCE_PREFIXES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
        "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
        "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
        "37": "山东省",
        "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
        "46": "海南省",
        "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
        "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
        "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
    }
)  # fmt: skip

#: Address codes of residence permits for Hong Kong, Macau and Taiwan residents (港澳台居民居住证).
RESIDENCE_PERMIT_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {"810000": "香港", "820000": "澳门", "830000": "台湾"}
)

#: Earliest birth date accepted in an identity number.
EARLIEST_BIRTH_DATE: Final = date(1900, 1, 1)


def check_character(body: str) -> str:
    """MOD 11-2 check character of the first 17 digits: (12 - S mod 11) mod 11, with 10 written ``X``."""
    if len(body) != 17 or not body.isascii() or not body.isdigit():
        raise ValueError("the body of an identity number is exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def birth_date_of(digits: str) -> date | None:
    """The date written as YYYYMMDD, or None if it is not a real calendar date."""
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def sex_of_sequence(sequence_digit: str) -> Literal["M", "F"]:
    """Odd sequence digit = male, even (including 0) = female."""
    return "M" if int(sequence_digit) % 2 == 1 else "F"


def upgrade_legacy(number15: str) -> str:
    """Convert a first-generation 15-digit number (YYMMDD, no check character) to 18 characters.

    Inserts "19" before the two-digit year and appends the MOD 11-2 check character (regulation.md §3.1).
    """
    if len(number15) != 15 or not number15.isascii() or not number15.isdigit():
        raise ValueError("a legacy identity number is exactly 15 ASCII digits")
    body = number15[:6] + "19" + number15[6:]
    return body + check_character(body)


def generate_resident_id(*, region_code: str, birth_date: date, sex: Literal["M", "F"], sequence: int) -> str:
    """Build a valid 18-character identity number (for seeding demo data and tests).

    ``sequence`` is an ordinal 0-499 among people of one sex born on one day in one area; the 3-digit sequence
    code is ``2 * sequence + 1`` for men and ``2 * sequence`` for women, so the parity carries the sex.
    ``region_code`` must be 6 digits with a GB/T 2260 province prefix, or a residence-permit code
    (810000/820000/830000).
    """
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise ValueError(f"region_code must be 6 digits, got {region_code!r}")
    if region_code[:2] not in PROVINCE_PREFIXES and region_code not in RESIDENCE_PERMIT_CODES:
        raise ValueError(f"region_code {region_code!r} has no GB/T 2260 province prefix")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValueError("birth_date must not be before 1900-01-01")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not 0 <= sequence <= 499:
        raise ValueError(f"sequence must be 0-499, got {sequence}")
    code = 2 * sequence + (1 if sex == "M" else 0)
    body = f"{region_code}{birth_date:%Y%m%d}{code:03d}"
    return body + check_character(body)
