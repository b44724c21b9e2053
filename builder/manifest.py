"""The course manifest: one small script every page loads (``assets/course/manifest.js``).

It tells the browser scripts what the course holds (pages, quizzes, scenarios, completion
rules) so progress, the progress page and the LMS adapter work from any folder, sub-path or
file:// without fetching JSON.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from .course import Course


def course_id(config: Any, plugin_config: Any) -> str:
    if plugin_config.get("id"):
        return str(plugin_config["id"])
    return re.sub(r"[^a-z0-9]+", "-", str(config.site_name).lower()).strip("-") or "course"


def build_manifest(config: Any, plugin_config: Any, course: Course, pages: dict[str, dict]) -> dict:
    items: dict[str, dict] = {}
    for item in sorted(course.items.values(), key=lambda i: i.id):
        if not item.ok:
            continue
        model = item.model
        entry: dict[str, Any] = {
            "kind": item.kind,
            "title": model.title,
            "version": item.version,
            "pages": [],
        }
        if item.kind == "quiz":
            entry["questions"] = len(model.questions)
            entry["pass_mark"] = model.pass_mark
        else:
            entry["nodes"] = len(model.nodes)
        items[item.id] = entry
    page_list = []
    for src, info in sorted(pages.items()):
        embedded = [e.id for e in course.embeds if e.page == src and e.id in items]
        for item_id in embedded:
            if info["url"] not in items[item_id]["pages"]:
                items[item_id]["pages"].append(info["url"])
        page_list.append({"src": src, "url": info["url"], "title": info["title"], "items": embedded})
    completion = dict(plugin_config.get("completion") or {})
    return {
        "id": course_id(config, plugin_config),
        "title": str(config.site_name),
        "version": str(plugin_config.get("version", "1")),
        "storage_key": f"course:{course_id(config, plugin_config)}:v{plugin_config.get('progress_version', 1)}",
        "pages": page_list,
        "items": items,
        "completion": completion,
    }


def write_manifest(config: Any, plugin_config: Any, course: Course | None, pages: dict[str, dict]) -> None:
    if course is None:
        return
    data = build_manifest(config, plugin_config, course, pages)
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    raw = raw.replace("<", "\\u003c")
    path = os.path.join(config.site_dir, "assets", "course", "manifest.js")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"window.COURSE_MANIFEST={raw};\n")
