"""Checks for the mistakes authors actually make (issue 12, item 3).

- a quiz's ``pass_mark`` written as a fraction (0.8 instead of 80): a warning;
- an answer without feedback: a warning a course can turn off (``feedback_warnings: false``);
- a page left out of ``nav:`` (a warning) and a ``nav:`` entry naming no page (an error).

Each rule reads the plain data defensively, like ``checks``: it runs even when the schema
found other mistakes in the same file.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

from .loader import Loaded
from .problems import Problem


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _has(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


# ---------------------------------------------------------------- quizzes


def check_pass_mark(loaded: Loaded) -> None:
    """``pass_mark: 0.8`` means 0.8 %: almost any score passes.  Warn, suggesting 80."""
    mark = _dict(loaded.data).get("pass_mark")
    if isinstance(mark, bool) or not isinstance(mark, int | float):
        return
    if 0 < mark <= 1:
        meant = mark * 100
        meant_text = str(int(meant)) if float(meant).is_integer() else f"{meant:g}"
        loaded.problems.warn(
            loaded.line(("pass_mark",)),
            f"pass_mark {mark:g} is a percentage: learners pass with {mark:g} % (did you mean {meant_text}?)",
        )


def check_quiz_feedback(loaded: Loaded) -> None:
    """Answers that leave the learner without a word of why (warnings)."""
    for qi, question in enumerate(_list(_dict(loaded.data).get("questions"))):
        if not isinstance(question, dict):
            continue
        here = ("questions", qi)
        qid = question.get("id", qi + 1)
        if _has(question.get("explanation")):
            continue
        qtype = question.get("type")
        options = [o for o in _list(question.get("options")) if isinstance(o, dict)]
        if qtype in ("single", "multiple") and options:
            missing = [
                oi
                for oi, o in enumerate(_list(question.get("options")))
                if isinstance(o, dict) and not _has(o.get("feedback"))
            ]
            if len(missing) == len(options):
                loaded.problems.warn(
                    loaded.line(here),
                    f"question '{qid}' has no feedback and no explanation: learners are told only right "
                    "or wrong (add 'feedback:' to each option, or an 'explanation:')",
                )
            else:
                for oi in missing:
                    loaded.problems.warn(
                        loaded.line(here + ("options", oi)),
                        f"option {oi + 1} of question '{qid}' has no feedback (add 'feedback:', or an "
                        "'explanation:' to the question)",
                    )
        elif qtype == "true_false":
            if not (_has(question.get("feedback_true")) and _has(question.get("feedback_false"))):
                loaded.problems.warn(
                    loaded.line(here),
                    f"question '{qid}' has no explanation: learners are told only right or wrong "
                    "(add 'explanation:', or both 'feedback_true:' and 'feedback_false:')",
                )
        elif qtype in ("text", "order"):
            loaded.problems.warn(
                loaded.line(here),
                f"question '{qid}' has no explanation: learners are told only right or wrong "
                "(add 'explanation:')",
            )


def check_scenario_feedback(loaded: Loaded) -> None:
    for nid, node in _dict(_dict(loaded.data).get("nodes")).items():
        for ci, choice in enumerate(_list(_dict(node).get("choices"))):
            if isinstance(choice, dict) and not _has(choice.get("feedback")):
                loaded.problems.warn(
                    loaded.line(("nodes", nid, "choices", ci)),
                    f"choice {ci + 1} of node '{nid}' has no feedback: learners are not told why it "
                    "helped or hurt (add 'feedback:')",
                )


def check_placeholders(loaded: Loaded) -> None:
    """Strings still holding the ``course add`` template's text (``builder/starter/``): warnings
    at their lines, so the author sees what is left to write (issue 12)."""
    from .starter_text import is_placeholder

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))
        elif isinstance(value, str) and is_placeholder(value):
            key = next((k for k in reversed(path) if isinstance(k, str)), "text")
            loaded.problems.warn(
                loaded.line(path),
                f"'{key}' is still the template's placeholder text \"{value.strip()}\": write your own",
            )

    walk(loaded.data, ())


def check_item(loaded: Loaded, kind: str, feedback_warnings: bool = True) -> None:
    """Every author-mistake rule for one quiz or scenario file."""
    check_placeholders(loaded)
    if kind == "quiz":
        check_pass_mark(loaded)
        if feedback_warnings:
            check_quiz_feedback(loaded)
    elif kind == "scenario" and feedback_warnings:
        check_scenario_feedback(loaded)


# ---------------------------------------------------------------- navigation


def nav_pages(nav: Any) -> list[str]:
    """Every page path ``nav:`` names (docs-relative, as written), in order; links to other sites left out."""
    found: list[str] = []

    def walk(entry: Any) -> None:
        if isinstance(entry, str):
            if "://" not in entry and not entry.startswith(("/", "#", "mailto:")):
                found.append(entry[2:] if entry.startswith("./") else entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)
        elif isinstance(entry, list):
            for value in entry:
                walk(value)

    walk(nav)
    return found


def _ignored(src: str, patterns: Any) -> bool:
    """MkDocs' ``not_in_nav``: its own gitignore matcher (under MkDocs), or the text of the setting
    (``course check``), of which the common forms are read: ``/page.md``, ``drafts/``, ``*.md``."""
    if hasattr(patterns, "match_file"):
        return bool(patterns.match_file(src))
    try:
        import pathspec

        return bool(pathspec.GitIgnoreSpec.from_lines(str(patterns or "").splitlines()).match_file(src))
    except ImportError:  # pragma: no cover (pathspec comes with MkDocs)
        pass
    for raw in str(patterns or "").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        anchored = pattern.startswith("/")
        pattern = pattern.lstrip("/")
        if pattern.endswith("/"):
            pattern += "*"
        if fnmatch.fnmatch(src, pattern) or (
            not anchored and fnmatch.fnmatch(src.rsplit("/", 1)[-1], pattern)
        ):
            return True
        if not anchored and fnmatch.fnmatch(src, "*/" + pattern):
            return True
    return False


def _line_in(config_file: Path | None, needle: str) -> int:
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines() if config_file else []
    except (OSError, UnicodeDecodeError):
        return 1
    start = next((i for i, line in enumerate(lines) if re.match(r"nav\s*:", line)), 0)
    pattern = re.compile(r"(?<![\w./-])(?:\./)?" + re.escape(needle) + r"(?![\w.-])")
    for i in range(start, len(lines)):
        if pattern.search(lines[i]):
            return i + 1
    return start + 1


def check_nav(
    nav: Any,
    docs_dir: Path,
    pages: list[str],
    rel: Any,
    config_file: Path | None,
    not_in_nav: Any = "",
    exclude_docs: Any = "",
) -> list[Problem]:
    """Pages no menu leads to (warnings, at the page) and nav entries naming no page (errors, in mkdocs.yml).

    ``pages``: docs-relative paths of every Markdown page; ``rel``: path -> how authors see it.
    Without ``nav:`` MkDocs lists every page itself, so there is nothing to check.
    """
    if not isinstance(nav, list):
        return []
    shown_cfg = rel(config_file) if config_file else "mkdocs.yml"
    listed = nav_pages(nav)
    problems: list[Problem] = []
    known = set(pages)
    for src in dict.fromkeys(listed):
        if src.endswith(".md") and src not in known:
            import difflib

            near = difflib.get_close_matches(src, sorted(known), n=1, cutoff=0.7)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(
                Problem(
                    shown_cfg,
                    _line_in(config_file, src),
                    f"nav lists '{src}', which is not a page in {rel(docs_dir)}/{hint}",
                )
            )
    from .language_paths import source_of

    in_nav = set(listed)
    for src in pages:
        if src in in_nav or _ignored(src, not_in_nav) or _ignored(src, exclude_docs):
            continue
        if source_of(src) != src and source_of(src) in known:
            continue  # a translation (page.es.md): the language version's nav lists it (issue 14)
        problems.append(
            Problem(
                rel(docs_dir / src),
                1,
                f"this page is not in the nav of {shown_cfg}, so no menu leads to it; add "
                f"'- {src}' under 'nav:' (or list it under 'not_in_nav:' if that is meant)",
                "warning",
            )
        )
    return problems


# ---------------------------------------------------------------- root causes

_GRAPH_ROOTS = ("duplicate node id '",)
_GRAPH_ROOTS_LATER = ("does not exist",)  # a choice's target, or the start node
_GRAPH_KEYS = re.compile(r"did you mean '(?:to|choices|ending|start|nodes)'\?")
_GRAPH_FOLLOWERS = (
    "cannot be reached from start node",
    "no ending can be reached from node",
    "every way to an ending",
)


def group_causes(loaded: Loaded, kind: str) -> None:
    """Mark the problems that follow from another one in the same file (issue 12: a root cause first).

    A duplicate node id (the second node is dropped) or a choice leading to a missing node makes
    nodes unreachable and loops endless: those lines are grouped under the cause.  A ``correct:``
    that is not true or false makes the "needs exactly one option" count wrong: grouped under it;
    so does an unknown key in an option (``corect: true``) when no option is marked correct.
    """
    from dataclasses import replace

    problems = loaded.problems
    if kind == "scenario":
        roots = [p for p in problems if p.is_error and p.message.startswith(_GRAPH_ROOTS)]
        roots += [
            p
            for p in problems
            if p.is_error and any(s in p.message for s in _GRAPH_ROOTS_LATER) and p not in roots
        ]
        roots += [  # `too: b` or `choises:` takes the arrows away: the graph lines follow from it
            p
            for p in problems
            if p.is_error and p.message.startswith("unknown key '") and _GRAPH_KEYS.search(p.message)
        ]
        if not roots:
            return
        for i, p in enumerate(problems):
            if p.cause is None and p not in roots and any(s in p.message for s in _GRAPH_FOLLOWERS):
                problems[i] = replace(p, cause=roots[0])
    elif kind == "quiz":
        questions = _list(_dict(loaded.data).get("questions"))
        if not questions:
            return
        starts = [loaded.line(("questions", qi)) for qi in range(len(questions))] + [10**9]
        bad_bools = [p for p in problems if p.is_error and p.message.startswith("'correct' ")]
        # `corect: true` (or any unknown key in an option) leaves no option marked correct
        unknown = sorted(
            (p for p in problems if p.is_error and p.message.startswith("unknown key '")),
            key=lambda p: ("'correct'" not in p.message, p.line),
        )
        for i, p in enumerate(problems):
            if not p.message.startswith(("single-choice question", "multiple-choice question")) or p.cause:
                continue
            none_marked = p.message.endswith(("found 0", "has no option with correct: true"))
            for qi in range(len(questions)):
                if starts[qi] <= p.line < starts[qi + 1]:
                    cause = next((b for b in bad_bools if starts[qi] <= b.line < starts[qi + 1]), None)
                    if cause is None and none_marked:
                        cause = next(
                            (u for u in unknown if p.line < u.line < starts[qi + 1] and p.line >= starts[qi]),
                            None,
                        )
                    if cause is not None:
                        problems[i] = replace(p, cause=cause)


# ---------------------------------------------------------------- the home page's table of modules

_TABLE_LINK = re.compile(r"\]\(\s*<?(?:\./)?([^()\s<>#]+\.md)(?:#[^)\s>]*)?>?\s*\)")


def home_table_links(text: str) -> dict[str, int]:
    """docs-relative page -> line, for every link in a table row of the home page."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("|"):
            for m in _TABLE_LINK.finditer(line):
                if "://" not in m.group(1):
                    found.setdefault(m.group(1), number)
    return found


def _sections(nav: Any, title: str = "") -> list[tuple[str, list[str]]]:
    """(section title, its own pages) for every list in the nav, nested ones too."""
    out: list[tuple[str, list[str]]] = []
    if isinstance(nav, list):
        pages = []
        for entry in nav:
            value, name = entry, title
            if isinstance(entry, dict) and len(entry) == 1:
                name, value = next(iter(entry.items()))
            if isinstance(value, str):
                pages.append(value[2:] if value.startswith("./") else value)
            elif isinstance(value, list):
                out.extend(_sections(value, str(name)))
        out.insert(0, (title, pages))
    return out


def _empty_cells(text: str, shown: str) -> list[Problem]:
    """A warning per home-page table row that links a page but leaves a cell empty (issue 12):
    learners see a gap where "What you'll learn" should be."""
    problems = []
    header: list[str] = []
    previous = ""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("|"):
            header, previous = [], ""
            continue
        cells = [c.strip() for c in _CELL_SEP.split(line.strip().strip("|"))]
        if not previous:
            header = cells
        previous = line
        link = _TABLE_LINK.search(line)
        if header is cells or link is None or "://" in link.group(1):
            continue
        for n, cell in enumerate(cells):
            if not cell:
                name = header[n] if n < len(header) and header[n] else f"column {n + 1}"
                problems.append(Problem(
                    shown, number,
                    f"the row for '{link.group(1)}' in the table on the home page has an empty "
                    f"'{name}' cell; fill it in (learners see a gap)", "warning",
                ))  # fmt: skip
    return problems


def check_home_table(nav: Any, docs_dir: Path, rel: Any) -> list[Problem]:
    """A table on the home page that links the pages of a nav section (a module table) must list
    every page of that section: a lesson added to the nav but not to the table is a warning at the
    table.  The table is checked against the nav, not kept by hand (issue 12)."""
    home = docs_dir / "index.md"
    if not isinstance(nav, list) or not home.is_file():
        return []
    try:
        linked = home_table_links(home.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []
    problems = _empty_cells(home.read_text(encoding="utf-8"), rel(home))
    for title, pages in _sections(nav):
        pages = [p for p in pages if p.endswith(".md") and not p.endswith(("index.md", "README.md"))]
        listed = [p for p in pages if p in linked]
        if len(listed) < 2:
            continue  # this section has no table on the home page
        where = min(linked[p] for p in listed)
        for page in pages:
            if page not in linked:
                section = f"'{title}'" if title else "the nav"
                problems.append(
                    Problem(
                        rel(home),
                        where,
                        f"the table on the home page lists the pages of {section} but not '{page}'; "
                        "add a row for it",
                        "warning",
                    )
                )
    return problems


_CELL_SEP = re.compile(r"(?<!\\)\|")  # a table's cell separator, not an escaped \\|
_MINUTES = re.compile(r"\b(min|minutes?|time|duration|mins)\b", re.I)
_SUMMARY = re.compile(r"learn|what|about|summary|description|topic|content|goal|objective", re.I)


def lesson_summary(text: str) -> str:
    """A few words saying what a lesson teaches, for the home page's table (issue 12): its first
    objective (a list item under an "abstract"/"objectives" box or "you will learn" heading),
    else the first sentence of its first paragraph; "" when it has neither."""
    lines = text.split("\n")
    in_goals = False
    for line in lines:
        stripped = line.strip()
        if re.match(r"^(!!!|\?\?\?)\s*\w+", stripped) or stripped.startswith("#"):
            in_goals = bool(re.search(r"abstract|objective|learn|goal", stripped, re.I))
            continue
        if in_goals and re.match(r"^[-*+]\s+\S", stripped):
            return _plain(stripped[1:].strip())
    para: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if para:
                break
            continue
        if para or not re.match(r"^(#|!!!|\?\?\?|:::|```|~~~|<|!\[|\||[-*+] |\d+\. |>)", stripped):
            if line.startswith("    ") and not para:
                continue
            para.append(stripped)
    first = re.split(r"(?<=[.!?])\s", " ".join(para), maxsplit=1)[0] if para else ""
    return _plain(first)


def _plain(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their words
    text = re.sub(r"[*_`]+", "", text).replace("|", "\\|").strip()
    text = text[:1].upper() + text[1:]
    return text if len(text) <= 120 else text[:117].rstrip() + "..."


def _minutes(text: str) -> str:
    """Minutes to read a lesson at 150 words a minute, at least 5 (the quiz takes time too)."""
    words = len(re.findall(r"\w+", text))
    return str(max(5, -(-words // 150)))


def add_home_row(docs_dir: Path, page: str, title: str, summary: str = "") -> bool:
    """Add a row for ``page`` to the home page's table, after the last row that links a page of
    the same folder: the link is the page's, a number in the first cell counts on, a "minutes"
    column gets the reading time, and every other cell ``summary`` (else :func:`lesson_summary` of
    the page, else its title), so no cell is left empty (issue 12).  Returns whether a row was added."""
    home = docs_dir / "index.md"
    try:
        lines = home.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return False
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    last = None
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|"):
            targets = [m.group(1) for m in _TABLE_LINK.finditer(line)]
            if any(t.startswith(folder) and "/" not in t[len(folder) :] for t in targets):
                last = i
    if last is None:
        return False
    first = last
    while first > 0 and lines[first - 1].lstrip().startswith("|"):
        first -= 1
    header = [c.strip() for c in _CELL_SEP.split(lines[first].strip().strip("|"))]
    try:
        text = (docs_dir / page).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    summary = " ".join(summary.split()).replace("|", "\\|") or lesson_summary(text) or title
    cells = _CELL_SEP.split(lines[last].strip().strip("|"))
    new = []
    for n, cell in enumerate(cells):
        text_ = cell.strip()
        name = header[n] if n < len(header) else ""
        if _TABLE_LINK.search(text_):
            new.append(f" [{title}]({page}) ")
        elif n == 0 and text_.isdigit():
            new.append(f" {int(text_) + 1} ")
        elif _MINUTES.search(name) or (text_.isdigit() and not _SUMMARY.search(name)):
            new.append(f" {_minutes(text)} ")
        else:
            new.append(f" {summary} ")
    lines.insert(last + 1, "|" + "|".join(new) + "|")
    home.write_text("\n".join(lines), encoding="utf-8")
    return True
