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
