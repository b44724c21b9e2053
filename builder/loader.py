"""Load one YAML file into plain data plus the line of every key and list item.

Authors' mistakes become ``Problem`` lines, never exceptions: invalid syntax, tabs, a BOM,
bytes that are not UTF-8, duplicate keys, aliases (and with them "billion laughs" bombs),
files too large or nested too deeply.  Parsing uses PyYAML's ``compose`` (libyaml when it is
installed) so every node keeps its mark; the data is then built by walking the nodes once.
"""

from __future__ import annotations

import re
import sys
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
    may_link: bool = True  # False when the text has no ".md": no link to a lesson to check
    text: str = ""  # the decoded text, for messages that name a line to line up with (issue 12)

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
    depth_line, why = _too_deep(text)
    if depth_line:
        problems.add(depth_line, why)
        return out

    out.may_link = ".md" in text
    out.text = text
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problems.add(*_syntax_problem(exc, text))
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
    out.data = _Builder(loader, out, anchors="&" in text).build(node, (), 0)
    if out.data is None and not problems:  # `---` or `~` alone
        problems.add(1, "file is empty")
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


_NESTING = re.compile(r"[\[\]{}\n\"']")
_DEEP_INDENT = re.compile(rf"^ {{{MAX_INDENT + 1},}}[^ \n]", re.M)


def _too_deep(text: str) -> tuple[int, str]:
    """Line of the first place nested deeper than we accept, and why (0 if none); linear and cheap.

    libyaml's composer recurses in C, so absurd nesting must be refused before parsing.
    """
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        line = 1
        quote = ""
        for m in _NESTING.finditer(text):  # only brackets, quotes and newlines: a few % of the text
            ch = m.group()
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
                    return line, f"nested more than {MAX_DEPTH} levels deep; course files are never this deep"
            else:
                depth = max(0, depth - 1)
    m = _DEEP_INDENT.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        return line, f"indented more than {MAX_INDENT} spaces; course files are never nested this deep"
    return 0, ""


# the value part of `key: value` or `- value`
_VALUE = re.compile(r"^[ ]*(?:-[ ]+)*(?:[^\s\"'#\[{][^:#]*?:[ ]+)?(.*)$")


def _value_on(lines: list[str], line: int) -> str:
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    m = _VALUE.match(src)
    return m.group(1).rstrip() if m else ""


def _open_quote(value: str) -> bool:
    """A double-quoted value that is not closed on its own line."""
    return value.startswith('"') and (value.count('"') - value.count('\\"')) % 2 == 1


def _quote_closes_before(lines: list[str], start: int, end: int) -> bool:
    """Whether the double-quoted text opened on line ``start`` is closed before line ``end``
    (a quoted text may go on over several lines; then it is no cause of a later error)."""
    src = lines[start - 1]
    pos = src.find('"', len(src) - len(_value_on(lines, start)))
    if pos < 0:
        return False
    rest = "\n".join([src[pos + 1 :]] + lines[start : max(start, end - 1)])
    m = re.search(r'(?<!\\)(?:\\\\)*"', rest)
    return m is not None


# curly quotes look like quotes to a person, not to YAML (issue 12)
_CURLY = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb"


# a curly opening quote and the closing quotes that match it (English, German, French, Swiss styles)
_CURLY_PAIRS = {
    "\u201c": "\u201d",  # “ ”
    "\u2018": "\u2019",  # ‘ ’
    "\u201e": "\u201c\u201d",  # „ “ (or „ ”)
    "\u201a": "\u2018\u2019",  # ‚ ‘ (or ‚ ’)
    "\u00ab": "\u00bb",  # « »
    "\u00bb": "\u00ab",  # » «
    "\u2039": "\u203a",  # ‹ ›
}


def curly_quoted(value: str) -> bool:
    """Whether ``value`` starts with a curly opening quote and ends with the matching closing one.

    Only meaningful for a PLAIN scalar (issue 12): ``title: “Safety first”`` keeps the quotes as
    part of the text, while the author meant a quoted string.  Curly quotes inside the text,
    or around a straight-quoted string, are fine.
    """
    closers = _CURLY_PAIRS.get(value[:1])
    return closers is not None and len(value) >= 2 and value[-1] in closers


def curly_message(value: str) -> str:
    """The warning for a plain scalar :func:`curly_quoted` accepts."""
    return (
        f"this text starts with {value[0]} and ends with {value[-1]}: curly quotes are part of the text "
        "(learners see them), not quotes to YAML; if you meant to quote it, use straight quotes "
        "\" or ' instead, otherwise leave the text as it is"
    )


# the opening quotes that a closing curly quote ends (the apostrophe ’ is left out: "the customers’")
_CURLY_OPENERS = {
    "\u201d": "\u201c\u201e",
    "\u201c": "\u201e",
    "\u00bb": "\u00ab",
    "\u00ab": "\u00bb",
    "\u203a": "\u2039",
}
QUOTE_START = frozenset(_CURLY_PAIRS)
QUOTE_END = frozenset(_CURLY_OPENERS) | {'"', "'"}


def quote_slip(value: str, style: str | None) -> str | None:
    """The warning for a text whose quotes learners would see as stray (issue 12), else None.

    ``style`` is the scalar's YAML style (None or "" for plain, '"' or "'" for quoted).  A plain
    text in matching curly quotes (:func:`curly_quoted`), a plain text that opens with a curly
    quote and closes with a straight one (``“Quiz 02"``), and any text that starts with a curly
    opening quote it never closes or ends with a closing one it never opened.
    """
    if len(value) < 2:
        return None
    first, last = value[0], value[-1]
    if not style:
        if curly_quoted(value):
            return curly_message(value)
        if first in _CURLY_PAIRS and last in "\"'":
            return (
                f"this text starts with a curly quote {first} and ends with a straight quote {last}: YAML reads "
                'neither as a quote, so learners see both; put straight quotes " around the whole text '
                "(curly quotes inside them are fine) or remove them"
            )
        if first in _CURLY_PAIRS and last in _CURLY and last not in _CURLY_PAIRS[first]:
            return (
                f"this text starts with a curly quote {first} and ends with {last}, which does not match it: YAML "
                'reads neither as a quote, so learners see both; put straight quotes " around the whole text '
                "(curly quotes inside them are fine) or remove them"
            )
    closers = _CURLY_PAIRS.get(first)
    if closers and first != "\u00bb" and not any(c in value[1:] for c in closers):
        close = closers[-1] if first == "\u201e" else closers[0]  # „ closes with “ in German
        return (
            f"this text starts with a curly quote {first} that is never closed: learners see a stray quote; "
            f"close it with {close} or remove it"
        )
    openers = _CURLY_OPENERS.get(last)
    if openers and last != "\u00ab" and not any(c in value[:-1] for c in openers + last):
        return (
            f"this text ends with a curly quote {last} that is never opened: learners see a stray quote; "
            f"open it with {openers[0]} or remove it"
        )
    return None


def _curly_problem(lines: list[str], line: int) -> tuple[int, str] | None:
    """The error is on a text that starts with a curly quote: say so (it is the usual cause)."""
    for n in (line, line - 1):
        value = _value_on(lines, n)
        if value[:1] and value[:1] in _CURLY:
            return n, (
                f"invalid YAML: this text starts with a curly quote {value[0]}, which YAML does not read "
                'as a quote; put straight quotes " " around the whole text (curly quotes inside them are fine)'
            )
    return None


def _curly_close(lines: list[str], line: int) -> str | None:
    """A text opened with a straight quote and closed with a curly one: say which to change."""
    value = _value_on(lines, line).rstrip()
    if value[:1] in "\"'" and value[-1:] in _CURLY:
        return (
            f"invalid YAML: this text starts with a straight quote {value[0]} but ends with a curly quote "
            f"{value[-1]}; end it with a straight quote {value[0]} too"
        )
    return None


def spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _indent(src: str) -> int:
    return len(src) - len(src.lstrip(" "))


_HEAD = re.compile(r"^ *((?:- +)?(?:[^\s:#][^:#]*?:(?= |$)|\S{1,20}))")
_ITEM_NAMES = {
    "options": "option",
    "choices": "choice",
    "questions": "question",
    "items": "item",
    "nav": "nav entry",  # mkdocs.yml
    "plugins": "plugin",
    "markdown_extensions": "extension",
}
_MAX_TRIES = 120


def _parses(text: str) -> bool:
    try:
        yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return False
    except RecursionError:  # pragma: no cover
        return False
    return True


def _is_content(src: str) -> bool:
    body = src.strip()
    return bool(body) and not body.startswith("#")


def key_column(src: str) -> int | None:
    """The column of the key on a ``key:`` or ``- key:`` line (None for other lines)."""
    m = _KEY_LINE.match(src)
    if not m:
        return None
    body = src[len(m.group(1)) :]
    if body.startswith("-"):
        return len(m.group(1)) + len(body) - len(body[1:].lstrip(" "))
    return len(m.group(1))


def key_name(src: str) -> str:
    m = re.match(r"^ *(?:- +)?([^\s:#][^:#]*?):(?: |$)", src)
    return m.group(1) if m else ""


def line_up_with(lines: list[str], line: int, want: int) -> str:
    """Words naming the line that ``line`` (1-based) lines up with at ``want`` spaces, e.g.
    "the option on line 12" or "`prompt:` on line 6" (issue 12); "" when there is none."""
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    dash = src.lstrip(" ").startswith("-")
    order = list(range(line - 1, max(0, line - 200), -1)) + list(
        range(line + 1, min(len(lines), line + 200) + 1)
    )
    for n in order:
        other = lines[n - 1]
        if not _is_content(other):
            continue
        if dash:
            if _indent(other) == want and other.lstrip(" ").startswith("-"):
                parent = next(
                    (key_name(lines[k - 1]) for k in range(n - 1, 0, -1)
                     if _is_content(lines[k - 1]) and _indent(lines[k - 1]) < want
                     and lines[k - 1].split("#")[0].rstrip().endswith(":")),
                    "",
                )  # fmt: skip
                return f"the {_ITEM_NAMES.get(parent, 'item')} on line {n}"
        elif key_column(other) == want:
            return f"`{key_name(other)}:` on line {n}"
    return ""


def _schema_fit(text: str, line: int, key: str) -> bool | None:
    """Whether ``key:`` on ``line`` of ``text`` (which parses) stands where the quiz or scenario
    schema allows it (None: the file's kind or the place is unknown).  See builder/key_levels.py."""
    if not key:
        return None
    from .key_levels import fits  # a leaf module over the schema; it does not import this one

    trial = load_text(text, "")
    if not isinstance(trial.data, dict):
        return None
    return fits(trial.data, trial.lines, line, key)


def _reindent_fix(
    lines: list[str],
    line: int,
    context_line: int = 0,
    *,
    only_line: bool = False,
    need_fit: bool = False,
    fit: Any = None,
) -> tuple[int, int] | None:
    """The one line to re-indent, and to how many spaces, that makes the whole file valid.

    Tries ``line`` (where the parser gave up), then up to 7 lines above it and the line the
    parser's context mark names; for each, the indentations other lines nearby have, the one
    that repeats the same key or list item at that depth first, nearest first.  Of the changes
    that make the file parse, the first that also puts the line's key where the schema allows
    it wins (issue 12: `explanation:` belongs in a question, not at the top), else the first.
    ``only_line``: try ``line`` alone; ``need_fit``: only a change the schema accepts will do;
    ``fit(text, line, key) -> bool | None``: the schema test (default: quiz and scenario files).
    None if no single re-indented line does (or the file is too large to try).
    """
    if sum(len(x) for x in lines) > 300_000:
        return None
    candidates = [line]
    for n in range(line - 1, 0, -1):
        if len(candidates) >= 8 or only_line:
            break
        if _is_content(lines[n - 1]):
            candidates.append(n)
    if context_line and context_line not in candidates and 0 < context_line <= line and not only_line:
        candidates.append(context_line)
    tries = 0
    parses: tuple[int, int] | None = None  # parses; the key is still not allowed there
    for n in candidates:
        if not 0 < n <= len(lines):
            continue
        src = lines[n - 1]
        if not _is_content(src):
            continue
        have = _indent(src)
        body = src.lstrip(" ")
        dash = body.startswith("-")
        name = key_name(src)
        near = range(max(1, n - 60), min(len(lines), n + 60) + 1)
        levels: set[int] = set()
        same: set[int] = set()  # depths where the same key (or a list item) stands elsewhere
        best: set[int] = set()  # depths where a list item starting with the same key stands
        for k in near:
            other = lines[k - 1]
            if k == n or not _is_content(other):
                continue
            levels.add(_indent(other))
            column = key_column(other)
            if column is not None:
                levels.add(column)
            if dash and other.lstrip(" ").startswith("-"):
                same.add(_indent(other))
                if name and key_name(other) == name:  # `- text:` lines up with another `- text:`
                    best.add(_indent(other))
            elif not dash and name and key_name(other) == name and column is not None:
                same.add(column)
        levels.discard(have)
        order = sorted(levels, key=lambda i: (i not in best, i not in same, abs(i - have), i))
        for want in order:
            tries += 1
            if tries > _MAX_TRIES:
                break
            trial = list(lines)
            trial[n - 1] = " " * want + body
            joined = "\n".join(trial)
            if _parses(joined):
                fits = (fit or _schema_fit)(joined, n, name)
                if fits or (fits is None and not need_fit):  # None: the schema cannot tell; take it
                    return n, want
                if fits is False and parses is None:
                    parses = (n, want)
                    tries = max(tries, _MAX_TRIES - 40)  # a few more tries for a place that fits
        if tries > _MAX_TRIES:
            break
    if need_fit:
        return None
    return parses


def reindent_for_key(lines: list[str], line: int, fit: Any = None) -> tuple[int, int] | None:
    """(line, spaces) re-indenting the ``key:`` on ``line`` to where the schema allows the key
    (issue 12), or None when no indentation nearby does.  ``fit``: as for :func:`_reindent_fix`."""
    return _reindent_fix(lines, line, only_line=True, need_fit=True, fit=fit)


def _indent_problem(lines: list[str], line: int, context_line: int = 0) -> tuple[int, str]:
    """Say which line to re-indent and how far: the one change that makes the file parse (issue 12),
    else like the nearest line above ``line`` that it belongs with."""
    fix = _reindent_fix(lines, line, context_line)
    if fix is not None:
        n, want = fix
        src = lines[n - 1]
        m = _HEAD.match(src)
        head = m.group(1).rstrip() if m else src.strip()[:20]
        with_ = line_up_with(lines, n, want)
        tail = f" to line up with {with_}" if with_ else ""
        return n, (
            f"invalid YAML: this line is not indented like the lines above it: it has {spaces(_indent(src))}; "
            f"indent `{head}` {want} spaces{tail}"
        )
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    have = _indent(src)
    dash = src.lstrip(" ").startswith("- ")
    levels: dict[int, int] = {}  # indent -> line number that has it
    limit = None
    for n in range(line - 1, max(0, line - 200), -1):
        above = lines[n - 1]
        body = above.strip()
        if not body or body.startswith("#"):
            continue
        ind = _indent(above)
        if limit is not None and ind >= limit:
            continue
        limit = ind
        if dash:
            if body.startswith("- "):
                levels.setdefault(ind, n)
                break
            continue
        levels.setdefault(ind, n)
        if body.startswith("- "):  # the keys of a list item stand after its dash
            levels.setdefault(ind + 2 + _indent(body[2:]), n)
        if ind == 0:
            break
    candidates = [i for i in levels if i != have]
    if not candidates:
        return line, "invalid YAML: this line is not indented like the lines above it"
    want = min(candidates, key=lambda i: (abs(i - have), -i))
    return line, (
        f"invalid YAML: this line is not indented like the lines above it: it has {have} spaces, "
        f"line {levels[want]} it belongs with has {want}; indent it {want} spaces"
    )


_KEY_LINE = re.compile(r"^( *)(?:- +)?[A-Za-z_][\w-]*:(?: |$)")


def _key_indented_too_far(lines: list[str], line: int) -> bool:
    """``line`` is a ``key:`` indented deeper than the ``key: text`` line above it: YAML took it
    for more of that text, then stumbled on its colon.  The slip is this line's indentation."""
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if not _KEY_LINE.match(src):
        return False
    for n in range(line - 1, 0, -1):
        above = lines[n - 1]
        if above.strip() and not above.strip().startswith("#"):
            m = _KEY_LINE.match(above)
            return bool(m) and _indent(src) > _indent(above) and bool(_value_on(lines, n))
    return False


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """Line and message for a YAML syntax error, pointing at the cause rather than where libyaml gave up."""
    line, message = _syntax_problem_(exc, text)
    if message.startswith("invalid YAML: this line is not indented"):  # the fallback: try harder
        context = exc.context_mark.line + 1 if exc.context_mark else 0
        found = _indent_problem(text.split("\n"), line, context)
        if "; indent `" in found[1]:
            return found
    return line, message


def _syntax_problem_(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    lines = text.split("\n")
    value = _value_on(lines, line)
    if "found character '\\t'" not in problem:
        curly = _curly_problem(lines, line)
        if curly:
            return curly
    if "found character '\\t'" in problem:
        return line, "tab character in indentation; YAML indents with spaces only"
    if "quoted scalar" in context and exc.context_mark and "end of stream" in problem:
        opened = exc.context_mark.line + 1
        curly = _curly_close(lines, opened)
        if curly:
            return opened, curly
        return opened, "invalid YAML: the quote that starts this text is never closed"
    if "cannot start any token" in problem or "scanning an alias" in context:
        col = exc.problem_mark.column if exc.problem_mark else 0
        src = lines[line - 1] if 0 < line <= len(lines) else ""
        char = src[col] if col < len(src) else (value[:1] or "?")
        return line, f"invalid YAML: text cannot start with '{char}' here; put the whole text in quotes"
    if "mapping values are not allowed" in problem:
        if _key_indented_too_far(lines, line):
            return _indent_problem(lines, line)
        return line, "invalid YAML: a ':' where a value was expected; quote text that contains ': '"
    if "found duplicate anchor" in problem:
        return line, f"invalid YAML: {problem}"
    if "flow sequence" in context or "flow mapping" in context:
        opened = exc.context_mark.line + 1 if exc.context_mark else line
        closer = "]" if "sequence" in context else "}"
        opener = "[" if closer == "]" else "{"
        return opened, f"invalid YAML: the '{opener}' opened on this line is not closed with '{closer}'"
    if problem.startswith(("did not find expected", "expected <block end>")) and "flow" not in context:
        for back in range(line, max(0, line - 200), -1):
            if _open_quote(_value_on(lines, back)) and not _quote_closes_before(lines, back, line):
                curly = _curly_close(lines, back)
                if curly:
                    return back, curly
                return back, "invalid YAML: the quote that starts this text is not closed on this line"
        src = lines[line - 1] if 0 < line <= len(lines) else ""
        at_indent = exc.problem_mark is not None and exc.problem_mark.column <= len(src) - len(src.lstrip())
        if at_indent:
            return _indent_problem(lines, line)
        if value[:1] and value[:1] in "[{":
            return line, "invalid YAML: text that starts with '[' or '{' must be put in quotes"
        if value[:1] and value[:1] in "\"'":
            return line, (
                "invalid YAML: text goes on after the closing quote; put the whole text in quotes "
                '(write \\" for a quote inside double quotes, or use single quotes around it)'
            )
        if "expected '-' indicator" in problem or "block end" in problem:
            return _indent_problem(lines, line)
    text_ = problem if not context else f"{problem} ({context})"
    return line, (f"invalid YAML: {text_}" if text_ else "invalid YAML")


_YAML = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _TIMESTAMP = _YAML + "str", _YAML + "null", _YAML + "bool", _YAML + "timestamp"
# plain YAML only: text, numbers, true/false, null, lists and mappings (no !!binary, !!set, !!python/...)
_PLAIN_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


_ScalarNode = yaml.ScalarNode
_INT = _YAML + "int"
_TEXT_TAGS = {_YAML + "value", _YAML + "merge"}
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})\Z")


def _implicit_resolvers() -> dict[str, list]:
    """SafeLoader's implicit resolvers by first character, the wildcard ones added to each."""
    table = _Loader.yaml_implicit_resolvers
    wildcard = list(table.get(None, []))
    return {first: list(resolvers) + wildcard for first, resolvers in table.items() if first is not None}


class _FastLoader(_Loader):
    """The same parser, with the resolver's callbacks made cheap: libyaml calls them in Python for
    every node, and course files use no path resolvers.  Tags come out exactly as SafeLoader's."""

    _by_first = _implicit_resolvers()
    _wildcard = list(_Loader.yaml_implicit_resolvers.get(None, []))

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple) -> str:
        if kind is _ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], self._wildcard):
                    if regexp.match(value):
                        return tag
            return _STR
        return _YAML + ("seq" if kind is yaml.SequenceNode else "map")


_intern = sys.intern


class _Builder:
    """Walks composed nodes into plain Python data, recording each key's and item's line.

    This walk runs over every node of every course file, so its common case is kept lean: a key with
    a plain text value is handled inline, and aliases are only tracked when the text has an anchor.
    """

    def __init__(self, loader: Any, out: Loaded, anchors: bool = True):
        self.loader = loader
        self.out = out
        self.lines = out.lines
        self.track = anchors  # without '&' in the text there are no anchors, hence no aliases
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
        if self.track:
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
        if tag in _TEXT_TAGS and node.__class__ is _ScalarNode:
            return node.value  # a lone `=` or `<<` as a value is text
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
            return self._sequence(node, path, depth)
        # scalars: text needs no constructor (the common case, kept fast)
        if tag == _STR:
            value = node.value
            if value[:1] in QUOTE_START or value[-1:] in QUOTE_END:
                slip = quote_slip(value, node.style)
                if slip:
                    self.out.problems.warn(node.start_mark.line + 1, slip)
            return value
        if tag == _TIMESTAMP:  # no field holds a date: `title: 2024-05-01` is text
            return node.value
        if tag == _BOOL and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.1's yes/no/on/off are words here, as in YAML 1.2
        if tag == _NULL:
            return None
        if tag == _INT and _DECIMAL.match(node.value):
            return int(node.value)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
            if tag == _YAML + "int":
                message = (
                    f"number with {len(node.value)} digits is too long; write it in quotes if it is text"
                )
            else:
                message = f"invalid value: {getattr(exc, 'problem', None) or exc}"
            self.problem(path, line, message)
            return None

    def _sequence(self, node: yaml.SequenceNode, path: tuple, depth: int) -> list:
        items = []
        lines, track, build = self.lines, self.track, self.build
        prev = None
        for index, child in enumerate(node.value):
            at = child.start_mark.line + 1
            if track and id(child) in self.seen:  # an alias stands after the previous item, not at its anchor
                at = node.start_mark.line + 1
                if prev is not None:
                    end = prev.end_mark
                    at = end.line + (1 if node.flow_style or end.column <= node.start_mark.column else 2)
            here = path + (index,)
            lines[here] = at
            if not track and child.tag == _STR and child.__class__ is _ScalarNode:
                value = child.value
                if value[:1] in QUOTE_START or value[-1:] in QUOTE_END:
                    slip = quote_slip(value, child.style)
                    if slip:
                        self.out.problems.warn(at, slip)
                items.append(value)
            else:
                items.append(build(child, here, depth + 1, at))
            prev = child
        return items

    def _mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        lines, track, build = self.lines, self.track, self.build
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            split = 0
            if key_node.tag == _STR and key_node.__class__ is _ScalarNode:
                key = _intern(key_node.value)  # the same few keys, thousands of times
            elif not isinstance(key_node, yaml.ScalarNode):
                self.out.problems.add(line, "a key must be plain text, not a list or mapping")
                continue
            elif key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(path, line, "YAML merge keys (<<) are not supported; write the keys out in full")
                continue
            elif key_node.tag not in _PLAIN_TAGS:
                self.out.problems.add(line, f"a key must be plain text, got '{key_node.value}'")
                continue
            else:
                key = key_node.value  # as written: `0x1f:` stays '0x1f', `yes:` stays 'yes'
            if key[:1] in _CURLY_PAIRS and not key_node.style and value_node.__class__ is _ScalarNode:
                whole = f"{key}: {value_node.value}"  # `- “Stop: look”`: the ': ' made it a key and value
                if not value_node.style and curly_quoted(whole):
                    split = len(self.out.problems) + 1  # the value's own "never opened" says no more
                    self.out.problems.warn(line, (
                        f"this text starts with {whole[0]} and ends with {whole[-1]}, and the ': ' inside made "
                        "YAML read it as a key and a value (curly quotes are not quotes to YAML); "
                        'put straight quotes " or \' around the whole text'
                    ))  # fmt: skip
            here = path + (key,)
            if key in result:
                first = lines.get(here, "?")
                what = "node id" if path and path[-1] == "nodes" else "key"
                self.out.problems.add(line, f"duplicate {what} '{key}' (first defined on line {first})")
                continue
            lines[here] = line
            if not track and value_node.tag == _STR and value_node.__class__ is _ScalarNode:
                value = value_node.value
                if value[:1] in QUOTE_START or value[-1:] in QUOTE_END:
                    slip = quote_slip(value, value_node.style)
                    if slip:
                        self.out.problems.warn(value_node.start_mark.line + 1, slip)
                result[key] = value
            else:
                result[key] = build(value_node, here, depth + 1, line)
            if split:
                del self.out.problems[split:]
        return result
