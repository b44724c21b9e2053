"""Split a lesson page into translatable segments and put it back together (issue 14 item 3).

A page becomes a list of pieces: ``str`` pieces are kept as they are (blank lines, indentation,
list markers, ``#`` marks, table pipes, fenced code, front matter, ``::: quiz`` lines); ``Segment``
pieces are what a translator translates: a heading, a paragraph, a list item, a table cell, an
admonition or tab title.  ``join(pieces)`` gives the page back byte for byte, and
``join(pieces, translations)`` the translated page.

Kept out of segments on purpose: fenced code (``` and ~~~), front matter, embed lines
(``::: quiz id``: the id names a file, see builder/embeds.py) and table separator rows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .embeds import match_line

FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
HEADING_RE = re.compile(r"^(\s*#{1,6}[ \t]+)(.*?)([ \t]*)$")
LIST_RE = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)(\S.*)$")
TITLE_RE = re.compile(r'^(\s*(?:!!!|\?\?\?\+?|===\+?)[ \t]+[^"\n]*")([^"\n]*)(".*)$')
TABLE_SEP_RE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
CELL_RE = re.compile(r"((?:\\.|[^|\\])+)")


@dataclass
class Segment:
    """One translatable piece: ``text`` (its lines without their indentation), ``line`` (1-based, in
    the source page), ``kind`` (heading, paragraph, list item, table cell, title), the indentation of
    its continuation lines (re-applied to the translation) and its ``id`` (hash of the text, unique
    within the page)."""

    text: str
    line: int
    kind: str
    indents: list[str] = field(default_factory=list)
    id: str = ""

    def render(self, text: str) -> str:
        lines = text.split("\n")
        out = [lines[0]]
        for n, rest in enumerate(lines[1:]):
            indent = self.indents[n] if n < len(self.indents) else (self.indents[-1] if self.indents else "")
            out.append(indent + rest if rest else rest)
        return "\n".join(out)


def segment_id(text: str) -> str:
    """A stable id for a lesson segment: the first 10 hex digits of the SHA-1 of its text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def split(text: str) -> list[str | Segment]:
    """The pieces of one page (see the module docstring); ``"".join`` of the kept text and each
    segment's ``render(segment.text)`` is ``text`` again."""
    pieces: list[str | Segment] = []
    lines = text.split("\n")
    n = 0
    ends = len(lines)

    def keep(s: str) -> None:
        pieces.append(s)

    # front matter: kept as it is
    if lines and lines[0].strip() == "---":
        for end in range(1, ends):
            if lines[end].strip() in ("---", "..."):
                keep("\n".join(lines[: end + 1]) + ("\n" if end + 1 < ends else ""))
                n = end + 1
                break
    while n < ends:
        line = lines[n]
        nl = "\n" if n + 1 < ends else ""
        fence = FENCE_RE.match(line)
        if fence:
            mark = fence.group(2)
            end = n + 1
            while end < ends and not lines[end].strip().startswith(mark[0] * len(mark)):
                end += 1
            end = min(end, ends - 1)
            keep("\n".join(lines[n : end + 1]) + ("\n" if end + 1 < ends else ""))
            n = end + 1
            continue
        if not line.strip() or match_line(line) or TABLE_SEP_RE.match(line) and "-" in line:
            keep(line + nl)
            n += 1
            continue
        heading = HEADING_RE.match(line)
        title = TITLE_RE.match(line)
        if heading or title:
            m = heading or title
            keep(m.group(1))
            if m.group(2).strip():
                pieces.append(Segment(m.group(2), n + 1, "heading" if heading else "title"))
            keep(m.group(3) + nl)
            n += 1
            continue
        if line.lstrip().startswith("|"):
            _table_row(line, n + 1, pieces)
            keep(nl)
            n += 1
            continue
        # a paragraph or a list item: this line and the indented or lazy lines that follow it
        item = LIST_RE.match(line)
        start_indent = len(line) - len(line.lstrip())
        if item:
            keep(item.group(1))
            first = item.group(2)
            kind = "list item"
        else:
            keep(line[:start_indent])
            first = line[start_indent:]
            kind = "paragraph"
        texts, indents = [first], []
        end = n + 1
        while end < ends:
            nxt = lines[end]
            if (
                not nxt.strip()
                or FENCE_RE.match(nxt)
                or match_line(nxt)
                or HEADING_RE.match(nxt)
                or TITLE_RE.match(nxt)
                or LIST_RE.match(nxt)
                or nxt.lstrip().startswith("|")
            ):
                break
            indent = nxt[: len(nxt) - len(nxt.lstrip())]
            indents.append(indent)
            texts.append(nxt[len(indent) :])
            end += 1
        pieces.append(Segment("\n".join(texts), n + 1, kind, indents))
        keep("\n" if end < ends else "")
        n = end
    _number(pieces)
    return pieces


def _table_row(line: str, number: int, pieces: list[str | Segment]) -> None:
    pos = 0
    for m in CELL_RE.finditer(line):
        cell = m.group(1)
        lead = len(cell) - len(cell.lstrip())
        body = cell.strip()
        if not body:
            continue
        start, stop = m.start() + lead, m.start() + lead + len(body)
        pieces.append(line[pos:start])
        pieces.append(Segment(body, number, "table cell"))
        pos = stop
    pieces.append(line[pos:])


def _number(pieces: list[str | Segment]) -> None:
    seen: dict[str, int] = {}
    for piece in pieces:
        if isinstance(piece, Segment):
            base = segment_id(piece.text)
            seen[base] = seen.get(base, 0) + 1
            piece.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def segments(pieces: list[str | Segment]) -> list[Segment]:
    return [p for p in pieces if isinstance(p, Segment)]


def join(pieces: list[str | Segment], translations: dict[int, str] | None = None) -> str:
    """The page again; ``translations`` maps a segment's position (0-based, among the segments)
    to its new text."""
    out: list[str] = []
    k = 0
    for piece in pieces:
        if isinstance(piece, Segment):
            text = (translations or {}).get(k, piece.text)
            out.append(piece.render(text))
            k += 1
        else:
            out.append(piece)
    return "".join(out)


def shape(pieces: list[str | Segment]) -> list[str]:
    """The kinds of a page's segments in order: two pages with the same shape align segment by
    segment (a translation written in the same layout as its source)."""
    return [s.kind for s in segments(pieces)]
