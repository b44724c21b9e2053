"""Issue 9 item 7, build side: each ending's name (for [data-endings]) and the best path the
debrief shows after a success ending, as the player reads them from script[data-scenario-data]."""

from __future__ import annotations

import json

from builder.course import Course
from builder.render import PageContext
from builder.scenario_render import best_path, ending_name, scenario_context
from builder.schema import Scenario
from tests.helpers import REPO
from tests.test_scenario_paths import offered, start_state


def test_ending_names_from_the_bold_lead_else_the_first_sentence():
    assert ending_name("<p><strong>Sorted.</strong> The blender came.</p>", "Success") == "Sorted"
    assert ending_name("<p>She walked out. Nobody stopped her.</p>", "Failure") == "She walked out"
    assert ending_name("<p></p>", "Failure") == "Failure"
    long = "<p>" + "word " * 40 + "</p>"
    assert len(ending_name(long, "Partial success")) <= 80


def test_best_path_is_shortest_to_success_with_the_highest_meters():
    model = Scenario.model_validate(
        {
            "kind": "scenario",
            "title": "t",
            "start": "a",
            "meters": {"calm": {"label": "Calm", "start": 2, "min": 0, "max": 4}},
            "nodes": {
                "a": {
                    "text": "a",
                    "choices": [
                        {"text": "long way", "to": "b"},
                        {"text": "short, cold", "to": "win", "effects": {"calm": -1}},
                        {"text": "short, warm", "to": "win", "effects": {"calm": 1}},
                        {"text": "lose", "to": "lose"},
                    ],
                },
                "b": {"text": "b", "choices": [{"text": "on", "to": "win"}]},
                "win": {"ending": "success", "text": "**Won.** Yes."},
                "lose": {"ending": "failure", "text": "No."},
            },
        }
    )
    assert best_path(model) == [2]


def test_every_flagship_scenario_carries_endings_and_a_best_path():
    course = Course.load(REPO)
    for item in course.items.values():
        if item.kind != "scenario":
            continue
        ctx = scenario_context(item.id, item.model, item.version, PageContext(), "x")
        data = json.loads(str(ctx["data"]))
        assert len(data["endings"]) == sum(1 for n in item.model.nodes.values() if n.ending)
        assert all(e["name"] for e in data["endings"])
        # walk the best path as the player does: it ends at a success ending
        node, values = start_state(item.model)
        for index in data["best"]:
            step = {i: (to, after) for i, to, after in offered(item.model, node, values)}
            node, values = step[index]
        assert item.model.nodes[node].ending == "success", item.id
