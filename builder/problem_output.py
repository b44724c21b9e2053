"""Problems in one order and one voice, for people, editors and CI (issue 12, item 4).

``ordered`` puts each root cause first and the problems that follow from it right after it;
``text_lines``, ``as_json`` and ``github_lines`` render that list.  ``course check``, the
``mkdocs serve`` log and the preview's error box all use ``text_lines``, so an author sees
the same lines everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .problems import Problem


def _key(p: Problem) -> tuple:
    return (p.path, p.line, p.message)


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Unique problems sorted by file and line, each follower placed under its root cause."""
    unique = list(dict.fromkeys(problems))
    present = set(unique)
    roots = sorted((p for p in unique if not is_follower(p, present)), key=_key)
    followers: dict[Problem, list[Problem]] = {}
    for p in unique:
        if is_follower(p, present):
            followers.setdefault(_root(p, present), []).append(p)
    out: list[Problem] = []
    for root in roots:
        out.append(root)
        out.extend(sorted(followers.get(root, ()), key=_key))
    return out


def _root(p: Problem, present: set) -> Problem:
    seen = set()
    while p.cause is not None and p.cause in present and p not in seen:
        seen.add(p)
        p = p.cause
    return p


def is_follower(p: Problem, present: set | None = None) -> bool:
    """Whether ``p`` follows from another problem (in ``present``, when given)."""
    return p.cause is not None and p.cause != p and (present is None or p.cause in present)


# logging ``extra`` for a record that is one problem line: `course build` prints it bare (no level prefix)
PROBLEM_LINE = {"course_problem": True}


def text_line(p: Problem, present: set | None = None) -> str:
    """``path:line: message``; a follower ends with `` (follows from PATH:LINE)``, on the same line."""
    if p.cause is not None and is_follower(p, present):
        return f"{p} (follows from {p.cause.path}:{p.cause.line})"
    return str(p)


def text_lines(problems: Iterable[Problem]) -> list[str]:
    """One ``path:line: message`` line per unique problem, each root cause followed by the problems
    that follow from it; every line starts with ``path:line:`` so editors can parse it (issue 12)."""
    items = ordered(problems)
    present = set(items)
    return [text_line(p, present) for p in items]


def summary(errors: Iterable[Problem], warnings: Iterable[Problem]) -> str:
    """``N error(s), M warning(s)``, counting exactly the lines :func:`text_lines` prints."""
    return f"{len(ordered(errors))} error(s), {len(ordered(warnings))} warning(s)"


def as_dict(p: Problem) -> dict:
    out = {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message, "text": str(p)}
    if p.cause is not None:
        out["caused_by"] = {"path": p.cause.path, "line": p.cause.line, "message": p.cause.message}
    return out


def as_json(errors: list[Problem], warnings: list[Problem]) -> str:
    """A JSON list of problems, errors first, each in ``course check``'s order: ``path``, ``line``,
    ``severity`` ("error" or "warning"), ``message``, ``text`` (the line ``course check`` prints)
    and, for a problem that follows from another, ``caused_by`` (its path, line and message)."""
    data = [as_dict(p) for p in ordered(errors)] + [as_dict(p) for p in ordered(warnings)]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(problems: Iterable[Problem]) -> list[str]:
    """GitHub Actions workflow commands: ``::error file=PATH,line=N::message`` (and ``::warning``)."""
    out = []
    for p in ordered(problems):
        level = "error" if p.is_error else "warning"
        message = p.message
        if p.cause is not None:
            message += f" (follows from {p.cause.path}:{p.cause.line})"
        out.append(f"::{level} file={_escape_property(p.path)},line={p.line}::{_escape_data(message)}")
    return out
