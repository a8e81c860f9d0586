"""A generated population for ring detection, pure: households whose members share their own phone, account
and address (normal), big hospitals and agents shared by many (hubs), and optionally a planted ring — unrelated
households sharing one bank account and phones, with early claims."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from jiabao.risk.rings.graph import AttributeLink, HouseholdClaims, PersonRecord


@dataclass
class Population:
    persons: list[PersonRecord] = field(default_factory=list)
    links: list[AttributeLink] = field(default_factory=list)
    claims: dict[int, HouseholdClaims] = field(default_factory=dict)
    planted: tuple[int, ...] = ()


def generate(households: int, *, seed: int = 3, ring_size: int = 4, small_hospitals: int = 400) -> Population:
    rnd = random.Random(seed)
    pop = Population()
    person_id = 0
    agents = [f"agent{i}" for i in range(max(1, households // 40))]
    big_hospitals = ["hosp-big-1", "hosp-big-2", "hosp-big-3"]
    for h in range(1, households + 1):
        size = rnd.choice([1, 2, 2, 3, 3, 4, 5])
        members = []
        for _ in range(size):
            person_id += 1
            members.append(person_id)
            pop.persons.append(PersonRecord(person_id, h, f"成员{person_id}"))
        family_phone, family_account = f"ph-{h}", f"acct-{h}"
        for i, p in enumerate(members):
            # within the household: the parents share one phone and one account; every member one address
            pop.links.append(AttributeLink(p, "address", f"addr-{h}", "地址"))
            if i < 2:
                pop.links.append(AttributeLink(p, "phone", family_phone, "电话"))
                pop.links.append(AttributeLink(p, "account", family_account, "账户"))
        pop.links.append(AttributeLink(members[0], "agent", rnd.choice(agents), "代理人"))
        if rnd.random() < 0.3:
            hospital = rnd.choice(big_hospitals) if rnd.random() < 0.7 else f"hosp-{rnd.randrange(small_hospitals)}"
            pop.links.append(AttributeLink(rnd.choice(members), "hospital", hospital, "医院"))
            pop.claims[h] = HouseholdClaims(1, 0, Decimal(rnd.randrange(500, 20000)))
    if ring_size:
        start = households + 1
        ring = tuple(range(start, start + ring_size))
        for j, h in enumerate(ring):
            person_id += 1
            p = person_id
            pop.persons.append(PersonRecord(p, h, f"成员{p}"))
            pop.links.append(AttributeLink(p, "account", "acct-mule", "6222****0128"))
            pop.links.append(AttributeLink(p, "phone", f"ring-phone-{j % 2}", "138****0000"))
            pop.links.append(AttributeLink(p, "hospital", "hosp-small-ring", "医院"))
            pop.claims[h] = HouseholdClaims(2, 2, Decimal(60000))
        pop.planted = ring
    return pop
