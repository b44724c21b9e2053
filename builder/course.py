"""Load a whole course once: every quiz and scenario file, every embed line in the lessons,
and every problem found in them, each with its file and line."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import checks, errors, quiz_checks
from .loader import Loaded, load_file
from .problems import Problem, Problems
from .schema import KINDS, Quiz, Scenario

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# `::: quiz <id>` or `::: scenario <id>` alone on a line (the mkdocstrings-style block directive)
EMBED_RE = re.compile(r"^ {0,3}:::[ \t]*(quiz|scenario)[ \t]+(\S+?)[ \t]*$")
# `::: scenario-map <id>` draws a scenario's map (for the author guide); not a use of the scenario
MAP_RE = re.compile(r"^ {0,3}:::[ \t]*scenario-map[ \t]+(\S+?)[ \t]*$")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# (the target excludes brackets so that a long run of `](` cannot make the search quadratic)
MD_LINK_RE = re.compile(r"\]\(\s*<?([^()\[\]\s<>#]+\.md)(#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")
YAML_SUFFIXES = (".yml", ".yaml")
# a line that looks meant as an embed but is not one: `::: quiz` without an id, `::: quizz x`, `::: Quiz x`
NEAR_EMBED_RE = re.compile(r"^ {0,3}:::[ \t]*([A-Za-z][A-Za-z_-]*)[ \t]*(.*?)[ \t]*$")


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

    # ------------------------------------------------------------ loading

    @classmethod
    def load(
        cls,
        root: Path,
        docs_dir: Path | str = "content",
        quizzes_dir: Path | str = "quizzes",
        *,
        lean: bool = False,
    ) -> Course:
        root = Path(root).resolve()
        course = cls(root, (root / docs_dir).resolve(), (root / quizzes_dir).resolve(), lean=lean)
        # Loading makes many small objects and no reference cycles: the cyclic collector would only
        # rescan the growing course again and again (about 40% of `course check` on a large course).
        collecting = gc.isenabled()
        gc.disable()
        try:
            course.load_items()
            course.scan_pages()
            course.cross_check()
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
        files = sorted(p for p in self.quizzes_dir.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
        for path in files:
            self.add_item(path)

    def add_item(self, path: Path) -> Item:
        try:
            return self._add_item(path)
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
                if kind == "quiz":  # "all of the above" under shuffle, in the course's language
                    quiz_checks.check_pins(loaded, data, quiz_checks.theme_language(self.root))
                self.check_links(loaded)
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
                    if not (self.docs_dir / target.lstrip("/")).is_file():
                        loaded.problems.add(
                            loaded.line(path),
                            f"link to '{target}', which is not a page in {self.rel(self.docs_dir)}/ "
                            "(links in course files are relative to that folder)",
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
            src, display = page.relative_to(self.docs_dir).as_posix(), self.rel(page)
            raw = page.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:  # MkDocs would stop with a traceback on this page
                line = raw[: exc.start].count(b"\n") + 1
                col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
                message = f"byte 0x{raw[exc.start]:02x} at column {col} is not UTF-8; save the file as UTF-8"
                self.problems.append(Problem(display, line, message))
                continue
            self.embeds.extend(scan_embeds(text, src, display))
            if ":::" in text:
                self.problems.extend(embed_mistakes(text, src, display))
            if "scenario-map" in text:
                self.maps.extend(scan_embeds(text, src, display, MAP_RE))

    def cross_check(self) -> None:
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
        return sorted({p for p in self.problems if p.is_error}, key=_order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.problems if not p.is_error}, key=_order)

    def get(self, kind: str, item_id: str) -> Item | None:
        item = self.items.get(item_id)
        return item if item and item.kind == kind else None


def _order(p: Problem) -> tuple:
    return (p.path, p.line, p.message)


def scan_embeds(text: str, page: str, display: str, pattern: re.Pattern = EMBED_RE) -> list[Embed]:
    """Directive lines (``pattern``: embeds, or MAP_RE for scenario maps) outside fenced code."""
    found: list[Embed] = []
    fence = ""
    for number, line in enumerate(text.splitlines(), 1):
        m = FENCE_RE.match(line)
        if m:
            marker = m.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if fence:
            continue
        m = pattern.match(line)
        if m and pattern is MAP_RE:
            found.append(Embed(page, display, number, "scenario-map", m.group(1)))
        elif m:
            found.append(Embed(page, display, number, m.group(1), m.group(2)))
    return found


def embed_mistakes(text: str, page: str, display: str) -> list[Problem]:
    """Lines meant as embeds that are not: `::: quiz` without an id, `::: quizz x`, `::: Quiz x`."""
    found = []
    for near in scan_embeds(text, page, display, NEAR_EMBED_RE):
        word, rest = near.kind, near.id
        kind = word.lower()
        if word in ("quiz", "scenario") and rest and len(rest.split()) == 1 or kind == "scenario-map":
            continue  # a real embed (or a map); EMBED_RE / MAP_RE judge those
        if kind not in ("quiz", "scenario"):
            import difflib

            close = difflib.get_close_matches(kind, ["quiz", "scenario"], n=1, cutoff=0.6)
            if not close:
                continue  # some other `:::` syntax; not ours to judge
            message = f"unknown embed '::: {word}'; write '::: {close[0]} {rest or '<id>'}'"
        elif word != kind:
            message = f"write '::: {kind}' in lower case"
        elif not rest:
            message = f"'::: {kind}' needs the id of a {kind} file: '::: {kind} <id>'"
        else:
            message = f"'::: {kind}' takes one id (the file name without .yml), got '{rest}'"
        found.append(Problem(display, near.line, message))
    return found


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


__all__ = ["Course", "Item", "Embed", "Problems", "scan_embeds", "format_problems"]
