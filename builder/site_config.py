"""What ``course check`` needs from mkdocs.yml without running MkDocs: the Markdown extensions
course files render with, the completion rules, and the theme features the widgets support.

The same rules run in the build (``builder.plugin``), so check and build never disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .problems import Problem

# Material features that break the widgets (issue 10 item 4), with the reason shown to authors.
# navigation.instant works: widgets start on every page change (course.js).
REFUSED_FEATURES = {
    "navigation.instant.preview": (
        "it shows other pages' content in pop-ups, where quizzes and scenarios would appear "
        "without their scripts and with duplicate ids"
    ),
}


def read_mkdocs_yml(path: Path) -> dict:
    """mkdocs.yml as plain data; tags such as ``!!python/name`` read as None."""
    import yaml

    class _Loose(yaml.SafeLoader):
        pass

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loose) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def feature_problems(config_file: str | None, features: Any) -> list[Problem]:
    """One error per refused ``theme.features`` entry, at its line of mkdocs.yml."""
    problems = []
    shown = "mkdocs.yml"
    lines: list[str] = []
    if config_file:
        shown = Path(config_file).name
        try:
            lines = Path(config_file).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
    for feature in features or []:
        if not isinstance(feature, str) or feature not in REFUSED_FEATURES:
            continue
        line = next((n for n, text in enumerate(lines, 1) if text.strip().lstrip("- ").strip() == feature), 1)
        problems.append(
            Problem(
                shown,
                line,
                f"theme feature '{feature}' is not supported by the course widgets: "
                f"{REFUSED_FEATURES[feature]}; remove it from theme.features",
            )
        )
    return problems


def check_course(root: Path, docs: str, quizzes: str):
    """Load the course as ``course check`` does: every field rendered with the build's renderer
    (the site's Markdown extensions), completion rules and theme features checked."""
    from . import md_adapter
    from .course import Course
    from .manifest import completion_problems

    cfg_path = root / "mkdocs.yml"
    data = read_mkdocs_yml(cfg_path) if cfg_path.is_file() else {}
    md_adapter.configure(data.get("markdown_extensions") or [])
    course = Course.load(root, docs, quizzes, render_check=True)
    if cfg_path.is_file():
        completion = None
        for plugin in data.get("plugins") or []:
            if isinstance(plugin, dict) and isinstance(plugin.get("course"), dict):
                completion = plugin["course"].get("completion")
        if completion is not None:
            course.problems.extend(completion_problems(str(cfg_path), completion, course))
        theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
        course.problems.extend(feature_problems(str(cfg_path), theme.get("features")))
        from .records.config import xapi_problems
        from .settings import settings_problems

        shown = course.rel(cfg_path)
        course.problems.extend(settings_problems(cfg_path, shown))  # course id, control characters (issue 11)
        for plugin in data.get("plugins") or []:
            if isinstance(plugin, dict) and isinstance(plugin.get("course"), dict):
                course.problems.extend(xapi_problems(str(cfg_path), plugin["course"].get("xapi"), shown))
    return course
