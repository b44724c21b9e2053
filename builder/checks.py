"""Rules the schema cannot express.  They read the plain data defensively, so they run even
when the schema found other mistakes in the same file: the author sees every error at once.

Scenario graph checks are linear in nodes + choices: one forward search from ``start`` and
one backward search from the endings.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from . import quiz_checks
from .loader import Loaded


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


# ---------------------------------------------------------------- quizzes


def check_quiz(loaded: Loaded) -> None:
    data, add = _dict(loaded.data), loaded.problems.add
    seen_ids: dict[str, int] = {}
    for qi, question in enumerate(_list(data.get("questions"))):
        if not isinstance(question, dict):
            add(loaded.line(("questions", qi)), "each question must be a mapping with id, type and prompt")
            continue
        qid = question.get("id")
        here = ("questions", qi)
        if isinstance(qid, str):
            if qid in seen_ids:
                add(
                    loaded.line(here + ("id",)),
                    f"duplicate question id '{qid}' (first used on line {seen_ids[qid]})",
                )
            else:
                seen_ids[qid] = loaded.line(here + ("id",))
        qtype = question.get("type")
        options = _list(question.get("options"))
        correct = [o for o in options if isinstance(o, dict) and o.get("correct") is True]
        if qtype == "single" and options:
            if len(correct) != 1:
                add(
                    loaded.line(here + ("options",)),
                    f"single-choice question '{qid}' needs exactly one option with correct: true, found {len(correct)}",
                )
        elif qtype == "multiple" and options and not correct:
            add(
                loaded.line(here + ("options",)),
                f"multiple-choice question '{qid}' has no option with correct: true",
            )
        if qtype in ("single", "multiple"):
            texts: dict[str, int] = {}
            for oi, option in enumerate(options):
                text = option.get("text") if isinstance(option, dict) else None
                if isinstance(text, str):
                    norm = " ".join(text.split()).lower()
                    if norm in texts:
                        add(
                            loaded.line(here + ("options", oi)),
                            f"option '{text}' appears twice in question '{qid}'",
                        )
                    texts[norm] = oi
        elif qtype in ("true_false", "text", "order") and "options" in question:
            pass  # the schema already reports the unknown key
        if qtype == "order":
            items = [" ".join(str(i).split()).lower() for i in _list(question.get("items"))]
            if len(set(items)) != len(items):
                add(loaded.line(here + ("items",)), f"order question '{qid}' lists the same item twice")
        if qtype == "text":
            accept = [a for a in _list(question.get("accept")) if isinstance(a, str) and not a.strip()]
            if accept:
                add(loaded.line(here + ("accept",)), f"text question '{qid}' accepts an empty answer")
            quiz_checks.check_accept(loaded, here, qid, _list(question.get("accept")))
    quiz_checks.check_pool(loaded, data)


# ---------------------------------------------------------------- scenarios

NEAR_LIMIT = 2_000  # beyond this many nodes, skip "did you mean" (difflib is not linear)


def _ident(value: Any) -> str | None:
    """A node id as written: text, or a bare number YAML read as one."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


Choice_ = tuple  # (index, target id or None, effects dict, requires dict)


def _choices(node: Any) -> list[Choice_]:
    out = []
    for ci, choice in enumerate(_list(_dict(node).get("choices"))):
        if isinstance(choice, dict):
            out.append(
                (ci, _ident(choice.get("to")), _dict(choice.get("effects")), _dict(choice.get("requires")))
            )
    return out


def scenario_edges(nodes: dict) -> dict[str, list[tuple[int, str]]]:
    """node id -> [(choice index, target id)] for every choice with a target."""
    return {nid: [(c[0], c[1]) for c in _choices(node) if c[1] is not None] for nid, node in nodes.items()}


def reachable_from(start: str, edges: dict[str, list[tuple[int, str]]]) -> set[str]:
    """Nodes some path from ``start`` reaches (breadth-first, linear)."""
    seen = {start}
    queue = deque([start])
    while queue:
        for _, target in edges.get(queue.popleft(), ()):
            if target in edges and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _backward(targets: set[str], reverse: dict[str, list[str]]) -> set[str]:
    found = set(targets)
    queue = deque(targets)
    while queue:
        for source in reverse[queue.popleft()]:
            if source not in found:
                found.add(source)
                queue.append(source)
    return found


def reaching(targets: set[str], nodes: dict, open_only: bool = False) -> set[str]:
    """Nodes from which some path leads to one of ``targets`` (one backward search, linear).

    ``open_only``: follow only choices without ``requires``, the ones every learner is offered.
    """
    reverse: dict[str, list[str]] = {nid: [] for nid in nodes}
    for nid, node in nodes.items():
        for _, target, _, requires in _choices(node):
            if target in reverse and not (open_only and requires):
                reverse[target].append(nid)
    return _backward(targets, reverse)


def scenario_endings(nodes: dict) -> set[str]:
    return {nid for nid, node in nodes.items() if _dict(node).get("ending") is not None}


def check_scenario(loaded: Loaded) -> None:
    """Graph rules, each reported on the author's line.  Linear in nodes + choices: the file
    is read once into (node -> choices), then one forward search from the start and two
    backward searches from the endings."""
    data, add = _dict(loaded.data), loaded.problems.add
    nodes = _dict(data.get("nodes"))
    meters = _dict(data.get("meters"))
    if not nodes:
        return
    graph = {nid: _choices(node) for nid, node in nodes.items()}
    endings = scenario_endings(nodes)
    near = (lambda name: _near(name, nodes)) if len(nodes) <= NEAR_LIMIT else (lambda name: "")

    # meters: sane ranges, and the highest value each can ever reach (its max if some
    # choice raises it, else its start): a requirement above that can never be met
    raised = {
        meter
        for choices in graph.values()
        for choice in choices
        for meter, delta in choice[2].items()
        if _int(delta) and delta > 0
    }
    ceiling: dict[str, int] = {}
    for name, meter in meters.items():
        m = _dict(meter)
        lo, hi, start = m.get("min", 0), m.get("max", 10), m.get("start", 0)
        if not all(_int(v) for v in (lo, hi, start)):
            continue  # the schema reports it
        if lo > hi:
            add(loaded.line(("meters", name)), f"meter '{name}' has min {lo} above max {hi}")
            continue
        if not lo <= start <= hi:
            add(
                loaded.line(("meters", name, "start")),
                f"meter '{name}' starts at {start}, outside {lo}..{hi}",
            )
            start = min(max(start, lo), hi)
        ceiling[name] = hi if name in raised else start

    # start
    start = _ident(data.get("start"))
    if start is not None and start not in nodes:
        add(loaded.line(("start",)), f"start node '{start}' does not exist{near(start)}")

    reverse: dict[str, list[str]] = {nid: [] for nid in nodes}
    reverse_open: dict[str, list[str]] = {nid: [] for nid in nodes}
    for nid, choices in graph.items():
        here = ("nodes", nid)
        if nid in endings:
            if _list(_dict(nodes[nid]).get("choices")):
                add(
                    loaded.line(here + ("choices",)),
                    f"ending '{nid}' has choices; an ending closes the scenario "
                    "(remove its choices or its 'ending:')",
                )
            continue
        if not choices:
            add(
                loaded.line(here + ("choices",)),
                f"node '{nid}' has no choices and is not an ending (add choices, or 'ending: success', "
                "'partial' or 'failure')",
            )
            continue
        open_choice = False
        for ci, target, effects, requires in choices:
            if target is not None:
                if target in reverse:
                    reverse[target].append(nid)
                    if not requires:
                        reverse_open[target].append(nid)
                else:
                    add(
                        loaded.line(here + ("choices", ci, "to")),
                        f"choice {ci + 1} of node '{nid}' leads to node '{target}', which does not exist{near(target)}",
                    )
            if not requires:
                open_choice = True
            if not effects and not requires:
                continue
            for field, values in (("effects", effects), ("requires", requires)):
                for meter, value in values.items():
                    if meter not in meters:
                        what = "an effect" if field == "effects" else "a requirement"
                        declared = ", ".join(meters) if meters else "none are declared under 'meters:'"
                        add(
                            loaded.line(here + ("choices", ci, field, meter)),
                            f"{what} on meter '{meter}', which is not declared ({declared})",
                        )
                    elif field == "requires" and _int(value) and meter in ceiling and value > ceiling[meter]:
                        hi = ceiling[meter]
                        why = (
                            f"its max is {hi}"
                            if meter in raised
                            else f"it starts at {hi} and no choice raises it"
                        )
                        add(
                            loaded.line(here + ("choices", ci, field, meter)),
                            f"requirement {meter} >= {value} can never be met ({why})",
                        )
        if not open_choice:
            add(
                loaded.line(here + ("choices",)),
                f"every choice at node '{nid}' has a requirement; a learner who meets none would be stuck "
                "(leave at least one choice without 'requires')",
            )

    if not endings:
        add(loaded.line(("nodes",)), "the scenario has no ending (mark at least one node with 'ending:')")

    # unreachable nodes: one forward search from start
    if start is not None and start in nodes:
        seen = {start}
        queue = deque([start])
        while queue:
            for choice in graph[queue.popleft()]:
                target = choice[1]
                if target in graph and target not in seen:
                    seen.add(target)
                    queue.append(target)
        if len(seen) < len(nodes):
            for nid in nodes:
                if nid not in seen:
                    add(
                        loaded.line(("nodes", nid)),
                        f"node '{nid}' cannot be reached from start node '{start}'",
                    )

    # trap loops: one backward search from the endings over every choice, one over the
    # choices without requirements (the ones every learner is offered)
    if endings:
        finishing = _backward(endings, reverse)
        open_finishing = _backward(endings, reverse_open)
        if len(open_finishing) == len(nodes):
            return
        for nid, choices in graph.items():
            if nid in endings or not choices or nid in open_finishing:
                continue
            if nid not in finishing:
                add(
                    loaded.line(("nodes", nid)),
                    f"no ending can be reached from node '{nid}': its choices only lead round in a loop "
                    "(a trap loop; give one of them a way out to an ending)",
                )
            else:
                # a warning, not an error: a loop may be meant to build a meter up until the
                # gated way out opens; the author should make sure it can
                loaded.problems.warn(
                    loaded.line(("nodes", nid)),
                    f"from node '{nid}' every way to an ending goes through a choice with 'requires'; a "
                    "learner whose meters stay too low could loop forever (check the loop raises them, or "
                    "give a choice without requirements a way out)",
                )


def check_meter_starts(loaded: Loaded) -> None:
    """Warn when a meter starts at its min or max (issue 9 item 6): one push that way pins it,
    and the learner then sees no change for the next choice that pushes further. A warning on
    the meter's ``start`` line; the build goes on."""
    meters = _dict(_dict(loaded.data).get("meters"))
    for name, meter in meters.items():
        m = _dict(meter)
        lo, hi, start = m.get("min", 0), m.get("max", 10), m.get("start", 0)
        if not all(_int(v) for v in (lo, hi, start)) or not lo < hi or start not in (lo, hi):
            continue  # bad ranges are errors reported by check_scenario and the schema
        end, way = ("minimum", "fall") if start == lo else ("maximum", "rise")
        loaded.problems.warn(
            loaded.line(("meters", name, "start")),
            f"meter '{name}' starts at its {end} ({start} of {lo}..{hi}), so it cannot {way} "
            f"and the learner sees no change when a choice pushes it further; start it between "
            f"{lo} and {hi} (for example {(lo + hi + 1) // 2})",
        )


def _near(name: str, nodes: dict) -> str:
    import difflib

    match = difflib.get_close_matches(name, list(nodes), n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""
