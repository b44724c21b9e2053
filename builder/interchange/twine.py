"""Twine stories into branching scenarios (issue 16, item 1).

Reads Twee 3 text (twinery.org's twee-3-specification: ``:: Name [tags] {metadata}``) and
Twine 2 HTML, published or archived (twine-2-htmloutput-spec: ``<tw-storydata>`` and its
``<tw-passagedata>`` children, HTML-unescaped).  Passages become nodes and links become
choices: ``[[text->Target]]``, ``[[Target<-text]]``, ``[[text|Target]]``, ``[[Target]]`` and
SugarCube's ``[[text|Target][$x += 1]]`` and Harlowe's ``(link-goto: "text", "Target")``.  The start passage is StoryData's ``start``
(``startnode`` in HTML), else the passage named ``Start``, else the first passage.

Conventions (documented in content/guide/import-twine.md):

- a passage without links is an ending; tag it ``ending-success``, ``ending-partial`` or
  ``ending-failure`` (or ``ending:success`` ...; untagged: ``partial``, with a note).  A passage
  so tagged, or one whose links all go back to the start ("Play again"), is an ending too, its
  links kept as text;
- tags ``speaker:Ms_Lindqvist`` and ``mood:furious`` (``_`` for a space), or Twee 3 metadata
  ``{"speaker": "Ms Lindqvist", "mood": "furious"}``, set the node's speaker and mood;
- meters come from a small subset of variable changes: Harlowe ``(set: $calm to it + 1)`` /
  ``(set: $calm to $calm - 1)`` and SugarCube ``<<set $calm += 1>>`` / ``<<set $calm to
  $calm - 1>>`` in a passage become effects of every choice that leads to it (a setter link's
  change is that choice's own); ``(set: $calm to 2)`` / ``<<set $calm to 2>>`` in the start
  passage, a ``startup``-tagged passage or StoryInit gives the meter's start value;
- a condition on a meter around links only, Harlowe ``(if: $trust >= 3)[ [[...]] ]`` or
  SugarCube ``<<if $trust gte 3>>[[...]]<</if>>`` (``>`` / ``gt`` too), on one line, becomes
  those choices' ``requires``;
- a paragraph that starts ``Feedback:`` in a passage (or metadata ``{"feedback": "..."}``)
  is the feedback of every choice that leads to that passage;
- ``''bold''`` and ``//italic//`` become Markdown.

Everything else a story format does (other macros, variables printed in text, conditions) is
reported with its source line and kept in the node's text as code, never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..problems import Problems
from .common import Flow, Ids, SourceError

ENDING_TAGS = {"ending-success": "success", "ending-partial": "partial", "ending-failure": "failure"}
_ENDING_TAG = re.compile(r"^ending[-:_](success|partial|failure)$")
# tags a story format gives a meaning that a scenario has no place for
SPECIAL_TAGS = {
    "script",
    "stylesheet",
    "widget",
    "header",
    "footer",
    "debug-header",
    "debug-footer",
    "debug-startup",
}
SUGARCUBE_SPECIAL = {
    "StoryCaption", "StoryMenu", "StoryBanner", "StoryAuthor", "StorySubtitle", "StoryDisplayTitle",
    "StoryInterface", "StoryShare", "PassageReady", "PassageDone", "PassageHeader", "PassageFooter",
}  # fmt: skip

_LINK = re.compile(r"\[\[(?!\[)([^\]]+)(?:\]\[([^\]]*))?\]\]")
_SUGAR_MACRO = re.compile(r"<<.*?>>")
_NUM = r"[-+]?\d+"
_VAR = r"\$([A-Za-z_][\w]*)"
# Harlowe: (set: $x to it + 1), (set: $x to $x - 2), (set: $x to 3); several with commas
_H_SET_ONE = re.compile(rf"^\s*{_VAR}\s+to\s+(?:(?:it|\$\1)\s*([-+])\s*(\d+)|({_NUM}))\s*$")
# SugarCube: $x += 1, $x -= 1, $x to $x + 1, $x = 3, $x to 3
_S_SET_ONE = re.compile(
    rf"^\s*{_VAR}\s*(?:([-+])=\s*(\d+)|(?:to|=)\s*\$\1\s*([-+])\s*(\d+)|(?:to|=)\s*({_NUM}))\s*$"
)
# (if: $trust >= 3)[ [[link]] ] and <<if $trust gte 3>>[[link]]<</if>> around links only
_LINKS = r"((?:\s*\[\[[^\]]+\]\])+\s*)"
_H_IF_LINKS = re.compile(rf"\(if:\s*{_VAR}\s*(>=|>)\s*(\d+)\s*\)\s*\[{_LINKS}\]")
_S_IF_LINKS = re.compile(rf"<<if\s+{_VAR}\s*(>=|>|gte|gt)\s*(\d+)\s*>>{_LINKS}<</if>>")
_FEEDBACK = re.compile(r"^\s*feedback:\s*(.*)$", re.I)
# (link-goto: "text", "Target") or (link-goto: "Target")
_LINK_GOTO = re.compile(r"""^\s*("([^"]*)"|'([^']*)')\s*(?:,\s*("([^"]*)"|'([^']*)')\s*)?$""")
_NAKED_VAR = re.compile(r"(?<![\w`])[$_][A-Za-z][\w.]*")
_BOLD = re.compile(r"''(.+?)''")
_ITALIC = re.compile(r"(?<![:/])//(?=\S)(.+?)(?<=\S)//")


@dataclass
class Passage:
    name: str
    line: int  # the header's line (Twee) or the <tw-passagedata> tag's line (HTML)
    text_line: int  # line of the first line of the text
    tags: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    text: str = ""


@dataclass
class Story:
    title: str = ""
    start: str | None = None
    start_line: int = 1
    format: str = ""
    passages: list[Passage] = field(default_factory=list)


# ---------------------------------------------------------------- Twee 3


def _header(rest: str) -> tuple[str, str | None, str | None]:
    """``Name [tags] {meta}`` (name with \\-escapes) -> (name, tags text, meta text)."""
    name, i = [], 0
    while i < len(rest):
        ch = rest[i]
        if ch == "\\" and i + 1 < len(rest):
            name.append(rest[i + 1])
            i += 2
            continue
        if ch in "[{":
            break
        name.append(ch)
        i += 1
    tail = rest[i:].strip()
    tags = meta = None
    if tail.startswith("["):
        end = tail.find("]")
        tags, tail = (tail[1:end], tail[end + 1 :].strip()) if end >= 0 else (tail[1:], "")
    if tail.startswith("{"):
        meta = tail
    elif tail.startswith("<"):  # Twee 1/2 position "<10,20>": nothing to keep
        pass
    return "".join(name).strip(), tags, meta


def parse_twee(text: str, display: str) -> tuple[Story, Problems]:
    """Twee 3 text -> Story.  ``SourceError`` when there is no passage at all."""
    problems = Problems(display)
    story = Story()
    current: Passage | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            current.text = "\n".join(body).strip("\n")
            lead = len(body) - len("\n".join(body).lstrip("\n").split("\n"))
            current.text_line += lead

    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("::"):
            close()
            name, tags, meta = _header(line[2:])
            current = Passage(name, n, n + 1)
            body = []
            if tags:
                current.tags = tags.split()
            if meta:
                try:
                    value = json.loads(meta)
                    current.meta = value if isinstance(value, dict) else {}
                except json.JSONDecodeError as exc:
                    problems.warn(n, f"passage '{name}': its metadata is not valid JSON ({exc.msg}); ignored")
            if not name:
                problems.add(n, "a passage header '::' without a name; give the passage a name")
            story.passages.append(current)
        elif current is None:
            if line.strip():
                problems.warn(
                    n, "text before the first ':: Passage' header is not part of any passage; ignored"
                )
        else:
            body.append(line[1:] if line.startswith("\\::") else line)  # \:: escapes a line
    close()
    for p in list(story.passages):
        if p.name == "StoryTitle":
            story.title = p.text.strip()
        elif p.name == "StoryData":
            try:
                data = json.loads(p.text or "{}")
            except json.JSONDecodeError as exc:
                problems.add(p.text_line + exc.lineno - 1, f"StoryData is not valid JSON: {exc.msg}")
                data = {}
            if isinstance(data, dict):
                story.start = data.get("start") if isinstance(data.get("start"), str) else None
                story.format = str(data.get("format") or "")
                story.start_line = p.line
    story.passages = [p for p in story.passages if p.name not in ("StoryTitle", "StoryData") and p.name]
    if not story.passages:
        problems.add(1, "no passages found: a Twee file has passages that start with ':: Name'")
        raise SourceError(problems)
    return story, problems


# ---------------------------------------------------------------- Twine 2 HTML


class _HTMLStories(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stories: list[tuple[dict, int, list]] = []  # (attrs, line, passages)
        self.extras: list[tuple[str, int, str]] = []  # (what, line, text) for user script/style
        self._passage: Passage | None = None
        self._extra: tuple[str, int] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        line = self.getpos()[0]
        if tag == "tw-storydata":
            self.stories.append((a, line, []))
        elif tag == "tw-passagedata" and self.stories:
            self._passage = Passage(a.get("name", ""), line, line, a.get("tags", "").split())
            self._passage.meta = {"pid": a.get("pid", "")}
            self._text = []
        elif tag in ("script", "style") and self.stories and a.get("type", "").startswith("text/twine"):
            self._extra = ("story JavaScript" if tag == "script" else "story stylesheet", line)
            self._text = []

    def handle_data(self, data):
        if self._passage is not None or self._extra is not None:
            if not self._text:
                start = self.getpos()[0]
                if self._passage is not None:
                    self._passage.text_line = start
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "tw-passagedata" and self._passage is not None:
            text = "".join(self._text)
            lead = len(text) - len(text.lstrip("\n"))
            self._passage.text_line += text[:lead].count("\n")
            self._passage.text = text.strip("\n")
            self.stories[-1][2].append(self._passage)
            self._passage = None
        elif tag in ("script", "style") and self._extra is not None:
            self.extras.append((*self._extra, "".join(self._text)))
            self._extra = None


def parse_twine_html(text: str, display: str, story_name: str | None = None) -> tuple[Story, Problems]:
    """Twine 2 published HTML or archive -> Story (the one named ``story_name``, else the first)."""
    problems = Problems(display)
    parser = _HTMLStories()
    parser.feed(text)
    parser.close()
    if not parser.stories:
        problems.add(1, "no <tw-storydata> element: this is not a Twine 2 story or archive file")
        raise SourceError(problems)
    chosen = parser.stories[0]
    if story_name is not None:
        named = [s for s in parser.stories if s[0].get("name") == story_name]
        if not named:
            names = ", ".join(repr(s[0].get("name", "")) for s in parser.stories)
            problems.add(1, f"no story named {story_name!r} in this file; it has {names}")
            raise SourceError(problems)
        chosen = named[0]
    elif len(parser.stories) > 1:
        others = ", ".join(repr(s[0].get("name", "")) for s in parser.stories[1:])
        problems.warn(
            parser.stories[1][1],
            f"the archive has {len(parser.stories)} stories; imported the first, not {others} (use --story NAME)",
        )
    attrs, line, passages = chosen
    story = Story(
        title=attrs.get("name", ""), format=attrs.get("format", ""), passages=passages, start_line=line
    )
    start_pid = attrs.get("startnode", "")
    for p in passages:
        if p.meta.get("pid") == start_pid:
            story.start = p.name
        p.meta = {}
    if start_pid and story.start is None:
        problems.warn(line, f"startnode {start_pid} is not a passage's pid; starting at the first passage")
    for what, where, body in parser.extras:
        if body.strip():
            problems.warn(where, f"the {what} is not imported: a scenario runs no story-format code")
    if not passages:
        problems.add(line, "the story has no passages")
        raise SourceError(problems)
    return story, problems


# ---------------------------------------------------------------- story -> scenario


def _link_parts(inner: str) -> tuple[str, str]:
    """(text, target) of a link's inside, as Twine 2 reads it."""
    if "|" in inner:
        text, target = inner.rsplit("|", 1)
    elif "->" in inner:
        text, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, text = inner.split("<-", 1)
    else:
        text = target = inner
    return text.strip(), target.strip()


def _harlowe_macros(line: str) -> list[tuple[int, int]]:
    """Spans of Harlowe macro calls ``(name: ...)`` with balanced parentheses."""
    spans, i = [], 0
    for match in re.finditer(r"\([A-Za-z][\w-]*:", line):
        if match.start() < i:
            continue
        depth, j = 0, match.start()
        quote = None
        while j < len(line):
            ch = line[j]
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        end = min(j + 1, len(line))
        spans.append((match.start(), end))
        i = end
    return spans


def _sets(expr: str, pattern: re.Pattern) -> list[tuple[str, str, int]] | None:
    """``$a to it + 1, $b to 2`` -> [("a", "add", 1), ("b", "to", 2)]; None if any part is outside the subset."""
    out = []
    for part in expr.split(","):
        m = pattern.match(part)
        if not m:
            return None
        groups = [g for g in m.groups()[1:]]
        if pattern is _H_SET_ONE:
            sign, amount, absolute = groups
            if absolute is not None:
                out.append((m.group(1), "to", int(absolute)))
            else:
                out.append((m.group(1), "add", int(amount) * (-1 if sign == "-" else 1)))
        else:
            sign1, amount1, sign2, amount2, absolute = groups
            if absolute is not None:
                out.append((m.group(1), "to", int(absolute)))
            else:
                sign, amount = (sign1, amount1) if sign1 else (sign2, amount2)
                out.append((m.group(1), "add", int(amount) * (-1 if sign == "-" else 1)))
    return out


def _code(text: str) -> str:
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _markup(text: str) -> str:
    return _ITALIC.sub(r"*\1*", _BOLD.sub(r"**\1**", text))


@dataclass
class _Parsed:
    text: str
    links: list[tuple[str, str, int, dict, dict]]  # (text, target, line, setter effects, requires)
    sets: list[tuple[str, str, int, int]]  # (var, "add"|"to", amount, line)
    feedback: str = ""  # the "Feedback:" paragraph: feedback of the choices that lead here


def _outright(p: Passage, line: int, changes: list, problems: Problems) -> None:
    for var, kind, amount in changes:
        if kind == "to":
            problems.warn(
                line,
                f"passage '{p.name}': setting ${var} to {amount} outright is only supported in the start passage, "
                "StoryInit or a startup passage; kept as text",
            )


def _parse_body(p: Passage, problems: Problems, init: bool = False) -> _Parsed:
    """A passage's text, links and meter changes; ``init``: the start or a set-up passage, where
    ``$x to 3`` (a start value) is allowed."""
    links: list[tuple[str, str, int, dict, dict]] = []
    sets: list[tuple[str, str, int, int]] = []
    out_lines: list[str] = []
    feedback: list[str] = []
    in_feedback = False
    for offset, line in enumerate(p.text.split("\n")):
        n = p.text_line + offset
        pieces: list[str] = []
        pos = 0
        had_content = bool(line.strip())
        spans: list[tuple[int, int, str]] = []
        found: list[tuple[int, str, str, int, dict, dict]] = []  # links of this line, by position

        def link(m: re.Match, base: int, requires: dict, n=n, spans=spans, found=found) -> None:
            text, target = _link_parts(m.group(1))
            effects: dict[str, int] = {}
            if m.group(2) is not None:
                changes = _sets(m.group(2), _S_SET_ONE)
                if changes is None or any(kind == "to" for _, kind, _ in changes):
                    problems.warn(
                        n,
                        f"passage '{p.name}': the link setter [{m.group(2)}] is outside the supported <<set $x += 1>> subset; kept as text",
                    )
                    spans.append((base + m.start(), base + m.end(), _code(f"[{m.group(2)}]")))
                    found.append((base + m.start(), text, target, n, {}, requires))
                    return
                for var, _, amount in changes:
                    effects[var] = effects.get(var, 0) + amount
            found.append((base + m.start(), text, target, n, effects, requires))
            spans.append((base + m.start(), base + m.end(), ""))

        # a condition on a meter around links only: the links' requirement
        for pattern in (_H_IF_LINKS, _S_IF_LINKS):
            for c in pattern.finditer(line):
                value = int(c.group(3)) + (1 if c.group(2) in (">", "gt") else 0)
                first_span = len(spans)
                for m in _LINK.finditer(c.group(4)):
                    link(m, c.start(4), {c.group(1): value})
                del spans[first_span:]  # the whole condition goes, links and all
                spans.append((c.start(), c.end(), ""))
        # links first (their text may contain macro-looking characters)
        for m in _LINK.finditer(line):
            if not any(s <= m.start() < e for s, e, _ in spans):
                link(m, 0, {})
        for start, end in _harlowe_macros(line):
            if any(s <= start < e for s, e, _ in spans):
                continue
            call = line[start:end]
            name = call[1 : call.index(":")].lower()
            changes = _sets(call[call.index(":") + 1 : -1], _H_SET_ONE) if name == "set" else None
            goto = _LINK_GOTO.match(call[call.index(":") + 1 : -1]) if name == "link-goto" else None
            if goto:
                text = goto.group(2) if goto.group(2) is not None else goto.group(3)
                target = goto.group(5) if goto.group(5) is not None else goto.group(6)
                if target is None:
                    target = text
                found.append((start, text, target, n, {}, {}))
                spans.append((start, end, ""))
            elif changes is not None and (init or all(kind == "add" for _, kind, _ in changes)):
                sets.extend((var, kind, amount, n) for var, kind, amount in changes)
                spans.append((start, end, ""))
            elif changes is not None:
                _outright(p, n, changes, problems)
                spans.append((start, end, _code(call)))
            else:
                problems.warn(
                    n,
                    f"passage '{p.name}': the Harlowe macro ({name}:) has no equivalent in a scenario; kept as text",
                )
                spans.append((start, end, _code(call)))
        for m in _SUGAR_MACRO.finditer(line):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            call = m.group(0)
            inner = call[2:-2].strip()
            name = inner.split(None, 1)[0] if inner else ""
            changes = _sets(inner[3:], _S_SET_ONE) if name == "set" else None
            if changes is not None and (init or all(kind == "add" for _, kind, _ in changes)):
                sets.extend((var, kind, amount, n) for var, kind, amount in changes)
                spans.append((m.start(), m.end(), ""))
            elif changes is not None:
                _outright(p, n, changes, problems)
                spans.append((m.start(), m.end(), _code(call)))
            else:
                label = f"<<{name}>>" if name else call
                problems.warn(
                    n,
                    f"passage '{p.name}': the SugarCube macro {label} has no equivalent in a scenario; kept as text",
                )
                spans.append((m.start(), m.end(), _code(call)))
        found.sort(key=lambda f: f[0])
        links.extend(f[1:] for f in found)
        spans.sort()
        for start, end, replacement in spans:
            if start < pos:
                continue
            pieces.append(line[pos:start])
            pieces.append(replacement)
            pos = end
        pieces.append(line[pos:])
        # naked variables printed in text ($name, _name)
        rebuilt = []
        for piece in pieces:
            if piece.startswith("`"):
                rebuilt.append(piece)
                continue
            for m in _NAKED_VAR.finditer(piece):
                problems.warn(
                    n,
                    f"passage '{p.name}': the variable {m.group(0)} is printed in the text; a scenario cannot print variables, kept as text",
                )
            rebuilt.append(_NAKED_VAR.sub(lambda m: _code(m.group(0)), _markup(piece)))
        joined = "".join(rebuilt).rstrip()
        said = _FEEDBACK.match(joined)
        if said or (in_feedback and had_content):
            in_feedback = True
            feedback.append(said.group(1) if said else joined.strip())
            continue
        in_feedback = False
        if joined.strip() or not had_content:
            out_lines.append(joined)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out_lines)).strip()
    return _Parsed(text, links, sets, " ".join(f for f in feedback if f).strip())


def _label(var: str) -> str:
    words = re.sub(r"[_]+|(?<=[a-z])(?=[A-Z])", " ", var).strip().lower()
    return words[:1].upper() + words[1:]


def _tag_value(tags: list[str], key: str) -> str | None:
    for tag in tags:
        if tag.lower().startswith(key + ":"):
            return tag.split(":", 1)[1].replace("_", " ").strip() or None
    return None


def story_to_scenario(story: Story, problems: Problems) -> dict:
    """A parsed Story -> scenario data in our YAML format; notes go to ``problems``."""
    ids = Ids()
    by_name: dict[str, Passage] = {}
    passages: list[Passage] = []
    init_passages: list[Passage] = []
    for p in story.passages:
        tags = {t.lower() for t in p.tags}
        if "startup" in tags or p.name == "StoryInit":
            init_passages.append(p)
            continue
        if p.name in SUGARCUBE_SPECIAL or tags & SPECIAL_TAGS:
            what = next(iter(sorted(tags & SPECIAL_TAGS)), None)
            kind = f"tagged '{what}'" if what else "a SugarCube special passage"
            problems.warn(
                p.line, f"passage '{p.name}' is {kind}; a scenario has no place for it, not imported"
            )
            continue
        if p.name in by_name:
            problems.warn(
                p.line,
                f"a second passage named '{p.name}' (first on line {by_name[p.name].line}); Twine would use only one, both are imported",
            )
        else:
            by_name[p.name] = p
        passages.append(p)
    if not passages:
        problems.add(1, "the story has no passage that can become a node")
        raise SourceError(problems)
    node_id = {id(p): ids.take(p.name, "passage") for p in passages}
    name_id = {name: node_id[id(p)] for name, p in by_name.items()}

    # no StoryData start: a passage named Start (Twine 1 and Tweego's default), else the first
    start = by_name.get("Start", passages[0])
    if story.start:
        if story.start in by_name:
            start = by_name[story.start]
        else:
            problems.warn(
                story.start_line,
                f"the start passage '{story.start}' does not exist; starting at '{start.name}'",
            )

    parsed = {id(p): _parse_body(p, problems, p is start) for p in passages}
    meters: dict[str, dict] = {}
    starts: dict[str, int] = {}

    def meter(var: str) -> None:
        meters.setdefault(var, {})

    for p in init_passages + [start]:
        body = parsed.get(id(p)) or _parse_body(p, problems, True)
        if p in init_passages:
            leftover = body.text
            if leftover or body.links:
                problems.warn(
                    p.line, f"passage '{p.name}' only sets up variables; the rest of it is not imported"
                )
        for var, kind, amount, _line in body.sets:
            meter(var)
            starts[var] = amount if kind == "to" else starts.get(var, 0) + amount
        if p is start:
            body.sets = []
    arriving: dict[str, dict[str, int]] = {}
    for p in passages:
        effects: dict[str, int] = {}
        for var, kind, amount, _line in parsed[id(p)].sets:
            if kind == "to":  # only in the start passage (used above): _parse_body keeps others as text
                continue
            meter(var)
            effects[var] = effects.get(var, 0) + amount
        arriving[node_id[id(p)]] = effects

    feedback_of: dict[str, str] = {}
    for p in passages:
        said = p.meta.get("feedback") if isinstance(p.meta.get("feedback"), str) else ""
        feedback_of[node_id[id(p)]] = parsed[id(p)].feedback or said.strip()
    led_to: set[str] = set()
    nodes: dict[str, dict] = {}
    for p in passages:
        body = parsed[id(p)]
        nid = node_id[id(p)]
        node: dict = {}
        speaker = (
            p.meta.get("speaker") if isinstance(p.meta.get("speaker"), str) else _tag_value(p.tags, "speaker")
        )
        mood = p.meta.get("mood") if isinstance(p.meta.get("mood"), str) else _tag_value(p.tags, "mood")
        if speaker:
            node["speaker"] = speaker
        if mood:
            node["mood"] = mood
        node["text"] = body.text or p.name
        ending = None
        for tag in p.tags:
            low = tag.lower()
            tagged = _ENDING_TAG.match(low)
            if tagged:
                ending = tagged.group(1)
            elif low.startswith(("speaker:", "mood:")) or low in ("startup",):
                pass
            else:
                problems.warn(
                    p.line, f"passage '{p.name}': tag '{tag}' has no meaning in a scenario; ignored"
                )
        meta_ending = p.meta.get("ending")
        if isinstance(meta_ending, str) and meta_ending in ENDING_TAGS.values():
            ending = meta_ending
        start_id = node_id[id(start)]
        back_to_start = p is not start and all(name_id.get(link[1]) == start_id for link in body.links)
        if body.links and (ending or back_to_start):
            why = "is tagged as an ending" if ending else "links only back to the start passage"
            problems.warn(
                p.line,
                f"passage '{p.name}' {why}: imported as an ending; its links are kept as text (the player's Restart button starts again)",
            )
            kept = " ".join(_code(f"[[{link[0]}->{link[1]}]]") for link in body.links)
            node["text"] = f"{body.text}\n\n{kept}" if body.text else kept
            body.links = []
        choices = []
        for text, target, line, effects, requires in body.links:
            to = name_id.get(target)
            if to is None:
                near = [n for n in by_name if n.lower() == target.lower()]
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                problems.add(
                    line, f"passage '{p.name}' links to passage '{target}', which does not exist{hint}"
                )
                to = ids.take(target, "missing")
            choice: dict = {"text": _markup(text) or target, "to": to}
            if feedback_of.get(to):
                choice["feedback"] = feedback_of[to]
                led_to.add(to)
            total = dict(arriving.get(to, {}))
            for var, amount in effects.items():
                meter(var)
                total[var] = total.get(var, 0) + amount
            total = {k: v for k, v in total.items() if v}
            if total:
                choice["effects"] = Flow(total)
            if requires:
                for var in requires:
                    meter(var)
                choice["requires"] = Flow(requires)
            choices.append(choice)
        if choices:
            node["choices"] = choices
        else:
            if ending is None:
                problems.warn(
                    p.line,
                    f"passage '{p.name}' has no links, so it is an ending; tag it ending-success, ending-partial or ending-failure (taken as partial)",
                )
                ending = "partial"
            node["ending"] = ending
        nodes[nid] = node

    for p in passages:
        nid = node_id[id(p)]
        if feedback_of.get(nid) and nid not in led_to:
            problems.warn(
                p.line, f"passage '{p.name}' has feedback, but no link leads to it; kept in its text"
            )
            nodes[nid]["text"] = f"{nodes[nid]['text']}\n\nFeedback: {feedback_of[nid]}"
    data: dict = {"kind": "scenario", "title": story.title or "Imported story", "start": node_id[id(start)]}
    if meters:
        data["meters"] = {}
        for var in meters:
            value = starts.get(var, 0)
            needed = [
                c["requires"][var]
                for n in nodes.values()
                for c in n.get("choices", [])
                if var in c.get("requires", {})
            ]
            top = max([10, value, *needed])
            data["meters"][var] = Flow(label=_label(var), start=value, min=min(0, value), max=top)
        names = ", ".join(meters)
        problems.warn(
            story.start_line,
            f"meters {names} come from the story's variables; check their labels and ranges (0 to 10 unless more is needed)",
        )
    data["nodes"] = nodes
    return data


def read_twine(text: str, display: str, story_name: str | None = None) -> tuple[dict, Problems]:
    """Twee 3 or Twine 2 HTML text -> (scenario data, notes).  ``SourceError`` when unreadable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    looks_html = bool(re.search(r"<tw-storydata\b", text, re.I))
    if looks_html:
        story, problems = parse_twine_html(text, display, story_name)
    else:
        story, problems = parse_twee(text, display)
    data = story_to_scenario(story, problems)
    return data, problems
