"""Checks of the course settings in mkdocs.yml, each at its line (issue 11 items 5 and 7).

- ``plugins: - course: id:`` is required: the id names every learner's saved progress (browser
  storage key, progress files, SCORM identifier). Deriving it from ``site_name`` meant a title fix
  wiped everyone's progress. The error suggests the id the course used so far, so nothing is lost.
- ``previous_ids:`` lists earlier ids whose exported progress files are still accepted, and whose
  progress kept in the browser moves over once (progress.js).
- No text setting may hold a control character (they make HTML and imsmanifest.xml malformed).

Read with PyYAML's composer, which gives every value its line and constructs nothing, so the
``!!python/name`` and ``!ENV`` tags MkDocs allows do no harm here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from .containment import theme_outside_paths
from .offline import remote_setting_problems
from .problems import Problem

COURSE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# C0 controls but tab, line feed and carriage return; DEL; C1 controls; surrogates; non-characters
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
URL_BAD_RE = re.compile(r"[\s\"'<>`]")


def suggested_id(site_name: object) -> str:
    """The id a course without one used so far: ``site_name`` in lower case, words joined by -."""
    return re.sub(r"[^a-z0-9]+", "-", str(site_name or "").lower()).strip("-")[:64].strip("-") or "course"


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is below it (as authors see paths)."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _key(node: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def settings_problems(config_file: str | Path, shown: str | None = None) -> list[Problem]:
    """Problems in ``config_file`` (mkdocs.yml) as ``shown`` (default: its name). An unreadable
    file gives none: MkDocs reports those itself."""
    path = Path(config_file)
    shown = shown or path.name
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    problems: list[Problem] = []

    def add(node: yaml.Node, message: str) -> None:
        problems.append(Problem(shown, _line(node), message))

    # control characters anywhere in a text setting
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, f"{where}.{name}" if where else str(name)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            bad = CONTROL_RE.search(node.value)
            if bad:
                add(
                    node,
                    f"'{where}' contains the control character U+{ord(bad.group()):04X}, which cannot "
                    "appear in a web page or imsmanifest.xml; remove it",
                )

    # page titles in nav go through Material's `| striptags`, which undoes an escape: refuse markup
    nav = _key(root, "nav")
    stack = [nav[1]] if nav else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                title = key.value if isinstance(key, yaml.ScalarNode) else ""
                if "<" in title or ">" in title:
                    add(
                        key,
                        f"nav title {title!r} contains '<' or '>', which a browser reads as HTML; reword it",
                    )
                stack.append(value)
    # addresses are written into href="…" attributes
    for name in ("site_url", "repo_url", "edit_uri"):
        found = _key(root, name)
        if found and isinstance(found[1], yaml.ScalarNode) and URL_BAD_RE.search(found[1].value or ""):
            add(
                found[1],
                f"{name} {found[1].value!r} contains a quote, '<', '>' or a space; write the address URL-encoded",
            )

    # nothing from other hosts: CDN scripts, web fonts, analytics, Mermaid (issue 11 item 8)
    remote_setting_problems(root, add)

    # the theme folder's files are published too: nothing in it may lead out (issue 11 item 4)
    theme = _key(root, "theme")
    custom = _key(theme[1], "custom_dir") if theme and isinstance(theme[1], yaml.MappingNode) else None
    if custom and isinstance(custom[1], yaml.ScalarNode) and custom[1].value:
        problems.extend(theme_outside_paths(path.resolve().parent, custom[1].value, _shown))

    site = _key(root, "site_name")
    site_name = site[1].value if site and isinstance(site[1], yaml.ScalarNode) else ""
    plugins = _key(root, "plugins")
    if plugins is None:
        return problems
    entry = _course_entry(plugins[1])
    if entry is None:
        return problems
    where, settings = entry
    suggestion = suggested_id(site_name)
    if not isinstance(settings, yaml.MappingNode) or _key(settings, "id") is None:
        add(
            where,
            "the course plugin needs an 'id': a stable name for the course that learners' saved "
            "progress is kept under, so it survives a change of title; add "
            f"'id: {suggestion}' under 'course:' (the id this course has used so far)",
        )
        return problems
    _, id_node = _key(settings, "id")
    course_id = id_node.value if isinstance(id_node, yaml.ScalarNode) else None
    if not isinstance(course_id, str) or not COURSE_ID_RE.match(course_id):
        add(
            id_node,
            f"course id {course_id!r} must be 1 to 64 lower-case letters, digits, '.', '_' or '-', "
            f"starting with a letter or digit (for example '{suggestion}')",
        )
    previous = _key(settings, "previous_ids")
    if previous is not None:
        _, node = previous
        if not isinstance(node, yaml.SequenceNode):
            add(node, "previous_ids must be a list of earlier course ids, e.g. [old-id]")
        else:
            for item in node.value:
                value = item.value if isinstance(item, yaml.ScalarNode) else None
                if not isinstance(value, str) or not COURSE_ID_RE.match(value):
                    add(item, f"previous_ids: {value!r} is not a course id (lower-case letters, digits, '-')")
                elif value == course_id:
                    add(item, f"previous_ids: '{value}' is the current id; list only earlier ones")
    return problems


def _course_entry(node: yaml.Node) -> tuple[yaml.Node, yaml.Node | None] | None:
    """(node to point at, the plugin's settings node or None) of our plugin in ``plugins:``."""
    names = ("course", "builder.plugin")
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value in names:
                return item, None
            if isinstance(item, yaml.MappingNode):
                for key, value in item.value:
                    if isinstance(key, yaml.ScalarNode) and key.value in names:
                        return key, value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in names:
                return key, value
    return None


def course_setting_line(config_file: str | Path, name: str) -> int:
    """The 1-based line of the course plugin's setting ``name`` in ``config_file`` (mkdocs.yml), or of
    the plugin's entry when the setting is absent; 1 when the file has no course plugin or cannot be
    read. For warnings about a course setting as a whole, e.g. the SCORM record budget (issue 11)."""
    try:
        root = yaml.compose(Path(config_file).read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 1
    plugins = _key(root, "plugins") if isinstance(root, yaml.MappingNode) else None
    entry = _course_entry(plugins[1]) if plugins else None
    if entry is None:
        return 1
    where, settings = entry
    found = _key(settings, name) if isinstance(settings, yaml.MappingNode) else None
    return _line(found[0] if found else where)
