"""The thin MkDocs plugin: site-wide work only.

- loads and validates the whole course once per build, and fails the build on errors
  (``mkdocs serve`` keeps serving, prints the errors and shows them in place of the quiz);
- hands the loaded course to the Markdown extension and tells it which page it renders;
- watches ``quizzes/`` in ``mkdocs serve``, whose rebuilds are incremental (``preview``, issue 17);
- keeps the site intranet-safe (no web fonts, no generator link, a local search shim);
- writes the course manifest the browser scripts read;
- builds into a temporary folder and swaps it in, so a failed build leaves the last good site.
Page work lives in ``markdown_ext`` so the same course can move to MkDocs' successor.
"""

from __future__ import annotations

import gc
import logging
import os
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from . import languages, md_adapter, not_found, serve_ports
from .cache_bust import version_references
from .course import Course
from .i18n_markup import translate_markup
from .manifest import canonical_url, write_manifest
from .markdown_ext import EMBED_END, EMBED_START, CourseExtension
from .messages import Catalog
from .minify import minify_site, minify_text  # noqa: F401 (minify_text: used by tests)
from .plugin_config import CompletionConfig, CoursePluginConfig  # noqa: F401 (CompletionConfig: re-exported)
from .preview import Preview
from .problem_output import PROBLEM_LINE, summary, text_lines
from .project import Project, check_course
from .site import building_dir, discard, publish
from .theme_dir import theme_dir
from .theme_strings import escape_settings

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
    "assets/course/quiz-timer.js",  # timed quizzes only (issue 17)
    "assets/course/scenario.js",
    "assets/course/progress.js",
    "assets/course/progress-page.js",  # My progress and the certificate only (issue 17)
]  # the SCORM adapter is added to LMS packages only (builder/package/scorm.py)
XAPI_JS = "assets/course/xapi.js"  # only when the course sets `xapi:` (issue 15)
LOCAL_SEARCH_SHIM = "assets/vendor/iframe-worker/shim.js"
STORAGE_GUARD = "assets/course/storage.js"  # in <head>: blocked web storage must not break the theme


class CoursePlugin(BasePlugin[CoursePluginConfig]):
    def __init__(self):
        self.command = "build"
        self.course: Course | None = None
        self.ext: CourseExtension | None = None
        self.final_site_dir: str | None = None
        self.building_dir: str | None = None
        self.restore_settings = None
        self.pages: dict[str, dict] = {}
        self.catalog: Catalog | None = None
        self.language = "en"  # the language version being built (issue 14 item 4)
        self.nested = False  # a language version built inside the first build (mkdocs-static-i18n)
        self.preview: Preview | None = None  # `mkdocs serve`: what rebuilds remember (builder/preview.py)
        self._checked: tuple | None = None  # (Project, check_course's result) of this `mkdocs build`

    def on_startup(self, *, command, dirty) -> None:
        self.command = command
        self._port_to_check = command == "serve"  # once, before the first build (serve_ports)
        if command == "serve" and self.preview is None:
            self.preview = Preview()

    # ------------------------------------------------------------ config

    def _config(self, config):
        if getattr(self, "_port_to_check", False):  # `mkdocs serve` would bind it only after a build
            self._port_to_check = False
            host, port = config.dev_addr
            taken = serve_ports.taken_message(f"{host}:{port}", "mkdocs serve -a {}")
            if taken:
                raise PluginError(taken)
        root = Path(config.config_file_path or ".").resolve().parent
        _reproducible_timestamp(root)
        if self.preview is not None:
            self.preview.track(config, root, self.config.quizzes_dir)
        # course files render through the safe part of the site's Markdown extensions
        md_adapter.configure(config.markdown_extensions, config.mdx_configs)
        _default_theme_dir(config)
        # the same checks, settings and order as `course check` (builder.project.check_course)
        project = Project(
            root,
            docs=config.docs_dir,
            quizzes=self.config.quizzes_dir,
            nav=config.nav,
            not_in_nav=config.get("not_in_nav") or "",
            exclude_docs=config.get("exclude_docs") or "",
            settings=dict(self.config),
            config_file=Path(config.config_file_path) if config.config_file_path else None,
            features=list(config.theme.get("features") or []),
            language=str(config.theme.get("language") or "en"),
        )
        self.nested = languages.nested_build(config)
        if self.nested:  # the first build's state comes back when this one ends (on_post_build)
            self._outer = (
                self.ext,
                self.pages,
                self.restore_settings,
                self.course,
                self.language,
                self.catalog,
            )
        # a build validates each file's model again when a page needs it, instead of keeping them all
        # a language version built inside the first build reads the same files with the same settings:
        # its check is the first build's (issue 17: checking twice was a third of our build overhead)
        checked = self._checked if self.command == "build" else None
        if self.nested and checked is not None and checked[0] == project:
            self.course, errors, warnings = checked[1]
        else:
            self.course, errors, warnings = check_course(project, lean=self.command == "build")
            self._checked = (project, (self.course, errors, warnings)) if self.command == "build" else None
        # a language version (mkdocs-static-i18n builds each one inside the first build, into the
        # same folder): its quizzes and scenarios come from quizzes/<lang>/, English per missing file
        self.language, default = languages.current(config)
        if languages.i18n_plugin(config) is not None and config.theme.get("language") != self.language:
            # mkdocs-static-i18n sets it in its own on_config, after ours: the interface strings and
            # anything else read in on_config see the language being built already
            config.theme["language"] = self.language
        self.pages = self.preview.start_pages(self.language) if self.preview is not None else {}
        if self.course is not None and self.language != default:
            # its translated files' problems are among check_course's errors already
            self.course, _ = languages.language_course(self.course, self.language)
        if self.command == "build":
            # the loaded course lives until the build ends and holds no reference cycles: keep
            # the cyclic garbage collector from walking all of it again at every full collection
            gc.freeze()
        for line in text_lines(warnings):
            log.info(line, extra=PROBLEM_LINE)
        if errors:
            for line in text_lines(errors):
                log.error(line, extra=PROBLEM_LINE)
            if self.command != "serve":
                raise PluginError(
                    f"{summary(errors, warnings)} in the course files; fix them and build again"
                )

        # the page work: our Markdown extension, given the loaded course
        self.ext = CourseExtension(
            quizzes_dir=self.config.quizzes_dir, docs_dir=config.docs_dir, root=str(root),
            use_directory_urls=config.use_directory_urls,
        )  # fmt: skip
        self.ext.set_course(self.course)
        self.ext.mark_embeds = True
        # interface strings of theme.language, with the author's overrides (issue 14)
        self.catalog = Catalog(config.theme.get("language") or "en", _dict(self.config.messages))
        self.ext.catalog = self.catalog
        config.extra["course_menu"] = self.catalog.t("header.menu")  # our header partial's menu button
        config.markdown_extensions = [
            e
            for e in config.markdown_extensions
            if e not in ("course", "builder.markdown_ext") and not isinstance(e, CourseExtension)
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

        # our styles and scripts are declared in site_overrides/main.html, per page (issue 17)
        config.extra["course_xapi"] = bool(self.config.xapi)
        # a language version reads its own manifest (its items, its progress key): <lang>/assets/...
        config.extra["course_manifest"] = (
            ASSET_JS[0] if self.language == default else f"{self.language}/{ASSET_JS[0]}"
        )

        # write into a fresh temporary folder; publish it only when the build succeeded (site.py);
        # a language version built inside the first build writes into that build's folder
        if self.command == "build" and not self.nested:
            self.final_site_dir = config.site_dir
            self.building_dir = config.site_dir = building_dir(config.site_dir)
        return config

    @event_priority(-150)  # after mkdocs-static-i18n's on_config (-100) applied a language's settings
    def _escape_config(self, config):
        """Strings from mkdocs.yml reach the theme escaped; plain again after the pages (issue 11
        item 7).  Done after the i18n plugin's on_config: it only overrides plain strings."""
        self.restore_settings = escape_settings(config)
        return config

    on_config = CombinedEvent(_config, _escape_config)

    @event_priority(-200)  # after mkdocs-static-i18n has set up its language switcher
    def on_files(self, files, *, config):
        languages.relative_switcher(config)
        if self.preview is not None:  # an incremental rebuild: the pages that embed a changed quiz
            self.preview.mark_embedding_pages(files, self.course, self.language)
        return files

    def on_nav(self, nav, *, config, files):
        if self.preview is not None:  # an incremental rebuild: pages not rebuilt keep their titles
            self.preview.keep_titles(nav, self.language)
        return nav

    def on_env(self, env, *, config, files):
        if self.preview is not None:  # `mkdocs serve`: the theme's templates compiled once
            self.preview.cache_templates(env, config)
        return env

    def on_serve(self, server, *, config, builder):
        server.watch(str(Path(config.config_file_path).resolve().parent / self.config.quizzes_dir))
        if self.preview is not None:
            self.preview.wrap(server)
        return server

    # ------------------------------------------------------------ pages

    def on_page_content(self, html, *, page, config, files):
        """In ``mkdocs serve``, a page's own problems (a mistyped ``::: quizz`` line, a bad link)
        show in a red box at its top: ``course check``'s lines for that page.  Problems on an embed
        line are shown in the embed's own box instead."""
        if self.catalog is not None and "data-i18n" in html:  # a page's own interface wording (issue 14)
            html = translate_markup(html, self.catalog)
        if self.command != "serve" or self.course is None or self.ext is None:
            return html
        course = self.course
        shown = course.rel(course.docs_dir / page.file.src_uri)
        embed_lines = {e.line for e in course.embeds + course.maps if e.page == page.file.src_uri}
        lines = [item for item in self.ext.check_lines(shown) if item["line"] not in embed_lines]
        from .render import render_error

        boxes = render_error("page", page.file.src_uri, lines, shown, self.catalog) if lines else ""
        if course.config_file is not None:  # course-wide settings: shown on every page
            config_shown = course.rel(course.config_file)
            config_lines = self.ext.check_lines(config_shown)
            if config_lines:
                boxes = render_error("page", "mkdocs.yml", config_lines, config_shown, self.catalog) + boxes
        return boxes + html

    def on_page_markdown(self, markdown, *, page, config, files):
        if self.ext is not None:
            self.ext.set_page(page.file.src_uri)
        unsafe = self.course.unsafe_pages.get(page.file.src_uri) if self.course else None
        if unsafe:  # `mkdocs serve`: Python-Markdown would recurse or stall on this page (issue 10)
            return (
                "# "
                + (page.title or "Page")
                + "\n\n"
                + "\n".join("    " + str(problem) for problem in unsafe)
            )
        return markdown

    def _page_info(self, context, *, page, config, nav):
        # a translated page (modules/x.es.md) stands in for its source page in the manifest
        src = languages.source_of(page.file.src_uri)
        self.pages[src] = {"title": page.title or "", "url": canonical_url(page.url)}
        if self.preview is not None:
            self.preview.page_built(page, self.language, languages.i18n_plugin(config) is not None)
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
        if languages.i18n_plugin(config) is not None:
            output = languages.without_head_alternates(output)
        return output

    # ------------------------------------------------------------ output

    @event_priority(50)  # before the search plugin writes its index
    def _search_before(self, *, config):
        if self.preview is not None:  # an incremental rebuild: the other pages' entries stay
            self.preview.merge_search(config, self.language)

    @event_priority(-50)  # before mkdocs-static-i18n (-100) builds the other languages with this config
    def _course_files(self, *, config):
        """The manifest and maps of the language version just built, from its own settings."""
        if self.restore_settings:
            self.restore_settings()
            self.restore_settings = None
        site_dir = languages.version_dir(config, self.language)
        language = self.language if languages.i18n_plugin(config) is not None else None
        write_manifest(config, self.config, self.course, self.pages, site_dir, language, self.catalog)
        if self.preview is not None:
            self.preview.keep_search(config, self.language)
            self.preview.build_done(self.pages, self.language)
        _write_maps(site_dir, self.course)
        # the 404 page in this version's language; the language versions built next write their 404
        # page over the default one, which becomes <lang>/404.html (not_found.write_versions)
        if self.preview is not None and self.preview.dirty:
            return  # an incremental preview build leaves the 404 pages the last full build wrote
        page = not_found.translate(not_found.read_page(config.site_dir), self.catalog)
        if not self.nested:
            self.default_404 = page
            self.version_404s: dict[str, bytes] = {}
            if page is not None:
                not_found.write_page(config.site_dir, page)
        elif language and page is not None:
            self.version_404s[language] = page

    @event_priority(-200)  # after Material's offline plugin (-100) has written its files
    def _publish(self, *, config):
        if self.nested:
            # back to the first build's language and state: it minifies, versions and publishes
            self.ext, self.pages, self.restore_settings, self.course, self.language, self.catalog = (
                self._outer
            )
            self.nested = False
            return
        if self.preview is not None:
            self.preview.last_ok = True
        # the 404 page of each language, in `mkdocs serve` too (but for its incremental builds)
        versions = []
        if self.preview is None or not self.preview.dirty:
            not_found.restore_page(config.site_dir, getattr(self, "default_404", None))  # default language
            versions = not_found.write_versions(config.site_dir, getattr(self, "version_404s", {}))
        if self.command == "build":  # `mkdocs serve` keeps them readable for debugging
            minify_site(config.site_dir)  # rjsmin/rcssmin (builder/minify.py)
            if not config.site_url:  # the 404 page finds the site's root itself (builder/not_found.py)
                for page in [not_found.PAGE, *versions]:
                    not_found.make_relocatable(config.site_dir, page)
            version_references(config.site_dir)  # ?v=<content hash>: a republish never mixes versions
        if self.final_site_dir and self.command == "build":
            if config.strict and _strict_warnings():
                return  # MkDocs aborts right after this hook; on_build_error drops the new build
            try:
                publish(config.site_dir, self.final_site_dir)
            except OSError as exc:
                raise PluginError(f"could not put the new site in place: {exc}") from exc
            self.building_dir = None
            gc.unfreeze()
            config.site_dir = self.final_site_dir

    on_post_build = CombinedEvent(_search_before, _course_files, _publish)

    def on_build_error(self, *, error) -> None:
        gc.unfreeze()
        if self.building_dir:
            discard(self.building_dir)  # only the folder this build made; the last good site stays
            self.building_dir = None


THEME_DIR = theme_dir()  # the checkout's site_overrides/, or a wheel's installed copy


def _default_theme_dir(config) -> None:
    """A project without its own copy of our theme files (``course new`` makes none) uses the
    builder's: the course scripts and styles then always match the builder that renders the pages."""
    theme = config.theme
    dirs = list(getattr(theme, "dirs", []))
    if any(os.path.isfile(os.path.join(d, "assets", "course", "quiz.js")) for d in dirs):
        return
    if THEME_DIR.is_dir():
        theme.dirs.insert(0, str(THEME_DIR))
    else:  # a non-editable install without the repository's theme folder
        log.warning(
            "the course scripts and styles (site_overrides/) were not found: set theme: custom_dir: "
            "in mkdocs.yml to a copy of the builder's site_overrides folder"
        )


def _write_maps(site_dir: str, course: Course | None) -> None:
    """The full-size SVG of every scenario a ``::: scenario-map`` shows (its "Open full size" link)."""
    if course is None or not course.maps:
        return
    from .markdown_ext import MAP_FOLDER
    from .scenario_map import scenario_svg

    folder = os.path.join(site_dir, *MAP_FOLDER.strip("/").split("/"))
    for item_id in sorted({m.id for m in course.maps}):
        item = course.items.get(item_id)
        if item is None or item.kind != "scenario" or item.loaded.data is None:
            continue
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{item_id}.svg"), "w", encoding="utf-8", newline="\n") as f:
            f.write(scenario_svg(item))


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter saw a warning (it raises Abort after on_post_build)."""
    from mkdocs.utils import CountHandler

    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


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


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}
