"""Fraud rings on generated data: the planted ring is found and ranked first; sharing within a household and
hub attributes (big hospitals, big agents) flag nothing."""

from __future__ import annotations

from jiabao.risk.rings import graph, population, svg
from jiabao.risk.rings.graph import AttributeLink, PersonRecord


def test_planted_ring_is_found_first_and_nothing_else_is_flagged() -> None:
    pop = population.generate(3000, seed=3)
    analysis = graph.find_rings(pop.persons, pop.links, pop.claims)
    assert analysis.rings, "the planted ring is found"
    top = analysis.rings[0]
    assert top.rank == 1 and top.households == pop.planted
    shared_kinds = {kind for kind, *_ in top.shared}
    assert {"account", "phone"} <= shared_kinds
    flagged = {h for ring in analysis.rings for h in ring.households}
    assert flagged == set(pop.planted), "normal within-household sharing is not flagged"
    pruned = {(kind, n) for kind, _, n in analysis.pruned_hubs}
    assert any(kind == "hospital" and n > 100 for kind, n in pruned), "big hospitals are pruned as hubs"
    assert any(kind == "agent" for kind, _ in pruned), "big agents are pruned as hubs"


def test_within_household_sharing_is_normal() -> None:
    persons = [PersonRecord(1, 10, "a"), PersonRecord(2, 10, "b"), PersonRecord(3, 10, "c")]
    links = [AttributeLink(p.person_id, kind, "same", "x") for p in persons for kind in ("phone", "account")]
    assert graph.find_rings(persons, links).rings == []


def test_weak_links_alone_make_no_ring_but_add_to_one() -> None:
    persons = [PersonRecord(1, 10, "a"), PersonRecord(2, 20, "b"), PersonRecord(3, 30, "c"), PersonRecord(4, 40, "d")]
    weak = [
        AttributeLink(1, "agent", "ag"),
        AttributeLink(2, "agent", "ag"),
        AttributeLink(1, "hospital", "h"),
        AttributeLink(2, "hospital", "h"),
    ]
    assert graph.find_rings(persons, weak).rings == []
    strong = [
        AttributeLink(1, "phone", "p"),
        AttributeLink(2, "phone", "p"),
        AttributeLink(3, "account", "a"),
        AttributeLink(4, "account", "a"),
    ]
    without = {r.households: r.score for r in graph.find_rings(persons, strong).rings}
    with_weak = {r.households: r.score for r in graph.find_rings(persons, strong + weak).rings}
    assert without == {(10, 20): 2.0, (30, 40): 3.0}  # phone 2, account 3
    assert with_weak == {(10, 20): 3.0, (30, 40): 3.0}  # + agent 0.5 + hospital 0.5


def test_a_shared_call_centre_number_is_a_hub_not_a_ring() -> None:
    persons = [PersonRecord(i, i * 10, str(i)) for i in range(1, 12)]
    links = [AttributeLink(i, "phone", "call-centre") for i in range(1, 12)]
    analysis = graph.find_rings(persons, links)
    assert analysis.rings == [] and analysis.pruned_hubs == [("phone", "call-centre", 11)]


def test_ring_picture_is_svg_with_escaped_masked_labels() -> None:
    persons = [PersonRecord(1, 10, "<b>张*</b>"), PersonRecord(2, 20, "李*")]
    links = [AttributeLink(1, "account", "k", "6222****0128"), AttributeLink(2, "account", "k", "6222****0128")]
    ring = graph.find_rings(persons, links).rings[0]
    picture = svg.render(ring, title="团伙 1")
    assert picture.startswith("<svg") and picture.endswith("</svg>")
    assert "&lt;b&gt;" in picture and "<b>" not in picture
    assert picture.count("<rect") == 2 and picture.count("<circle") == 2 and picture.count("<polygon") == 1
    assert svg.render(ring, title="团伙 1") == picture  # the same ring always looks the same


def test_a_large_component_is_split_into_communities() -> None:
    """Two dense groups of 10 households each (every pair shares a phone), joined by one shared address: one
    component of 20, above SPLIT_ABOVE, so Louvain splits it into the two groups, each ranked on its own."""
    persons = [PersonRecord(h, h, str(h)) for h in range(1, 21)]
    links = []
    for group in (range(1, 11), range(11, 21)):
        for a in group:
            for b in group:
                if a < b:
                    links += [AttributeLink(a, "phone", f"p{a}-{b}"), AttributeLink(b, "phone", f"p{a}-{b}")]
    links += [AttributeLink(10, "address", "bridge"), AttributeLink(11, "address", "bridge")]
    # each pair phone is shared by exactly two households: below the hub limit
    rings = graph.find_rings(persons, links).rings
    assert sorted(r.households for r in rings) == [tuple(range(1, 11)), tuple(range(11, 21))]
