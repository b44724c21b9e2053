"""The thin MkDocs plugin: site-wide work only.

- loads and validates the whole course once per build, and fails the build on errors
  (``mkdocs serve`` keeps serving, prints the errors and shows them in place of the quiz);
- hands the loaded course to the Markdown extension and tells it which page it renders;
- watches ``quizzes/`` in ``mkdocs serve``;
- keeps the site intranet-safe (no web fonts, no generator link, a local search shim);
- writes the course manifest the browser scripts read;
- builds into a temporary folder and swaps it in, so a failed build leaves the last good site.
Page work lives in ``markdown_ext`` so the same course can move to MkDocs' successor.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import subprocess
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from .course import Course
from .manifest import completion_problems, write_manifest
from .markdown_ext import EMBED_END, EMBED_START, CourseExtension

log = logging.getLogger("mkdocs.plugins.course")

ASSET_CSS = [
    "assets/course/theme.css",
    "assets/course/course.css",
    "assets/course/scenario.css",
    "assets/course/progress.css",
]
ASSET_JS = [
    "assets/course/manifest.js",
    "assets/course/course.js",
    "assets/course/typed-answer.js",  # typed-answer normalisation, used by quiz.js (issue 10)
    "assets/course/quiz.js",
    "assets/course/scenario.js",
    "assets/course/progress.js",
    "assets/course/scorm.js",  # inert unless an LMS (SCORM 1.2 API) launched the course
]
LOCAL_SEARCH_SHIM = "assets/vendor/iframe-worker/shim.js"
STORAGE_GUARD = "assets/course/storage.js"  # in <head>: blocked web storage must not break the theme


class CompletionConfig(Config):
    pass_ = c.Type(list, default=[])  # quiz ids to pass; filled from `pass`
    finish = c.Type((str, list), default="all")  # scenario ids to finish, or "all"
    assessment = c.Optional(c.Type(str))  # the quiz whose score is the course score


class CoursePluginConfig(Config):
    quizzes_dir = c.Type(str, default="quizzes")
    id = c.Optional(c.Type(str))
    version = c.Type(str, default="1")
    progress_version = c.Type(int, default=1)
    completion = c.Type(dict, default={})


class CoursePlugin(BasePlugin[CoursePluginConfig]):
    def __init__(self):
        self.command = "build"
        self.course: Course | None = None
        self.ext: CourseExtension | None = None
        self.final_site_dir: str | None = None
        self.pages: dict[str, dict] = {}

    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    # ------------------------------------------------------------ config

    def on_config(self, config):
        root = Path(config.config_file_path or ".").resolve().parent
        _reproducible_timestamp(root)
        # a build validates each file's model again when a page needs it, instead of keeping them all
        self.course = Course.load(
            root, config.docs_dir, self.config.quizzes_dir, lean=self.command == "build"
        )
        if self.command == "build":
            # the loaded course lives until the build ends and holds no reference cycles: keep
            # the cyclic garbage collector from walking all of it again at every full collection
            gc.freeze()
        for problem in self.course.warnings:
            log.info(str(problem))
        errors = self.course.errors
        errors += completion_problems(config.config_file_path, self.config.completion, self.course)
        if errors:
            for problem in errors:
                log.error(str(problem))
            if self.command != "serve":
                raise PluginError(f"{len(errors)} problem(s) in the course files; fix them and build again")

        # the page work: our Markdown extension, given the loaded course
        self.ext = CourseExtension(
            quizzes_dir=self.config.quizzes_dir, docs_dir=config.docs_dir, root=str(root),
            use_directory_urls=config.use_directory_urls,
        )  # fmt: skip
        self.ext.set_course(self.course)
        self.ext.mark_embeds = True
        config.markdown_extensions = [
            e for e in config.markdown_extensions if e not in ("course", "builder.markdown_ext")
        ]
        config.mdx_configs.pop("course", None)
        config.mdx_configs.pop("builder.markdown_ext", None)
        config.markdown_extensions.append(self.ext)

        # intranet-safe theme: nothing fetched from another host
        theme = config.theme
        if theme.name == "material":
            theme["font"] = False
            config.extra["generator"] = False
            polyfills = [p for p in config.extra.get("polyfills", []) if "://" not in str(p)]
            if LOCAL_SEARCH_SHIM not in polyfills:
                polyfills.append(LOCAL_SEARCH_SHIM)
            if STORAGE_GUARD not in polyfills:
                polyfills.insert(0, STORAGE_GUARD)
            config.extra["polyfills"] = polyfills

        for css in ASSET_CSS:
            if css not in config.extra_css:
                config.extra_css.append(css)
        present = {str(js) for js in config.extra_javascript}
        for js in ASSET_JS:
            if js not in present:
                config.extra_javascript.append(js)

        # write into a temporary folder; swap it in only when the build succeeded
        if self.command == "build":
            self.final_site_dir = config.site_dir
            config.site_dir = config.site_dir.rstrip("/\\") + ".building"
        return config

    def on_serve(self, server, *, config, builder):
        server.watch(str(Path(config.config_file_path).resolve().parent / self.config.quizzes_dir))
        return server

    # ------------------------------------------------------------ pages

    def on_page_markdown(self, markdown, *, page, config, files):
        if self.ext is not None:
            self.ext.set_page(page.file.src_uri)
        return markdown

    def _page_info(self, context, *, page, config, nav):
        self.pages[page.file.src_uri] = {"title": page.title or "", "url": page.url}
        return context

    @event_priority(100)  # before Material's search plugin reads the page
    def _embeds_out(self, context, *, page, config, nav):
        """Quizzes and scenarios stay out of the search index: their answers, feedback and branches
        are no search results, and the search plugin's HTML parser would spend more time on one
        scenario's markup than on the lesson around it."""
        content = page.content or ""
        if EMBED_START in content:
            pieces = content.split(EMBED_START)
            held, out = [], [pieces[0]]
            for n, piece in enumerate(pieces[1:]):
                widget, sep, rest = piece.partition(EMBED_END)
                held.append(widget if sep else EMBED_START + piece)
                out.append(f"<!--course-embed:{n}-->{rest}")
            self._held = held
            page.content = "".join(out)
        return context

    @event_priority(-100)  # after the search plugin: the widgets go back before the page is written
    def _embeds_back(self, context, *, page, config, nav):
        held, self._held = getattr(self, "_held", None), None
        if held:
            content = self._without = page.content
            for n, widget in enumerate(held):
                content = content.replace(f"<!--course-embed:{n}-->", widget, 1)
            page.content = content
        return context

    on_page_context = CombinedEvent(_embeds_out, _page_info, _embeds_back)

    @event_priority(-1000)  # last: the page's HTML is complete and about to be written
    def on_post_page(self, output, *, page, config):
        """MkDocs keeps every page's content until the build ends; our widgets are written now,
        so what stays in memory is the page without them (placeholders, as the search saw it)."""
        without, self._without = getattr(self, "_without", None), None
        if without is not None and self.command == "build":
            page.content = without
        return output

    # ------------------------------------------------------------ output

    @event_priority(-200)  # after Material's offline plugin (-100) has written its files
    def on_post_build(self, *, config):
        write_manifest(config, self.config, self.course, self.pages)
        if self.command == "build":  # `mkdocs serve` keeps them readable for debugging
            for asset in ASSET_CSS + ASSET_JS:
                minify_asset(os.path.join(config.site_dir, asset))
        if self.final_site_dir and self.command == "build":
            if config.strict and _strict_warnings():
                return  # MkDocs aborts right after this hook; on_build_error drops the new build
            _swap_into_place(config.site_dir, self.final_site_dir)
            gc.unfreeze()
            config.site_dir = self.final_site_dir

    def on_build_error(self, *, error) -> None:
        gc.unfreeze()
        if self.final_site_dir:
            shutil.rmtree(self.final_site_dir.rstrip("/\\") + ".building", ignore_errors=True)


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter saw a warning (it raises Abort after on_post_build)."""
    from mkdocs.utils import CountHandler

    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def minify_text(text: str, js: bool) -> str:
    """Our CSS or JS without comment lines, indentation and blank lines (what learners download).

    Deliberately simple, hence safe: only whole lines are dropped (``//`` lines, ``/* */`` blocks
    that start a line) and only leading white space goes.  A file with a template literal that
    spans lines is left as it is, since white space inside it is part of a string.
    """
    lines = text.split("\n")
    if js and any(line.count("`") - line.count("\\`") & 1 for line in lines):
        return text
    out: list[str] = []
    in_comment = False
    for line in lines:
        line = line.strip()
        while True:
            if in_comment:
                end = line.find("*/")
                if end < 0:
                    line = ""
                    break
                line, in_comment = line[end + 2 :].lstrip(), False
            if line.startswith("/*"):
                in_comment = True
                line = line[2:]
                continue
            break
        if line and not (js and line.startswith("//")):
            out.append(line)
    return "\n".join(out) + "\n"


def minify_asset(path: str) -> None:
    if path.endswith(("manifest.js",)) or not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    small = minify_text(text, js=path.endswith(".js"))
    if small != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(small)


def _swap_into_place(building: str, final: str) -> None:
    old = final.rstrip("/\\") + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(final):
        os.replace(final, old)
    os.replace(building, final)
    shutil.rmtree(old, ignore_errors=True)


def _reproducible_timestamp(root: Path) -> None:
    """Two builds of the same sources must be byte-identical (sitemap dates, gzip headers)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    stamp = "315532800"  # 1980-01-01, the zip epoch: used when the sources are not in git
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip().isdigit():
            stamp = out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    os.environ["SOURCE_DATE_EPOCH"] = stamp
