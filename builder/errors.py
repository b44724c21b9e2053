"""Turn pydantic's validation reports into messages an author understands, with lines."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from .key_levels import SYNONYMS, keys_at, kind_keys, ordered_keys
from .loader import Loaded, key_column, key_name, line_up_with, reindent_for_key, spaces
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


def _meant_here(data: Any, path: tuple, key: str, value: Any) -> str | None:
    """The key allowed at ``path`` that ``key`` is a misspelling of (or a word authors use for it)."""
    here = keys_at(data, path[:-1])
    if here is None:
        return None
    near = difflib.get_close_matches(key, sorted(here), n=1, cutoff=0.7)
    if near:
        return near[0]
    meant = [k for k in SYNONYMS.get(key.lower(), ()) if k in here]
    if key.lower() == "answer" and "correct" in meant and "text" in meant:  # `answer: true` or text
        meant = ["correct" if isinstance(value, bool) else "text"]
    return meant[0] if meant else None


def _unknown_key_hint(loaded: Loaded, path: tuple, key: str, value: Any) -> str:
    """What to do about an unknown key (issue 12): a misspelling of a key allowed here gets
    "did you mean"; a key the schema allows one indentation away gets the number of spaces;
    otherwise the nearest known key, or the keys allowed here."""
    data = loaded.data
    here = keys_at(data, path[:-1])
    kind = data.get("kind") if isinstance(data, dict) else None
    meant = _meant_here(data, path, key, value)
    if meant:
        return f" (did you mean '{meant}'?)"
    line = loaded.line(path)
    if key in kind_keys(kind):  # a real key at the wrong level: an indentation slip (issue 12)
        lines = loaded.text.split("\n") if loaded.text else []
        src = lines[line - 1] if 0 < line <= len(lines) else ""
        fix = reindent_for_key(lines, line) if key_name(src) == key else None
        if fix is not None:
            _, want = fix
            with_ = line_up_with(lines, line, want)
            tail = f" to line up with {with_}" if with_ else ""
            have = key_column(src)
            return (
                f" here; '{key}' belongs at another level: this line has {spaces(have or 0)}; "
                f"indent `{key}:` {want} spaces{tail}"
            )
    near = difflib.get_close_matches(key, sorted(kind_keys(kind)), n=1, cutoff=0.7)
    if near and (here is None or near[0] not in here) and key not in kind_keys(kind):
        return f" (did you mean '{near[0]}'?)"
    if here:
        return f" here; use one of: {', '.join(ordered_keys(here))}"
    return ""


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
        (path[:-1], near)
        for err, path, value in found
        if err["type"] == "extra_forbidden" and path
        for near in [
            _meant_here(loaded.data, path, str(path[-1]), value)
            or next(iter(difflib.get_close_matches(str(path[-1]), KNOWN_KEYS, n=1, cutoff=0.7)), None)
        ]
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
            msg = f"unknown key '{key}'" + _unknown_key_hint(loaded, path, str(key), value)
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
