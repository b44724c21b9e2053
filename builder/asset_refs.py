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
_CODE_SPAN = re.compile(r"`+[^`]*`+")  # inline code: shown as written, never a reference
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


def refs(text: str, skip_code: bool = False) -> Iterator[tuple[int, str, str]]:
    """``(line number in text, "image" | "file", path)`` for each local image or file reference.

    ``skip_code``: ignore fenced code blocks (lessons)."""
    fence = ""
    for number, line in enumerate(text.split("\n"), 1):
        if skip_code:
            m = _FENCE.match(line)
            if m:
                marker = m.group(1)
                if not fence:
                    fence = marker
                elif marker[0] == fence[0] and len(marker) >= len(fence):
                    fence = ""
                continue
            if fence:
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
