"""``course review`` and ``course paths`` (issue 12, item 6).

``course review [-o review.html]`` writes one self-contained, printable HTML document for a
subject-matter expert: the completion rules and marking rules, every quiz with its right
answers marked and all its feedback, every scenario as a script table with its endings and the
shortest path to each.  ``course paths SCENARIO`` lists every way through a scenario to each
ending with the meter values there (``scenario_paths``), or counts them when there are too many.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .messages import Catalog

# The document's fixed words come from the interface catalog of the course's theme.language
# (``review.*`` keys in builder/messages/<lang>.json, with the author's ``messages:`` overrides).
_ENGLISH = Catalog()
DEFAULT_REVEAL = _ENGLISH.t("review.reveal_default")


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def pass_count(pass_mark: float, questions: int, cat: Catalog = _ENGLISH) -> str:
    """How many right answers pass: the score is round(100 * right / questions) (half up), and a
    score equal to the pass mark passes (quiz.js); in ``cat``'s language."""
    if questions <= 0:
        return cat.t("review.no_questions")
    for right in range(questions + 1):
        if math.floor(100 * right / questions + 0.5) >= pass_mark:
            return cat.t("review.pass_count", right=right, count=questions)
    return cat.t("review.never_pass", count=questions)


def _md(text: Any, inline: bool = True) -> Markup:
    from .render import PageContext, markdown_html

    return markdown_html(text if isinstance(text, str) else None, PageContext(), inline=inline)


def _pages(course, item_id: str, page_order: dict[str, int]) -> list[str]:
    """The pages that show ``item_id``, in nav order."""
    embeds = sorted(
        (e for e in course.embeds if e.id == item_id),
        key=lambda e: (page_order.get(e.page, 10**6), e.page, e.line),
    )
    return list(dict.fromkeys(e.path for e in embeds))


def _meters_text(values: dict) -> str:
    return ", ".join(f"{k} {'+' if isinstance(v, int) and v > 0 else ''}{v}" for k, v in values.items())


def _requires_text(values: dict, cat: Catalog = _ENGLISH) -> str:
    return cat.t("review.and").join(f"{k} \u2265 {v}" for k, v in values.items())


def quiz_view(item, course, page_order, cat: Catalog = _ENGLISH) -> dict:
    data = _dict(item.loaded.data)
    questions = []
    for q in _list(data.get("questions")):
        q = _dict(q)
        qtype = q.get("type")
        view = {
            "id": q.get("id", ""),
            "prompt": _md(q.get("prompt")),
            "explanation": _md(q.get("explanation")),
            "kind": cat.t(f"review.type.{qtype}")
            if qtype in ("single", "multiple", "true_false", "text", "order")
            else str(qtype),
            "options": [],
            "accept": [],
            "order": [],
            "answer_text": "",
            "extra_feedback": [],
        }
        if qtype in ("single", "multiple"):
            for o in _list(q.get("options")):
                o = _dict(o)
                view["options"].append(
                    {
                        "text": _md(o.get("text")),
                        "correct": o.get("correct") is True,
                        "feedback": _md(o.get("feedback")),
                    }
                )
        elif qtype == "true_false":
            right = q.get("answer") in (True, "yes", "true")
            view["answer_text"] = cat.t("review.answer_true" if right else "review.answer_false")
            for key, label in (
                ("feedback_true", cat.t("review.if_true")),
                ("feedback_false", cat.t("review.if_false")),
            ):
                if q.get(key):
                    view["extra_feedback"].append((label, _md(q.get(key))))
        elif qtype == "text":
            view["accept"] = [str(a) for a in _list(q.get("accept"))]
        elif qtype == "order":
            view["order"] = [_md(str(i)) for i in _list(q.get("items"))]
        questions.append(view)
    mark = data.get("pass_mark", 75)
    mark = mark if isinstance(mark, int | float) and not isinstance(mark, bool) else 75
    reveal = data.get("reveal")
    return {
        "id": item.id,
        "path": item.path,
        "title": _md(data.get("title") or item.id),
        "description": _md(data.get("description"), inline=False),
        "pages": _pages(course, item.id, page_order),
        "pass_mark": f"{mark:g}",
        "pass_count": pass_count(float(mark), len(questions), cat),
        "shuffle": data.get("shuffle") is True,
        "reveal": f"reveal: {reveal}" if reveal is not None else cat.t("review.reveal_default"),
        "questions": questions,
    }


def scenario_view(item, course, page_order, cat: Catalog = _ENGLISH) -> dict:
    from .scenario_paths import Player

    data = _dict(item.loaded.data)
    start = str(data.get("start"))
    meters = [
        {"name": name, "label": _dict(m).get("label", ""), "start": _dict(m).get("start", 0),
         "min": _dict(m).get("min", 0), "max": _dict(m).get("max", 10)}
        for name, m in _dict(data.get("meters")).items()
    ]  # fmt: skip
    nodes = []
    for nid, node in _dict(data.get("nodes")).items():
        node = _dict(node)
        nodes.append(
            {
                "id": nid,
                "start": str(nid) == start,
                "ending": node.get("ending"),
                "speaker": node.get("speaker"),
                "mood": node.get("mood"),
                "text": _md(node.get("text"), inline=False),
                "choices": [
                    {
                        "text": _md(_dict(c).get("text")),
                        "to": _dict(c).get("to"),
                        "requires": _requires_text(_dict(_dict(c).get("requires")), cat),
                        "effects": _meters_text(_dict(_dict(c).get("effects"))),
                        "feedback": _md(_dict(c).get("feedback")),
                    }
                    for c in _list(node.get("choices"))
                ],
            }
        )
    shortest = Player(data).shortest()
    endings = []
    for nid, node in _dict(data.get("nodes")).items():
        node = _dict(node)
        if node.get("ending") is None:
            continue
        walk = shortest.get(str(nid))
        if walk is None:
            route, values = cat.t("review.no_path"), ""
        else:
            route = " → ".join(f"{s.node} [{s.choice}]" for s in walk.steps) + f" → {nid}"
            values = ", ".join(f"{k} {v}" for k, v in walk.meters.items())
        endings.append({"id": nid, "outcome": node.get("ending"), "route": route, "meters": values})
    return {
        "id": item.id,
        "path": item.path,
        "title": _md(data.get("title") or item.id),
        "description": _md(data.get("description"), inline=False),
        "pages": _pages(course, item.id, page_order),
        "start": start,
        "meters": meters,
        "nodes": nodes,
        "endings": endings,
    }


def completion_text(settings: dict, quizzes: list, scenarios: list, cat: Catalog = _ENGLISH) -> list[str]:
    """The course's completion rules in words, in ``cat``'s language."""
    completion = _dict(settings.get("completion"))
    rules = []
    for field, key in (("pass", "review.rule.pass"), ("finish", "review.rule.finish")):
        value = completion.get(field, "all")
        if value == "all":
            rules.append(cat.t(f"{key}_all"))
        elif _list(value):
            rules.append(cat.t(f"{key}_these", ids=", ".join(map(str, _list(value)))))
        else:
            rules.append(cat.t(f"{key}_none"))
    if completion.get("assessment"):
        rules.append(cat.t("review.rule.assessment", id=completion["assessment"]))
    return rules


def review_html(project) -> tuple[str, list[str]]:
    """The review document for ``project`` (a ``builder.project.Project``) and course check's error lines."""
    from .author_checks import nav_pages
    from .problem_output import text_lines
    from .project import check_course, configure_renderer
    from .render import _env

    configure_renderer(project)
    cat = Catalog(project.language, _dict(project.settings.get("messages")))
    course, errors, _ = check_course(project)
    order = {src: n for n, src in enumerate(nav_pages(project.nav) if project.nav else [])}

    def rank(item) -> tuple:
        places = [(order.get(e.page, 10**6), e.page, e.line) for e in course.embeds if e.id == item.id]
        return (min(places) if places else (10**7, "", 0), item.id)

    items = sorted((i for i in course.items.values() if i.loaded.data is not None and i.kind), key=rank)
    quizzes = [quiz_view(i, course, order, cat) for i in items if i.kind == "quiz"]
    scenarios = [scenario_view(i, course, order, cat) for i in items if i.kind == "scenario"]
    settings = project.settings
    info = {
        "title": project.site_name or project.root.name,
        "id": settings.get("id") or project.root.name,
        "version": settings.get("version", "1"),
        "completion": completion_text(settings, quizzes, scenarios, cat),
    }
    lines = text_lines(errors)
    template = _env().get_template("review.html")
    html = template.render(course=info, quizzes=quizzes, scenarios=scenarios, problems=lines, cat=cat)
    return html, lines


# ---------------------------------------------------------------- command line


def cmd_review(args) -> int:
    from .project import read_project

    project = read_project(args.project)
    html, problems = review_html(project)
    if args.output and args.output != "-":
        Path(args.output).write_text(html, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(html)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


def cmd_paths(args) -> int:
    from .project import read_project
    from .scenario_paths import paths_report

    project = read_project(args.project)
    from .course import Course

    course = Course.load(project.root, project.docs, project.quizzes)
    item = course.items.get(args.scenario)
    if item is None or item.kind != "scenario":
        known = sorted(i.id for i in course.items.values() if i.kind == "scenario")
        hint = f"; scenarios: {', '.join(known)}" if known else ""
        print(f"course paths: no scenario '{args.scenario}' in {project.quizzes}/{hint}", file=sys.stderr)
        return 1
    errors = [p for p in item.loaded.problems if p.is_error]
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        return 1
    keep = args.limit if not args.all else 10**9
    sys.stdout.write(paths_report(item.id, item.loaded.data, keep=keep, limit=args.max))
    return 0


def register(sub, add_command) -> None:
    p = add_command(
        sub,
        "review",
        "write a printable review document for a subject-matter expert",
        "Write one HTML document a subject-matter expert can read or print and sign off: the\n"
        "completion and marking rules, every quiz with its right answers marked, all feedback and\n"
        "explanations, pass marks and when answers are shown; every scenario as a script table\n"
        "(node, speaker, text, choices with target, requirement, effects, feedback) and its endings\n"
        "with the shortest path to each.",
        ["course review -o review.html", "course review > review.html"],
        "0  written\n1  written, but the course has errors (listed; unreadable files are left out)\n"
        "2  wrong command-line usage",
    )
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_review)

    p = add_command(
        sub,
        "paths",
        "list every path through a scenario to each ending",
        "List every way through a scenario, played as the player plays it (requirements checked,\n"
        "meters kept in range), grouped by ending, with the meter values at the end. A walk that\n"
        "comes back to where it was with the same meters is not followed round again. When there\n"
        "are many, the first few per ending are listed and the rest counted.",
        ["course paths practice-phone-call", "course paths practice-phone-call --all"],
        "0  listed\n1  no such scenario, or it has errors\n2  wrong command-line usage",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id (its file name without .yml)")
    p.add_argument("--limit", type=int, default=10, help="paths listed per ending (default 10)")
    p.add_argument("--all", action="store_true", help="list every path")
    p.add_argument(
        "--max", type=int, default=1_000_000, help="stop counting after this many paths (default 1,000,000)"
    )
    p.set_defaults(func=cmd_paths)
