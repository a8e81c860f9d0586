"""Greeting by age group, at the edges 17/18, 35/36, 59/60, in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jiabao.notify import AgeGroup, GuardianRequired, MessageContext, Person, age_group, greeting, render_message


@pytest.mark.parametrize(
    ("age", "group"),
    [(0, AgeGroup.MINOR), (17, AgeGroup.MINOR), (18, AgeGroup.YOUNG_ADULT), (35, AgeGroup.YOUNG_ADULT),
     (36, AgeGroup.MIDDLE_AGED), (59, AgeGroup.MIDDLE_AGED), (60, AgeGroup.SENIOR), (99, AgeGroup.SENIOR)],
)  # fmt: skip
def test_age_groups(age: int, group: AgeGroup) -> None:
    assert age_group(age) is group


@pytest.mark.parametrize(
    ("age", "sex", "zh", "en"),
    [
        (18, "M", "小明，您好！", "Hello Xiaoming,"),
        (35, "F", "小明，您好！", "Hello Xiaoming,"),
        (36, "M", "张先生，您好！", "Hello Mr Zhang,"),
        (59, "F", "张女士，您好！", "Hello Ms Zhang,"),
        (60, "M", "尊敬的张老先生，您好！", "Dear Mr Zhang,"),
        (60, "F", "尊敬的张老太太，您好！", "Dear Mrs Zhang,"),
        (45, None, "张小明，您好！", "Hello Xiaoming Zhang,"),
        (72, None, "尊敬的张小明，您好！", "Dear Xiaoming Zhang,"),
    ],
)
def test_greeting_by_age_group(make_person: Callable[..., Person], age: int, sex: str | None, zh: str, en: str) -> None:
    assert greeting(make_person(age, sex), "zh") == zh
    assert greeting(make_person(age, sex), "en") == en


def test_a_one_character_given_name_gets_the_full_name(make_person: Callable[..., Person]) -> None:
    assert greeting(make_person(25, "M", given="伟"), "zh") == "张伟，您好！"


def test_without_pinyin_the_chinese_name_is_used() -> None:
    assert greeting(Person("欧阳", "娜娜", 40, "F"), "en") == "Hello Ms 欧阳,"
    assert greeting(Person("欧阳", "娜娜", 40, "F"), "zh") == "欧阳女士，您好！"


@pytest.mark.parametrize("age", [17, 18])
def test_a_child_is_addressed_through_the_guardian(
    make_context: Callable[..., MessageContext], make_person: Callable[..., Person], age: int
) -> None:
    zh = render_message("policy_issued", "sms", make_context(make_person(age)), language="zh").body
    en = render_message("policy_issued", "sms", make_context(make_person(age)), language="en").body
    if age == 17:
        assert zh.startswith("【家保】李女士，您好！您孩子小明的")
        assert en.startswith("【家保】Hello Ms Li, your child Xiaoming's")
    else:
        assert zh.startswith("【家保】小明，您好！您的")
        assert en.startswith("【家保】Hello Xiaoming, your")


def test_a_minor_without_an_adult_guardian_is_refused(
    make_context: Callable[..., MessageContext], make_person: Callable[..., Person]
) -> None:
    with pytest.raises(GuardianRequired):
        render_message("policy_issued", "sms", make_context(make_person(10), guardian=None))
    with pytest.raises(GuardianRequired):
        render_message("policy_issued", "sms", make_context(make_person(10), guardian=make_person(16)))
    with pytest.raises(GuardianRequired):
        greeting(make_person(17), "zh")


def test_the_guardian_is_greeted_by_their_own_age_group(
    make_context: Callable[..., MessageContext], make_person: Callable[..., Person]
) -> None:
    grandparent = Person("王", "秀英", 66, "F", "Wang", "Xiuying")
    message = render_message("policy_issued", "email", make_context(make_person(8), guardian=grandparent))
    assert message.body.startswith("尊敬的王老太太，您好！")
    assert "长者服务" in message.body


def test_senior_readers_get_the_senior_service_paragraph(
    make_context: Callable[..., MessageContext], make_person: Callable[..., Person]
) -> None:
    for age, expected in ((59, False), (60, True)):
        zh = render_message("policy_issued", "email", make_context(make_person(age)), language="zh").body
        en = render_message("policy_issued", "email", make_context(make_person(age)), language="en").body
        assert ("长者服务" in zh) is expected
        assert ("Senior service" in en) is expected
