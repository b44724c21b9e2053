"""Where a setting sits in mkdocs.yml, for ``mkdocs.yml:line: message`` author errors.

One best-effort search shared by the settings checks (completion rules in builder/manifest.py, the
``xapi:`` setting in builder/records/config.py, interface ``messages:`` in builder/messages.py):
it reads the file as text, so it works on the author's own file whatever YAML loader built the
settings, and it never raises.
"""

from __future__ import annotations

import re
from pathlib import Path


def line_in_block(
    config_file: str | None,
    block: str,
    needle: str,
    *,
    span: int | None = None,
    whole_word: bool = True,
    stop_at_dedent: bool = False,
) -> int:
    """1-based line of ``needle`` in the ``<block>:`` section of ``config_file``.

    ``span``: how many lines from the ``<block>:`` line to search (None: to the end of the file);
    ``whole_word``: the needle must not be part of a longer name (letters, digits, ``_``, ``-``);
    ``stop_at_dedent``: stop at the first line indented no deeper than ``<block>:`` (its end).
    Returns the ``<block>:`` line when the needle is not found there, 1 when the file cannot be
    read or has no such block."""
    try:
        lines = Path(config_file or "").read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    start = next((i for i, line in enumerate(lines) if re.match(rf"\s*{block}\s*:", line)), None)
    if start is None:
        return 1
    pattern = re.compile(r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])") if whole_word else None
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = len(lines) if span is None else min(len(lines), start + span)
    for i in range(start, end):
        if (
            stop_at_dedent
            and i > start
            and lines[i].strip()
            and len(lines[i]) - len(lines[i].lstrip()) <= indent
        ):
            break
        if pattern.search(lines[i]) if pattern else needle in lines[i]:
            return i + 1
    return start + 1
