"""Personal names (姓名): Chinese names in CJK characters, or Latin-script names.

* Chinese: 2-20 CJK ideographs; the middle dot ``·`` separates parts of minority and transliterated foreign
  names (e.g. 买买提·艾力). Look-alike dots (•, ・, ‧, ∙, ⋅) are normalised to U+00B7 and spaces are dropped.
* Latin: 2-60 characters of Latin letters (accents allowed), single spaces, hyphens and apostrophes, starting
  and ending with a letter (e.g. O'Brien, Jean-Luc Picard).
Digits, control characters and mixed scripts are rejected.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .errors import FieldError, ValidationFailed, required

MIDDLE_DOT: Final = "\u00b7"
_DOT_LOOKALIKES: Final = str.maketrans(dict.fromkeys("\u2022\u30fb\uff65\u2027\u2219\u22c5", MIDDLE_DOT))
_APOSTROPHES: Final = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc", "'"))
_WHITESPACE: Final = re.compile(r"\s+")
# CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B-I (planes 2 and 3), and 〇.
_CJK: Final = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U0002ebf0-\U0002ee5f\U00030000-\U000323af"
)
_CHINESE_NAME: Final = re.compile(f"[{_CJK}]+(?:{MIDDLE_DOT}[{_CJK}]+)*")
_LATIN_NAME: Final = re.compile(r"[^\W\d_]+(?:[ '\-][^\W\d_]+)*")


def check_name(raw: str, *, field: str = "name") -> str:
    """Normalise and validate a name; return the normalised form.

    Raises ``required``, ``name_invalid`` (characters) or ``name_length``.
    """
    text = unicodedata.normalize("NFKC", raw).translate(_DOT_LOOKALIKES).translate(_APOSTROPHES)
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in " \t\n\r" for ch in text):
        raise ValidationFailed([_invalid(field, "不能包含控制字符", "must not contain control characters")])
    text = _WHITESPACE.sub(" ", text).strip()
    if not text:
        raise ValidationFailed([required(field, "姓名", "Name")])
    if any(ch.isdigit() for ch in text):
        raise ValidationFailed([_invalid(field, "不能包含数字", "must not contain digits")])
    compact = text.replace(" ", "")  # "张 三" and "买买提 · 艾力" are Chinese names typed with spaces
    if _CHINESE_NAME.fullmatch(compact):
        _check_length(field, compact, 2, 20)
        return compact
    if _LATIN_NAME.fullmatch(text) and all(_is_latin(ch) for ch in text if ch.isalpha()):
        _check_length(field, text, 2, 60)
        return text
    raise ValidationFailed(
        [
            _invalid(
                field,
                "只能使用汉字（少数民族或外国人姓名可用间隔号“·”分隔），或拉丁字母、空格、连字符和撇号",
                "may use Chinese characters (with the middle dot '·' between name parts) "
                "or Latin letters, spaces, hyphens and apostrophes",
            )
        ]
    )


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN ")


def _check_length(field: str, name: str, low: int, high: int) -> None:
    if not low <= len(name) <= high:
        raise ValidationFailed(
            [
                FieldError(
                    field,
                    "name_length",
                    f"姓名长度应为{low}至{high}个字符，当前为{len(name)}个",
                    f"A name must be {low} to {high} characters long; this one has {len(name)}",
                )
            ]
        )


def _invalid(field: str, why_zh: str, why_en: str) -> FieldError:
    return FieldError(field, "name_invalid", f"姓名{why_zh}", f"The name {why_en}")
