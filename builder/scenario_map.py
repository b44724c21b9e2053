"""An SVG map of a scenario for authors: ``course map <id>`` and ``::: scenario-map <id>``.

Layout is grandalf's Sugiyama (layered) layout, the same family of algorithm as Graphviz's
dot, in pure Python.  The file may be half-broken while an author works on it, so everything
here reads the plain data defensively: missing targets become red "missing" boxes, nodes no
path reaches are dashed and labelled "unreachable".  Output is deterministic: the same file
gives the same bytes (grandalf is fed vertices and edges in file order; coordinates rounded).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from grandalf.graphs import Edge, Vertex, graph_core
from grandalf.layouts import SugiyamaLayout

from .checks import reachable_from, reaching, scenario_edges, scenario_endings

BOX_W, BOX_H = 196, 78
GAP_X, GAP_Y, MARGIN = 28, 58, 16
LABEL_CHARS = 30  # a choice's text is shortened to this many characters on its arrow
ROW_H = 26  # height of one two-line arrow label
LANE = 14  # distance between parallel arrows of the same two nodes
CHAR_W = 5.3  # average width of a label character at font-size 9.5
LEGEND_H = 44
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# fill, stroke, badge text colour (dark text on light fills: readable in any page theme)
STYLE = {
    "node": ("#ffffff", "#546e7a", "#37474f"),
    "success": ("#c8e6c9", "#2e7d32", "#1b5e20"),
    "partial": ("#ffe0b2", "#e65100", "#8a3c00"),
    "failure": ("#ffcdd2", "#c62828", "#8e0000"),
    "missing": ("#fff5f5", "#c62828", "#8e0000"),
}
OUTCOME_LABEL = {"success": "SUCCESS ending", "partial": "PARTIAL ending", "failure": "FAILURE ending"}
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"[*_`~]+|^[#>\s]+")


def _esc(text: Any) -> str:
    return html.escape(_XML_BAD.sub("", str(text)), quote=True)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _plain(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    text = _MD_MARK.sub("", _MD_LINK.sub(r"\1", text))
    return " ".join(text.split())


def _wrap(text: str, width: int, lines: int) -> list[str]:
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        if len(line) > width:
            line = line[: width - 1] + "\u2026"
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words and out:
        last = out[-1]
        out[-1] = (last if len(last) < width else last[: width - 1]).rstrip() + "\u2026"
    return out


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


@dataclass
class _Box:
    id: str
    kind: str  # node | success | partial | failure | missing
    text: str = ""
    start: bool = False
    unreachable: bool = False
    trapped: bool = False
    dead_end: bool = False
    x: float = 0.0
    y: float = 0.0
    vertex: Any = None


@dataclass
class _Link:
    """All choices from one node to another: laid out once, drawn as one arrow per choice."""

    source: str
    target: str
    choices: list[int] = field(default_factory=list)
    gated: list[str] = field(default_factory=list)  # "trust ≥ 3"
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class _Arrow:
    """One choice (issue 12: one arrow per choice, with its text, requirement and effects)."""

    source: str
    target: str
    number: int  # 1-based, as authors count choices
    text: str
    requires: list[str] = field(default_factory=list)  # ["trust ≥ 3"]
    effects: list[str] = field(default_factory=list)  # ["calm +1", "trust −1"]
    link: _Link | None = None
    lane: float = 0.0  # offset among the arrows of the same link

    def label_lines(self) -> list[str]:
        first = f"{self.number}. {_short(self.text, LABEL_CHARS - 3)}" if self.text else f"{self.number}."
        second = ", ".join(self.effects)
        if self.requires:
            second = (second + " \u00b7 " if second else "") + "needs " + ", ".join(self.requires)
        return [first, _short(second, LABEL_CHARS + 8)] if second else [first]

    def title(self) -> str:
        words = f"choice {self.number} of {self.source} leads to {self.target}"
        if self.text:
            words += f": {self.text}"
        if self.requires:
            words += f"; offered only when {', '.join(self.requires)}"
        if self.effects:
            words += f"; effects {', '.join(self.effects)}"
        return words


class _View:
    def __init__(self, w: float, h: float):
        self.w, self.h, self.xy = w, h, None


class _EdgeView:
    def __init__(self):
        self.points: list = []

    def setpath(self, pts) -> None:
        self.points = list(pts)


def _effect(meter: Any, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        sign = "+" if value >= 0 else "\u2212"
        return f"{meter} {sign}{abs(value)}"
    return f"{meter} {value}"


def _graph(data: dict) -> tuple[dict[str, _Box], list[_Link], str | None, list[_Arrow]]:
    nodes = {str(k): v for k, v in _dict(data.get("nodes")).items()}
    start = data.get("start")
    start = str(start) if isinstance(start, str | int) and not isinstance(start, bool) else None
    edges = scenario_edges(nodes)
    endings = scenario_endings(nodes)
    reached = reachable_from(start, edges) if start in nodes else set(nodes)
    finishing = reaching(endings, nodes) if endings else set()
    boxes: dict[str, _Box] = {}
    for nid, node in nodes.items():
        node = _dict(node)
        ending = node.get("ending")
        kind = ending if ending in ("success", "partial", "failure") else "node"
        choices = node.get("choices")
        boxes[nid] = _Box(
            nid,
            kind,
            _plain(node.get("text")),
            start=nid == start,
            unreachable=nid not in reached,
            trapped=bool(endings) and kind == "node" and bool(choices) and nid not in finishing,
            dead_end=ending is None and not choices,
        )
    links: dict[tuple[str, str], _Link] = {}
    arrows: list[_Arrow] = []
    for nid, out in edges.items():
        node_choices = _dict(nodes[nid]).get("choices")
        for ci, target in out:
            if target not in boxes:
                boxes[target] = _Box(target, "missing", "no node has this id")
            link = links.setdefault((nid, target), _Link(nid, target))
            link.choices.append(ci + 1)
            choice = _dict(node_choices[ci])
            requires = [f"{meter} \u2265 {value}" for meter, value in _dict(choice.get("requires")).items()]
            link.gated.extend(requires)
            effects = [_effect(m, v) for m, v in _dict(choice.get("effects")).items()]
            arrows.append(_Arrow(nid, target, ci + 1, _plain(choice.get("text")), requires, effects, link))
    for link in links.values():
        mine = [a for a in arrows if a.link is link]
        for k, arrow in enumerate(mine):
            arrow.lane = (k - (len(mine) - 1) / 2) * LANE
    return boxes, list(links.values()), start, arrows


def _layout(
    boxes: dict[str, _Box], links: list[_Link], start: str | None, gap_y: float = GAP_Y
) -> tuple[float, float]:
    """Place boxes and route links; returns the drawing's width and height."""
    for box in boxes.values():
        box.vertex = Vertex(box.id)
        box.vertex.view = _View(BOX_W, BOX_H)
    # weakly connected components, in file order (start's first)
    parent = {nid: nid for nid in boxes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.source != link.target:
            parent[find(link.source)] = find(link.target)
    groups: dict[str, list[str]] = {}
    order = sorted(boxes, key=lambda n: (n != start, list(boxes).index(n)))
    for nid in order:
        groups.setdefault(find(nid), []).append(nid)
    edge_of: dict[int, _Link] = {}
    x0, height = float(MARGIN), 0.0
    for members in groups.values():
        ids = set(members)
        vertices = [boxes[n].vertex for n in members]
        es = []
        for link in links:
            if link.source in ids and link.source != link.target:
                e = Edge(boxes[link.source].vertex, boxes[link.target].vertex)
                e.view = _EdgeView()
                edge_of[id(e)] = link
                es.append(e)
        if len(vertices) == 1:
            vertices[0].view.xy = (BOX_W / 2, BOX_H / 2)
        else:
            g = graph_core(vertices, es)
            sug = SugiyamaLayout(g)
            sug.xspace, sug.yspace = GAP_X, gap_y
            # break cycles by a depth-first search from the start (else from nodes nothing
            # leads to), then rank from every vertex left without a predecessor
            first = [v for v in vertices if v.data == start or not v.e_in()]
            g.get_scs_with_feedback(first or vertices[:1])
            inverted = [e for e in es if e.feedback]
            roots = [
                v
                for v in vertices
                if not any(not e.feedback for e in v.e_in()) and not any(e.feedback for e in v.e_out())
            ]
            sug.init_all(roots=roots, inverted_edges=inverted)
            sug.draw(3)
            for e in es:
                edge_of[id(e)].points = [tuple(p) for p in e.view.points]
        xs = [v.view.xy[0] for v in vertices]
        ys = [v.view.xy[1] for v in vertices]
        pts = [p for e in es for p in e.view.points]
        left = min(xs + [p[0] + BOX_W / 2 for p in pts]) - BOX_W / 2
        top = min(ys) - BOX_H / 2
        right = max(xs + [p[0] - BOX_W / 2 for p in pts]) + BOX_W / 2
        bottom = max(ys) + BOX_H / 2
        dx, dy = x0 - left, MARGIN + 22 - top
        for n in members:
            v = boxes[n].vertex
            boxes[n].x, boxes[n].y = v.view.xy[0] + dx, v.view.xy[1] + dy
        for link in links:
            if link.source in ids and link.points:
                link.points = [(p[0] + dx, p[1] + dy) for p in link.points]
        x0 += right - left + GAP_X * 2
        height = max(height, bottom - top + MARGIN + 22)
    return max(x0 - GAP_X * 2 + MARGIN, 360.0), height + MARGIN + LEGEND_H


def _clip(center: tuple[float, float], toward: tuple[float, float], pad: float = 0) -> tuple[float, float]:
    """Where the line from a box's center toward a point leaves the box."""
    (cx, cy), (tx, ty) = center, toward
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return center
    hw, hh = BOX_W / 2 + pad, BOX_H / 2 + pad
    scale = min(hw / abs(dx) if dx else float("inf"), hh / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def scenario_svg(item: Any, uid: str | None = None) -> str:
    """The scenario graph of ``item`` (a course.Item) as a standalone, accessible SVG."""
    data = _dict(getattr(getattr(item, "loaded", None), "data", None))
    item_id = str(getattr(item, "id", "scenario"))
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", uid or f"cq-map-{item_id}")
    boxes, links, start, arrows = _graph(data)
    title = data.get("title") if isinstance(data.get("title"), str) else item_id
    if not boxes:
        boxes["(no nodes)"] = _Box("(no nodes)", "missing", "the file has no nodes yet")
    # room between the layers for one label row per choice leaving a node
    out_count: dict[str, int] = {}
    for arrow in arrows:
        if arrow.source != arrow.target:
            out_count[arrow.source] = out_count.get(arrow.source, 0) + 1
    gap_y = max(GAP_Y, 30 + ROW_H * max(out_count.values(), default=1))
    width, height = _layout(boxes, links, start, gap_y)
    by_id = boxes

    # text alternative
    counts = {k: sum(1 for b in boxes.values() if b.kind == k) for k in ("success", "partial", "failure")}
    n_nodes = sum(1 for b in boxes.values() if b.kind != "missing")
    desc = [
        f"{n_nodes} nodes and {len(arrows)} choices, starting at '{start}'."
        if start
        else f"{n_nodes} nodes; no start node.",
        f"Endings: {counts['success']} success, {counts['partial']} partial, {counts['failure']} failure.",
    ]
    flagged = [b.id for b in boxes.values() if b.unreachable and b.kind != "missing"]
    if flagged:
        desc.append("Unreachable: " + ", ".join(flagged) + ".")
    missing = [b.id for b in boxes.values() if b.kind == "missing"]
    if missing:
        desc.append("Choices lead to missing nodes: " + ", ".join(missing) + ".")

    body: list[str] = []
    extent = [0.0, 0.0, width, height]  # min x, min y, max x, max y of everything drawn

    def grow(x0: float, y0: float, x1: float, y1: float) -> None:
        extent[0], extent[1] = min(extent[0], x0), min(extent[1], y0)
        extent[2], extent[3] = max(extent[2], x1), max(extent[3], y1)

    # arrows first, boxes on top.  Each arrow leaves its source at the bottom (or the top, when it
    # goes back up) and enters its target at the top (or bottom); the attachment points on each
    # side are spread out in the order of the far ends, so arrows do not share a point.
    routes: dict[int, list[tuple[float, float]]] = {}
    ends: dict[tuple[str, str], list] = {}
    for n, arrow in enumerate(arrows):
        if arrow.source == arrow.target:
            continue
        src, dst = by_id[arrow.source], by_id[arrow.target]
        down = dst.y > src.y
        pts = list(arrow.link.points) or [(src.x, src.y), (dst.x, dst.y)]
        if len(pts) > 2 and arrow.lane:
            pts = [pts[0]] + [(x + arrow.lane, y) for x, y in pts[1:-1]] + [pts[-1]]
        routes[n] = pts
        ends.setdefault((arrow.source, "bottom" if down else "top"), []).append(
            (pts[1][0] + arrow.lane, n, 0)
        )
        ends.setdefault((arrow.target, "top" if down else "bottom"), []).append(
            (pts[-2][0] + arrow.lane, n, -1)
        )
    ports: dict[tuple[int, int], float] = {}
    for (nid, _side), attached in ends.items():
        attached.sort()
        span = min(BOX_W * 0.8, 16.0 * (len(attached) - 1))
        for k, (_, n, which) in enumerate(attached):
            offset = -span / 2 + (span * k / (len(attached) - 1) if len(attached) > 1 else span / 2)
            ports[(n, which)] = by_id[nid].x + offset
    labels: list[tuple[float, float, _Arrow, str]] = []  # x, y, arrow, anchor
    rows: dict[tuple[str, int], list[tuple[float, int]]] = {}
    loops: dict[str, int] = {}
    for n, arrow in enumerate(arrows):
        src, dst = by_id[arrow.source], by_id[arrow.target]
        dash = ' stroke-dasharray="5 3"' if arrow.requires else ""
        name = _esc(arrow.title())
        if arrow.source == arrow.target:  # a choice that stays on the same node: a whole loop on the right
            k = loops.get(arrow.source, 0)
            loops[arrow.source] = k + 1
            reach = 34 + 16 * k
            x, y = src.x + BOX_W / 2, src.y - 18 + 12 * k
            body.append(
                f'<path d="M{_num(x)} {_num(y - 8)} C{_num(x + reach)} {_num(y - 24)} {_num(x + reach)} '
                f'{_num(y + 24)} {_num(x + 2)} {_num(y + 8)}" fill="none" stroke="#455a64" '
                f'stroke-width="1.4"{dash} marker-end="url(#{prefix}-arrow)"><title>{name}</title></path>'
            )
            grow(x, y - 26, x + reach + 4, y + 26)
            labels.append((x + reach * 0.75 + 6, y, arrow, "start"))
            continue
        sign = 1 if dst.y > src.y else -1
        pts = list(routes[n])
        pts[0] = (ports[(n, 0)], src.y + sign * BOX_H / 2)
        pts[-1] = (ports[(n, -1)], dst.y - sign * (BOX_H / 2 + 2))
        d = [f"M{_num(pts[0][0])} {_num(pts[0][1])}"]
        for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):  # smooth, vertical at each point
            mid = (by - ay) / 2
            d.append(f"C{_num(ax)} {_num(ay + mid)} {_num(bx)} {_num(by - mid)} {_num(bx)} {_num(by)}")
        body.append(
            f'<path d="{" ".join(d)}" fill="none" stroke="#455a64" stroke-width="1.4"{dash} '
            f'marker-end="url(#{prefix}-arrow)"><title>{name}</title></path>'
        )
        rows.setdefault((arrow.source, sign), []).append((pts[0][0], n))
        routes[n] = pts
    # labels of the arrows leaving a node: one row each, stacked away from the node, each on its arrow
    for (nid, sign), leaving in rows.items():
        box = by_id[nid]
        for row, (_, n) in enumerate(sorted(leaving)):
            (ax, ay), (bx, by) = routes[n][0], routes[n][1]
            ly = box.y + sign * (BOX_H / 2 + 14 + row * ROW_H)
            t = 0.0 if by == ay else max(0.0, min(1.0, (ly - ay) / (by - ay)))
            labels.append((ax + (bx - ax) * t * t * (3 - 2 * t), ly, arrows[n], "middle"))
    placed: list[tuple[float, float, float, float]] = []
    for lx, ly, arrow, anchor in labels:
        lines = arrow.label_lines()
        w = 8 + max(len(line) for line in lines) * CHAR_W
        h = 4 + 11 * len(lines)
        x0 = lx - w / 2 if anchor == "middle" else lx
        y0 = ly - h / 2
        step = 1 if by_id[arrow.target].y >= by_id[arrow.source].y else -1
        for _ in range(6):  # labels of neighbouring nodes may meet: move along the arrow, away from its node
            if not any(x0 < b[2] and b[0] < x0 + w and y0 < b[3] and b[1] < y0 + h for b in placed):
                break
            y0 += step * (h / 2 + 1)
        placed.append((x0, y0, x0 + w, y0 + h))
        grow(x0, y0, x0 + w, y0 + h)
        tx = lx if anchor == "middle" else lx + 4
        bold = ' font-weight="600"'
        text = "".join(
            f'<tspan x="{_num(tx)}" y="{_num(y0 + 11 + 11 * i)}"{bold if i == 0 else ""}>{_esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        body.append(
            f'<g aria-hidden="true"><rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(w)}" '
            f'height="{_num(h)}" rx="4" fill="#eceff1" fill-opacity=".94" stroke="#90a4ae" stroke-width=".6"/>'
            f'<text text-anchor="{anchor}" font-size="9.5" fill="#263238">{text}</text></g>'
        )
    # the drawing is as big as everything in it: whole self-loops, labels past the outer boxes
    dx = max(0.0, MARGIN - extent[0])
    dy = max(0.0, MARGIN - extent[1])
    width = max(width, extent[2] + MARGIN) + dx
    height = max(height, extent[3] + MARGIN + LEGEND_H) + dy
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cq-map__svg" role="img" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{_esc(FONT)}" font-size="11">',
        f'<title id="{prefix}-title">Map of the scenario {_esc(title)} ({_esc(item_id)})</title>',
        f'<desc id="{prefix}-desc">{_esc(" ".join(desc))}</desc>',
        "<defs>",
        f'<marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#455a64"/></marker>',
        "</defs>",
        f'<rect width="{_num(width)}" height="{_num(height)}" fill="#ffffff"/>',
        f'<g transform="translate({_num(dx)} {_num(dy)})">' if dx or dy else "<g>",
    ]
    out.extend(body)

    for box in boxes.values():
        fill, stroke, ink = STYLE[box.kind]
        x, y = box.x - BOX_W / 2, box.y - BOX_H / 2
        badges = []
        if box.start:
            badges.append(("START", "#1a237e"))
        if box.kind in OUTCOME_LABEL:
            badges.append((OUTCOME_LABEL[box.kind], ink))
        if box.kind == "missing":
            badges.append(("MISSING node", "#8e0000"))
        if box.unreachable and box.kind != "missing":
            badges.append(("UNREACHABLE", "#8e0000"))
        if box.trapped:
            badges.append(("NO WAY OUT", "#8e0000"))
        if box.dead_end:
            badges.append(("DEAD END", "#8e0000"))
        bad = box.kind == "missing" or box.unreachable or box.trapped or box.dead_end
        width_attr = "3" if box.start else "2" if bad or box.kind != "node" else "1.2"
        dash = ' stroke-dasharray="6 4"' if bad else ""
        stroke = "#c62828" if bad else "#1a237e" if box.start else stroke
        label = " ".join(b for b, _ in badges)
        out.append(
            f"<g><title>{_esc(box.id)}{' (' + _esc(label.lower()) + ')' if label else ''}: "
            f"{_esc(_short(box.text, 300))}</title>"
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width_attr}"{dash}/>'
        )
        ty = y + 14
        if badges:
            out.append(
                f'<text x="{_num(x + 8)}" y="{_num(ty)}" font-size="9" font-weight="700" '
                f'letter-spacing=".04em" fill="{badges[0][1]}">'
                + " \u00b7 ".join(_esc(b) for b, _ in badges)
                + "</text>"
            )
            ty += 15
        else:
            ty += 3
        out.append(
            f'<text x="{_num(x + 8)}" y="{_num(ty)}" font-size="12" font-weight="700" fill="#102027">'
            f"{_esc(_short(box.id, 26))}</text>"
        )
        for line in _wrap(box.text, 28, 2 if badges else 3):
            ty += 14
            out.append(f'<text x="{_num(x + 8)}" y="{_num(ty)}" fill="#37474f">{_esc(line)}</text>')
        out.append("</g>")

    out.append("</g>")
    # legend
    ly = height - LEGEND_H + 14
    items = [
        ("START", "#ffffff", "#1a237e", "3", ""),
        ("success", *STYLE["success"][:2], "2", ""),
        ("partial", *STYLE["partial"][:2], "2", ""),
        ("failure", *STYLE["failure"][:2], "2", ""),
        ("unreachable or broken", "#ffffff", "#c62828", "2", ' stroke-dasharray="6 4"'),
    ]
    lx = MARGIN
    out.append('<g aria-hidden="true" font-size="10" fill="#263238">')
    for text, fill, stroke, sw, dash in items:
        out.append(
            f'<rect x="{lx}" y="{_num(ly - 9)}" width="22" height="13" rx="3" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{sw}"{dash}/><text x="{lx + 28}" y="{_num(ly + 1)}">{_esc(text)}</text>'
        )
        lx += 40 + int(len(text) * 5.6)
    out.append(
        f'<text x="{MARGIN}" y="{_num(ly + 20)}">Each arrow is one choice: its number in the file, its '
        "text (shortened), its effects and what it needs; dashed arrows are offered only when a meter "
        "is high enough.</text></g>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
