"""Walk every path of every scenario in quizzes/ the way the player does (meters clamp to
their range, a choice is offered only when its requirements are met) and check that each
path ends at an ending within a step limit.

A path that comes back to a state it has already been in (same node, same meter values) is a
loop: from there it can only repeat a walk already made, so the walker does not follow it
round again.  Meters are bounded, so the walk is finite.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache

import pytest

from builder.course import Course
from tests.helpers import REPO

STEP_LIMIT = 60
PATH_LIMIT = 200_000


@lru_cache(maxsize=1)
def flagship() -> Course:
    return Course.load(REPO)


def scenario_ids() -> list[str]:
    return sorted(i.id for i in flagship().items.values() if i.kind == "scenario")


def start_state(model) -> tuple[str, tuple[int, ...]]:
    meters = model.meters or {}
    return model.start, tuple(m.start for m in meters.values())


def offered(model, node_id: str, values: tuple[int, ...]) -> list[tuple[int, str, tuple[int, ...]]]:
    """(choice index, next node, next meter values) for every choice the learner is offered."""
    names = list((model.meters or {}).keys())
    meters = model.meters or {}
    now = dict(zip(names, values, strict=True))
    out = []
    for index, choice in enumerate(model.nodes[node_id].choices or []):
        if any(now[m] < need for m, need in choice.requires.items()):
            continue
        after = dict(now)
        for m, delta in choice.effects.items():
            after[m] = min(meters[m].max, max(meters[m].min, after[m] + delta))
        out.append((index, choice.to, tuple(after[n] for n in names)))
    return out


def walk(model) -> dict:
    """Every path from the start; returns what was found."""
    found = {"paths": 0, "endings": {}, "visited": set(), "loops": 0, "problems": []}
    start = start_state(model)
    stack = [(start, (), frozenset([start]))]
    while stack:
        (node_id, values), path, seen = stack.pop()
        found["visited"].add(node_id)
        node = model.nodes[node_id]
        if node.ending:
            found["paths"] += 1
            found["endings"].setdefault(node_id, path)
            continue
        if len(path) >= STEP_LIMIT:
            found["problems"].append(f"path {list(path)} reaches {STEP_LIMIT} steps without an ending")
            continue
        nexts = offered(model, node_id, values)
        if not nexts:
            found["problems"].append(f"path {list(path)} stops at '{node_id}' with no choice offered")
        for index, target, after in nexts:
            state = (target, after)
            if state in seen:
                found["loops"] += 1
                continue
            stack.append((state, path + (index,), seen | {state}))
        assert found["paths"] < PATH_LIMIT, "too many paths to walk"
    return found


def shortest_path(model, outcome: str) -> list[int] | None:
    """Choice indexes of a shortest path to an ending with ``outcome`` (breadth-first)."""
    start = start_state(model)
    queue = deque([(start, [])])
    seen = {start}
    while queue:
        (node_id, values), path = queue.popleft()
        if model.nodes[node_id].ending == outcome:
            return path
        for index, target, after in offered(model, node_id, values):
            if (target, after) not in seen:
                seen.add((target, after))
                queue.append(((target, after), path + [index]))
    return None


def test_there_are_scenarios():
    assert len(scenario_ids()) >= 1


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_every_path_ends_at_an_ending(scenario_id):
    item = flagship().items[scenario_id]
    assert item.ok, [str(p) for p in item.loaded.problems]
    model = item.model
    found = walk(model)
    assert found["problems"] == []
    assert found["paths"] > 0
    # every node and every ending is met on some path (nothing hidden behind an impossible requirement)
    assert found["visited"] == set(model.nodes), set(model.nodes) - found["visited"]
    endings = {nid for nid, n in model.nodes.items() if n.ending}
    assert set(found["endings"]) == endings
    outcomes = {model.nodes[nid].ending for nid in found["endings"]}
    assert {"success", "failure"} <= outcomes


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_gated_choices_are_reachable(scenario_id):
    """A choice with requirements is offered on at least one path."""
    model = flagship().items[scenario_id].model
    start = start_state(model)
    queue, seen, offered_choices = deque([start]), {start}, set()
    while queue:
        node_id, values = queue.popleft()
        for index, target, after in offered(model, node_id, values):
            offered_choices.add((node_id, index))
            if (target, after) not in seen:
                seen.add((target, after))
                queue.append((target, after))
    gated = {(nid, i) for nid, n in model.nodes.items() for i, c in enumerate(n.choices or []) if c.requires}
    assert gated <= offered_choices, gated - offered_choices


def test_walker_catches_a_dead_end():
    """The walker itself: a requirement that is never met on the only way on is a dead end."""
    from builder.schema import Scenario

    model = Scenario.model_validate(
        {
            "kind": "scenario",
            "title": "t",
            "start": "a",
            "meters": {"calm": {"label": "Calm", "start": 0, "min": 0, "max": 3}},
            "nodes": {
                "a": {"text": "x", "choices": [{"text": "y", "to": "b", "effects": {"calm": -1}}]},
                "b": {
                    "text": "x",
                    "choices": [
                        {"text": "y", "to": "a"},
                        {"text": "z", "to": "c", "requires": {"calm": 2}},
                    ],
                },
                "c": {"text": "x", "ending": "success"},
            },
        }
    )
    found = walk(model)
    assert found["paths"] == 0 and found["loops"] > 0
    assert shortest_path(model, "success") is None
