"""Scenario maps: `course map <id>` and the `::: scenario-map <id>` directive."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from builder.course import Course
from builder.scenario_map import STYLE, scenario_svg
from tests.helpers import REPO, course, make_project, soup

SVG = "{http://www.w3.org/2000/svg}"

BROKEN = """\
kind: scenario
title: Broken <on purpose> & "quoted"
start: a
meters:
  calm: {label: Calm, start: 0, min: 0, max: 3}
nodes:
  a:
    text: "Say <script>alert(1)</script> & more"
    choices:
      - {text: Go, to: b, effects: {calm: 2}}
      - {text: Lost, to: nowhere}
      - {text: Gated, to: win, requires: {calm: 2}}
      - {text: Stay, to: a}
  b:
    text: Fine
    choices:
      - {text: End, to: lose}
      - {text: Back, to: a}
  win: {ending: success, text: Won}
  lose: {ending: failure, text: Lost}
  meh: {ending: partial, text: Nobody gets here}
  orphan:
    text: Also unreachable
    choices:
      - {text: x, to: meh}
"""


def load(tmp_path: Path, text: str = BROKEN, name: str = "s"):
    root = make_project(tmp_path / "proj", {f"quizzes/{name}.yml": text, "content/index.md": "# x\n"})
    return root, Course.load(root).items[name]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_flagship_maps_parse_and_name_every_node():
    c = Course.load(REPO)
    scenarios = [i for i in c.items.values() if i.kind == "scenario"]
    assert scenarios
    for item in scenarios:
        svg = scenario_svg(item)
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and item.model.title in title.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {root.find(f'{SVG}desc').get('id')}"
        labels = texts(root)
        for nid in item.model.nodes:
            assert nid in labels, nid
        fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
        for outcome in {n.ending for n in item.model.nodes.values() if n.ending}:
            assert STYLE[outcome][0] in fills
        assert any(t.startswith("START") for t in labels)
        assert any("SUCCESS ending" in t for t in labels)
        assert "UNREACHABLE" not in svg
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids))


def test_map_is_deterministic():
    item = Course.load(REPO).items["practice-phone-call"]
    assert scenario_svg(item) == scenario_svg(item)
    a = course("map", "practice-phone-call", cwd=REPO)
    b = course("map", "practice-phone-call", cwd=REPO)
    assert a.returncode == 0 and a.stdout == b.stdout == scenario_svg(item)


def test_broken_scenario_map_flags_problems(tmp_path):
    _, item = load(tmp_path)
    assert not item.ok  # errors reported, yet the map still draws
    svg = scenario_svg(item)
    root = ET.fromstring(svg)
    labels = texts(root)
    assert "<script" not in svg and "Say &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in svg
    for nid in ("a", "b", "win", "lose", "meh", "orphan", "nowhere"):
        assert nid in labels
    flat = " ".join(labels)
    assert "UNREACHABLE" in flat and "MISSING node" in flat
    assert "SUCCESS ending" in flat and "FAILURE ending" in flat and "PARTIAL ending" in flat
    # the unreachable boxes are dashed red
    dashed = [
        r for r in root.iter(f"{SVG}rect") if r.get("stroke") == "#c62828" and r.get("stroke-dasharray")
    ]
    assert len(dashed) >= 4  # orphan, meh, nowhere + the legend swatch
    assert "needs calm \u2265 2" in flat  # gated choice labelled
    desc = root.find(f"{SVG}desc").text
    assert "Unreachable: meh, orphan." in desc and "missing nodes: nowhere" in desc


def test_half_written_files_do_not_crash(tmp_path):
    for i, text in enumerate(
        [
            "kind: scenario\ntitle: x\n",
            "kind: scenario\nnodes: [1, 2]\n",
            "kind: scenario\nstart: 3\nnodes:\n  3: {choices: [{to: 3}, 7, {to: [x]}]}\n  4: oops\n",
            "kind: scenario\nstart: a\nnodes:\n  a: {choices: [{to: b, requires: 5}]}\n  b: {ending: maybe}\n",
        ]
    ):
        _, item = load(tmp_path / str(i), text)
        ET.fromstring(scenario_svg(item))


def test_unique_ids_with_uid():
    item = Course.load(REPO).items["practice-phone-call"]
    a, b = scenario_svg(item, "m1"), scenario_svg(item, "m2")
    ids_a = set(re.findall(r' id="([^"]+)"', a))
    ids_b = set(re.findall(r' id="([^"]+)"', b))
    assert ids_a and not ids_a & ids_b


def test_cli_writes_file_and_stdout(tmp_path):
    root, _ = load(tmp_path)
    out = tmp_path / "map.svg"
    result = course("map", "s", "-o", str(out), cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    ET.parse(out)
    result = course("map", "s", cwd=root)
    assert result.returncode == 0
    assert result.stdout == out.read_text(encoding="utf-8")


def test_cli_unknown_id_exits_1(tmp_path):
    root, _ = load(tmp_path)
    (root / "quizzes" / "q.yml").write_text(
        "kind: quiz\ntitle: Q\nquestions:\n  - {id: a, type: true_false, prompt: P, answer: true}\n"
    )
    for name in ("nope", "q"):
        result = course("map", name, cwd=root)
        assert result.returncode == 1
        assert result.stdout == ""
        assert f"no scenario '{name}'" in result.stderr
        assert "Traceback" not in result.stderr


def test_guide_page_shows_every_map(handbook_site):
    page = soup(handbook_site / "guide" / "scenarios.html")
    figures = page.select("figure.cq-map")
    scenarios = sorted(i.id for i in Course.load(REPO).items.values() if i.kind == "scenario")
    assert len(figures) >= len(scenarios)
    shown = set()
    for fig in figures:
        svg = fig.find("svg")
        assert svg is not None and svg.get("role") == "img" and svg.find("title") is not None
        shown |= {s for s in scenarios if f"{s}.yml" in fig.get_text()}
    assert shown == set(scenarios)
    ids = Counter(el.get("id") for el in page.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []


def test_map_directive_in_a_small_project(tmp_path):
    from tests.helpers import build_ok

    valid = BROKEN.replace("      - {text: Lost, to: nowhere}\n", "").replace(
        "  meh: {ending: partial, text: Nobody gets here}\n  orphan:\n    text: Also unreachable\n"
        "    choices:\n      - {text: x, to: meh}\n",
        "",
    )
    root = make_project(
        tmp_path / "p",
        {
            "quizzes/s.yml": valid,
            "content/index.md": "# Home\n\n::: scenario s\n",
            "content/guide.md": "# Guide\n\n::: scenario-map s\n\nText.\n\n::: scenario-map s\n\n```\n::: scenario-map s\n```\n",
        },
    )
    result = course("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = build_ok(root, tmp_path / "site")
    page = soup(site / "guide.html")
    assert len(page.select("figure.cq-map svg[role=img]")) == 2
    assert "::: scenario-map s" in page.select_one("pre code").get_text()  # fenced code left alone
    ids = Counter(el.get("id") for el in page.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []
    # the guide does not count as a use of the scenario, nor as its page in the manifest
    manifest = (site / "assets" / "course" / "manifest.js").read_text()
    assert '"pages":["index.html"]' in manifest


# ---------------------------------------------------------------- issue 12: maps that tell the truth

GATED = """\
kind: scenario
title: Gates
start: a
meters:
  safety: {label: Safety, start: 0, min: 0, max: 5}
nodes:
  a:
    text: Start
    choices:
      - {text: "Ask the customer what happened before anything else", to: b, effects: {safety: 1}}
      - {text: Wait, to: b}
      - {text: Escalate now, to: b, requires: {safety: 3}, effects: {safety: -2}}
      - {text: Think again, to: a, effects: {safety: 1}}
  b: {ending: success, text: Done}
"""


def _arrow_titles(root: ET.Element) -> list[str]:
    return [p.find(f"{SVG}title").text for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]


def test_one_arrow_per_choice_with_text_requirement_and_effects(tmp_path):
    _, item = load(tmp_path, GATED, "g")
    root = ET.fromstring(scenario_svg(item))
    assert _arrow_titles(root) == [
        "choice 1 of a leads to b: Ask the customer what happened before anything else; effects safety +1",
        "choice 2 of a leads to b: Wait",
        "choice 3 of a leads to b: Escalate now; offered only when safety \u2265 3; effects safety \u22122",
        "choice 4 of a leads to a: Think again; effects safety +1",
    ]
    dashed = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert len(dashed) == 1 and "Escalate now" in dashed[0].find(f"{SVG}title").text
    labels = [" | ".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.find(f"{SVG}tspan") is not None]
    assert "1. Ask the customer what happ\u2026 | safety +1" in labels
    assert "2. Wait" in labels
    assert "3. Escalate now | safety \u22122 \u00b7 needs safety \u2265 3" in labels
    assert "4. Think again | safety +1" in labels


def test_self_loop_and_labels_are_drawn_whole(tmp_path):
    _, item = load(tmp_path, GATED, "g")
    root = ET.fromstring(scenario_svg(item))
    width = float(root.get("width"))
    titled = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    loop = next(p for p in titled if "leads to a:" in p.find(f"{SVG}title").text)
    xs = [float(v) for v in re.findall(r"[MC ]?(-?\d+(?:\.\d+)?) -?\d+(?:\.\d+)?", loop.get("d"))]
    shift = re.search(r"translate\((-?[\d.]+)", scenario_svg(item))
    dx = float(shift.group(1)) if shift else 0.0
    assert max(xs) + dx < width
    drawing = next(g for g in root.iter(f"{SVG}g") if g.get("transform")) if dx else root
    for rect in drawing.iter(f"{SVG}rect"):
        x, w = float(rect.get("x", 0)), float(rect.get("width"))
        assert x + dx >= 0 and x + w + dx <= width + 0.5


def test_map_in_guide_fits_the_column_zooms_and_opens_full_size(tmp_path, browser):
    from tests.helpers import Server, build_ok

    root = make_project(
        tmp_path / "p",
        {
            "quizzes/practice-phone-call.yml": re.sub(  # its links to the flagship's lessons: home
                r"\]\(modules/[^)\s]+\)",
                "](index.md)",
                (REPO / "quizzes" / "practice-phone-call.yml").read_text(),
            ),
            "content/index.md": "# Home\n\n::: scenario practice-phone-call\n",
            "content/guide/maps.md": "# Maps\n\n::: scenario-map practice-phone-call\n",
        },
    )
    site = build_ok(root, tmp_path / "site")
    page_html = soup(site / "guide" / "maps.html")
    link = page_html.select_one(".cq-map__tools a")
    assert link.get_text() == "Open full size"
    assert link["href"] == "../assets/course/maps/practice-phone-call.svg"
    ET.parse(site / "assets" / "course" / "maps" / "practice-phone-call.svg")
    with Server(site) as server:
        for width in (1280, 390):
            ctx = browser.new_context(viewport={"width": width, "height": 900})
            page = ctx.new_page()
            page.goto(server.url + "guide/maps.html")
            frame = page.locator(".cq-map__frame")
            svg = page.locator(".cq-map__frame svg")
            assert svg.bounding_box()["width"] <= frame.bounding_box()["width"] + 1
            page.screenshot(path=str(tmp_path / f"map-fit-{width}.png"))
            page.get_by_text("Zoom in or out").click()
            natural = float(svg.get_attribute("width"))
            assert abs(svg.bounding_box()["width"] - natural) < 2
            assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
            page.screenshot(path=str(tmp_path / f"map-zoom-{width}.png"))
            page.get_by_text("Zoom in or out").click()
            assert svg.bounding_box()["width"] <= frame.bounding_box()["width"] + 1
            ctx.close()
