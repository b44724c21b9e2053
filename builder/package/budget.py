"""The worst-case size of a learner's SCORM record (``cmi.suspend_data``) for a course.

The browser side (builder/package/scorm.js, format ``c2``) writes whole records only,
within the runtime's limit: SCORM 1.2's ``cmi.suspend_data`` is a CMIString4096 (4,096 characters,
SCORM 1.2 RTE 3.4.4), SCORM 2004's a characterstring of 64,000 (SCORM 2004 4th ed. RTE 4.2.23).
It keeps completion-relevant results first (the quizzes and scenarios in ``completion``), then the
other quiz and scenario results, then the pages visited; fields it does not know (added by newer
widgets) go last and are the first to be dropped. This module mirrors the format's sizes so that
``course package`` can warn (issue 11) when a learner who has done everything might not fit. The
limit belongs to the SCORM package, not to the web site: ``mkdocs build`` (even ``--strict``) says
nothing about it.
"""

from __future__ import annotations

import math

SCORM12_LIMIT = 4096
SCORM2004_LIMIT = 64000
BUCKETS = 16
HEADER = len("c2|") + 6 + 1 + 6 + 1 + 1  # tag, last activity and completion time (base 36 s), "|"s
RECORD = 3  # characters per quiz or scenario record
BUCKET = 1 + 2  # bucket number + layout check


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, as scorm.js computes it."""
    x = 2166136261
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        x = ((x ^ (data[i] | data[i + 1] << 8)) * 16777619) & 0xFFFFFFFF
    return x


def _buckets(names: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[] for _ in range(BUCKETS)]
    for name in sorted(names):
        out[fnv1a(name) % BUCKETS].append(name)
    return out


def worst_case(manifest: dict, limit: int = SCORM12_LIMIT) -> dict:
    """Size of the record of a learner who has tried every quiz and scenario and visited every
    page, and what would be dropped to stay within ``limit`` characters.

    Returns ``{"size": int, "limit": int, "dropped": {"completion results": n, "other results": n,
    "page groups": n}}`` (characters; counts of records or page groups that would not fit)."""
    items = manifest.get("items", {})
    completion = manifest.get("completion") or {}
    must = set(completion.get("pass") or []) | set(completion.get("finish") or [])
    if completion.get("assessment"):
        must.add(completion["assessment"])
    item_buckets = _buckets(list(items))
    page_buckets = _buckets([p["url"] for p in manifest.get("pages", [])])
    where = {i: b for b, ids in enumerate(item_buckets) for i in ids}

    used = [b for b in item_buckets if b]
    pages = [b for b in page_buckets if b]
    size = HEADER + sum(BUCKET + RECORD * len(b) for b in used) + max(0, len(used) - 1)
    size += sum(BUCKET + math.ceil(len(b) / 6) for b in pages) + max(0, len(pages) - 1)

    # what the course drops first, in its order: records by priority, then page groups
    dropped = {"completion results": 0, "other results": 0, "page groups": 0}
    total, opened = HEADER, set()
    ordered = sorted(items, key=lambda i: (i not in must, i))
    for item_id in ordered:
        cost = RECORD + (0 if where[item_id] in opened else BUCKET + 1)
        if total + cost > limit:
            dropped["completion results" if item_id in must else "other results"] += 1
            continue
        total += cost
        opened.add(where[item_id])
    for bucket in pages:
        cost = BUCKET + math.ceil(len(bucket) / 6) + 1
        if total + cost > limit:
            dropped["page groups"] += 1
            continue
        total += cost
    return {"size": size, "limit": limit, "dropped": dropped}


def budget_warnings(manifest: dict, limit: int = SCORM12_LIMIT) -> list[str]:
    """One warning when the worst case does not fit in ``limit``; none otherwise."""
    got = worst_case(manifest, limit)
    if got["size"] <= limit:
        return []
    lost = ", ".join(f"{n} {what}" for what, n in got["dropped"].items() if n) or "nothing that counts"
    return [
        f"SCORM: a learner who has done everything needs up to {got['size']:,} characters of "
        f"cmi.suspend_data, more than SCORM 1.2's {limit:,}; in that case the LMS record keeps "
        f"completion results first and drops {lost} (their progress on other computers). "
        "A SCORM 2004 package (course package --scorm2004) allows 64,000 characters."
    ]


def report_budget(root, manifest: dict, limit: int = SCORM12_LIMIT, config: str = "mkdocs.yml") -> list[str]:
    """Print (stderr) and return ``budget_warnings`` located as ``mkdocs.yml:line: warning: …`` at
    the course plugin's ``completion:`` setting (or its entry), which decides what is kept first.
    ``root``: the project folder (a ``pathlib.Path``); ``config``: its settings file's name."""
    import sys

    from ..settings import _shown, course_setting_line

    path = root / config
    where = f"{_shown(path)}:{course_setting_line(path, 'completion')}"
    lines = [f"{where}: warning: {message}" for message in budget_warnings(manifest, limit)]
    for line in lines:
        print(line, file=sys.stderr)
    return lines
