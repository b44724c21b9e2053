"""mkdocs.yml as YAML: syntax slips and misspelt course plugin settings, each at its line (issue 12).

MkDocs reports a broken mkdocs.yml as PyYAML's raw "while parsing a block mapping ... expected
<block end>" and a misspelt plugin option as "Unrecognised configuration name" with no line.
``config_problems`` says instead ``mkdocs.yml:LINE: ...`` with the quiz loader's advice (which
line to re-indent, to how many spaces; builder/loader.py), for the file and every file it
inherits from (``INHERIT: mkdocs.yml`` in handbook.yml).  ``course check`` and ``course build``
(builder/site.py, before MkDocs reads the file) both use it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import yaml

from .loader import _syntax_problem, key_column, line_up_with, reindent_for_key, spaces
from .problems import Problem

_PLUGIN_NAMES = ("course", "builder.plugin")


def _shown(path: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
    except ValueError:
        return path.name


def _compose(text: str) -> yaml.Node | None:
    """The node tree (tags such as ``!!python/name:`` and ``!ENV`` are kept, never constructed)."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def plugin_settings() -> list[str]:
    """The course plugin's setting names (builder/plugin_config.py ``CoursePluginConfig``)."""
    from .plugin_config import CoursePluginConfig

    return [name for name, _ in CoursePluginConfig._schema]


def config_problems(config_file: str | Path, shown: str | None = None) -> list[Problem]:
    """Problems in ``config_file`` and the files it INHERITs: YAML syntax (the line to change and
    how) and unknown settings under the course plugin (with "did you mean").  ``shown`` names
    ``config_file`` in messages (default: relative to the current folder); an unreadable file
    gives none (MkDocs says so itself)."""
    problems: list[Problem] = []
    path = Path(config_file)
    seen: set[Path] = set()
    name = shown
    while path not in seen:
        seen.add(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            break
        where = name or _shown(path)
        try:
            root = _compose(text)
        except yaml.MarkedYAMLError as exc:
            line, message = _syntax_problem(exc, text)
            problems.append(Problem(where, line, message))
            break
        except yaml.YAMLError as exc:
            problems.append(Problem(where, 1, f"invalid YAML: {exc}"))
            break
        if not isinstance(root, yaml.MappingNode):
            break
        problems.extend(_unknown_settings(root, where, text))
        parent = next(
            (v.value for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "INHERIT"),
            None,
        )
        if not isinstance(parent, str) or not parent:
            break
        path = (path.parent / parent).resolve()
        name = None
    return problems


_COMPLETION = ("pass", "finish", "read", "assessment")  # builder/manifest.py COMPLETION_KEYS


def _top_level() -> list[str]:
    from mkdocs.config.defaults import MkDocsConfig

    return [name for name, _ in MkDocsConfig._schema] + ["INHERIT"]


def _allowed(path: tuple, parent: yaml.MappingNode) -> list[str] | None:
    """The keys mkdocs.yml allows in the mapping at ``path`` (None: any, or cannot tell)."""
    if path == ():
        return _top_level()
    if len(path) == 2 and path[0] == "plugins" and isinstance(path[1], int):
        return None if len(parent.value) == 1 else []  # one plugin per list item
    if len(path) == 3 and path[0] == "plugins" and path[2] in _PLUGIN_NAMES:
        return plugin_settings()
    if len(path) == 4 and path[0] == "plugins" and path[2] in _PLUGIN_NAMES and path[3] == "completion":
        return list(_COMPLETION)
    return None


def _find(node: yaml.Node, line: int, key: str, path: tuple = ()) -> tuple[tuple, yaml.MappingNode] | None:
    """(path of the mapping, the mapping) holding ``key:`` on ``line`` (1-based)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and k.start_mark.line + 1 == line:
                return path, node
            name = k.value if isinstance(k, yaml.ScalarNode) else "?"
            found = _find(v, line, key, path + (name,))
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found = _find(item, line, key, path + (i,))
            if found:
                return found
    return None


def _fits(text: str, line: int, key: str) -> bool | None:
    """Whether ``key:`` on ``line`` of a re-indented mkdocs.yml stands where it is allowed."""
    try:
        root = _compose(text)
    except yaml.YAMLError:
        return False
    found = _find(root, line, key) if root is not None else None
    if found is None:
        return False
    allowed = _allowed(*found)
    return None if allowed is None else key in allowed


def _advice(text: str, line: int, key: str) -> str:
    lines = text.split("\n")
    fix = reindent_for_key(lines, line, fit=_fits)
    if fix is None:
        return ""
    _, want = fix
    with_ = line_up_with(lines, line, want)
    tail = f" to line up with {with_}" if with_ else ""
    have = key_column(lines[line - 1]) or 0
    return f"; '{key}' belongs at another level: this line has {spaces(have)}; indent `{key}:` {want} spaces{tail}"


def _unknown_settings(root: yaml.MappingNode, where: str, text: str) -> list[Problem]:
    """Unknown keys under the course plugin (and beside it in its list item), each at its line."""
    out = []
    settings = None
    for key, value in root.value:
        if (
            isinstance(key, yaml.ScalarNode)
            and key.value == "plugins"
            and isinstance(value, yaml.SequenceNode)
        ):
            for item in value.value:
                if not isinstance(item, yaml.MappingNode):
                    continue
                names = [k.value for k, _ in item.value if isinstance(k, yaml.ScalarNode)]
                ours = [n for n in names if n in _PLUGIN_NAMES]
                if not ours:
                    continue
                settings = next(
                    v for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == ours[0]
                )
                for k, _ in item.value:  # `- course:` and `finish:` in the same list item
                    if isinstance(k, yaml.ScalarNode) and k.value not in _PLUGIN_NAMES:
                        line = k.start_mark.line + 1
                        advice = _advice(text, line, k.value) or (
                            f"; indent it under '{ours[0]}:' like the other settings"
                        )
                        out.append(Problem(where, line, f"'{k.value}' is not a plugin{advice}"))
        elif (
            isinstance(key, yaml.ScalarNode)
            and key.value == "plugins"
            and isinstance(value, yaml.MappingNode)
        ):
            settings = next(
                (v for k, v in value.value if isinstance(k, yaml.ScalarNode) and k.value in _PLUGIN_NAMES),
                None,
            )
    if not isinstance(settings, yaml.MappingNode):
        return out
    known = plugin_settings()
    # (completion:'s own keys are checked with its rules: builder/manifest.py)
    for block, names, what in [(settings, known, "the course plugin")]:
        for key, _ in block.value:
            if not isinstance(key, yaml.ScalarNode) or key.value in names:
                continue
            line = key.start_mark.line + 1
            near = difflib.get_close_matches(key.value, names, n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else _advice(text, line, key.value)
            hint = hint or f"; the settings are: {', '.join(names)}"
            out.append(Problem(where, line, f"unknown setting '{key.value}' for {what}{hint}"))
    return out
