"""Images and file links in author text, found for ``course check`` (issue 10 item 6).

One rule for course files: an image or file path in a quiz or scenario is relative to the docs
folder (``content/``), like a link to a lesson; the renderer rewrites it for each embedding page.
In lessons, paths are relative to the page (MkDocs' rule).  ``/x.png`` means the docs folder's
``x.png`` in both.

The patterns are linear on lines of any length: each starts at a fixed character and scans one
class that excludes its own start character (``[^\\[\\]]`` after ``[``), with a bounded count.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Iterator

# ![alt](path "title") and [text](path); the text part cannot contain brackets, so no `[`
# starts a second scan over the same characters
_MD_REF = re.compile(r"(!?)\[[^\[\]\n]{0,1000}\]\(\s*<?([^\s()<>\"']+)")
# <img ... src="path"> and <a ... href="path">; attributes scanned up to the next `<` or `>`
_HTML_REF = re.compile(
    r"<(img|a)\s[^<>]{0,2000}?\b(src|href)\s*=\s*(?:\"([^\"<>]{1,2000})\"|'([^'<>]{1,2000})'|([^\"'\s<>]+))",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# inline code: shown as written, never a reference; ``a ` b`` closes on a run as long as its opener
_CODE_SPAN = re.compile(r"(`{1,8})(?!`).*?(?<!`)\1(?!`)")
MAX_LINE = 20_000  # longer lines are not searched (no sensible Markdown line is that long)


def local_target(target: str) -> str | None:
    """The file path a reference points to inside the site (unquoted, no query or fragment),
    or None for URLs with a scheme, fragments, protocol-relative URLs and lesson links."""
    if not target or target.startswith(("#", "//", "\\")) or _SCHEME.match(target):
        return None
    path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path or path.endswith(".md"):
        return None  # lesson links: checked (and rewritten) by their own rule
    return path


_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?|===)[ \t]")  # admonitions, collapsible blocks, content tabs
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])( {1,4}|\t|$)")


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def code_lines(text: str) -> set[int]:
    """Line numbers (1-based) inside fenced or indented code blocks of Markdown ``text`` (issue 12).

    A fence is ``` or ~~~ at any indentation (also inside an admonition or list item); an indented
    code block is a line after a blank line, indented 4 more columns than the content of the list
    item, admonition (``!!!``/``???``) or content tab it stands in (0 at the top level).
    """
    inside: set[int] = set()
    fence = ""
    containers: list[int] = []  # content indent of each open container, innermost last
    blank_before = True
    code_at: int | None = None
    for number, line in enumerate(text.split("\n"), 1):
        m = _FENCE.match(line.lstrip(" \t")) if "`" in line or "~" in line else None
        if fence:
            inside.add(number)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip(" \t`~"):
                fence = ""
            continue
        body = line.strip()
        if not body:
            blank_before = True
            if code_at is not None:
                inside.add(number)
            continue
        indent = _indent(line)
        if code_at is not None:
            if indent >= code_at:
                inside.add(number)
                blank_before = False
                continue
            code_at = None
        if blank_before:
            while containers and indent < containers[-1]:
                containers.pop()
            base = containers[-1] if containers else 0
            if indent >= base + 4:
                code_at = base + 4
                inside.add(number)
                blank_before = False
                continue
        if m:
            fence = m.group(1)
            inside.add(number)
            blank_before = False
            continue
        rest = line.expandtabs(4)[indent:]
        opener = _CONTAINER.match(rest)
        item = None if opener else _LIST_ITEM.match(rest)
        if opener or item:
            while containers and indent < containers[-1]:
                containers.pop()
            if opener:
                containers.append(indent + 4)
            else:
                gap = len(item.group(1).expandtabs(4)) if item.group(1) else 1
                containers.append(indent + len(item.group(0)) - len(item.group(1)) + (gap if gap <= 4 else 1))
        blank_before = False
    return inside


def refs(text: str, skip_code: bool = False) -> Iterator[tuple[int, str, str]]:
    """``(line number in text, "image" | "file", path)`` for each local image or file reference.

    ``skip_code``: ignore fenced and indented code blocks and inline code (lessons; issue 12)."""
    code = (
        code_lines(text)
        if skip_code and ("`" in text or "~" in text or "    " in text or "\t" in text)
        else ()
    )
    for number, line in enumerate(text.split("\n"), 1):
        if number in code:
            continue
        if len(line) > MAX_LINE or ("](" not in line and "<" not in line):
            continue
        if "`" in line:
            line = _CODE_SPAN.sub("", line)
        for m in _MD_REF.finditer(line):
            path = local_target(m.group(2))
            if path:
                yield number, "image" if m.group(1) else "file", path
        if "<" in line:
            for m in _HTML_REF.finditer(line):
                path = local_target((m.group(3) or m.group(4) or m.group(5) or "").strip())
                if path:
                    yield number, "image" if m.group(1).lower() == "img" else "file", path


def resolve(base_dir: str, path: str) -> str:
    """``path`` (relative to ``base_dir``, or ``/``-rooted) as a docs-relative path."""
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, path))
