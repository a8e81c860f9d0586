"""SMS segment counting: 70/67 characters for UCS-2 (any Chinese), 160/153 for the GSM 7-bit alphabet."""

from __future__ import annotations

import pytest

from jiabao.notify import sms_segments
from jiabao.notify.sms import is_gsm7, sms_length


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_chinese_segments(length: int, segments: int) -> None:
    assert sms_segments("保" * length) == segments


@pytest.mark.parametrize(("length", "segments"), [(160, 1), (161, 2), (306, 2), (307, 3)])
def test_gsm_segments(length: int, segments: int) -> None:
    assert sms_segments("a" * length) == segments


def test_one_chinese_character_makes_the_whole_text_ucs2() -> None:
    text = "【家保】" + "a" * 66
    assert not is_gsm7(text)
    assert sms_segments(text) == 1
    assert sms_segments(text + "a") == 2


def test_gsm_extension_characters_count_twice() -> None:
    assert sms_length("{}") == 4
    assert sms_segments("€" * 80) == 1
    assert sms_segments("€" * 81) == 2


def test_characters_outside_the_bmp_take_two_units() -> None:
    assert sms_length("𠀀") == 2
    assert sms_segments("𠀀" * 35) == 1
    assert sms_segments("𠀀" * 36) == 2
