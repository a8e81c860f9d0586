"""Notifications: SMS and e-mail texts for each policy stage, greeting by age group (pure rendering)."""

from jiabao.notify.model import Channel, Message, MessageContext, MessageKind, Person, ScheduleLine
from jiabao.notify.salutation import AgeGroup, GuardianRequired, age_group, greeting
from jiabao.notify.sms import SENDER_LINE, SmsTooLong, sms_segments
from jiabao.notify.templates import MissingContext, render_message

__all__ = [
    "SENDER_LINE",
    "AgeGroup",
    "Channel",
    "GuardianRequired",
    "Message",
    "MessageContext",
    "MessageKind",
    "MissingContext",
    "Person",
    "ScheduleLine",
    "SmsTooLong",
    "age_group",
    "greeting",
    "render_message",
    "sms_segments",
]
