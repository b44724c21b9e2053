"""Incremental ``mkdocs serve``: a save rebuilds only what it changes (issue 17 item 2).

After the first full build, each rebuild of ``mkdocs serve`` compares the project's files with what
the previous build saw (modification time in ns and size in bytes of every file under the docs and
quizzes folders, the theme's ``custom_dir`` and ``watch:`` folders, and the project's *.yml), then:

- a changed lesson: MkDocs' own dirty mode (``File.is_modified``) rebuilds that page only (in each
  language version);
- a changed quiz or scenario file ``quizzes/<id>.yml``: the pages that embed ``<id>`` (``::: quiz``,
  ``::: scenario``, ``::: scenario-map``) in every language version are marked modified and rebuilt;
  a translation ``quizzes/<lang>/<id>.yml``: those of that language only.  The manifest is always
  written again;
- a file added, removed or renamed, mkdocs.yml, custom_dir or a ``watch:`` folder changed, a page
  whose title changed (every page's navigation shows it), or a full build that failed: a full build,
  as MkDocs does without us.  An incremental build that failed is followed by an incremental one that
  also builds what it did not.

Unchanged quiz, scenario and lesson files are not read and checked again (``builder.course.ITEM_CACHE``),
the theme's templates are compiled once (a Jinja bytecode cache), 404.html and the sitemap are left as
they are.  Pages that are not rebuilt keep their title in the navigation (remembered from the last
build), their search index entries and their entry in the manifest: the site is the same as a full
build gives (tests/test_preview.py).  ``mkdocs serve --clean`` turns all of it off.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from . import course as course_module
from .languages import is_language_folder

log = logging.getLogger("mkdocs.plugins.course")

Snapshot = dict[str, tuple[int, int]]  # absolute path -> (st_mtime_ns, st_size)
DIRTY_FLAG = "--dirty"  # mkdocs-static-i18n builds the other languages dirty when argv has it


def _scratch(name: str) -> bool:
    """Editors' swap, backup and test files: never part of the course."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913"


def snapshot(folders: list[Path], files: list[Path]) -> Snapshot:
    """(mtime in ns, size in bytes) of every file under ``folders`` and of each of ``files``."""
    seen: Snapshot = {}
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                if _scratch(name):
                    continue
                path = os.path.join(base, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                seen[path] = (st.st_mtime_ns, st.st_size)
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            continue
        seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


class Preview:
    """What one ``mkdocs serve`` process remembers from build to build."""

    def __init__(self) -> None:
        self.folders: list[Path] = []  # docs and quizzes folders
        self.other_folders: list[Path] = []  # the theme's custom_dir, `watch:` folders
        self.config_files: list[Path] = []
        self.seen: Snapshot | None = None  # at the start of the last build
        self.dirty = False  # the build running now is incremental
        # (language or "" for every language, quiz/scenario id) of each changed file (this build)
        self.changed_ids: set[tuple[str, str]] = set()
        self.last_ok = False  # the last build finished
        self.was_dirty = False  # the last build was incremental
        self.full_next = False  # a page's title changed: rebuild everything
        # per language version (mkdocs-static-i18n builds each one in turn)
        self.titles: dict[str, dict[str, str | None]] = {}  # lang -> src_uri -> title
        self.pages: dict[str, dict[str, dict]] = {}  # lang -> the manifest's page list
        self.search: dict[str, list[dict]] = {}  # lang -> search index entries
        self.built_urls: dict[str, set[str]] = {}  # lang -> urls of pages rebuilt now
        self.rebuilt: list[str] = []  # pages rebuilt by the last build ("lang:src_uri")
        self.templates = _TemplateCache()
        self.listed: dict[tuple, list[str]] = {}  # the theme's files, listed once a full build
        course_module.ITEM_CACHE = {}

    # ---------------------------------------------------------------- what changed

    def track(self, config: Any, root: Path, quizzes_dir: str) -> None:
        """on_config: the folders and files to compare between builds (the first build's)."""
        _linear_search_duplicates(config.plugins)  # a new i18n plugin each build
        if self.folders:
            return
        self.folders = [Path(config.docs_dir).resolve(), (root / quizzes_dir).resolve()]
        # mkdocs.yml and the file it inherits from (handbook.yml: INHERIT: mkdocs.yml), the theme's
        # custom_dir and the `watch:` folders: a change there builds everything
        configs = {p.resolve() for p in root.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()}
        if config.config_file_path:
            configs.add(Path(config.config_file_path).resolve())
        self.config_files = sorted(configs)
        others = [getattr(config.theme, "custom_dir", None), *(config.get("watch") or [])]
        self.other_folders = [Path(d).resolve() for d in others if d and os.path.isdir(d)]
        self.seen = self._look()

    def _look(self) -> Snapshot:
        return snapshot(self.folders + self.other_folders, self.config_files)

    def plan(self) -> bool:
        """Before a rebuild: whether it can be incremental; sets ``changed_ids``."""
        now = self._look()
        before, self.seen = self.seen, now
        # an incremental build that failed (an exception, not an author error: those show in the
        # page) wrote none of its pages after the failure: the next one builds them too
        failed = not self.last_ok
        self.changed_ids = set(self.changed_ids) if failed else set()
        if before is None or self.full_next or (failed and not self.was_dirty):
            return False
        if now.keys() != before.keys():
            return False  # a file added, removed or renamed: the menu, links and checks change
        for path, sig in now.items():
            if before.get(path) == sig:
                continue
            p = Path(path)
            if p in self.config_files or any(folder in p.parents for folder in self.other_folders):
                return False
            if self.folders[1] in p.parents and p.suffix in (".yml", ".yaml"):
                # quizzes/<lang>/<id>.yml: a translation, shown by that language version only
                lang = p.parent.name if is_language_folder(p, self.folders[1]) else ""
                self.changed_ids.add((lang, p.stem))
        return True

    # ---------------------------------------------------------------- serve

    def wrap(self, server: Any) -> None:
        """Make ``mkdocs serve``'s rebuilds incremental (its builder always builds everything)."""
        full_build = server.builder
        # the first build's pages stay in memory as long as the server runs (MkDocs keeps its
        # config): the garbage collector need not walk them again at every rebuild
        gc.collect()
        gc.freeze()

        def rebuild() -> None:
            incremental = self.plan()
            if not incremental:
                course_module.ITEM_CACHE = {}  # a full build checks every file again
                return self._run(full_build, dirty=False)
            self._run(full_build, dirty=True)
            if self.full_next:  # a title changed: every page's navigation shows it
                log.info("A page title changed: building every page again")
                self.seen = self._look()
                self._run(full_build, dirty=False)

        server.builder = rebuild

    def _run(self, full_build: Callable[[], None], *, dirty: bool) -> None:
        import mkdocs.commands.serve as serve_module

        self.last_ok, self.full_next, self.rebuilt = False, False, []
        self.dirty = self.was_dirty = dirty
        if not dirty:
            self.changed_ids = set()
            self.titles, self.pages, self.search = {}, {}, {}
        real_build = serve_module.build
        real_list = jinja2.Environment.list_templates
        added_flag = dirty and DIRTY_FLAG not in sys.argv
        if not dirty:
            self.listed = {}  # a full build lists the theme's files again
        listed = self.listed

        def list_templates(env: jinja2.Environment, extensions=None, filter_func=None) -> list[str]:
            # MkDocs lists and filters the theme's files at every build (Material's: thousands of
            # icons); an incremental build reuses the list (a change in custom_dir builds everything)
            key = (
                tuple(getattr(env.loader, "searchpath", None) or ()) or id(env.loader),
                tuple(extensions or ()),
                getattr(filter_func, "__code__", filter_func),
            )
            if key not in listed:
                listed[key] = real_list(env, extensions, filter_func)
            return list(listed[key])

        jinja2.Environment.list_templates = list_templates  # type: ignore[method-assign]
        if dirty:

            def dirty_build(config, *, serve_url=None, dirty=False):
                return real_build(config, serve_url=serve_url, dirty=True)

            serve_module.build = dirty_build
        if added_flag:
            sys.argv.append(DIRTY_FLAG)
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.addFilter(_quiet_dirty_warning)
        collecting = gc.isenabled() and dirty
        if collecting:  # a short build: collect its garbage afterwards, not again and again during it
            gc.disable()
        try:
            full_build()
        finally:
            if collecting:
                gc.enable()
            build_log.removeFilter(_quiet_dirty_warning)
            serve_module.build = real_build
            jinja2.Environment.list_templates = real_list  # type: ignore[method-assign]
            if added_flag and DIRTY_FLAG in sys.argv:
                sys.argv.remove(DIRTY_FLAG)
            self.dirty = False
        if dirty:
            log.info(f"Rebuilt {len(self.rebuilt)} page(s): {', '.join(self.rebuilt[:5])}"
                     + (" ..." if len(self.rebuilt) > 5 else ""))  # fmt: skip

    # ---------------------------------------------------------------- build hooks

    def mark_embedding_pages(self, files: Any, course: Any, lang: str) -> None:
        """on_files: pages that embed a changed quiz or scenario count as modified."""
        changed = {i for version, i in self.changed_ids if version in ("", lang)}
        if not self.dirty or not changed or course is None:
            return
        from .languages import source_of

        ids_of: dict[str, set[str]] = {}
        for embed in list(course.embeds) + list(course.maps):
            ids_of.setdefault(embed.page, set()).add(embed.id)
        for file in files.documentation_pages():
            ids = ids_of.get(file.src_uri, set()) | ids_of.get(source_of(file.src_uri), set())
            if ids & changed:
                file.is_modified = _modified  # an instance attribute: MkDocs' dirty checks call it

    def cache_templates(self, env: Any, config: Any) -> None:
        """on_env: every build makes a new theme environment; its templates are compiled once a
        serve (Jinja's bytecode cache, checked against each template's source).  An incremental
        build leaves the site-wide pages (404.html, sitemap.xml) as they are: the pages and their
        titles are the same."""
        if env.bytecode_cache is None:
            env.bytecode_cache = self.templates
        if self.dirty:
            config.theme.static_templates.clear()

    def keep_titles(self, nav: Any, lang: str) -> None:
        """on_nav: a page that is not rebuilt keeps its last title (MkDocs does not read it)."""
        if not self.dirty:
            return
        titles = self.titles.get(lang, {})
        for page in nav.pages:
            if not page.file.is_modified() and page.file.src_uri in titles:
                page.title = titles[page.file.src_uri]

    def page_built(self, page: Any, lang: str, versions: bool = False) -> None:
        """on_page_context: remember the page's title and url; a changed title needs a full build."""
        titles = self.titles.setdefault(lang, {})
        src = page.file.src_uri
        if self.dirty and src in titles and titles[src] != page.title:
            self.full_next = True
        titles[src] = page.title
        self.built_urls.setdefault(lang, set()).add(page.url)
        self.rebuilt.append(f"{lang}:{src}" if versions else src)

    def start_pages(self, lang: str) -> dict[str, dict]:
        """on_config: the manifest's page list to start from (the last build's, when incremental)."""
        self.built_urls[lang] = set()
        return dict(self.pages.get(lang, {})) if self.dirty else {}

    def merge_search(self, config: Any, lang: str) -> None:
        """on_post_build, before the search plugin writes its index: the entries of the pages not
        rebuilt come from the last build (the search plugin only saw the rebuilt pages)."""
        entries = _search_entries(config)
        if entries is None or not self.dirty:
            return
        urls = self.built_urls.get(lang, set())
        kept = [e for e in self.search.get(lang, []) if not _on_pages(e.get("location", ""), urls)]
        entries[:0] = kept
        plugin = _search_plugin(config)
        if plugin is not None:
            plugin.search_index_prev = None  # its own dirty merge (--dirty) would add them twice

    def keep_search(self, config: Any, lang: str) -> None:
        """on_post_build, after the search plugin: remember this language version's entries."""
        entries = _search_entries(config)
        if entries is not None:
            self.search[lang] = list(entries)

    def build_done(self, pages: dict[str, dict], lang: str) -> None:
        self.pages[lang] = dict(pages)


class _TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in memory (key: template name and file; checked by source checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns at every dirty build that links may be stale; ours keeps them right."""
    return not str(record.msg).startswith("A 'dirty' build")


def _linear_search_duplicates(plugins: Any) -> None:
    """mkdocs-static-i18n (1.3) drops each translated page's search entries that repeat the default
    language's with a scan of all entries per entry: about 7 s on a 1,000-lesson course in two
    languages, at every build.  The same entries dropped (a language folder's copy of a default
    language page's entry: same title, text and location under ``<lang>/``), the order kept, in one
    pass, for ``mkdocs serve``."""
    plugin = plugins.get("i18n") if plugins is not None else None
    if plugin is None or not hasattr(plugin, "reconfigure_search_duplicates"):
        return

    def dedupe(entries: list[dict]) -> None:
        prefixes = tuple(f"{lang}/" for lang in plugin.build_languages)
        targets: dict[tuple, list[dict]] = {}
        for entry in entries:
            if entry["location"].startswith(prefixes):
                targets.setdefault((entry["title"], entry["text"], entry["location"]), []).append(entry)
        dropped: set[int] = set()
        for entry in entries:
            if not entry["location"].startswith(prefixes):
                for prefix in prefixes:  # its copy in each language folder
                    key = (entry["title"], entry["text"], prefix + entry["location"])
                    dropped.update(id(other) for other in targets.get(key, ()))
        if dropped:
            entries[:] = [e for e in entries if id(e) not in dropped]

    plugin.reconfigure_search_duplicates = dedupe


def _modified() -> bool:
    return True


def _on_pages(location: str, urls: set[str]) -> bool:
    return location.split("#", 1)[0] in urls


def _search_plugin(config: Any) -> Any:
    plugins = config.plugins
    return plugins.get("material/search") or plugins.get("search")


def _search_entries(config: Any) -> list[dict] | None:
    """The search plugin's list of index entries (Material's ``entries``, MkDocs' ``_entries``)."""
    index = getattr(_search_plugin(config), "search_index", None)
    for name in ("entries", "_entries"):
        entries = getattr(index, name, None)
        if isinstance(entries, list):
            return entries
    return None
