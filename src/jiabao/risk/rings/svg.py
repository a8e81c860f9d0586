"""The ring picture (团伙关系图), pure: a server-rendered SVG of one ring — households as squares, persons as
circles, shared attributes as diamonds, laid out by networkx's spring layout with a fixed seed (the same ring
always looks the same). Every label is escaped; only masked values are ever given to it."""

from __future__ import annotations

from html import escape

import networkx as nx

from jiabao.risk.rings.graph import Ring

WIDTH, HEIGHT, MARGIN = 720, 480, 40
COLOURS = {
    "household": "#1f4e79",
    "person": "#5b9bd5",
    "account": "#c00000",
    "phone": "#ed7d31",
    "device": "#ed7d31",
    "address": "#7f6000",
    "agent": "#548235",
    "hospital": "#7030a0",
}


def ring_graph(ring: Ring) -> nx.Graph:
    g = nx.Graph()
    for h in ring.households:
        g.add_node(f"h{h}", kind="household", label=f"#{h}")
    for p in ring.persons:
        g.add_node(f"p{p.person_id}", kind="person", label=p.label)
        g.add_edge(f"p{p.person_id}", f"h{p.household_id}")
    for link in ring.links:
        node = f"a:{link.kind}:{link.key}"
        g.add_node(node, kind=link.kind, label=link.label or link.kind)
        g.add_edge(f"p{link.person_id}", node)
    return g


def render(ring: Ring, *, title: str = "") -> str:
    g = ring_graph(ring)
    pos = nx.spring_layout(g, seed=1, k=1.2 / max(1, len(g)) ** 0.5)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def at(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return (
            MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN),
        )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="ring-picture" data-ring="{escape(ring.ring_id)}">',
        f"<title>{escape(title)}</title>",
    ]
    for a, b in sorted(g.edges()):
        (x1, y1), (x2, y2) = at(a), at(b)
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" stroke-width="1"/>')
    for node, data in sorted(g.nodes(data=True)):
        x, y = at(node)
        kind, label = data["kind"], escape(str(data["label"]))
        colour = COLOURS.get(kind, "#444")
        if kind == "household":
            shape = f'<rect x="{x - 9:.1f}" y="{y - 9:.1f}" width="18" height="18" fill="{colour}"/>'
        elif kind == "person":
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
        else:
            shape = (
                f'<polygon points="{x:.1f},{y - 9:.1f} {x + 9:.1f},{y:.1f} {x:.1f},{y + 9:.1f} {x - 9:.1f},{y:.1f}" '
                f'fill="{colour}"/>'
            )
        out.append(
            f'<g class="node {escape(kind)}">{shape}<text x="{x + 11:.1f}" y="{y + 4:.1f}" font-size="11">'
            f"{label}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out)
