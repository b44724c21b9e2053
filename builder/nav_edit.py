"""Add a page to ``nav:`` in mkdocs.yml without disturbing anything else (issue 12, item 1).

ruamel.yaml reads the file round-trip (comments, quotes, key order and tags such as
``!!python/name:`` or ``!ENV`` survive).  Only the ``nav:`` block is written back, in the
indentation it already has; every other line of the file stays byte for byte as it was.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

# (mapping, sequence, offset) styles seen in mkdocs.yml files; the first that reproduces the
# file's own nav block is used for the edited one
_STYLES = [(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0), (4, 2, 0), (3, 3, 0)]


class NavError(Exception):
    """mkdocs.yml cannot be edited safely; the message says why and what to do."""


def _yaml(style: tuple[int, int, int]) -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=style[0], sequence=style[1], offset=style[2])
    return y


def _dump(y: YAML, key: str, value: Any) -> str:
    out = io.StringIO()
    y.dump(CommentedMap([(key, value)]), out)
    return out.getvalue()


def _find_section(nav: CommentedSeq, folder: str) -> CommentedSeq | None:
    """The list that already holds pages of ``folder`` (e.g. 'lessons/'), searched depth first."""
    best = None
    for entry in nav:
        value = entry
        if isinstance(entry, dict) and len(entry) == 1:
            value = next(iter(entry.values()))
        if isinstance(value, str) and value.startswith(folder):
            return nav
        if isinstance(value, list):
            found = _find_section(value, folder)
            if found is not None and best is None:
                best = found
    return best


def add_to_nav(config_file: Path, page: str, section: str) -> str:
    """Add ``page`` (docs-relative) to mkdocs.yml's nav: after the pages of its folder, else in a
    new section ``section`` at the end.  Returns how it was added (for the author); raises
    ``NavError`` when the file cannot be edited safely."""
    text = config_file.read_text(encoding="utf-8")
    try:
        data = _yaml(_STYLES[0]).load(text)
    except Exception as exc:  # ruamel raises many kinds; the author needs the line
        raise NavError(f"{config_file.name} cannot be read ({exc}); fix it, then run this again") from exc
    if not isinstance(data, CommentedMap):
        raise NavError(f"{config_file.name} is not a mapping of settings")
    lines = text.splitlines(keepends=True)
    if "nav" not in data or data["nav"] is None:
        entry = f"nav:\n  - {section}:\n      - {page}\n"
        sep = "" if text.endswith("\n") or not text else "\n"
        config_file.write_text(text + sep + "\n" + entry, encoding="utf-8")
        return f"added a 'nav:' with '{page}' under '{section}'"
    nav = data["nav"]
    if not isinstance(nav, CommentedSeq):
        raise NavError("'nav:' in mkdocs.yml is not a list; add the page by hand")
    if page in _flatten(nav):
        return f"'{page}' is in the nav already"
    keys = list(data.keys())
    first = data.lc.key("nav")[0]
    after = keys.index("nav") + 1
    last = data.lc.key(keys[after])[0] if after < len(keys) else len(lines)
    while last > first + 1 and not lines[last - 1].strip():
        last -= 1  # blank lines after the block stay where they are
    block = "".join(lines[first:last])
    style = next((s for s in _STYLES if _dump(_yaml(s), "nav", nav) == block), None)
    if style is None:
        style = _STYLES[0]
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    target = _find_section(nav, folder) if folder else None
    titled = _titled(nav, section)
    if target is not None:
        where = max(i for i, e in enumerate(target) if page_of(e).startswith(folder))
        target.insert(where + 1, page)
        how = f"added '{page}' to the nav after the other pages in {folder}"
    elif titled is not None:
        titled.append(page)
        how = f"added '{page}' to the nav at the end of '{section}'"
    else:
        nav.append(CommentedMap([(section, CommentedSeq([page]))]))
        how = f"added '{page}' to the nav under a new section '{section}'"
    new_block = _dump(_yaml(style), "nav", nav)
    config_file.write_text("".join(lines[:first]) + new_block + "".join(lines[last:]), encoding="utf-8")
    return how


def _titled(nav: CommentedSeq, title: str) -> CommentedSeq | None:
    for entry in nav:
        if isinstance(entry, dict) and len(entry) == 1:
            key, value = next(iter(entry.items()))
            if str(key).strip().lower() == title.lower() and isinstance(value, list):
                return value
    return None


def page_of(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        value = next(iter(entry.values()))
        return value if isinstance(value, str) else ""
    return ""


def _flatten(nav: Any) -> list[str]:
    from .author_checks import nav_pages

    return nav_pages(nav)
