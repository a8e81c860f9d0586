"""Fraud-ring detection (团伙识别), pure (networkx): households, persons and what they share.

- Persons belong to households; identifiers (phones, bank accounts, addresses, devices) and relations (agents,
  hospitals) are attribute nodes joined to the persons who use them.
- Sharing **within** a household is normal (a couple's one phone, a parent paying for a child) and adds nothing.
  An attribute shared **across** households is a signal.
- Hubs are pruned: an attribute shared by more households than its kind's limit (a large hospital, a big
  agent, a call-centre number) says nothing about any one of them.
- Agents and hospitals are weak links: they never make a ring on their own (every agent serves many families)
  but add to the score of a ring that strong links (account, phone, address, device) already hold together.
- Rings are the connected components of the strong household graph; a component too large to read is split into
  communities (Louvain, seeded, so the result is repeatable). Rings are ranked by score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

import networkx as nx

STRONG_WEIGHT: dict[str, float] = {"account": 3.0, "phone": 2.0, "device": 2.0, "address": 1.5}
WEAK_WEIGHT: dict[str, float] = {"agent": 0.5, "hospital": 0.5}
HUB_LIMIT: dict[str, int] = {"account": 6, "phone": 6, "device": 6, "address": 10, "agent": 8, "hospital": 8}
"""Households sharing one attribute above which it is a hub and is pruned."""
SPLIT_ABOVE = 12
"""Components with more households than this are split into communities."""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    person_id: int
    household_id: int
    label: str
    """What the picture shows (a masked name)."""


@dataclass(frozen=True, slots=True)
class AttributeLink:
    person_id: int
    kind: str
    key: str
    """A stable key (a blind index, never the clear value)."""
    label: str = ""
    """What the picture shows (a masked value)."""


@dataclass(frozen=True, slots=True)
class HouseholdClaims:
    claims: int = 0
    early_claims: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class Ring:
    rank: int
    households: tuple[int, ...]
    score: float
    shared: list[tuple[str, str, str, tuple[int, ...]]] = field(default_factory=list)
    """(kind, key, label, households) of every cross-household attribute inside the ring."""
    persons: list[PersonRecord] = field(default_factory=list)
    links: list[AttributeLink] = field(default_factory=list)
    claims: HouseholdClaims = field(default_factory=HouseholdClaims)

    @property
    def ring_id(self) -> str:
        return "-".join(str(h) for h in self.households)


@dataclass
class Analysis:
    rings: list[Ring]
    pruned_hubs: list[tuple[str, str, int]]
    """(kind, label, households) of the attributes dropped as hubs."""
    households: int
    cross_links: int


def _attribute_households(
    persons: dict[int, PersonRecord], links: Iterable[AttributeLink]
) -> dict[tuple[str, str], tuple[set[int], list[AttributeLink]]]:
    households: dict[tuple[str, str], set[int]] = {}
    items: dict[tuple[str, str], list[AttributeLink]] = {}
    known = STRONG_WEIGHT.keys() | WEAK_WEIGHT.keys()
    for link in links:
        person = persons.get(link.person_id)
        if person is None or link.kind not in known:
            continue
        key = (link.kind, link.key)
        found = households.get(key)
        if found is None:
            households[key] = {person.household_id}
            items[key] = [link]
        else:
            found.add(person.household_id)
            items[key].append(link)
    return {key: (households[key], items[key]) for key in households}


def find_rings(
    persons: Iterable[PersonRecord],
    links: Iterable[AttributeLink],
    claims: dict[int, HouseholdClaims] | None = None,
    *,
    seed: int = 0,
) -> Analysis:
    people = {p.person_id: p for p in persons}
    claims = claims or {}
    by_attribute = _attribute_households(people, links)
    strong = nx.Graph()
    weak_pairs: dict[tuple[int, int], float] = defaultdict(float)
    hubs: list[tuple[str, str, int]] = []
    kept: dict[tuple[str, str], tuple[set[int], list[AttributeLink]]] = {}
    for (kind, key), (households, items) in by_attribute.items():
        if len(households) < 2:
            continue  # within one household: normal
        if len(households) > HUB_LIMIT[kind]:
            hubs.append((kind, items[0].label or key, len(households)))
            continue
        kept[(kind, key)] = (households, items)
        for a, b in combinations(sorted(households), 2):
            if kind in STRONG_WEIGHT:
                weight = strong.get_edge_data(a, b, {"weight": 0.0})["weight"] + STRONG_WEIGHT[kind]
                strong.add_edge(a, b, weight=weight)
            else:
                weak_pairs[(a, b)] += WEAK_WEIGHT[kind]
    groups: list[set[int]] = []
    for component in nx.connected_components(strong):
        if len(component) > SPLIT_ABOVE:
            sub = strong.subgraph(component)
            groups += [set(c) for c in nx.community.louvain_communities(sub, weight="weight", seed=seed) if len(c) > 1]
        else:
            groups.append(set(component))
    # indexes so that assembling each ring costs its own size, not the population's
    persons_by_household: dict[int, list[PersonRecord]] = defaultdict(list)
    for person in people.values():
        persons_by_household[person.household_id].append(person)
    kept_by_household: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for attribute, (hh, _) in kept.items():
        for h in hh:
            kept_by_household[h].add(attribute)
    rings = []
    for group in groups:
        link_weight = sum(d["weight"] for _, _, d in strong.subgraph(group).edges(data=True))
        weak = sum(weak_pairs.get(pair, 0.0) for pair in combinations(sorted(group), 2))
        total = HouseholdClaims()
        for h in group:
            c = claims.get(h, HouseholdClaims())
            total = HouseholdClaims(
                total.claims + c.claims, total.early_claims + c.early_claims, total.amount + c.amount
            )
        score = link_weight + weak + 0.5 * total.claims + 1.5 * total.early_claims + float(total.amount) / 100_000
        inside = [a for a in set().union(*(kept_by_household[h] for h in group)) if len(kept[a][0] & group) >= 2]
        shared = [
            (kind, key, kept[(kind, key)][1][0].label or key, tuple(sorted(kept[(kind, key)][0] & group)))
            for kind, key in inside
        ]
        ring_links = [link for a in inside for link in kept[a][1] if people[link.person_id].household_id in group]
        rings.append(
            Ring(
                rank=0,
                households=tuple(sorted(group)),
                score=round(score, 2),
                shared=sorted(shared),
                persons=sorted((p for h in group for p in persons_by_household[h]), key=lambda p: p.person_id),
                links=sorted(ring_links, key=lambda link: (link.person_id, link.kind, link.key)),
                claims=total,
            )
        )
    rings.sort(key=lambda r: (-r.score, r.households))
    for i, ring in enumerate(rings, start=1):
        ring.rank = i
    return Analysis(
        rings=rings,
        pruned_hubs=sorted(hubs, key=lambda h: -h[2]),
        households=len(persons_by_household),
        cross_links=len(kept),
    )
