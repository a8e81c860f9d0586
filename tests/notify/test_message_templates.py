"""Every message kind × channel × language renders: sender line, next action, a person to call, no clear PII."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from jiabao.notify import (
    SENDER_LINE,
    Channel,
    MessageContext,
    MessageKind,
    MissingContext,
    Person,
    SmsTooLong,
    render_message,
    sms_segments,
)
from jiabao.notify.model import REQUIRED_FIELDS

KINDS = list(MessageKind)
ID_18 = re.compile(r"\d{17}[\dXx]")
PHONE_11 = re.compile(r"1[3-9]\d{9}")
AGES = (8, 25, 45, 70)  # a child (through the guardian), and each adult age group


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_channel_and_language_renders(
    make_context: Callable[..., MessageContext],
    make_person: Callable[..., Person],
    kind: MessageKind,
    channel: Channel,
    language: str,
) -> None:
    for age in AGES:
        message = render_message(kind, channel, make_context(make_person(age)), language=language)
        assert (message.kind, message.channel, message.language) == (kind, channel, language)
        assert "400-800-9595" in message.body  # one tap to reach a person
        assert "https://jb.example/s/Ab3d" in message.body  # the next useful action
        assert "{{" not in message.body and "None" not in message.body
        if channel is Channel.SMS:
            assert message.subject is None
            assert message.body.startswith(SENDER_LINE)
            assert message.segments == sms_segments(message.body)
            assert message.segments <= (2 if language == "zh" else 3)
        else:
            assert message.subject and message.segments == 1
            assert message.subject.startswith("【家保】" if language == "zh" else "[Jiabao] ")


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("zh", ("保单概要", "您可享受的服务", "家庭账户")),
        ("en", ("Policy schedule", "Your services", "Your family account")),
    ],
)
def test_emails_carry_schedule_services_and_family_account(
    make_context: Callable[..., MessageContext], language: str, titles: tuple[str, ...]
) -> None:
    for kind in KINDS:
        body = render_message(kind, "email", make_context(), language=language).body
        for title in titles:
            assert title in body
        assert "JB2026000123" in body and "¥500,000.00" in body and "¥8,632.40" in body


def test_schedule_totals_by_frequency(make_context: Callable[..., MessageContext]) -> None:
    zh = render_message("policy_issued", "email", make_context(), language="zh").body
    en = render_message("policy_issued", "email", make_context(), language="en").body
    assert "合计保费：¥8,632.40（年交）、¥180.25（月交）" in zh
    assert "Total premium: ¥8,632.40 (annual), ¥180.25 (monthly)" in en


def test_stage_details_appear(make_context: Callable[..., MessageContext]) -> None:
    paid = render_message("claim_paid", "sms", make_context()).body
    assert "¥8,632.40" in paid and "6222 **** **** 7890" in paid and "CL20260042" in paid
    due = render_message("premium_due_reminder", "sms", make_context(), language="en").body
    assert "11 Dec 2026" in due and "¥8,632.40" in due
    cooling = render_message("cooling_off_reminder", "sms", make_context()).body
    assert "2026年12月11日" in cooling and "10元" in cooling


@pytest.mark.parametrize("kind", [k for k in KINDS if REQUIRED_FIELDS[k]])
def test_missing_context_is_reported(make_context: Callable[..., MessageContext], kind: MessageKind) -> None:
    field = REQUIRED_FIELDS[kind][0]
    with pytest.raises(MissingContext, match=field):
        render_message(kind, "sms", make_context(**{field: None}))


def test_no_clear_personal_data_in_any_output(
    make_context: Callable[..., MessageContext], make_person: Callable[..., Person]
) -> None:
    for kind in KINDS:
        for channel in Channel:
            for language in ("zh", "en"):
                for age in AGES:
                    message = render_message(kind, channel, make_context(make_person(age)), language=language)
                    text = f"{message.subject or ''}\n{message.body}"
                    assert not ID_18.search(text), (kind, channel, language)
                    assert not PHONE_11.search(text), (kind, channel, language)


@pytest.mark.parametrize(
    "overrides",
    [
        {"link": "https://jb.example/s/Ab3d?m=13812345678"},
        {"masked_account": "6222021234567890"},
        {"claim_number": "11010519800101123X"},
        {"hotline": "13812345678"},
    ],
)
def test_clear_values_in_the_context_are_refused(
    make_context: Callable[..., MessageContext], overrides: dict[str, str]
) -> None:
    with pytest.raises(ValueError):
        make_context(**overrides)


def test_a_clear_number_in_a_name_is_refused() -> None:
    with pytest.raises(ValueError):
        Person("张", "13812345678", 30, "M")


def test_an_sms_that_would_be_too_long_is_refused(make_context: Callable[..., MessageContext]) -> None:
    with pytest.raises(SmsTooLong):
        render_message("policy_issued", "sms", make_context(product_name_zh="家保" * 80))


def test_unknown_kind_channel_or_language_is_refused(make_context: Callable[..., MessageContext]) -> None:
    with pytest.raises(ValueError):
        render_message("birthday", "sms", make_context())
    with pytest.raises(ValueError):
        render_message("policy_issued", "fax", make_context())
    with pytest.raises(ValueError):
        render_message("policy_issued", "sms", make_context(), language="fr")


def test_rendering_is_pure(make_context: Callable[..., MessageContext]) -> None:
    first = render_message("grace_period_warning", "email", make_context())
    assert render_message("grace_period_warning", "email", make_context()) == first
