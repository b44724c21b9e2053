"""Template context for the scenario player (``templates/scenario.html``).

The page carries two things:

- author text (node text, choices, feedback, debriefs), rendered here with ``markdown_html``
  (sanitized) into inert ``<template data-tpl="<node id>">`` elements the player clones;
- structure (start, meters, where each choice leads, its effects and requirements, endings) as
  JSON in ``<script type="application/json" data-scenario-data>``.

The player (``assets/course/scenario.js``) never inserts an author string as HTML itself.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import deque

from markupsafe import Markup

from .render import PageContext, _env, json_for_script, markdown_html
from .schema import Scenario

# how each mood reads on the face: (mouth curve, brows).  Unknown moods get a neutral face;
# the mood is always shown as text too.
MOODS: dict[str, tuple[int, str]] = {
    "furious": (-4, "angry"),
    "angry": (-3, "angry"),
    "frustrated": (-2, "angry"),
    "impatient": (-2, "flat"),
    "upset": (-2, "worried"),
    "anxious": (-1, "worried"),
    "worried": (-1, "worried"),
    "neutral": (0, ""),
    "calmer": (1, ""),
    "calm": (2, ""),
    "relieved": (2, "worried"),
    "satisfied": (3, ""),
    "pleased": (3, ""),
    "happy": (4, ""),
}
OUTCOMES = {"success": "Success", "partial": "Partial success", "failure": "Failure"}
_LINK = re.compile(r"</?a\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_LEAD_STRONG = re.compile(r"^\s*<p>\s*<strong>(.*?)</strong>", re.S)
BEST_PATH_STATES = 20_000  # search budget for the best path (states of node and meter values)


def mood_face(mood: str | None) -> Markup:
    """A small face (decorative: the mood is also written out) for a mood word."""
    curve, brows = MOODS.get((mood or "").strip().lower(), (0, ""))
    tone = "neg" if curve < 0 else "pos" if curve > 0 else "neutral"
    mouth_y = 16.5 - curve * 0.25
    parts = [
        f'<svg class="cq-face cq-face--{tone}" viewBox="0 0 24 24" width="40" height="40" '
        'aria-hidden="true" focusable="false">',
        '<circle cx="12" cy="12" r="10.5" class="cq-face__head"/>',
        '<circle cx="8.6" cy="10" r="1.3"/><circle cx="15.4" cy="10" r="1.3"/>',
        f'<path d="M7.5 {mouth_y:g} Q12 {mouth_y + curve * 1.1:g} 16.5 {mouth_y:g}" class="cq-face__line"/>',
    ]
    if brows == "angry":
        parts.append('<path d="M6 6.2 L10.2 8 M18 6.2 L13.8 8" class="cq-face__line"/>')
    elif brows == "worried":
        parts.append('<path d="M6.4 7.8 L10 6.4 M17.6 7.8 L14 6.4" class="cq-face__line"/>')
    elif brows == "flat":
        parts.append('<path d="M6.6 7 L10 7 M14 7 L17.4 7" class="cq-face__line"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _no_links(html: Markup) -> Markup:
    """Choice text goes inside a <button>, where a link cannot live: keep its words only."""
    return Markup(_LINK.sub("", str(html))) if "<a" in html else html


def ending_name(debrief_html: str, outcome: str) -> str:
    """A short plain-text name for an ending (issue 9 item 7): the bold lead-in of its debrief
    ("**Sorted.** The new blender came ...") without its full stop, else its first sentence
    (at most 80 characters), else the outcome word."""
    lead = _LEAD_STRONG.match(debrief_html)
    text = html_lib.unescape(_TAG.sub("", lead.group(1) if lead else debrief_html))
    text = " ".join(text.split())
    if not lead:
        text = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    text = text.rstrip(".:;, ")
    if len(text) > 80:
        text = text[:79].rsplit(" ", 1)[0] + "\u2026"
    return text or outcome


def best_path(scenario: Scenario) -> list[int]:
    """Choice indexes of a best way through (issue 9 item 7): the fewest steps to a success
    ending, and among those the one that leaves the meters highest in total. Meters clamp and
    requirements apply as in the player. Empty when no success ending is reachable within
    ``BEST_PATH_STATES`` states."""
    meters = scenario.meters or {}
    names = list(meters)
    start = (scenario.start, tuple(meters[n].start for n in names))
    came: dict[tuple, tuple | None] = {start: None}
    queue = deque([start])
    found: list[tuple] = []
    depth_of = {start: 0}
    while queue and len(came) < BEST_PATH_STATES:
        state = queue.popleft()
        if found and depth_of[state] >= depth_of[found[0]]:
            break
        node_id, values = state
        node = scenario.nodes.get(node_id)
        if node is None:
            continue
        now = dict(zip(names, values, strict=True))
        for index, choice in enumerate(node.choices or []):
            if any(now.get(m, 0) < need for m, need in choice.requires.items()):
                continue
            after = dict(now)
            for m, delta in choice.effects.items():
                if m in meters:
                    after[m] = min(meters[m].max, max(meters[m].min, after[m] + delta))
            nxt = (choice.to, tuple(after[n] for n in names))
            if nxt in came or choice.to not in scenario.nodes:
                continue
            came[nxt] = (state, index)
            depth_of[nxt] = depth_of[state] + 1
            if scenario.nodes[choice.to].ending == "success":
                found.append(nxt)
            else:
                queue.append(nxt)
    if not found:
        return []
    best = max(found, key=lambda st: (-depth_of[st], sum(st[1])))
    path: list[int] = []
    while came[best] is not None:
        best, index = came[best]
        path.append(index)
    return path[::-1]


def scenario_context(scenario_id: str, scenario: Scenario, version: str, ctx: PageContext, uid: str) -> dict:
    def md(text, inline=False):
        return markdown_html(text, ctx, inline)

    meters = [
        {"name": name, "label": m.label, "start": m.start, "min": m.min, "max": m.max}
        for name, m in (scenario.meters or {}).items()
    ]
    nodes = []
    data_nodes: dict[str, dict] = {}
    endings: list[dict] = []
    for nid, node in scenario.nodes.items():
        choices = node.choices or []
        nodes.append(
            {
                "id": nid,
                "speaker": node.speaker,
                "mood": node.mood,
                "face": mood_face(node.mood) if node.mood else None,
                "ending": node.ending,
                "outcome": ctx.t(f"scenario.outcome.{node.ending}") if node.ending in OUTCOMES else None,
                "text": md(node.text),
                "choices": [
                    {"text": _no_links(md(c.text, inline=True)), "feedback": md(c.feedback)} for c in choices
                ],
            }
        )
        entry: dict = {}
        if node.ending:
            entry["ending"] = node.ending
            name = ending_name(str(nodes[-1]["text"]), ctx.t(f"scenario.outcome.{node.ending}"))
            endings.append({"node": nid, "ending": node.ending, "name": name})
        else:
            entry["choices"] = [
                {
                    "to": c.to,
                    **({"effects": c.effects} if c.effects else {}),
                    **({"requires": c.requires} if c.requires else {}),
                }
                for c in choices
            ]
        if node.speaker:
            entry["speaker"] = node.speaker
        if node.mood:
            entry["mood"] = node.mood
        data_nodes[nid] = entry
    data = {
        "start": scenario.start,
        "meters": meters,
        "nodes": data_nodes,
        "version": version,
        "endings": endings,
        "best": best_path(scenario),
    }
    return {
        "id": scenario_id,
        "uid": uid,
        "version": version,
        "title": md(scenario.title, inline=True),
        "description": md(scenario.description),
        "meters": meters,
        "nodes": nodes,
        "endings": endings,
        "data": json_for_script(data),
    }


def render_scenario(scenario_id: str, scenario: Scenario, version: str, ctx: PageContext, uid: str) -> str:
    """The scenario player's HTML (``templates/scenario.html``) for one embed; ``uid`` makes its
    element ids unique on the page."""
    return (
        _env()
        .get_template("scenario.html")
        .render(t=ctx.t, **scenario_context(scenario_id, scenario, version, ctx, uid))
    )
