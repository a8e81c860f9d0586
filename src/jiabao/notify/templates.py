"""SMS and e-mail texts for every stage of a policy's life, in Chinese and English.

``render_message`` is pure: it reads only its arguments and the packaged template files
(``templates/zh.yaml``, ``templates/en.yaml``). It takes masked values only and refuses any output that
still carries a clear ID or mobile number. SMS texts open with the sender line 【家保】 and report their
segment count; e-mails carry the schedule, the services and the family-account idea.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

from jiabao.core.money import format_yuan
from jiabao.documents.labels import check_language, format_date, format_frequency
from jiabao.documents.model import PaymentFrequency
from jiabao.documents.privacy import ensure_no_clear_pii
from jiabao.notify.model import REQUIRED_FIELDS, Channel, Message, MessageContext, MessageKind
from jiabao.notify.salutation import Address, address
from jiabao.notify.sms import MAX_SEGMENTS, SENDER_LINE, SmsTooLong, sms_segments

SUBJECT_PREFIX = {"zh": SENDER_LINE, "en": "[Jiabao] "}


class MissingContext(ValueError):
    """The context lacks a field the message kind needs."""


def _upper_first(value: str) -> str:
    return value[:1].upper() + value[1:]


# Plain-text SMS and e-mail bodies: HTML escaping would corrupt them, so autoescape stays off on purpose.
_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)  # noqa: S701
_ENV.filters["capitalize"] = _upper_first  # keep "Ming" capitalised in "Your child Ming's"


@cache
def _catalogue(language: str) -> dict[str, Any]:
    text = resources.files("jiabao.notify").joinpath("templates", f"{language}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or set(data) != {"kinds", "email"}:
        raise RuntimeError(f"templates/{language}.yaml must have 'kinds' and 'email'")
    missing = {kind.value for kind in MessageKind} - set(data["kinds"])
    if missing:
        raise RuntimeError(f"templates/{language}.yaml lacks {sorted(missing)}")
    return data


@cache
def _template(source: str) -> Template:
    return _ENV.from_string(source)


def _render(source: str, values: dict[str, str]) -> str:
    return _template(source).render(**values).strip()


def render_message(
    kind: MessageKind | str, channel: Channel | str, context: MessageContext, *, language: str = "zh"
) -> Message:
    """Render one message. Raises ``MissingContext``, ``GuardianRequired`` or ``SmsTooLong`` when it cannot."""
    kind, channel, lang = MessageKind(kind), Channel(channel), check_language(language)
    missing = [name for name in REQUIRED_FIELDS[kind] if getattr(context, name) is None]
    if missing:
        raise MissingContext(f"{kind.value} needs {', '.join(missing)}")
    addr = address(context.recipient, context.guardian, lang)
    values = _values(context, addr, lang)
    texts = _catalogue(lang)["kinds"][kind.value]
    if channel is Channel.SMS:
        subject, body = None, SENDER_LINE + _render(texts["sms"], values)
        segments = sms_segments(body)
        if segments > MAX_SEGMENTS:
            raise SmsTooLong(f"{kind.value}/{lang} SMS needs {segments} segments (max {MAX_SEGMENTS})")
    else:
        subject = SUBJECT_PREFIX[lang] + _render(texts["subject"], values)
        body, segments = _email_body(texts, context, addr, values, lang), 1
    ensure_no_clear_pii(f"{subject or ''}\n{body}", where=f"{kind.value} {channel.value}")
    return Message(kind, channel, lang, subject, body, segments)


def _values(ctx: MessageContext, addr: Address, lang: str) -> dict[str, str]:
    return {
        "greeting": addr.greeting,
        "whose": addr.whose,
        "product": ctx.product_name_zh if lang == "zh" else ctx.product_name_en,
        "policy_number": ctx.policy_number,
        "amount": format_yuan(ctx.amount) if ctx.amount is not None else "",
        "date": format_date(ctx.date, lang) if ctx.date is not None else "",
        "claim_number": ctx.claim_number or "",
        "account": ctx.masked_account or "",
        "hotline": ctx.hotline,
        "link": ctx.link,
    }


def _email_body(texts: dict[str, str], ctx: MessageContext, addr: Address, values: dict[str, str], lang: str) -> str:
    frame: dict[str, Any] = _catalogue(lang)["email"]
    paragraphs = [
        addr.greeting,
        _render(texts["lead"], values),
        _render(texts["action"], values),
        "\n".join([frame["schedule_title"], *_schedule(frame, ctx, values, lang)]),
        "\n".join([frame["services_title"], *(f"· {s}" if lang == "zh" else f"- {s}" for s in frame["services"])]),
        "\n".join([frame["family_title"], frame["family_text"]]),
    ]
    if addr.senior:
        paragraphs.append(frame["senior_text"])
    paragraphs += [_render(frame["help"], values), "\n".join([frame["sign_off"], frame["automated"]])]
    return "\n\n".join(paragraphs)


def _schedule(frame: dict[str, Any], ctx: MessageContext, values: dict[str, str], lang: str) -> list[str]:
    lines = [_render(frame["schedule_policy"], values)]
    totals: dict[PaymentFrequency, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in ctx.schedule:
        frequency = format_frequency(line.frequency, lang)
        totals[line.frequency] += line.premium
        item = {
            "name": line.insured_name,
            "sum_assured": format_yuan(line.sum_assured),
            "premium": format_yuan(line.premium),
            "frequency": frequency,
        }
        lines.append(_render(frame["schedule_line"], item))
    if totals:
        pattern, joiner = ("{}（{}）", "、") if lang == "zh" else ("{} ({})", ", ")
        parts = [pattern.format(format_yuan(total), format_frequency(freq, lang)) for freq, total in totals.items()]
        lines.append(_render(frame["schedule_total"], {"total": joiner.join(parts)}))
    return lines
