"""Admonition and collapsible-block slips in lessons that render wrongly without a word (issue 12).

- ``!!! abstract “In this lesson…”``: curly (or single) quotes around the title; Python-Markdown's
  admonition does not match the line, which shows as literal text;
- the body indented 1 to 3 spaces instead of 4: an empty box, with the body below it;
- an unknown type (``!!! abstrct``): a plain note box.  The known types are Material for MkDocs'
  (https://squidfunk.github.io/mkdocs-material/reference/admonitions/#supported-types).

The same for ``???`` and ``???+`` (pymdownx.details).  Lines in code are left alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from .asset_refs import code_lines

# Material's types and their aliases
TYPES = {
    "note": (),
    "abstract": ("summary", "tldr"),
    "info": ("todo",),
    "tip": ("hint", "important"),
    "success": ("check", "done"),
    "question": ("help", "faq"),
    "warning": ("caution", "attention"),
    "failure": ("fail", "missing"),
    "danger": ("error",),
    "bug": (),
    "example": (),
    "quote": ("cite",),
}
KNOWN = {name for main, aliases in TYPES.items() for name in (main, *aliases)}

_OPENER = re.compile(r"^([ \t]*)(!!!|\?\?\?\+?)(.*)$")
# what Python-Markdown's admonition (and pymdownx.details) accept after the marker
_VALID = re.compile(r'^ ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
_CURLY = "“”„‟«»‘’‚‛"


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def layout_problems(text: str) -> Iterator[tuple[int, str]]:
    """``(line, message)`` for each admonition or collapsible-block slip in lesson ``text``
    (warnings: the page builds, but does not look as the author meant)."""
    if "!!!" not in text and "???" not in text:
        return
    code = code_lines(text)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if number in code or ("!!!" not in line and "???" not in line):
            continue
        m = _OPENER.match(line)
        if not m:
            continue
        marker, rest = m.group(2), m.group(3)
        valid = _VALID.match(rest)
        if not valid:
            if any(c in rest for c in _CURLY):
                fixed = rest.strip().translate({ord(c): '"' for c in _CURLY})
                yield (
                    number,
                    (
                        f"this '{marker}' line shows as plain text: its title has curly quotes; use straight "
                        f"quotes: '{marker} {fixed}'"
                    ),
                )
            elif "'" in rest:
                fixed = rest.strip().replace("'", '"')
                yield (
                    number,
                    (
                        f"this '{marker}' line shows as plain text: put the title in double quotes: "
                        f"'{marker} {fixed}'"
                    ),
                )
            elif rest.strip():
                yield (
                    number,
                    (
                        f"this '{marker}' line shows as plain text: write '{marker} type \"Title\"' (a type such "
                        "as note, tip or warning, then the title in double quotes)"
                    ),
                )
            continue
        kind = valid.group(1).split()[0].lower()
        if kind not in KNOWN:
            near = difflib.get_close_matches(kind, sorted(KNOWN), n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'?" if near else "use one of: " + ", ".join(TYPES)
            yield number, f"unknown {_what(marker)} type '{kind}' shows as a plain note box; {hint}"
        opener = _indent(line)
        for later in range(number, len(lines)):
            body = lines[later]
            if not body.strip():
                continue
            indent = _indent(body)
            if opener < indent < opener + 4 and later + 1 not in code:
                yield (
                    later + 1,
                    (
                        f"the body of the {_what(marker)} on line {number} is indented {indent - opener} "
                        f"space{'s' if indent - opener != 1 else ''}: indent it 4 spaces, or the box shows "
                        "empty with this text below it"
                    ),
                )
            break


def _what(marker: str) -> str:
    return "admonition" if marker == "!!!" else "collapsible block"
