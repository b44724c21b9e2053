"""The course manifest: one small script every page loads (``assets/course/manifest.js``).

It tells the browser scripts what the course holds (pages in navigation order, the navigation
sections, quizzes, scenarios, completion rules) so progress, the progress and completion pages
and the LMS adapter work from any folder, sub-path or file:// without fetching JSON.
The output is deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Any

from .config_lines import line_in_block
from .course import Course
from .languages import nav_translations
from .problems import Problem
from .records.config import xapi_settings

COMPLETION_KEYS = ("pass", "finish", "read", "assessment")


def plain_text(markdown_text: str) -> str:
    """Author Markdown as plain text (titles in the manifest are shown with textContent)."""
    from .render import PageContext, markdown_html

    html_text = str(markdown_html(markdown_text, PageContext(), inline=True))
    return html.unescape(re.sub(r"<[^>]*>", "", html_text)).strip()


def canonical_url(url: str) -> str:
    """The one form of a page URL in the manifest and the scripts (issue 10 item 8): percent-
    decoded, Unicode NFC.  ``my%20lesson.html`` and ``cafe%CC%81.html`` (NFD from macOS) become
    ``my lesson.html`` and ``café.html``; progress.js turns ``location`` into the same form."""
    return unicodedata.normalize("NFC", urllib.parse.unquote(url))


def course_id(config: Any, plugin_config: Any) -> str:
    if plugin_config.get("id"):
        return str(plugin_config["id"])
    return re.sub(r"[^a-z0-9]+", "-", str(config.site_name).lower()).strip("-") or "course"


def _number(value: Any) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


# ------------------------------------------------------------------ navigation


def nav_sections(nav: Any, pages: dict[str, dict]) -> list[tuple[str | None, list[str]]]:
    """(section title or None, [page src]) in navigation order; nested sections fold into their
    top-level section, top-level pages next to each other share an untitled group."""
    sections: list[tuple[str | None, list[str]]] = []

    def flatten(entry: Any, out: list[str]) -> None:
        if isinstance(entry, str):
            src = entry[2:] if entry.startswith("./") else entry
            if src in pages and src not in out:
                out.append(src)
        elif isinstance(entry, dict):
            for value in entry.values():
                flatten(value, out)
        elif isinstance(entry, list):
            for value in entry:
                flatten(value, out)

    if isinstance(nav, list):
        for entry in nav:
            title, value = None, entry
            if isinstance(entry, dict) and len(entry) == 1:
                key, inner = next(iter(entry.items()))
                if isinstance(inner, list):
                    title, value = str(key), inner
            found: list[str] = []
            flatten(value, found)
            found = [src for src in found if all(src not in s for _, s in sections)]
            if not found:
                continue
            if title is None and sections and sections[-1][0] is None:
                sections[-1][1].extend(found)
            else:
                sections.append((title, found))
    else:  # no nav in mkdocs.yml: MkDocs lists every page; group them by folder
        by_folder: dict[str, list[str]] = {}
        for src in sorted(pages):
            folder = src.rsplit("/", 1)[0] if "/" in src else ""
            by_folder.setdefault(folder, []).append(src)
        for folder, srcs in sorted(by_folder.items(), key=lambda kv: (kv[0] != "", kv[0])):
            srcs.sort(key=lambda s: (not s.endswith("index.md"), s))
            title = folder.split("/")[-1].replace("-", " ").replace("_", " ").capitalize() or None
            sections.append((title, srcs))
    return sections


# ------------------------------------------------------------------ completion rules


def _line_of(config_file: str | None, needle: str) -> int:
    """Best-effort line of ``needle`` inside the completion block of mkdocs.yml."""
    return line_in_block(config_file, "completion", needle, span=40)


def completion_problems(config_file: str | None, completion: Any, course: Course) -> list[Problem]:
    """Check ``plugins: course: completion:`` in mkdocs.yml against the course's quizzes and
    scenarios. Each problem names mkdocs.yml and a line, like every author error."""
    shown = course.rel(Path(config_file)) if config_file else "mkdocs.yml"
    problems: list[Problem] = []

    def add(needle: str, message: str) -> None:
        problems.append(Problem(shown, _line_of(config_file, needle), f"completion: {message}"))

    if completion in (None, {}):
        return problems
    if not isinstance(completion, dict):
        add("completion", "must be a mapping with pass, finish and assessment")
        return problems
    for key in sorted(completion, key=str):
        if key not in COMPLETION_KEYS:
            near = difflib.get_close_matches(str(key), COMPLETION_KEYS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            add(str(key), f"unknown setting '{key}'{hint}; use pass, finish, read and assessment")
    embedded = {e.id for e in course.embeds}
    quizzes = sorted(i.id for i in course.items.values() if i.kind == "quiz")
    scenarios = sorted(i.id for i in course.items.values() if i.kind == "scenario")

    def check_id(setting: str, value: Any, kind: str, choices: list[str]) -> None:
        if not isinstance(value, str) or not value:
            add(setting, f"{setting} must list {kind} ids (file names without .yml), got {value!r}")
            return
        item = course.items.get(value)
        if item is None:
            near = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            add(
                value,
                f"{setting}: '{value}' is not a {kind} (there is no {course.rel(course.quizzes_dir)}/{value}.yml){hint}",
            )
        elif item.kind and item.kind != kind:
            where = "finish" if item.kind == "scenario" else "pass"
            add(value, f"{setting}: '{value}' is a {item.kind}, not a {kind}; list it under {where}")
        elif value not in embedded:
            add(value, f"{setting}: {kind} '{value}' is not on any page, so nobody could complete the course")

    for setting, kind, choices in (("pass", "quiz", quizzes), ("finish", "scenario", scenarios)):
        if setting not in completion:
            continue
        value = completion[setting]
        if value == "all":
            continue
        if not isinstance(value, list):
            add(setting, f'{setting} must be "all" or a list of {kind} ids, got {value!r}')
            continue
        for entry in value:
            check_id(setting, entry, kind, choices)
    if completion.get("assessment") is not None:
        check_id("assessment", completion["assessment"], "quiz", quizzes)
    if "read" in completion:
        read = completion["read"]
        docs = course.rel(course.docs_dir)
        sources = _markdown_sources(course.docs_dir)
        if read != "all" and not isinstance(read, list):
            add("read", f'read must be "all" or a list of pages in {docs}/ (globs allowed), got {read!r}')
        elif isinstance(read, list):
            for entry in read:
                if not isinstance(entry, str) or not entry.strip():
                    add("read", f"read must list pages in {docs}/ such as modules/*.md, got {entry!r}")
                elif not _matching(entry, sources):
                    near = difflib.get_close_matches(entry, sources, n=1, cutoff=0.6)
                    hint = f"; did you mean '{near[0]}'?" if near else ""
                    add(entry, f"read: '{entry}' matches no page in {docs}/{hint}")
    return problems


def _markdown_sources(docs_dir: Path) -> list[str]:
    """Every Markdown page under ``docs_dir`` as a POSIX path relative to it."""
    try:
        return sorted(p.relative_to(docs_dir).as_posix() for p in Path(docs_dir).rglob("*.md"))
    except OSError:
        return []


def _matching(pattern: str, sources: list[str]) -> list[str]:
    """Pages matching one ``read`` entry: a path (``modules/02-x.md``) or a glob where ``*`` and
    ``?`` stay within one folder and ``**`` crosses folders (``modules/*.md``, ``**/*.md``)."""
    pattern = pattern.strip()
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    parts = re.split(r"(\*\*/?|\*|\?)", pattern)
    glob = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    regex = re.compile("".join(glob.get(p, re.escape(p)) for p in parts) + r"\Z")
    return [src for src in sources if regex.match(src)]


def resolve_completion(
    completion: Any, items: dict[str, dict], order: list[str], pages: list[dict] | None = None
) -> dict:
    """``all`` becomes the explicit list (in page order); the assessment must be passed too.

    ``read`` (issue 9 item 8), present only when set: the page URLs the learner must open, in
    navigation order; ``all`` is every learner page (the progress and completion tools excepted),
    a list holds paths or globs relative to docs_dir. ``pages`` are the manifest's page entries.
    """
    completion = completion if isinstance(completion, dict) else {}
    rank = {item_id: n for n, item_id in enumerate(order)}

    def listed(setting: str, kind: str) -> list[str]:
        value = completion.get(setting, "all")
        known = [i for i, e in items.items() if e["kind"] == kind and e["pages"]]
        ids = known if value == "all" else [i for i in value or [] if i in known]
        return sorted(dict.fromkeys(ids), key=lambda i: (rank.get(i, len(rank)), i))

    assessment = completion.get("assessment")
    if assessment not in items or items[assessment]["kind"] != "quiz":
        assessment = None
    passes = listed("pass", "quiz")
    if assessment and assessment not in passes:
        passes.append(assessment)
    resolved = {"pass": passes, "finish": listed("finish", "scenario"), "assessment": assessment}
    if "read" in completion:
        read = completion["read"]
        learner = [p for p in pages or [] if not p.get("tool")]
        if read == "all":
            resolved["read"] = [p["url"] for p in learner]
        else:
            wanted = set()
            for entry in read if isinstance(read, list) else []:
                if isinstance(entry, str):
                    wanted.update(_matching(entry, [p["src"] for p in learner]))
            resolved["read"] = [p["url"] for p in learner if p["src"] in wanted]
    return resolved


# ------------------------------------------------------------------ manifest


def build_manifest(config: Any, plugin_config: Any, course: Course, pages: dict[str, dict]) -> dict:
    items: dict[str, dict] = {}
    for item in sorted(course.items.values(), key=lambda i: i.id):
        if not item.ok:
            continue
        model = item.model
        entry: dict[str, Any] = {
            "kind": item.kind,
            "title": plain_text(model.title),
            "version": item.version,
            "pages": [],
        }
        if item.kind == "quiz":
            entry["questions"] = len(model.questions)
            entry["pass_mark"] = _number(model.pass_mark)
            if model.attempts:  # issue 13: attempts used survive a learner's own reset in an LMS
                entry["attempts"] = model.attempts
        else:
            entry["nodes"] = len(model.nodes)
        items[item.id] = entry

    sections = nav_sections(config.get("nav"), pages)
    in_nav = [src for _, srcs in sections for src in srcs]
    listed = set(in_nav)
    ordered = in_nav + sorted(src for src in pages if src not in listed)
    page_list = []
    item_order: dict[str, None] = {}  # first page first (a dict: ordered, quick to look up)
    embeds_of: dict[str, list[str]] = {}
    for e in course.embeds:
        embeds_of.setdefault(e.page, []).append(e.id)
    for src in ordered:
        info = pages[src]
        embedded = list(dict.fromkeys(i for i in embeds_of.get(src, ()) if i in items))
        for item_id in embedded:
            if info["url"] not in items[item_id]["pages"]:
                items[item_id]["pages"].append(info["url"])
            item_order.setdefault(item_id)
        entry = {"src": src, "url": info["url"], "title": info["title"], "items": embedded}
        tool = _tool_of(course.docs_dir / src)
        if tool:
            entry["tool"] = tool  # the progress or completion page: not part of the learning
        page_list.append(entry)
    urls = {src: pages[src]["url"] for src in pages}
    translated = nav_translations(config)  # the section titles as the language version's nav shows them
    cid = course_id(config, plugin_config)
    return {
        "id": cid,
        "title": str(config.site_name),
        "author": str(config.get("site_author") or ""),
        "description": str(config.get("site_description") or ""),
        "version": str(plugin_config.get("version", "1")),
        "storage_key": f"course:{cid}:v{plugin_config.get('progress_version', 1)}",
        # progress files exported under these earlier ids still import (issue 11 item 5)
        "previous_ids": [str(i) for i in plugin_config.get("previous_ids") or [] if str(i) != cid],
        "pages": page_list,
        "nav": [
            {"title": translated.get(title, title) if title else title, "pages": [urls[s] for s in srcs]}
            for title, srcs in sections
        ],
        "items": items,
        "completion": resolve_completion(plugin_config.get("completion"), items, list(item_order), page_list),
        **({"xapi": xapi} if (xapi := xapi_settings(plugin_config.get("xapi"))) else {}),
    }


TOOL_RE = re.compile(r"""data-module=["']cq-(progress-page|completion)["']""")


def _tool_of(path: Path) -> str | None:
    try:
        match = TOOL_RE.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return {"progress-page": "progress", "completion": "completion"}[match.group(1)] if match else None


def manifest_js(data: dict) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    raw = raw.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.COURSE_MANIFEST={raw};\n"


def read_manifest(site_dir: Path) -> dict:
    """The manifest of a built site (used by the SCORM packager)."""
    text = (Path(site_dir) / "assets" / "course" / "manifest.js").read_text(encoding="utf-8")
    return json.loads(text[len("window.COURSE_MANIFEST=") :].rstrip().rstrip(";"))


def write_manifest(
    config: Any,
    plugin_config: Any,
    course: Course | None,
    pages: dict[str, dict],
    site_dir: str | None = None,
    language: str | None = None,
    catalog: Any = None,
) -> None:
    """Write ``assets/course/manifest.js`` under ``site_dir`` (default: the site folder).  A language
    version other than the default (issue 14 item 4) is a course of its own for progress: its id
    and storage key get ``-<lang>``, so a pass in one language does not count in another.  With
    ``catalog`` (builder.messages.Catalog) it carries the interface strings of the version's
    language for ``Course.msg`` (issue 14 item 1)."""
    if course is None:
        return
    data = build_manifest(config, plugin_config, course, pages)
    if catalog is not None:
        data["language"] = catalog.lang
        data["dir"] = catalog.dir
        data["messages"] = catalog.browser_messages()
    if language and site_dir and os.path.normpath(site_dir) != os.path.normpath(config.site_dir):
        data["previous_ids"] = []
        data["id"] = f"{data['id']}-{language}"
        data["storage_key"] = f"course:{data['id']}:v{plugin_config.get('progress_version', 1)}"
    if language:
        data["language"] = language
    path = os.path.join(site_dir or config.site_dir, "assets", "course", "manifest.js")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(manifest_js(data))
