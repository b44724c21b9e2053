"""What ``course`` subcommands need from a project's mkdocs.yml, read without MkDocs.

mkdocs.yml may hold tags such as ``!!python/name:material.extensions.emoji.twemoji``; they
are read as nothing (we never need their value), so a project that uses them still loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Project:
    """A course project: its folders and the course plugin's settings (issue 12)."""

    root: Path
    docs: str = "content"  # docs_dir, relative to root
    quizzes: str = "quizzes"  # the course plugin's quizzes_dir
    nav: Any = None  # mkdocs.yml's nav as written (None: MkDocs lists every page)
    not_in_nav: Any = ""  # MkDocs' not_in_nav patterns (gitignore style, one a line), or its matcher
    exclude_docs: Any = ""  # MkDocs' exclude_docs, the same way (pages not in this site)
    settings: dict = field(default_factory=dict)  # the course plugin's settings
    config_file: Path | None = None
    site_name: str = ""
    markdown_extensions: Any = None  # mkdocs.yml's markdown_extensions as written (course check)
    features: list = field(default_factory=list)  # theme.features
    language: str = "en"  # theme.language: picks the interface catalog (issue 14)

    @property
    def feedback_warnings(self) -> bool:
        """``feedback_warnings: false`` under the course plugin turns the missing-feedback warning off."""
        return self.settings.get("feedback_warnings", True) is not False


def _loose_load(text: str) -> Any:
    import yaml

    class _Loose(yaml.SafeLoader):
        pass

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name tags etc.
    return yaml.load(text, Loader=_Loose)


def read_project(root: Path | str) -> Project:
    """The project in ``root``; defaults when mkdocs.yml is missing or unreadable (never raises)."""
    import yaml

    root = Path(root).resolve()
    project = Project(root)
    cfg = root / "mkdocs.yml"
    if not cfg.is_file():
        return project
    project.config_file = cfg
    try:
        data = _loose_load(cfg.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return project
    if not isinstance(data, dict):
        return project
    project.docs = str(data.get("docs_dir") or project.docs)
    project.nav = data.get("nav")
    project.not_in_nav = str(data.get("not_in_nav") or "")
    project.exclude_docs = str(data.get("exclude_docs") or "")
    project.site_name = str(data.get("site_name") or "")
    project.markdown_extensions = data.get("markdown_extensions") or []
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    project.features = list(theme.get("features") or [])
    project.language = str(theme.get("language") or "en")
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("course"), dict):
            project.settings = dict(plugin["course"])
            project.quizzes = str(project.settings.get("quizzes_dir") or project.quizzes)
    return project


def check_course(project: Project, *, lean: bool = False, render_check: bool = False):
    """Load ``project``'s course with every check on; returns (course, errors, warnings).

    The one place that decides what ``course check`` reports, so the build log and the preview's
    error box (which call it through the plugin with the same settings) say the same.  Besides the
    course files: completion rules, refused theme features (issue 10), the course id and setting
    strings (issue 11) and the ``xapi:`` setting (issue 15), each at its mkdocs.yml line.
    ``render_check`` renders every author field with the build's renderer under a time budget
    (``course check``; the build renders them anyway).  The caller configures ``md_adapter``
    (the plugin from MkDocs' config; ``course check`` through :func:`configure_renderer`).
    """
    from .course import Course
    from .manifest import completion_problems
    from .messages import message_problems
    from .problem_output import ordered
    from .records.config import xapi_problems
    from .settings import settings_problems
    from .site_config import feature_problems

    course = Course.load(
        project.root,
        project.docs,
        project.quizzes,
        lean=lean,
        render_check=render_check,
        feedback_warnings=project.feedback_warnings,
        nav=project.nav,
        not_in_nav=project.not_in_nav,
        exclude_docs=project.exclude_docs,
        config_file=project.config_file,
    )
    cfg = str(project.config_file) if project.config_file else None
    course.problems.extend(completion_problems(cfg, project.settings.get("completion"), course))
    course.problems.extend(feature_problems(cfg, project.features))
    from .languages import translation_problems

    course.problems.extend(translation_problems(course))  # quizzes/<lang>/ (issue 14)
    if project.config_file:
        shown = course.rel(project.config_file)
        from .config_yaml import config_problems  # syntax slips, misspelt plugin settings (issue 12)

        course.problems.extend(config_problems(project.config_file, shown))  # not cached: INHERIT
        for other in _inheriting(project.config_file):  # handbook.yml: INHERIT: mkdocs.yml
            course.problems.extend(p for p in config_problems(other, course.rel(other)) if p.path != shown)
        course.problems.extend(_cached(settings_problems, project.config_file, shown))
        course.problems.extend(xapi_problems(cfg, project.settings.get("xapi"), shown))
        course.problems.extend(
            message_problems(cfg, shown, project.language, project.settings.get("messages"))
        )
    return course, ordered(p for p in course.problems if p.is_error), course.warnings


def _inheriting(config_file: Path) -> list[Path]:
    """The other .yml files beside ``config_file`` that start from it (``INHERIT: mkdocs.yml``)."""
    import re

    found = []
    for other in sorted(config_file.parent.glob("*.yml")):
        if other == config_file:
            continue
        try:
            head = other.read_text(encoding="utf-8-sig")[:20_000]
        except (OSError, UnicodeDecodeError):
            continue
        m = re.search(r"(?m)^INHERIT:[ \t]*['\"]?([^'\"#\n]+?)['\"]?[ \t]*(?:#.*)?$", head)
        if m and (other.parent / m.group(1).strip()).resolve() == config_file.resolve():
            found.append(other)
    return found


def _cached(check, config_file: Path, shown: str) -> list:
    """``check(config_file, shown)``, kept across the builds of one ``mkdocs serve`` while the file
    is unchanged (builder/preview.py: a 1,000-lesson nav takes a while to parse)."""
    from . import course

    cache = course.ITEM_CACHE
    if cache is None:
        return check(config_file, shown)
    try:
        stat = config_file.stat()
    except OSError:
        return check(config_file, shown)
    key = (check.__name__, str(config_file))
    sig = (stat.st_mtime_ns, stat.st_size, shown)
    kept = cache.get(key)
    if kept is None or kept[0] != sig:
        kept = cache[key] = (sig, check(config_file, shown))
    return list(kept[1])


def configure_renderer(project: Project) -> None:
    """Course files render through the safe part of the project's ``markdown_extensions``."""
    from . import md_adapter

    md_adapter.configure(project.markdown_extensions or [])
