"""Rules the schema cannot express.  They read the plain data defensively, so they run even
when the schema found other mistakes in the same file: the author sees every error at once.

Scenario graph checks are linear in nodes + choices: one forward search from ``start`` and
one backward search from the endings.
"""

from __future__ import annotations

from collections import deque
from typing import Any

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


# ---------------------------------------------------------------- scenarios


def scenario_edges(nodes: dict) -> dict[str, list[tuple[int, str]]]:
    """node id -> [(choice index, target id)] for every well-formed choice."""
    edges: dict[str, list[tuple[int, str]]] = {}
    for nid, node in nodes.items():
        out = []
        for ci, choice in enumerate(_list(_dict(node).get("choices"))):
            target = _dict(choice).get("to")
            if isinstance(target, str):
                out.append((ci, target))
        edges[nid] = out
    return edges


def reachable_from(start: str, edges: dict[str, list[tuple[int, str]]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for _, target in edges.get(queue.popleft(), ()):
            if target in edges and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def check_scenario(loaded: Loaded) -> None:
    data, add = _dict(loaded.data), loaded.problems.add
    nodes = _dict(data.get("nodes"))
    meters = _dict(data.get("meters"))
    if not nodes:
        return
    edges = scenario_edges(nodes)

    # meters: ranges, and how high each can ever go
    ceiling: dict[str, int] = {}
    for name, meter in meters.items():
        m = _dict(meter)
        lo, hi, start = m.get("min", 0), m.get("max", 10), m.get("start", 0)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi, start)):
            continue
        if lo > hi:
            add(loaded.line(("meters", name)), f"meter '{name}' has min {lo} above max {hi}")
        elif not lo <= start <= hi:
            add(
                loaded.line(("meters", name, "start")),
                f"meter '{name}' starts at {start}, outside {lo}..{hi}",
            )
        ceiling[name] = (
            hi
            if any(
                (_dict(_dict(c).get("effects")).get(name) or 0) > 0
                for n in nodes.values()
                for c in _list(_dict(n).get("choices"))
                if isinstance(_dict(_dict(c).get("effects")).get(name, 0), int)
            )
            else start
        )

    # start
    start = data.get("start")
    if isinstance(start, str) and start not in nodes:
        near = _near(start, nodes)
        add(loaded.line(("start",)), f"start node '{start}' does not exist{near}")

    endings = set()
    for nid, node in nodes.items():
        node = _dict(node)
        here = ("nodes", nid)
        choices = _list(node.get("choices"))
        if node.get("ending") is not None:
            endings.add(nid)
            if choices:
                add(
                    loaded.line(here + ("choices",)),
                    f"ending '{nid}' has choices; an ending closes the scenario",
                )
            continue
        if not choices:
            add(
                loaded.line(here),
                f"node '{nid}' has no choices and is not an ending (add choices or 'ending:')",
            )
            continue
        open_choice = False
        for ci, choice in enumerate(choices):
            choice = _dict(choice)
            at = here + ("choices", ci)
            target = choice.get("to")
            if isinstance(target, str) and target not in nodes:
                add(
                    loaded.line(at + ("to",)),
                    f"choice leads to node '{target}', which does not exist{_near(target, nodes)}",
                )
            for field in ("effects", "requires"):
                for meter, value in _dict(choice.get(field)).items():
                    if meter not in meters:
                        what = "an effect" if field == "effects" else "a requirement"
                        declared = ", ".join(meters) or "none are declared"
                        add(
                            loaded.line(at + (field, meter)),
                            f"{what} on meter '{meter}', which is not declared ({declared})",
                        )
                    elif field == "requires" and isinstance(value, int) and meter in ceiling:
                        hi = ceiling[meter]
                        if value > hi:
                            why = (
                                f"its max is {hi}"
                                if hi == _dict(meters[meter]).get("max")
                                else (f"it starts at {hi} and no choice raises it")
                            )
                            add(
                                loaded.line(at + (field, meter)),
                                f"requirement {meter} >= {value} can never be met ({why})",
                            )
            if not _dict(choice.get("requires")):
                open_choice = True
        if not open_choice:
            add(
                loaded.line(here + ("choices",)),
                f"every choice at node '{nid}' has a requirement; a learner who meets none would be stuck "
                "(leave at least one choice without 'requires')",
            )

    if not endings:
        add(loaded.line(("nodes",)), "the scenario has no ending (mark at least one node with 'ending:')")

    # unreachable nodes
    if isinstance(start, str) and start in nodes:
        reached = reachable_from(start, edges)
        for nid in nodes:
            if nid not in reached:
                add(loaded.line(("nodes", nid)), f"node '{nid}' cannot be reached from start node '{start}'")

    # trap loops: nodes from which no ending is reachable (one backward search from all endings)
    if endings:
        reverse: dict[str, list[str]] = {nid: [] for nid in nodes}
        for nid, out in edges.items():
            for _, target in out:
                if target in reverse:
                    reverse[target].append(nid)
        finishing = set(endings)
        queue = deque(endings)
        while queue:
            for source in reverse[queue.popleft()]:
                if source not in finishing:
                    finishing.add(source)
                    queue.append(source)
        for nid, node in nodes.items():
            if nid not in finishing and _list(_dict(node).get("choices")):
                add(
                    loaded.line(("nodes", nid)),
                    f"no ending can be reached from node '{nid}' (its choices only loop back)",
                )


def _near(name: str, nodes: dict) -> str:
    import difflib

    match = difflib.get_close_matches(name, list(nodes), n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""
