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
    settings: dict = field(default_factory=dict)  # the course plugin's settings
    config_file: Path | None = None
    site_name: str = ""

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
    project.site_name = str(data.get("site_name") or "")
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("course"), dict):
            project.settings = dict(plugin["course"])
            project.quizzes = str(project.settings.get("quizzes_dir") or project.quizzes)
    return project


def check_course(project: Project, *, lean: bool = False):
    """Load ``project``'s course with every check on; returns (course, errors, warnings).

    The one place that decides what ``course check`` reports, so the build log and the preview's
    error box (which call it through the plugin with the same settings) say the same.
    """
    from .course import Course
    from .manifest import completion_problems
    from .problem_output import ordered

    course = Course.load(
        project.root,
        project.docs,
        project.quizzes,
        lean=lean,
        feedback_warnings=project.feedback_warnings,
        nav=project.nav,
        not_in_nav=project.not_in_nav,
        config_file=project.config_file,
    )
    extra = completion_problems(
        str(project.config_file) if project.config_file else None, project.settings.get("completion"), course
    )
    course.problems.extend(extra)
    return course, ordered(p for p in course.problems if p.is_error), course.warnings
