"""Every way through a scenario, played as the player plays it (issue 12, item 6).

The player (``scenario.js``) starts each meter at its ``start``; a choice is offered when every
meter it ``requires`` is at least that value; its ``effects`` are added and each meter is kept
within its ``min``..``max``.  A walk that comes back to a state it was already in on the same
path (same node, same meter values) would only repeat itself, so it is not followed further.
Meters are bounded, so every walk ends.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


@dataclass
class Step:
    node: str
    choice: int  # 1-based, as authors count them
    text: str


@dataclass
class Walk:
    """One path from the start to an ending: its steps and the meters at the end."""

    ending: str
    steps: list[Step] = field(default_factory=list)
    meters: dict[str, int] = field(default_factory=dict)


class Player:
    """The scenario's rules over plain data (a file that passed ``course check``)."""

    def __init__(self, data: dict):
        self.data = _dict(data)
        self.nodes = {str(k): _dict(v) for k, v in _dict(self.data.get("nodes")).items()}
        self.meters = {}
        for name, meter in _dict(self.data.get("meters")).items():
            m = _dict(meter)
            lo, hi = _int(m.get("min"), 0), _int(m.get("max"), 10)
            self.meters[str(name)] = (lo, hi, min(max(_int(m.get("start"), 0), lo), hi))
        self.names = list(self.meters)
        self.start = str(self.data.get("start"))

    def initial(self) -> tuple[int, ...]:
        return tuple(self.meters[n][2] for n in self.names)

    def ending(self, node: str) -> str | None:
        value = self.nodes.get(node, {}).get("ending")
        return str(value) if value is not None else None

    def moves(self, node: str, values: tuple[int, ...]):
        """(1-based choice number, choice text, target, new meter values) for each offered choice."""
        current = dict(zip(self.names, values, strict=True))
        for ci, choice in enumerate(_list(self.nodes.get(node, {}).get("choices"))):
            choice = _dict(choice)
            target = choice.get("to")
            target = str(target) if target is not None else None
            if target not in self.nodes:
                continue
            if any(current.get(m, 0) < _int(v, 0) for m, v in _dict(choice.get("requires")).items()):
                continue
            after = dict(current)
            for m, delta in _dict(choice.get("effects")).items():
                if m in self.meters:
                    lo, hi, _ = self.meters[m]
                    after[m] = min(hi, max(lo, after[m] + _int(delta, 0)))
            yield ci + 1, str(choice.get("text") or ""), target, tuple(after[n] for n in self.names)

    def shortest(self) -> dict[str, Walk]:
        """The shortest walk to each ending that can be reached (breadth first over states)."""
        if self.start not in self.nodes:
            return {}
        first = (self.start, self.initial())
        back: dict[tuple, tuple | None] = {first: None}
        queue = deque([first])
        found: dict[str, Walk] = {}
        while queue:
            state = queue.popleft()
            node, values = state
            if self.ending(node) is not None:
                if node not in found:
                    found[node] = self._walk(state, back)
                continue
            for number, text, target, after in self.moves(node, values):
                nxt = (target, after)
                if nxt not in back:
                    back[nxt] = (state, number, text)
                    queue.append(nxt)
            if len(back) > 500_000:  # enormous meter ranges: what was found so far
                break
        return found

    def _walk(self, state: tuple, back: dict) -> Walk:
        steps = []
        at = state
        while back[at] is not None:
            prev, number, text = back[at]
            steps.append(Step(prev[0], number, text))
            at = prev
        steps.reverse()
        return Walk(state[0], steps, dict(zip(self.names, state[1], strict=True)))

    def walks(self, keep: int = 100, limit: int = 1_000_000) -> tuple[list[Walk], dict[str, int], bool]:
        """Every walk to an ending (depth first, in choice order): the first ``keep`` to each ending
        in full, a count per ending, and whether counting stopped at ``limit`` walks (then the counts are
        lower bounds)."""
        kept: list[Walk] = []
        counts: dict[str, int] = {}
        total = 0
        if self.start not in self.nodes:
            return kept, counts, False
        path: list[Step] = []
        on_path: set[tuple] = set()
        stack: list = [(self.start, self.initial(), iter(()), None)]
        # iterative DFS: (node, values, moves iterator, step that led here)
        first = True
        while stack:
            node, values, moves, _ = stack[-1]
            if first:
                first = False
                state = (node, values)
                on_path.add(state)
                ending = self.ending(node)
                if ending is not None:
                    counts[node] = counts.get(node, 0) + 1
                    total += 1
                    if counts[node] <= keep:
                        kept.append(Walk(node, list(path), dict(zip(self.names, values, strict=True))))
                    if total >= limit:
                        return kept, counts, True
                    moves = iter(())
                else:
                    moves = self.moves(node, values)
                stack[-1] = (node, values, moves, None)
            advanced = False
            for number, text, target, after in moves:
                if (target, after) in on_path:
                    continue
                path.append(Step(node, number, text))
                stack.append((target, after, None, None))
                first = True
                advanced = True
                break
            if not advanced:
                stack.pop()
                on_path.discard((node, values))
                if path and stack:
                    path.pop()
        return kept, counts, False


def format_walk(walk: Walk) -> str:
    route = " ".join(f"{s.node} -[{s.choice}]->" for s in walk.steps) + f" {walk.ending}"
    meters = ", ".join(f"{k} {v}" for k, v in walk.meters.items())
    return route.strip() + (f"   ({meters})" if meters else "")


def paths_report(item_id: str, data: dict, keep: int = 100, limit: int = 1_000_000) -> str:
    """The text ``course paths`` prints."""
    player = Player(data)
    kept, counts, stopped = player.walks(keep, limit)
    total = sum(counts.values())
    title = data.get("title") if isinstance(data.get("title"), str) else item_id
    out = [f"Scenario {item_id}: {title}"]
    if player.names:
        out.append("Meters at the start: " + ", ".join(f"{n} {player.meters[n][2]}" for n in player.names))
    more = "more than " if stopped else ""
    out.append(f"{more}{total:,} path(s) to an ending")
    endings = [n for n in player.nodes if player.ending(n) is not None]
    for ending in endings:
        n = counts.get(ending, 0)
        listed = [w for w in kept if w.ending == ending]
        out.append("")
        out.append(f"ending '{ending}' ({player.ending(ending)}): {more if n else ''}{n:,} path(s)")
        if n == 0:
            out.append("  no path reaches it")
        for k, walk in enumerate(listed, 1):
            out.append(f"  {k}. {format_walk(walk)}")
        if n > len(listed):
            out.append(f"  ... and {n - len(listed):,} more (--all lists them all)")
    return "\n".join(out) + "\n"
