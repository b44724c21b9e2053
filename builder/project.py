"""The project's folders as mkdocs.yml names them, read without MkDocs (issue 17: Zensical builds).

``project_settings(root)`` -> ``{"docs_dir": str, "quizzes_dir": str, "course": dict}``, where
``course`` is the ``course`` plugin's settings (id, version, completion, xapi, ...) or ``{}``.
A missing or unreadable mkdocs.yml gives the defaults (``content``, ``quizzes``); the build itself
reports a broken mkdocs.yml at its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data; tags such as ``!!python/name`` or ``!ENV`` read as None."""
    import yaml

    class _Loose(yaml.SafeLoader):
        pass

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loose) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def project_settings(root: Path) -> dict[str, Any]:
    data = read_mkdocs_yml(Path(root) / "mkdocs.yml")
    course: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("course"), dict):
            course = plugin["course"]
    return {
        "docs_dir": str(data.get("docs_dir") or "content"),
        "quizzes_dir": str(course.get("quizzes_dir") or "quizzes"),
        "course": course,
        "config": data,
    }
