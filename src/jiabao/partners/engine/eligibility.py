"""Who may sell what (销售资质): a sale needs a valid practice registration (执业登记) for an individual, team or
regional partner, and for an institution (bank, internet platform) a valid business licence plus the insurer's
authorisation (委托授权) covering the product; the product, channel and region must be among those granted.

Rules: 保险代理人监管规定 (银保监会令2020年第11号) arts. 3, 27 (practice registration before selling), art. 36
(an agency sells only within the insurer's authorisation); 互联网保险业务监管办法 art. 8 (internet platforms need
the insurer's authorisation). Pure: the caller passes the partner's facts and the date of the sale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("regional", "team", "institutional", "individual")
LICENCE_KINDS = ("practice_registration", "institution_licence", "insurer_authorisation")


@dataclass(frozen=True, slots=True)
class Licence:
    kind: str
    number: str
    valid_from: date
    valid_to: date | None = None  # last valid day; None = open-ended
    revoked_on: date | None = None
    products: frozenset[str] | None = None  # an authorisation's products; None = every product

    def valid_on(self, on: date) -> bool:
        if on < self.valid_from or (self.valid_to is not None and on > self.valid_to):
            return False
        return self.revoked_on is None or on < self.revoked_on


@dataclass(frozen=True, slots=True)
class PartnerFacts:
    partner_id: int
    kind: str
    status: str  # active | left | suspended
    products: frozenset[str]
    channels: frozenset[str]
    regions: frozenset[
        str
    ]  # the insurer's regions (east, north, central, south, southwest, northwest, northeast); "*" = all
    licences: tuple[Licence, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the sale is refused: the field it concerns, a stable code, both languages and the HTTP status."""

    field: str
    code: str
    message_zh: str
    message_en: str
    status: int  # 409: the partner's standing; 422: what was asked (product, channel, region)


def _licence_refusal(facts: PartnerFacts, kind: str, on: date, product: str) -> Refusal | None:
    same = [lic for lic in facts.licences if lic.kind == kind]
    names = {
        "practice_registration": ("执业登记", "practice registration"),
        "institution_licence": ("机构经营许可", "institution licence"),
        "insurer_authorisation": ("保险公司委托授权", "authorisation from the insurer"),
    }[kind]
    if not same:
        return Refusal(
            "partner", f"no_{kind}", f"合伙人没有{names[0]}，不能销售", f"The partner has no {names[1]}", 409
        )
    valid = [lic for lic in same if lic.valid_on(on)]
    if not valid:
        latest = max(same, key=lambda lic: (lic.valid_from, lic.number))
        if latest.revoked_on is not None and latest.revoked_on <= on:
            zh, en = (
                f"合伙人的{names[0]}已于{latest.revoked_on}注销",
                f"The partner's {names[1]} was revoked on {latest.revoked_on}",
            )
            return Refusal("partner", f"{kind}_revoked", zh, en, 409)
        if latest.valid_from > on:
            zh, en = (
                f"合伙人的{names[0]}自{latest.valid_from}起生效",
                f"The partner's {names[1]} starts on {latest.valid_from}",
            )
            return Refusal("partner", f"{kind}_not_started", zh, en, 409)
        zh, en = (
            f"合伙人的{names[0]}已于{latest.valid_to}到期",
            f"The partner's {names[1]} expired on {latest.valid_to}",
        )
        return Refusal("partner", f"{kind}_expired", zh, en, 409)
    if kind == "insurer_authorisation" and not any(lic.products is None or product in lic.products for lic in valid):
        zh, en = "保险公司的委托授权不包括该产品", "The insurer's authorisation does not cover this product"
        return Refusal("product_code", "product_not_authorised", zh, en, 409)
    return None


def required_licences(kind: str) -> tuple[str, ...]:
    """An institution needs its licence and the insurer's authorisation; a person their practice registration."""
    if kind == "institutional":
        return ("institution_licence", "insurer_authorisation")
    return ("practice_registration",)


def covers_region(regions: frozenset[str], region: str | None) -> bool:
    return "*" in regions or (region is not None and region in regions)


def sale_refusals(
    facts: PartnerFacts, *, product_code: str, channel: str, region: str | None, on: date
) -> list[Refusal]:
    """Every reason this partner may not sell this product through this channel to a household in this region on
    this date (empty: the sale may go ahead). The partner's standing comes first."""
    if facts.status != "active":
        zh = "该合伙人已离开或被暂停，不能销售"
        return [
            Refusal("partner", f"partner_{facts.status}", zh, f"The partner is {facts.status} and may not sell", 409)
        ]
    out: list[Refusal] = []
    for kind in required_licences(facts.kind):
        refusal = _licence_refusal(facts, kind, on, product_code)
        if refusal is not None:
            out.append(refusal)
    if product_code not in facts.products and "*" not in facts.products:
        out.append(
            Refusal(
                "product_code",
                "product_not_granted",
                "该合伙人不能销售此产品",
                "The partner may not sell this product",
                422,
            )
        )
    if channel not in facts.channels and "*" not in facts.channels:
        out.append(
            Refusal(
                "channel",
                "channel_not_granted",
                "该合伙人不能通过此渠道销售",
                "The partner may not sell through this channel",
                422,
            )
        )
    if not covers_region(facts.regions, region):
        out.append(
            Refusal(
                "household",
                "region_not_covered",
                "该家庭所在地区不在合伙人的服务区域内",
                "The household's region is outside the partner's regions",
                422,
            )
        )
    return out
