"""What goes into a SCORM package (issue 11): only what learners need, and an imsmanifest.xml that
is always well-formed XML or no package at all."""

from __future__ import annotations

import json
import re
import zipfile
from xml.etree import ElementTree

import pytest

from builder.package.scorm import PackageError, check_xml
from tests.helpers import build_ok, make_project
from tests.helpers import course as course_cli

QUIZ = """kind: quiz
title: Check
questions:
  - id: one
    type: true_false
    prompt: Is this a question?
    answer: true
"""
NAV_YML = """site_name: {site_name}
docs_dir: content
use_directory_urls: false
theme:
  name: material
  custom_dir: site_overrides
plugins:
  - search
  - course:
      id: pkg-course
      quizzes_dir: quizzes
markdown_extensions:
  - course
nav:
  - Home: index.md
  - Lessons:
      - lesson.md
      - for-hr.md
  - For authors:
      - authors/guide.md
"""


def project(tmp_path, site_name: str = "Package course", extra: dict | None = None):
    files = {
        "content/index.md": "# Home\n\nStart with [the lesson](lesson.md).\n",
        "content/lesson.md": "# Lesson\n\n![Shared](authors/shared.png)\n\n::: quiz check\n",
        "content/for-hr.md": "---\naudience: hr\n---\n# Rolling the course out\n\nHR-ONLY-TEXT\n",
        "content/authors/guide.md": "---\naudience: authors\n---\n# Writing quizzes\n\nAUTHOR-ONLY-TEXT\n",
        "content/orphan.md": "# Not in the navigation\n\nORPHAN-TEXT\n",
        "content/authors/editor.png": b"\x89PNG only for authors",
        "content/authors/shared.png": b"\x89PNG also on a lesson",
        "quizzes/check.yml": QUIZ,
        **(extra or {}),
    }
    return make_project(tmp_path / "p", files, mkdocs_yml=NAV_YML.format(site_name=site_name))


def package(root, out, *flags):
    return course_cli("package", *(flags or ("--scorm",)), str(out), cwd=root, timeout=300)


def test_the_package_holds_only_what_learners_need(tmp_path):
    root = project(tmp_path)
    out = tmp_path / "course-scorm.zip"
    result = package(root, out)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        texts = {
            n: zf.read(n).decode("utf-8", "replace")
            for n in names
            if n.endswith((".html", ".js", ".json", ".css"))
        }
        manifest = zf.read("imsmanifest.xml").decode("utf-8")
    assert {"index.html", "lesson.html", "scorm.html", "assets/course/scorm.js"} <= set(names)
    assert "authors/shared.png" in names  # a learner page shows it
    for gone in (
        "for-hr.html",
        "authors/guide.html",
        "authors/editor.png",
        "orphan.html",
        "sitemap.xml",
        "sitemap.xml.gz",
    ):
        assert gone not in names, gone
    assert not [n for n in names if n.endswith(".map")]  # no source maps
    assert not [n for n, t in texts.items() if "sourceMappingURL" in t]
    for text in ("HR-ONLY-TEXT", "AUTHOR-ONLY-TEXT", "ORPHAN-TEXT"):  # not in the search index either
        assert not [n for n, t in texts.items() if text in t], text
    # no learner page links to what was left out, and the course manifest does not list it
    assert "for-hr.html" not in texts["lesson.html"] and "authors/guide.html" not in texts["index.html"]
    course_manifest = json.loads(texts["assets/course/manifest.js"].split("=", 1)[1].rstrip().rstrip(";"))
    assert sorted(p["url"] for p in course_manifest["pages"]) == ["index.html", "lesson.html"]
    listed = re.findall(r'<file href="([^"]+)"/>', manifest)
    assert sorted(listed) == sorted(n for n in names if n != "imsmanifest.xml")
    # every page loads the SCORM adapter right after progress.js; the web site never does
    for page in ("index.html", "lesson.html"):
        assert re.search(
            r'progress\.js(\?v=\w+)?"></script>\n<script src="(\.\./)*assets/course/scorm\.js(\?v=\w+)?"></script>',
            texts[page],
        )
    site = build_ok(root, tmp_path / "site")
    assert not (site / "assets" / "course" / "scorm.js").exists()
    assert "scorm.js" not in (site / "lesson.html").read_text(encoding="utf-8")


def test_pages_the_course_manifest_marks_as_not_for_learners_are_left_out(tmp_path):
    from builder.manifest import manifest_js, read_manifest
    from builder.package.learner import learner_only

    site = tmp_path / "site"
    (site / "assets" / "course").mkdir(parents=True)
    (site / "search").mkdir()
    for page in ("index.html", "lesson.html", "staff.html"):
        (site / page).write_text(f"<p>{page}</p>", encoding="utf-8")
    (site / "assets" / "app.js").write_text("let a = 1;\n//# sourceMappingURL=app.js.map\n", encoding="utf-8")
    (site / "assets" / "app.js.map").write_text("{}", encoding="utf-8")
    manifest = {
        "pages": [{"url": "index.html", "items": []}, {"url": "lesson.html", "items": []},
                  {"url": "staff.html", "items": [], "learner": False}],
        "nav": [{"title": None, "pages": ["index.html", "lesson.html", "staff.html"]}],
        "items": {},
    }  # fmt: skip
    (site / "assets" / "course" / "manifest.js").write_text(manifest_js(manifest), encoding="utf-8")
    (site / "search" / "search_index.json").write_text(
        json.dumps(
            {"config": {}, "docs": [{"location": "staff.html#x", "text": "s"}, {"location": "lesson.html"}]}
        )
    )
    removed = learner_only(site)
    assert set(removed) == {"assets/app.js.map", "staff.html"}
    assert not (site / "staff.html").exists() and (site / "lesson.html").exists()
    assert (site / "assets" / "app.js").read_text() == "let a = 1;\n"
    assert [p["url"] for p in read_manifest(site)["pages"]] == ["index.html", "lesson.html"]
    assert [
        d["location"] for d in json.loads((site / "search" / "search_index.json").read_text())["docs"]
    ] == ["lesson.html"]


@pytest.mark.parametrize("flag", ["--scorm", "--scorm2004"])
def test_characters_illegal_in_xml_never_reach_the_manifest(tmp_path, flag):
    root = project(tmp_path, site_name='"Angry\\x01 customers\\x1b & <friends>"')
    out = tmp_path / "course.zip"
    result = package(root, out, flag)
    if result.returncode:  # refusing the setting with a located error is fine too; reporting success is not
        assert re.search(r"mkdocs\.yml:\d+", result.stderr) and not out.exists(), result.stderr
        return
    with zipfile.ZipFile(out) as zf:
        manifest = zf.read("imsmanifest.xml").decode("utf-8")
    root_el = ElementTree.fromstring(manifest.encode("utf-8"))  # well-formed
    assert "\x01" not in manifest and "\x1b" not in manifest
    titles = [e.text for e in root_el.iter() if e.tag.endswith("title") and (e.text or "").strip()]
    titles += [
        e.find("{*}langstring").text
        for e in root_el.iter()
        if e.tag.endswith("}title") and e.find("{*}langstring") is not None
    ]
    assert titles and all(t == "Angry customers & <friends>" for t in titles)


def test_a_file_name_xml_cannot_hold_is_a_located_error_and_no_package(tmp_path):
    root = project(tmp_path, extra={"content/files/notes\x02.txt": "notes"})
    out = tmp_path / "course.zip"
    result = package(root, out)
    assert result.returncode == 1
    assert (
        "content/files/notes\x02.txt: the file name has a character that XML cannot hold (U+0002)"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not out.exists() and "wrote" not in result.stderr


def test_a_malformed_manifest_is_reported_at_its_line_before_zipping():
    with pytest.raises(PackageError) as err:
        check_xml('<?xml version="1.0"?>\n<manifest>\n  <title>a & b</title>\n</manifest>\n')
    assert re.match(r"imsmanifest\.xml:3:\d+: not well-formed XML", str(err.value))


def test_without_a_nav_only_the_audience_decides(tmp_path):
    from builder.package.learner import learner_overrides

    root = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n",
            "content/lesson.md": "---\naudience: learners\n---\n# Lesson\n",
            "content/staff [notes].md": "---\naudience: HR\n---\n# Staff\n",
        },
    )
    got = learner_overrides(root)
    assert "nav" not in got
    assert got["exclude_docs"].splitlines() == ["/staff\\ \\[notes\\].md"]
    assert learner_overrides(make_project(tmp_path / "q", {"content/index.md": "# Home\n"})) == {}
