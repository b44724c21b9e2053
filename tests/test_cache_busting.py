"""A republished site never mixes versions (issue 11 item 12).

Every page refers to our scripts and style sheets with ``?v=`` and a fingerprint of the file as
shipped; a change to the course changes the fingerprint of exactly the files that changed.
"""

from __future__ import annotations

import hashlib
import re

from tests.helpers import build_ok, make_project

QUIZ = """\
kind: quiz
title: Check
questions:
  - id: q1
    type: true_false
    prompt: Listening comes first.
    answer: true
"""


def references(site) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        for path, version in re.findall(
            r'(?:src|href)="(?:\.\./)*(assets/(?:course|vendor)/[^"?]+)(?:\?v=([0-9a-f]+))?"',
            page.read_text(encoding="utf-8"),
        ):
            found.setdefault(path, set()).add(version)
    return found


def test_every_reference_carries_the_fingerprint_of_the_file_it_loads(tmp_path):
    proj = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Start\n\n::: quiz check\n",
            "content/more/next.md": "# Next\n",
            "quizzes/check.yml": QUIZ,
        },
    )
    site = build_ok(proj)
    first = references(site)
    assert {"assets/course/manifest.js", "assets/course/course.js", "assets/course/course.css"} <= set(first)
    for path, versions in first.items():
        assert len(versions) == 1, (path, versions)  # every page, at any depth, the same address
        assert versions == {hashlib.sha256((site / path).read_bytes()).hexdigest()[:10]}, path

    # republish after an edit: the manifest (titles) changes, course.js does not
    (proj / "content" / "more" / "next.md").write_text("# Next steps\n", encoding="utf-8")
    second = references(build_ok(proj))
    assert second["assets/course/manifest.js"] != first["assets/course/manifest.js"]
    assert second["assets/course/course.js"] == first["assets/course/course.js"]
