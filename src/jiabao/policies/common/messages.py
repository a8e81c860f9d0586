"""Policy-stage messages (SMS and e-mail) rendered from the templates and queued in the outbox.

The payload names the recipient by person id and carries only masked data; the delivery worker looks up the
phone or e-mail address when it sends, so no clear contact detail sits in the outbox."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family.schemas import MemberOut
from jiabao.notify import Channel, GuardianRequired, MessageContext, MessageKind, Person, render_message

HOTLINE = "95xxx"


def _person(member: MemberOut) -> Person:
    return Person(
        surname=member.name[0], given_name=member.name[1:] or member.name, age=member.age, sex=member.sex.value
    )


def queue(
    ctx: ServiceContext,
    kind: MessageKind,
    *,
    recipient: MemberOut,
    policy_no: str,
    product: tuple[str, str],
    link: str,
    amount: Decimal | None = None,
    on: date | None = None,
    claim_number: str | None = None,
    masked_account: str | None = None,
    channels: tuple[Channel, ...] = (Channel.SMS, Channel.EMAIL),
) -> None:
    """Render the message for the recipient's age group and put it in the outbox (sent after commit)."""
    context = MessageContext(
        recipient=_person(recipient),
        policy_number=policy_no,
        product_name_zh=product[0],
        product_name_en=product[1],
        hotline=HOTLINE,
        link=link,
        amount=amount,
        date=on,
        claim_number=claim_number,
        masked_account=masked_account,
    )
    for channel in channels:
        try:
            message = render_message(kind, channel, context, language="zh")
        except GuardianRequired:
            return  # minors are written to through their guardian's own messages
        enqueue(
            ctx.session,
            topic=channel.value,
            at=ctx.now(),
            payload={
                "kind": kind.value,
                "person_id": recipient.person_id,
                "subject": message.subject,
                "body": message.body,
                "policy_no": policy_no,
            },
        )
