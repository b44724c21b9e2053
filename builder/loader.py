"""Load one YAML file into plain data plus the line of every key and list item.

Authors' mistakes become ``Problem`` lines, never exceptions: invalid syntax, tabs, a BOM,
bytes that are not UTF-8, duplicate keys, aliases (and with them "billion laughs" bombs),
files too large or nested too deeply.  Parsing uses PyYAML's ``compose`` (libyaml when it is
installed) so every node keeps its mark; the data is then built by walking the nodes once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

try:  # libyaml is several times faster; PyYAML's pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

MAX_BYTES = 2_000_000
MAX_DEPTH = 64
MAX_INDENT = 256

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Loaded:
    """What a YAML file holds, and where each piece of it stands."""

    path: str
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: Problems = None  # type: ignore[assignment]
    reported: set[Path_] = field(default_factory=set)  # paths whose problem the loader already reported

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest ancestor the file has."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.is_error for p in self.problems)


_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)


def load_text(text: str | bytes, display_path: str) -> Loaded:
    """Parse YAML from text (or raw bytes) and report every problem with its line."""
    out = Loaded(display_path, problems=Problems(display_path))
    problems = out.problems
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            problems.add(
                1,
                f"file is {len(text) / 1e6:.1f} MB; a course file may be at most {MAX_BYTES // 1_000_000} MB",
            )
            return out
        if text.startswith(b"\xef\xbb\xbf"):
            problems.add(1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
            text = text[3:]
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            col = exc.start - (text.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.add(
                line, f"byte 0x{text[exc.start]:02x} at column {col} is not UTF-8; save the file as UTF-8"
            )
            return out
    elif len(text) > MAX_BYTES:
        problems.add(
            1, f"file is {len(text) / 1e6:.1f} MB; a course file may be at most {MAX_BYTES // 1_000_000} MB"
        )
        return out
    if text.startswith("\ufeff"):
        problems.add(1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        text = text[1:]

    tabs = [m.start() for m in _TAB_INDENT.finditer(text)]
    if tabs:
        for pos in tabs[:20]:
            problems.add(
                text.count("\n", 0, pos) + 1, "tab character in indentation; YAML indents with spaces only"
            )
        return out
    depth_line = _too_deep(text)
    if depth_line:
        problems.add(
            depth_line, f"nested more than {MAX_DEPTH} levels deep; course files are never this deep"
        )
        return out

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add((mark.line + 1) if mark else 1, _syntax_message(exc))
        return out
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no MarkedYAMLError
        line = 1
        pos = getattr(exc, "position", None)
        if isinstance(pos, int):
            line = text.count("\n", 0, pos) + 1
        problems.add(line, f"invalid YAML: {getattr(exc, 'reason', None) or exc}")
        return out
    except RecursionError:
        problems.add(1, f"nested more than {MAX_DEPTH} levels deep; course files are never this deep")
        return out
    finally:
        loader.dispose()

    if node is None:
        problems.add(1, "file is empty")
        return out
    out.lines[()] = node.start_mark.line + 1
    out.data = _Builder(loader, out).build(node, (), 0)
    return out


def load_file(path: Path, display_path: str | None = None) -> Loaded:
    display = display_path or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            out = Loaded(display, problems=Problems(display))
            out.problems.add(
                1, f"file is {size / 1e6:.1f} MB; a course file may be at most {MAX_BYTES // 1_000_000} MB"
            )
            return out
        raw = path.read_bytes()
    except OSError as exc:
        out = Loaded(display, problems=Problems(display))
        out.problems.add(1, f"cannot read file: {exc.strerror or exc}")
        return out
    return load_text(raw, display)


def _too_deep(text: str) -> int:
    """Line of the first place nested deeper than we accept (0 if none); linear and cheap."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        line = 1
        quote = ""
        for ch in text:
            if ch == "\n":
                line += 1
            elif quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return line
            elif ch in "]}":
                depth = max(0, depth - 1)
    for number, raw in enumerate(text.split("\n"), 1):
        if len(raw) - len(raw.lstrip(" ")) > MAX_INDENT and raw.strip():
            return number
    return 0


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "found character '\\t'" in problem:
        return "tab character in indentation; YAML indents with spaces only"
    if "mapping values are not allowed" in problem:
        return "invalid YAML: a ':' where a value was expected; quote text that contains ': '"
    if "found duplicate anchor" in problem:
        return f"invalid YAML: {problem}"
    text = problem if not context else f"{problem} ({context})"
    return f"invalid YAML: {text}" if text else "invalid YAML"


_YAML = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _TIMESTAMP = _YAML + "str", _YAML + "null", _YAML + "bool", _YAML + "timestamp"
# plain YAML only: text, numbers, true/false, null, lists and mappings (no !!binary, !!set, !!python/...)
_PLAIN_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Builder:
    """Walks composed nodes into plain Python data, recording each key's and item's line."""

    def __init__(self, loader: Any, out: Loaded):
        self.loader = loader
        self.out = out
        self.seen: set[int] = set()
        self.alias_reported = False

    def problem(self, path: tuple, line: int, message: str) -> None:
        """Report a problem the loader found at ``path``; schema errors there would only repeat it."""
        self.out.reported.add(path)
        self.out.problems.add(line, message)

    def build(self, node: yaml.Node, path: tuple, depth: int, line: int = 0) -> Any:
        line = line or node.start_mark.line + 1
        if depth > MAX_DEPTH:
            self.problem(path, line, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if id(node) in self.seen:  # an alias: the composer hands back the anchored node itself
            self.out.reported.add(path)
            if not self.alias_reported:
                self.alias_reported = True
                self.problem(
                    path,
                    line,
                    "YAML anchors and aliases (&name / *name) are not supported; write the value out in full",
                )
            return None
        self.seen.add(id(node))
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            self.problem(
                path,
                line,
                f"YAML tag '{_short_tag(tag)}' is not supported; write plain text, numbers, lists and mappings",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            prev = None
            for index, child in enumerate(node.value):
                at = child.start_mark.line + 1
                if id(child) in self.seen:  # an alias stands after the previous item, not at its anchor
                    at = node.start_mark.line + 1
                    if prev is not None:
                        end = prev.end_mark
                        at = end.line + (1 if node.flow_style or end.column <= node.start_mark.column else 2)
                self.out.lines[path + (index,)] = at
                items.append(self.build(child, path + (index,), depth + 1, at))
                prev = child
            return items
        # scalars: text needs no constructor (the common case, kept fast)
        if tag == _STR:
            return node.value
        if tag == _TIMESTAMP:  # no field holds a date: `title: 2024-05-01` is text
            return node.value
        if tag == _BOOL and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.1's yes/no/on/off are words here, as in YAML 1.2
        if tag == _NULL:
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
            if tag == _YAML + "int":
                message = f"number with {len(node.value)} digits is too long; write it in quotes if it is text"
            else:
                message = f"invalid value: {getattr(exc, 'problem', None) or exc}"
            self.problem(path, line, message)
            return None

    def _mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.out.problems.add(line, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(path, line, "YAML merge keys (<<) are not supported; write the keys out in full")
                continue
            if key_node.tag not in _PLAIN_TAGS:
                self.out.problems.add(line, f"a key must be plain text, got '{key_node.value}'")
                continue
            key = key_node.value  # as written: `0x1f:` stays '0x1f', `yes:` stays 'yes'
            if key in result:
                first = self.out.lines.get(path + (key,), "?")
                what = "node id" if path and path[-1] == "nodes" else "key"
                self.out.problems.add(line, f"duplicate {what} '{key}' (first defined on line {first})")
                continue
            self.out.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,), depth + 1, line)
        return result
