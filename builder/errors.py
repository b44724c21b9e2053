"""Turn pydantic's validation reports into messages an author understands, with lines."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from .loader import Loaded, key_column, key_name, line_up_with, spaces
from .schema import KNOWN_KEYS, QUESTION_TYPES

_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list",
    "dict": "a mapping of keys to values",
    "model": "a mapping of keys to values",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _where_key_belongs(loaded: Loaded, line: int, key: str) -> str:
    """How to indent ``key:`` on ``line``: to the depth where the same key stands elsewhere in the
    file, nearest first, naming the line to line up with (issue 12)."""
    lines = loaded.text.split("\n") if loaded.text else []
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    have = key_column(src)
    if have is None or key_name(src) != key:
        return "indent this line like the lines it belongs with"
    depths = {
        column
        for n, other in enumerate(lines, 1)
        if n != line and key_name(other) == key
        for column in [key_column(other)]
        if column is not None and column != have
    }
    if not depths:
        return "indent this line like the lines it belongs with"
    want = min(depths, key=lambda c: (abs(c - have), c))
    with_ = line_up_with(lines, line, want)
    tail = f" to line up with {with_}" if with_ else ""
    return f"this line has {spaces(have)}; indent `{key}:` {want} spaces{tail}"


def _data_path(data: Any, loc: tuple) -> tuple[tuple, Any]:
    """Follow pydantic's loc through the real data, skipping union tags it inserts."""
    path: list = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif i == len(loc) - 1:
            path.append(part)
            current = None
        # else: a union tag such as 'single' or 'function-after'; not in the data
    return tuple(path), current


def translate(exc: ValidationError, loaded: Loaded) -> None:
    """Add one problem per pydantic error to ``loaded.problems``."""
    seen = set()
    found = [(err, *_data_path(loaded.data, tuple(err["loc"]))) for err in exc.errors(include_url=False)]
    # `titel:` makes 'title' missing too; the unknown key with its suggestion says it all
    misspelt = {
        (path[:-1], near[0])
        for err, path, _ in found
        if err["type"] == "extra_forbidden" and path
        for near in [difflib.get_close_matches(str(path[-1]), KNOWN_KEYS, n=1, cutoff=0.7)]
        if near
    }
    for err, path, value in found:
        if loaded.reported and any(path[:i] in loaded.reported for i in range(len(path) + 1)):
            continue  # the loader already said what is wrong there (a tag, an alias, a bad number)
        if err["type"] == "missing" and path and (path[:-1], path[-1]) in misspelt:
            continue
        key = next((p for p in reversed(path) if isinstance(p, str)), None)
        kind = err["type"]
        name = f"'{key}'" if key else "the file"
        if path and isinstance(path[-1], int) and key:
            name = f"item {path[-1] + 1} of '{key}'"
        if kind == "extra_forbidden":
            near = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1, cutoff=0.7)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            if key in KNOWN_KEYS:  # a real key at the wrong level: an indentation slip (issue 12)
                hint = f" here; '{key}' belongs at another level: " + _where_key_belongs(
                    loaded, loaded.line(path), str(key)
                )
            msg = f"unknown key '{key}'{hint}"
        elif kind == "missing":
            msg = f"missing required key '{key}'"
        elif kind == "union_tag_not_found":
            msg = f"missing required key 'type' ({', '.join(QUESTION_TYPES)})"
            key = "type"
        elif kind == "union_tag_invalid":
            tag = err.get("ctx", {}).get("tag")
            msg = f"unknown question type '{tag}'; use one of {', '.join(QUESTION_TYPES)}"
            path = path + ("type",)
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{name} must be {expected}, got {_describe(value)}"
        elif kind in ("too_short",):
            wanted = err.get("ctx", {}).get("min_length", 1)
            msg = f"{name} must not be empty" if wanted <= 1 else f"{name} needs at least {wanted} items"
        elif kind == "string_too_short":
            msg = f"{name} must not be empty"
        elif kind in ("too_long", "string_too_long"):
            limit = err.get("ctx", {}).get("max_length")
            size = (
                f" ({len(value):,} characters; at most {limit:,})" if isinstance(value, str) and limit else ""
            )
            msg = f"{name} is too long{size}"
        elif kind == "string_pattern_mismatch":
            msg = f"{name} may contain only letters, digits, hyphens and underscores, got {_describe(value)}"
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            words = {"ge": "at least", "le": "at most", "gt": "more than", "lt": "less than"}
            bound = " and ".join(f"{words.get(k, k)} {_number(v)}" for k, v in err.get("ctx", {}).items())
            msg = f"{name} must be {bound}, got {_describe(value)}"
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            wanted = _KINDS.get(kind.split("_")[0], kind.split("_")[0])
            msg = f"{name} should be {wanted}, got {_describe(value)}"
        else:
            msg = f"{name}: {err['msg']}"
        line = loaded.line(path)
        if (line, msg) in seen:
            continue
        seen.add((line, msg))
        loaded.problems.add(line, msg)
