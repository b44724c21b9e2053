"""The ``::: quiz <id>`` / ``::: scenario <id>`` block directive, as a Python-Markdown extension.

``::: scenario-map <id>`` inlines the scenario's map (an SVG drawn at build time) for authors.

It works in any tool that reads ``markdown_extensions`` (MkDocs today, its successor later).
Used alone it loads the course itself from ``quizzes_dir``; under MkDocs the ``course`` plugin
hands it the course it has already loaded and tells it which page is being rendered.
"""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor

from .course import Course
from .embeds import MAP, match_line
from .project import read_project
from .render import PageContext, render_error, render_quiz
from .scenario_render import render_scenario

# around each rendered widget when the plugin asks for it; the plugin removes them again
EMBED_START, EMBED_END = "<!--course-embed-->", "<!--/course-embed-->"
# `::: scenario-map <id>` links to the full-size map, written there by the plugin after the build
MAP_FOLDER = "assets/course/maps/"


class EmbedProcessor(BlockProcessor):
    def __init__(self, parser, ext: CourseExtension):
        super().__init__(parser)
        self.ext = ext

    def test(self, parent, block) -> bool:
        return ":::" in block and any(match_line(line) for line in block.split("\n"))

    def run(self, parent, blocks) -> None:
        block = blocks.pop(0)
        lines = block.split("\n")
        for i, line in enumerate(lines):
            match = match_line(line)
            if not match:
                continue
            before, after = "\n".join(lines[:i]).strip("\n"), "\n".join(lines[i + 1 :]).strip("\n")
            if before:
                self.parser.parseBlocks(parent, [before])
            p = etree.SubElement(parent, "p")
            kind, item_id = match
            html = self.ext.render_map(item_id) if kind == MAP else self.ext.render(kind, item_id)
            if self.ext.mark_embeds:  # lets the plugin keep the widget out of the search index
                html = f"{EMBED_START}{html}{EMBED_END}"
            else:  # Zensical's search honours Material's data-search-exclude (issue 17)
                html = f"<div data-search-exclude>{html}</div>"
            p.text = self.parser.md.htmlStash.store(html)
            if after:
                blocks.insert(0, after)
            return


class CourseExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "quizzes_dir": ["quizzes", "Folder of quiz and scenario YAML files"],
            "docs_dir": ["content", "Folder of lesson pages (links in course files are relative to it)"],
            "root": ["", "Project folder (default: the current folder)"],
            "use_directory_urls": [False, "Link style of the site"],
        }
        super().__init__(**kwargs)
        self.course: Course | None = None
        self.page: str | None = None
        self.counter = 0
        self.mark_embeds = False
        self.catalog = None  # builder.messages.Catalog of the site's language; None: English

    # the plugin calls these
    def set_course(self, course: Course) -> None:
        self.course = course

    def set_page(self, page: str | None) -> None:
        self.page = page
        self.counter = 0

    def reset(self) -> None:
        self.counter = 0

    def get_course(self) -> Course:
        if self.course is None:
            self.course = _shared_course(
                Path(self.getConfig("root") or ".").resolve(),
                self.getConfig("docs_dir"),
                self.getConfig("quizzes_dir"),
            )
        return self.course

    def check_lines(self, path: str, about: str | None = None) -> list[dict]:
        """``course check``'s lines for ``path`` (only those naming ``'about'``, when given): same
        text, order and grouping (issue 12: one voice for errors)."""
        from .problem_output import is_follower, ordered

        course = self.get_course()
        chosen = ordered(
            p for p in course.errors if p.path == path and (about is None or f"'{about}'" in p.message)
        )
        present = set(chosen)
        return [
            {
                "text": str(p),
                "line": p.line,
                "follows": f"{p.cause.path}:{p.cause.line}" if is_follower(p, present) else "",
            }
            for p in chosen
        ]

    def _page_display(self) -> str | None:
        course = self.get_course()
        if not self.page:
            return None
        return course.rel(course.docs_dir / self.page)

    def render(self, kind: str, item_id: str) -> str:
        course = self.get_course()
        item = course.items.get(item_id)
        if item is None or (item.kind and item.kind != kind):
            # the lesson is at fault: its embed line names no such quiz or scenario
            page = self._page_display()
            lines = self.check_lines(page, item_id) if page else []
            if not lines:
                lines = [
                    f"no {kind} file named {item_id}.yml in {course.rel(course.quizzes_dir)}/"
                    if item is None
                    else f"'{item_id}' is a {item.kind}; embed it with '::: {item.kind} {item_id}'"
                ]
            return render_error(kind, item_id, lines, page, self.catalog)
        if not item.ok:
            lines = self.check_lines(item.path) or [str(p) for p in item.loaded.problems if p.is_error]
            return render_error(kind, item_id, lines, item.path, self.catalog)
        self.counter += 1
        uid = f"cq-{item_id}" + (f"-{self.counter}" if self.counter > 1 else "")
        ctx = PageContext(
            self.page, bool(self.getConfig("use_directory_urls")), course.docs_dir, self.catalog
        )
        renderer = render_quiz if kind == "quiz" else render_scenario
        return renderer(item_id, item.model, item.version, ctx, uid)

    def render_map(self, item_id: str) -> str:
        from markupsafe import escape

        from .scenario_map import scenario_svg

        course = self.get_course()
        item = course.items.get(item_id)
        if item is None or item.kind != "scenario" or item.loaded.data is None:
            if item is not None and item.kind == "scenario":
                lines = self.check_lines(item.path) or [str(p) for p in item.loaded.problems if p.is_error]
                return render_error("scenario-map", item_id, lines, item.path, self.catalog)
            page = self._page_display()
            lines = (self.check_lines(page, item_id) if page else []) or [f"no scenario named {item_id}"]
            return render_error("scenario-map", item_id, lines, page, self.catalog)
        self.counter += 1
        uid = f"cq-map-{item_id}" + (f"-{self.counter}" if self.counter > 1 else "")
        title = item.model.title if item.model else item_id
        try:  # the same on every machine, whatever the current folder
            where = (course.quizzes_dir / Path(item.path).name).relative_to(course.root).as_posix()
        except ValueError:
            where = Path(item.path).name
        page = self.page or ""
        depth = page.count("/") + (
            1 if self.getConfig("use_directory_urls") and not page.endswith(("index.md", "README.md")) else 0
        )
        full = "../" * depth + MAP_FOLDER + f"{item_id}.svg"
        return (
            f'<figure class="cq-map" aria-labelledby="{uid}-caption">\n'
            f'<input type="checkbox" class="cq-map__zoom" id="{uid}-zoom">'
            f'<div class="cq-map__tools"><label for="{uid}-zoom">Zoom in or out</label>'
            f'<a href="{escape(full)}" target="_blank" rel="noopener">Open full size</a></div>\n'
            f'<div class="cq-map__frame" tabindex="0" role="group" aria-label="Scrollable map">'
            + scenario_svg(item, uid)
            + f'</div><figcaption id="{uid}-caption">Map of <strong>{escape(title)}</strong> '
            f"(<code>{escape(where)}</code>)</figcaption>\n</figure>"
        )

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if self.page is None:  # used alone (Zensical): the tool may say which page it renders
            self._adopt_context(md)
        md.parser.blockprocessors.register(EmbedProcessor(md.parser, self), "course_embed", 95)

    def _adopt_context(self, md: Markdown) -> None:
        """Under Zensical (issue 17) the page being rendered and the project's settings come from its
        rendering-context preprocessor (``page.path`` relative to docs_dir, ``config`` the settings);
        read by duck typing so nothing here imports Zensical."""
        context = next((p for p in md.preprocessors if hasattr(p, "page") and hasattr(p, "config")), None)
        if context is None:
            return
        path = getattr(context.page, "path", None)
        if isinstance(path, str):
            self.page = path.replace("\\", "/")
        config = context.config if isinstance(context.config, dict) else {}
        if config.get("root_dir") and not self.getConfig("root"):
            self.setConfig("root", str(config["root_dir"]))
            self.setConfig("quizzes_dir", read_project(Path(str(config["root_dir"]))).quizzes)
        docs = config.get("docs_dir")
        if isinstance(docs, str) and docs:
            root = Path(str(config.get("root_dir") or "."))
            self.setConfig(
                "docs_dir", os.path.relpath(Path(docs), root) if Path(docs).is_absolute() else docs
            )
        if "use_directory_urls" in config:
            self.setConfig("use_directory_urls", bool(config["use_directory_urls"]))


# A tool that makes a new Markdown converter per page (Zensical) makes a new extension per page too:
# the course is loaded once per project and again only when a course file changed (issue 17).
_COURSES: dict[tuple[str, str, str], tuple[tuple, Course]] = {}


def _course_stamp(root: Path, docs_dir: str, quizzes_dir: str) -> tuple:
    stamp = []
    for folder in (root / quizzes_dir, root / docs_dir):
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                if name.endswith((".yml", ".yaml", ".md")):
                    try:
                        st = os.stat(os.path.join(dirpath, name))
                    except OSError:
                        continue
                    stamp.append((dirpath, name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(stamp))


def _shared_course(root: Path, docs_dir: str, quizzes_dir: str) -> Course:
    """The course, loaded once; looked at again for changed files at most once a second."""
    key = (str(root), docs_dir, quizzes_dir)
    cached = _COURSES.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0][0] < 1.0:
        return cached[1]
    stamp = _course_stamp(root, docs_dir, quizzes_dir)
    if cached is None or cached[0][1] != stamp:
        cached = ((now, stamp), Course.load(root, docs_dir, quizzes_dir))
    else:
        cached = ((now, stamp), cached[1])
    _COURSES[key] = cached
    return cached[1]


def makeExtension(**kwargs) -> CourseExtension:  # noqa: N802 (Python-Markdown's name)
    return CourseExtension(**kwargs)
