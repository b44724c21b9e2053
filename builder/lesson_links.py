"""Links between lessons, checked like MkDocs resolves them (issue 12).

A link to a lesson that does not exist is an error (learners would hit a dead link); a link to a
heading (``page.md#id``, ``#id``) that the page does not have is a warning that names the ids the
page has.  Links in code (fenced, indented, inline) are shown as written and are not links.
"""

from __future__ import annotations

import difflib
import importlib
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterator

from .asset_refs import _CODE_SPAN, _SCHEME, MAX_LINE, code_lines

# [text](target "title") and reference definitions `[label]: target`; linear (see asset_refs)
_LINK = re.compile(r"\[[^\[\]\n]{0,1000}\]\(\s*<?([^\s()<>]+)>?")
_REF_DEF = re.compile(r" {0,3}\[[^\[\]\n]{1,1000}\]:\s*<?([^\s<>]+)>?")
# ids written by hand: attr_list `{#id}` / `{: #id}` and raw HTML `id="..."`
_HAND_IDS = re.compile(r"\{:?[^{}\n]{0,200}?#([\w-]+)[^{}\n]{0,200}\}|\bid\s*=\s*[\"']([^\"'<>\s]+)[\"']")
_PYTHON_NAME = re.compile(
    r"^\s*(slugify|separator):\s*(?:!!python/name:([\w.]+)|[\"']?([^\"'\s#]*)[\"']?)", re.M
)


def page_links(text: str) -> Iterator[tuple[int, str, str, str]]:
    """``(line, target as written, path, anchor)`` for each link to a lesson (``.md``) or to a
    heading (``#id``) in lesson ``text``; ``path`` is unquoted, without query or fragment ('' for
    a link to a heading of the same page).  Links to other sites and links in code are left out."""
    code = code_lines(text) if ("`" in text or "~" in text or "    " in text or "\t" in text) else ()
    for number, line in enumerate(text.split("\n"), 1):
        if number in code or len(line) > MAX_LINE or ("](" not in line and "]:" not in line):
            continue
        if "`" in line:
            line = _CODE_SPAN.sub("", line)
        targets = [m.group(1) for m in _LINK.finditer(line)]
        definition = _REF_DEF.match(line)
        if definition:
            targets.append(definition.group(1))
        for target in targets:
            split = split_target(target)
            if split:
                yield (number, target, *split)


def split_target(target: str) -> tuple[str, str] | None:
    """``(path, anchor)`` of a link to a lesson or heading; None for other links (sites, files)."""
    if not target or target.startswith(("//", "\\")) or _SCHEME.match(target):
        return None
    path, _, anchor = target.partition("#")
    path = urllib.parse.unquote(path.split("?", 1)[0])
    if path and not path.endswith(".md"):
        return None
    if not path and not anchor:
        return None
    return path, urllib.parse.unquote(anchor)


def resolve(page_dir: str, path: str) -> str:
    """A link's ``path`` (relative to the page's folder, or ``/``-rooted) as a docs-relative path."""
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(page_dir, path))


def page_hint(path: str, page_dir: str, pages: list[str]) -> str:
    """``; did you mean 'x.md'?`` naming the page nearest to the link's ``path`` (written as the link
    should be: relative to ``page_dir``, or ``/``-rooted like the link), or ''."""
    where = resolve(page_dir, path)
    near = difflib.get_close_matches(where, pages, n=1, cutoff=0.75)
    if not near:  # the same name in another folder: ../lessons/x.md
        base = posixpath.basename(where)
        near = [p for p in pages if posixpath.basename(p) == base][:1]
    if not near:
        return ""
    written = "/" + near[0] if path.startswith("/") else posixpath.relpath(near[0], page_dir or ".")
    return f"; did you mean '{written}'?"


def missing_page(target: str, path: str, page_dir: str, pages: list[str], docs_shown: str) -> str:
    """The message for a link in a lesson to a page that does not exist, with the nearest page."""
    where = resolve(page_dir, path)
    return (
        f"link to '{target}' goes nowhere: there is no {docs_shown}/{where}{page_hint(path, page_dir, pages)}"
    )


def missing_anchor(target: str, anchor: str, page_shown: str, ids: list[str]) -> str:
    """The message for a link to a heading id the page does not have, naming the ids it has."""
    near = difflib.get_close_matches(anchor, ids, n=1, cutoff=0.6)
    hint = f"; did you mean '#{near[0]}'?" if near else ""
    shown = ", ".join("#" + i for i in ids[:12]) + (", ..." if len(ids) > 12 else "")
    has = f" (its headings: {shown})" if ids else " (it has no headings)"
    return f"link to '{target}' goes to no heading: {page_shown} has no id '{anchor}'{hint}{has}"


def hand_ids(text: str) -> set[str]:
    """Ids written by hand in ``text`` (``{#id}``, ``id="..."``): also link targets."""
    return {m.group(1) or m.group(2) for m in _HAND_IDS.finditer(text)}


def toc_from_config(config_text: str) -> dict:
    """``toc``'s ``slugify`` (imported from its ``!!python/name:`` tag, which ``course check`` reads
    as nothing) and ``separator`` from mkdocs.yml's text; {} when it names none or we cannot import it."""
    found: dict = {}
    at = config_text.find("toc")
    if at < 0:
        return found
    for m in _PYTHON_NAME.finditer(config_text, at):
        key = m.group(1)
        if key in found:
            break
        if key == "slugify" and m.group(2):
            module, _, name = m.group(2).rpartition(".")
            try:
                value = getattr(importlib.import_module(module), name)
            except Exception:  # noqa: BLE001 (a name we cannot import: MkDocs reports it)
                continue
            if callable(value):
                found["slugify"] = value
        elif key == "separator" and m.group(3) is not None:
            found["separator"] = m.group(3)
    return found


Slugify = Callable[[str, str], str]
