"""Personal names: Chinese (with the middle dot) or Latin script."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiabao.core.validation import ValidationFailed, check_name


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("张三", "张三"),
        ("欧阳娜娜", "欧阳娜娜"),
        (" 张 三 ", "张三"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提 • 艾力", "买买提·艾力"),  # bullet look-alike
        ("买买提・艾力", "买买提·艾力"),  # katakana middle dot, as typed by Japanese IMEs
        ("列夫·尼古拉耶维奇·托尔斯泰", "列夫·尼古拉耶维奇·托尔斯泰"),
        ("𠮷野家", "𠮷野家"),  # CJK Extension B
        ("李〇", "李〇"),
        ("Li Ming", "Li Ming"),
        ("  Li    Ming\t", "Li Ming"),
        ("O'Brien", "O'Brien"),
        ("O’Brien", "O'Brien"),  # typographic apostrophe
        ("Jean-Luc Picard", "Jean-Luc Picard"),
        ("José Álvarez", "José Álvarez"),
        ("Ｌｉ Ｍｉｎｇ", "Li Ming"),  # full-width
        ("Al", "Al"),
    ],
)
def test_valid_names_are_normalised(raw: str, name: str) -> None:
    assert check_name(raw) == name


@pytest.mark.parametrize(
    "raw",
    [
        "·张三",
        "张三·",
        "张··三",
        "张三Li",
        "John_Smith",
        "-John",
        "John--Smith",
        "John Smith.",
        "Иван Петров",  # Cyrillic: passports carry a Latin transliteration
        "山田 たろう",  # kana
        "张三!",
    ],
)
def test_invalid_characters(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name(raw, field="insured_name")
    (error,) = exc.value.errors
    assert (error.field, error.code) == ("insured_name", "name_invalid")


@pytest.mark.parametrize("raw", ["张三1", "John 3rd", "李四２"])
def test_digits_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name(raw)
    assert exc.value.codes == ("name_invalid",)
    assert "数字" in exc.value.errors[0].message_zh


@pytest.mark.parametrize("raw", ["张\x00三", "张\u200b三", "Li\x07Ming", "Li\u202eMing"])
def test_control_characters_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name(raw)
    assert exc.value.codes == ("name_invalid",)
    assert "control characters" in exc.value.errors[0].message_en


@pytest.mark.parametrize("raw", ["张", "A", "张" * 21, "A" * 61])
def test_length(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name(raw)
    assert exc.value.codes == ("name_length",)


def test_length_limits_are_inclusive() -> None:
    assert check_name("张" * 20) == "张" * 20
    assert check_name("A" * 60) == "A" * 60


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_required(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_name(raw)
    assert exc.value.codes == ("required",)


@given(st.text())
def test_any_text_is_accepted_normalised_or_rejected_with_a_name_code(raw: str) -> None:
    try:
        name = check_name(raw)
    except ValidationFailed as exc:
        assert exc.codes[0] in {"required", "name_invalid", "name_length"}
    else:
        assert name == name.strip() and "  " not in name
        assert check_name(name) == name  # normalising is idempotent
