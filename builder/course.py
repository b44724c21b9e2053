"""Load a whole course once: every quiz and scenario file, every embed line in the lessons,
and every problem found in them, each with its file and line."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import author_checks, checks, errors, quiz_checks
from .asset_refs import refs, resolve
from .containment import outside_paths
from .embeds import MAP, directives
from .lesson_layout import layout_problems
from .lesson_links import hand_ids, missing_anchor, missing_page, page_hint, page_links, toc_from_config
from .lesson_links import resolve as resolve_link
from .loader import Loaded, load_file
from .md_adapter import page_problems
from .problems import Problem, Problems
from .schema import KINDS, Quiz, Scenario
from .starter_text import lesson_placeholders

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# (the target excludes brackets so that a long run of `](` cannot make the search quadratic)
MD_LINK_RE = re.compile(r"\]\(\s*<?([^()\[\]\s<>#]+\.md)(#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")
YAML_SUFFIXES = (".yml", ".yaml")
# path/mtime/size -> checked file, kept across the builds of one `mkdocs serve` (builder/preview.py)
ITEM_CACHE: dict | None = None


@dataclass
class Item:
    """One quiz or scenario file."""

    id: str
    kind: str  # "quiz" | "scenario" | "" when unknown
    path: str  # as shown to authors, relative to the project root
    loaded: Loaded
    model: Quiz | Scenario | None = None
    version: str = ""

    @property
    def ok(self) -> bool:
        return self.__dict__.get("_released", False) or self.__dict__.get("_model") is not None

    def release(self) -> None:
        """Drop the validated model to save memory (about a third of a large loaded course); reading
        ``item.model`` afterwards validates the file's data again, which cannot fail and is quick."""
        if self.__dict__.get("_model") is not None and isinstance(self.loaded.data, dict):
            self.__dict__["_model"] = None
            self.__dict__["_released"] = True


def _get_model(item: Item) -> Quiz | Scenario | None:
    if item.__dict__.get("_released"):
        return KINDS[item.kind].model_validate(item.loaded.data)
    return item.__dict__.get("_model")


def _set_model(item: Item, model: Quiz | Scenario | None) -> None:
    item.__dict__["_model"] = model
    item.__dict__["_released"] = False


Item.model = property(_get_model, _set_model)  # type: ignore[assignment]  # see Item.release


@dataclass
class Embed:
    page: str  # docs-relative source path, e.g. modules/02-not-personal.md
    path: str  # as shown to authors
    line: int
    kind: str
    id: str


@dataclass
class Course:
    root: Path
    docs_dir: Path
    quizzes_dir: Path
    items: dict[str, Item] = field(default_factory=dict)
    embeds: list[Embed] = field(default_factory=list)
    maps: list[Embed] = field(default_factory=list)  # `::: scenario-map <id>` lines
    problems: list[Problem] = field(default_factory=list)
    lean: bool = False  # release each file's model once checked (see Item.release): for big builds
    render_check: bool = False  # `course check`: render every field with the build's renderer
    # images/files in course files not under the docs folder: (item id, path, line, kind, target)
    pending_assets: list[tuple[str, str, int, str, str, str]] = field(default_factory=list)
    # lesson pages Markdown cannot render safely (docs-relative path -> problems): `mkdocs serve`
    # shows the problems instead of rendering them (the build stops before any page)
    unsafe_pages: dict[str, list[Problem]] = field(default_factory=dict)
    feedback_warnings: bool = True  # the course setting `feedback_warnings` (issue 12)
    nav: Any = None  # mkdocs.yml's nav, when the caller knows it: pages left out are reported
    not_in_nav: Any = ""  # MkDocs' not_in_nav: its text, or MkDocs' own matcher
    exclude_docs: Any = ""  # MkDocs' exclude_docs, the same way: pages left out of the site
    config_file: Path | None = None
    pages: list[str] = field(default_factory=list)  # docs-relative paths of every Markdown page
    page_links: dict = field(default_factory=dict)  # page -> its links to lessons and headings
    _ids: dict = field(default_factory=dict)  # page -> ids a link may point to (heading_ids)
    _toc: dict | None = None  # toc slugify/separator the ids are made with
    _md_pages: list[str] | None = None  # every page, for hints in course files' links
    yaml_anchors: list = field(default_factory=list)  # (file, line, page, id) of course files' links

    # ------------------------------------------------------------ loading

    @classmethod
    def load(
        cls,
        root: Path,
        docs_dir: Path | str = "content",
        quizzes_dir: Path | str = "quizzes",
        *,
        lean: bool = False,
        render_check: bool = False,
        feedback_warnings: bool = True,
        nav: Any = None,
        not_in_nav: Any = "",
        exclude_docs: Any = "",
        config_file: Path | str | None = None,
    ) -> Course:
        """Load and check every course file.  ``render_check``: also render every author field with the
        build's renderer under a time budget (``course check``; issue 10 item 9). ``nav``/``not_in_nav``/
        ``config_file`` (from mkdocs.yml) turn on the navigation checks; ``feedback_warnings=False``
        drops the missing-feedback warnings (issue 12)."""
        root = Path(root).resolve()
        course = cls(
            root, (root / docs_dir).resolve(), (root / quizzes_dir).resolve(), lean=lean,
            render_check=render_check,
        )  # fmt: skip
        course.feedback_warnings = feedback_warnings
        course.nav, course.not_in_nav, course.exclude_docs = nav, not_in_nav, exclude_docs
        course.config_file = Path(config_file).resolve() if config_file else None
        # Loading makes many small objects and no reference cycles: the cyclic collector would only
        # rescan the growing course again and again (about 40% of `course check` on a large course).
        collecting = gc.isenabled()
        gc.disable()
        try:
            # a link out of the project would publish what it leads to (issue 11 item 4)
            shown = lambda path: course.rel(Path(path))  # noqa: E731
            course.problems.extend(outside_paths(root, [root / docs_dir, root / quizzes_dir], shown))
            course.load_items()
            course.scan_pages()
            course.check_page_links()
            course.cross_check()
            if nav is not None:
                course.problems.extend(
                    author_checks.check_nav(
                        nav,
                        course.docs_dir,
                        course.pages,
                        course.rel,
                        course.config_file,
                        course.not_in_nav,
                        course.exclude_docs,
                    )
                )
                course.problems.extend(author_checks.check_home_table(nav, course.docs_dir, course.rel))
        finally:
            if collecting:
                gc.enable()
        return course

    def rel(self, path: Path) -> str:
        """``path`` as authors see it: relative to the current folder, else to the project."""
        # The folders we list are resolved already, so their files need no resolve() (a system call
        # per path component: noticeable on a course of a thousand files); getcwd() is canonical.
        full = path if path.is_absolute() else path.resolve()
        for base in (Path(os.getcwd()), self.root):
            try:
                return full.relative_to(base).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def load_items(self) -> None:
        if not self.quizzes_dir.is_dir():
            return
        from .language_paths import is_language_folder

        # quizzes/<lang>/ holds translations (issue 14), loaded by the language's build
        files = sorted(
            p
            for p in self.quizzes_dir.rglob("*")
            if p.suffix in YAML_SUFFIXES and p.is_file() and not is_language_folder(p, self.quizzes_dir)
        )
        for path in files:
            self.add_item(path)

    def add_item(self, path: Path) -> Item:
        try:
            if ITEM_CACHE is None:
                return self._add_item(path)
            return self._add_cached(path, ITEM_CACHE)
        except Exception as exc:  # a bug of ours must not hide the author's file behind a traceback
            display = self.rel(path)
            problems = Problems(display)
            problems.add(
                1, f"internal error while checking this file ({type(exc).__name__}: {exc}); please report it"
            )
            item = Item(path.stem, "", display, Loaded(display, problems=problems))
            self.items.setdefault(path.stem, item)
            self.problems.extend(problems)
            return item

    def _add_cached(self, path: Path, cache: dict) -> Item:
        """``mkdocs serve`` (builder/preview.py, issue 17): a file unchanged since the last build
        (same path, mtime and size, same settings) is not read and validated again."""
        stat = path.stat()
        sig = (stat.st_mtime_ns, stat.st_size, self.lean, self.render_check, self.feedback_warnings,
               str(self.docs_dir))  # fmt: skip
        kept = cache.get(str(path))  # one entry a file: an edit replaces it
        hit = kept[1] if kept is not None and kept[0] == sig else None
        if hit is None:
            scratch = Course(self.root, self.docs_dir, self.quizzes_dir, lean=self.lean,
                             render_check=self.render_check, feedback_warnings=self.feedback_warnings)  # fmt: skip
            item = scratch._add_item(path)  # alone: the duplicate-id check below needs this course
            hit = (item, list(scratch.problems), list(scratch.pending_assets))
            cache[str(path)] = (sig, hit)
        item, problems, pending = hit
        if item.id in self.items:
            other = self.items[item.id]
            message = f"id '{item.id}' is used by {other.path} too; ids must be unique"
            self.problems.append(Problem(item.path, 1, message))
        self.items.setdefault(item.id, item)
        self.problems.extend(problems)
        self.pending_assets.extend(pending)
        return item

    def _add_item(self, path: Path) -> Item:
        display = self.rel(path)
        item_id = path.stem
        loaded = load_file(path, display)
        problems = loaded.problems
        if not ID_RE.match(item_id):
            problems.add(
                1, f"file name '{path.name}' must be lower-case letters, digits and hyphens (it is the id)"
            )
        if item_id in self.items:
            other = self.items[item_id]
            problems.add(1, f"id '{item_id}' is used by {other.path} too; ids must be unique")
        item = Item(item_id, "", display, loaded)
        data = loaded.data
        if data is not None and not isinstance(data, dict):
            problems.add(1, "a quiz or scenario file must be a mapping with 'kind:' at the top")
        elif isinstance(data, dict):
            kind = data.get("kind")
            if kind is None:
                problems.add(1, "missing required key 'kind' (quiz or scenario)")
            elif kind not in KINDS:
                problems.add(loaded.line(("kind",)), f"'kind' must be quiz or scenario, got {kind!r}")
            else:
                item.kind = kind
                model_cls = KINDS[kind]
                try:
                    model = model_cls.model_validate(data)
                except ValidationError as exc:
                    errors.translate(exc, loaded)
                    model = None
                (checks.check_quiz if kind == "quiz" else checks.check_scenario)(loaded)
                if kind == "scenario":
                    checks.check_meter_starts(loaded)  # a warning only (issue 9 item 6)
                author_checks.check_item(loaded, kind, self.feedback_warnings)
                author_checks.group_causes(loaded, kind)
                if kind == "quiz":  # "all of the above" under shuffle, in the course's language
                    quiz_checks.check_pins(loaded, data, quiz_checks.theme_language(self.root))
                    quiz_checks.check_multiple_hint(loaded, data)  # the template says it already
                self.check_links(loaded)
                self.check_fields(loaded, item_id)
                if model is not None and not any(p.is_error for p in problems):
                    item.model = model
                    canon = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
                    item.version = hashlib.sha256(canon.encode()).hexdigest()[:10]
                    # a file without errors needs no line map any more: on a large course it is
                    # a third of the memory the loaded course takes
                    loaded.lines = {(): loaded.lines.get((), 1)}
                    if self.lean:
                        item.release()
        self.items.setdefault(item_id, item)
        self.problems.extend(problems)
        return item

    def check_links(self, loaded: Loaded) -> None:
        """Links from quiz/scenario text to lesson pages are written relative to the docs folder."""
        if not loaded.may_link:
            return

        def walk(value: Any, path: tuple) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, path + (k,))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    walk(v, path + (i,))
            elif isinstance(value, str) and ".md" in value:
                for match in MD_LINK_RE.finditer(value):
                    target = match.group(1)
                    if "://" in target:
                        continue
                    if (self.docs_dir / target.lstrip("/")).is_file():
                        if match.group(2) and len(match.group(2)) > 1:  # checked with the lessons' links
                            anchor = urllib.parse.unquote(match.group(2)[1:])
                            self.yaml_anchors.append((loaded.path, loaded.line(path), target, anchor))
                    else:
                        if self._md_pages is None:
                            self._md_pages = sorted(
                                p.relative_to(self.docs_dir).as_posix() for p in self.docs_dir.rglob("*.md")
                            )
                        docs = self.rel(self.docs_dir)
                        loaded.problems.add(
                            loaded.line(path),
                            f"link to '{target}', which is not a page in {docs}/ (links in course files are "
                            f"relative to that folder){page_hint(target, '', self._md_pages)}",
                        )

        walk(loaded.data, ())

    def check_fields(self, loaded: Loaded, item_id: str) -> None:
        """Every text field: safe to render (the renderer's guard, and in ``course check`` the
        real renderer under a time budget), and its images and files exist (issue 10 items 6, 9)."""
        from .md_adapter import guard
        from .render import check_render

        def walk(value: Any, path: tuple) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, path + (k,))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    walk(v, path + (i,))
            elif isinstance(value, str) and value:
                problem = check_render(value) if self.render_check else guard(value)
                if problem:
                    key = next((k for k in reversed(path) if isinstance(k, str)), "")
                    loaded.problems.add(loaded.line(path), f"'{key}': {problem}" if key else problem)
                    return
                if "](" in value or "<" in value:
                    for ref in refs(value, skip_code=True):
                        _, kind, target = ref
                        here = resolve("", target)
                        if here.startswith("../") or not (self.docs_dir / here).exists():
                            severity = ref.severity  # builder/asset_refs.Ref
                            self.pending_assets.append(
                                (item_id, loaded.path, loaded.line(path), kind, target, severity)
                            )

        walk(loaded.data, ())

    def scan_pages(self) -> None:
        """Find every embed line in the lessons (outside fenced code)."""
        if not self.docs_dir.is_dir():
            self.problems.append(Problem(self.rel(self.docs_dir), 1, "the content folder does not exist"))
            return
        pages = sorted(self.docs_dir.rglob("*.md"))
        if not pages:
            self.problems.append(
                Problem(self.rel(self.docs_dir), 1, "the content folder has no Markdown pages")
            )
        for page in pages:
            src = page.relative_to(self.docs_dir).as_posix()
            self.pages.append(src)
            if ITEM_CACHE is None:
                found = self._scan_page(page, src)
            else:  # `mkdocs serve`: a lesson unchanged since the last build is not read again
                stat = page.stat()
                sig = (stat.st_mtime_ns, stat.st_size, "page", str(self.docs_dir))
                kept = ITEM_CACHE.get(str(page))
                found = kept[1] if kept is not None and kept[0] == sig else None
                if found is None:
                    found = self._scan_page(page, src)
                    ITEM_CACHE[str(page)] = (sig, found)
            problems, unsafe, embeds, links = found
            self.problems.extend(problems)
            if links:
                self.page_links[src] = links
            if unsafe:
                self.unsafe_pages.setdefault(src, []).extend(unsafe)
            for embed in embeds:
                (self.maps if embed.kind == MAP else self.embeds).append(embed)

    def _scan_page(self, page: Path, src: str) -> tuple[list, list, list, list]:
        """One lesson's (problems, problems that make it unsafe to render, embed lines, links to
        lessons and headings: ``lesson_links.page_links``)."""
        display = self.rel(page)
        problems: list[Problem] = []
        unsafe: list[Problem] = []
        embeds: list[Embed] = []
        links: list = []
        raw = page.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:  # MkDocs would stop with a traceback on this page
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            message = f"byte 0x{raw[exc.start]:02x} at column {col} is not UTF-8; save the file as UTF-8"
            problems.append(Problem(display, line, message))
            return problems, unsafe, embeds, links
        for line, message in page_problems(text):
            problems.append(Problem(display, line, message))
            unsafe.append(Problem(display, line, message))
        for line, message in layout_problems(text):
            problems.append(Problem(display, line, message, "warning"))
        for line, message in lesson_placeholders(text):
            problems.append(Problem(display, line, message, "warning"))
        if ":::" in text:
            found = list(directives(text))
            embeds.extend(scan_embeds(text, src, display, found))
            problems.extend(embed_mistakes(text, src, display, found))
        if "](" in text or "<" in text:
            here = posixpath.dirname(src)
            for ref in refs(text, skip_code=True):
                line, kind, target = ref
                path = resolve(here, target)
                if path.startswith("../") or not (self.docs_dir / path).exists():
                    problems.append(
                        Problem(
                            display,
                            line,
                            f"{kind} '{target}' not found: there is no {self.rel(self.docs_dir)}/{path}",
                            ref.severity,
                        )
                    )
        if "](" in text or "]:" in text:
            links.extend(page_links(text))
        return problems, unsafe, embeds, links

    # ------------------------------------------------------------ links between lessons

    def heading_ids(self, src: str) -> list[str] | None:
        """Ids a link may point to on page ``src`` (docs-relative): its headings' ids as the build
        makes them, then ids written by hand; None when the page cannot be read."""
        if src in self._ids:
            return self._ids[src]
        from .md_adapter import heading_ids, toc_settings

        if self._toc is None:
            self._toc = toc_settings()
            if "slugify" not in self._toc and self.config_file and self.config_file.is_file():
                try:
                    text = self.config_file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    text = ""
                self._toc = {**toc_from_config(text), **self._toc}
        try:
            text = (self.docs_dir / src).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            self._ids[src] = None
            return None
        ids = heading_ids(text, self._toc)
        ids += sorted(hand_ids(text) - set(ids))
        self._ids[src] = ids
        return ids

    def check_page_links(self) -> None:
        """Every link from a lesson to a lesson or a heading goes somewhere (issue 12)."""
        pages = set(self.pages)
        docs = self.rel(self.docs_dir)
        for src, links in self.page_links.items():
            here = posixpath.dirname(src)
            display = self.rel(self.docs_dir / src)
            for line, target, path, anchor in links:
                where = resolve_link(here, path) if path else src
                if path and not (self.docs_dir / where).is_file():
                    message = missing_page(target, path, here, self.pages, docs)
                    self.problems.append(Problem(display, line, message))
                    continue
                if not anchor or where not in pages:
                    continue
                if path and author_checks._ignored(where, self.exclude_docs):
                    continue  # not published here: MkDocs leaves the link as written
                where = _same_language(src, where, pages)
                ids = self.heading_ids(where)
                if ids is None or anchor in ids:
                    continue
                message = missing_anchor(target, anchor, self.rel(self.docs_dir / where), ids)
                self.problems.append(Problem(display, line, message, "warning"))
        for shown, line, target, anchor in self.yaml_anchors:
            where = posixpath.normpath(target.lstrip("/"))
            if where not in pages or author_checks._ignored(where, self.exclude_docs):
                continue
            ids = self.heading_ids(where)
            if ids is not None and anchor not in ids:
                message = missing_anchor(f"{target}#{anchor}", anchor, self.rel(self.docs_dir / where), ids)
                self.problems.append(Problem(shown, line, message, "warning"))

    def cross_check(self) -> None:
        pages_of: dict[str, list[str]] = {}
        for embed in self.embeds:
            pages_of.setdefault(embed.id, []).append(embed.page)
        docs = self.rel(self.docs_dir)
        for item_id, path, line, kind, target, severity in self.pending_assets:
            clean = resolve("", target)
            old = sorted(
                {resolve(posixpath.dirname(page), target) for page in pages_of.get(item_id, [])
                 if (self.docs_dir / resolve(posixpath.dirname(page), target)).exists()}
            )  # fmt: skip
            if old and not clean.startswith("../"):
                self.problems.append(Problem(
                    path, line,
                    f"{kind} '{target}' is relative to the embedding page; paths in course files are "
                    f"relative to {docs}/: write '{old[0]}'", "warning",
                ))  # fmt: skip
            else:
                self.problems.append(Problem(
                    path, line,
                    f"{kind} '{target}' not found: there is no {docs}/{clean} (images and files in course "
                    f"files are relative to {docs}/, like links to lessons)", severity,
                ))  # fmt: skip
        for embed in self.maps:
            item = self.items.get(embed.id)
            if item is None or (item.kind and item.kind != "scenario"):
                what = (
                    f"no scenario file {self.rel(self.quizzes_dir)}/{embed.id}.yml"
                    if item is None
                    else f"'{embed.id}' is a {item.kind}, not a scenario"
                )
                self.problems.append(
                    Problem(embed.path, embed.line, f"cannot draw the map of scenario '{embed.id}': {what}")
                )
        used = set()
        for embed in self.embeds:
            used.add(embed.id)
            item = self.items.get(embed.id)
            if item is None:
                known = sorted(self.items)
                import difflib

                near = difflib.get_close_matches(embed.id, known, n=1, cutoff=0.6)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                self.problems.append(
                    Problem(
                        embed.path,
                        embed.line,
                        f"{embed.kind} '{embed.id}' does not exist: no file {self.rel(self.quizzes_dir)}/{embed.id}.yml{hint}",
                    )
                )
            elif item.kind and item.kind != embed.kind:
                self.problems.append(
                    Problem(
                        embed.path,
                        embed.line,
                        f"'{embed.id}' is a {item.kind}; embed it with '::: {item.kind} {embed.id}'",
                    )
                )
        for item in self.items.values():
            if item.id not in used and item.loaded.data is not None:
                self.problems.append(
                    Problem(
                        item.path,
                        1,
                        f"{item.kind or 'file'} '{item.id}' is not used by any lesson",
                        "warning",
                    )
                )

    # ------------------------------------------------------------ results

    @property
    def errors(self) -> list[Problem]:
        """Errors by file and line, each root cause followed by the errors that follow from it."""
        from .problem_output import ordered

        return ordered(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> list[Problem]:
        from .problem_output import ordered

        return ordered(p for p in self.problems if not p.is_error)

    def get(self, kind: str, item_id: str) -> Item | None:
        item = self.items.get(item_id)
        return item if item and item.kind == kind else None


_LANGUAGE_PAGE = re.compile(r"\.([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\.md$")


def _same_language(src: str, target: str, pages: set[str]) -> str:
    """A link from ``x.es.md`` to ``y.md`` leads, in the Spanish site, to ``y.es.md`` when there is one."""
    m = _LANGUAGE_PAGE.search(src)
    if m and not _LANGUAGE_PAGE.search(target):
        translated = f"{target[:-3]}.{m.group(1)}.md"
        if translated in pages:
            return translated
    return target


def _order(p: Problem) -> tuple:
    return (p.path, p.line, p.message)


def scan_embeds(text: str, page: str, display: str, found: list | None = None) -> list[Embed]:
    """Embed and map lines of a page, wherever Markdown allows a block (see ``builder.embeds``);
    ``kind`` is quiz, scenario or scenario-map."""
    out = []
    for d in directives(text) if found is None else found:
        embed = d.embed
        if embed:
            out.append(Embed(page, display, d.line, embed[0], embed[1]))
    return out


def embed_mistakes(text: str, page: str, display: str, found: list | None = None) -> list[Problem]:
    """Lines meant as embeds that are not: `::: quiz` without an id, `::: quizz x`, `::: Quiz x`."""
    problems = []
    for d in directives(text) if found is None else found:
        word, rest = d.word, d.rest
        kind = word.lower()
        if not word or d.embed or kind == MAP:
            continue  # a real embed or map, or some other `:::` syntax
        if kind not in ("quiz", "scenario"):
            import difflib

            close = difflib.get_close_matches(kind[:40], ["quiz", "scenario"], n=1, cutoff=0.6)
            if not close:
                continue  # some other `:::` syntax; not ours to judge
            shown = rest if len(rest) <= 60 else rest[:57] + "..."
            message = f"unknown embed '::: {word}'; write '::: {close[0]} {shown or '<id>'}'"
        elif word != kind:
            message = f"write '::: {kind}' in lower case"
        elif not rest:
            message = f"'::: {kind}' needs the id of a {kind} file: '::: {kind} <id>'"
        else:
            shown = rest if len(rest) <= 60 else rest[:57] + "..."
            message = f"'::: {kind}' takes one id (the file name without .yml), got '{shown}'"
        problems.append(Problem(display, d.line, message))
    return problems


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


__all__ = ["Course", "Item", "Embed", "Problems", "scan_embeds", "format_problems"]
