"""End-to-end builds of small fixture courses, checked with an HTML parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import REPO, build_ok, built_page, make_project, mkdocs_build, soup

EXTERNAL = re.compile(
    r"""(?:src|href|action|poster|data)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""", re.I
)
CSS_EXTERNAL = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("basic") / "p", fixture="basic")
    return build_ok(project)


def test_quiz_page_has_the_dom_contract(basic_site):
    page = soup(basic_site / "index.html")
    quiz = page.select_one('[data-quiz="sample"]')
    assert quiz is not None
    assert [q["data-question"] for q in quiz.select("[data-question]")] == [
        "first-response", "pick-two", "tf", "word", "steps",
    ]  # fmt: skip
    for control in quiz.select("input, select"):
        assert control.find_parent("label") is not None, f"{control} is not inside its label"
    tf = quiz.select_one('[data-question="tf"]')
    labels = [label.get_text(" ", strip=True) for label in tf.select("label")]
    assert labels == ["True", "False"]
    assert quiz.select_one('[data-question="word"] input[type="text"]') is not None
    assert quiz.select_one('button[data-action="check"]') is not None
    assert quiz.select_one('button[data-action="retry"]') is not None
    assert quiz.select_one("[data-quiz-result]") is not None


def test_questions_are_readable_without_javascript(basic_site):
    text = " ".join(soup(basic_site / "index.html").select_one("[data-quiz]").get_text().split())
    assert "A customer shouts at you. What do you do first?" in text
    assert "Let them finish, then speak calmly" in text
    assert "needs JavaScript" in text


def test_our_assets_are_linked_relatively(basic_site):
    page = soup(basic_site / "index.html")
    scripts = [s["src"] for s in page.select("script[src]")]
    paths = [s.split("?", 1)[0] for s in scripts]  # ?v=<content hash>: cache busting (issue 11 item 12)
    assert "assets/course/course.js" in paths and "assets/course/quiz.js" in paths
    assert all(not s.startswith(("/", "http")) for s in scripts), scripts
    assert (basic_site / "assets/course/manifest.js").read_text().startswith("window.COURSE_MANIFEST=")


def _external_references(site: Path) -> list[str]:
    found = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            # links the learner may click (a href) to other sites are allowed; loads are not
            text = re.sub(r"<a\s[^>]*>", "", text)
            pattern = CSS_EXTERNAL if path.suffix == ".css" else EXTERNAL
            found += [f"{path.relative_to(site)}: {m.group(0)}" for m in pattern.finditer(text)]
    return found


def test_built_site_references_no_other_host(basic_site):
    assert _external_references(basic_site) == []


def test_flagship_references_no_other_host(flagship_site):
    assert _external_references(flagship_site) == []
    html = (flagship_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "unpkg.com" not in html


def test_flagship_builds_and_every_module_has_its_quiz(flagship_site):
    for name in sorted((REPO / "content" / "modules").glob("*.md")):  # English and Spanish
        page = soup(flagship_site / built_page(name.relative_to(REPO / "content")))
        assert page.select("[data-quiz]"), f"{name.name} has no quiz in the built page"


def test_failed_build_keeps_the_last_good_site(tmp_path):
    project = make_project(tmp_path / "p", fixture="basic")
    site = build_ok(project)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    quiz = project / "quizzes" / "sample.yml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 75", "pass_mark: [x]"))
    result = mkdocs_build(project)
    assert result.returncode == 1
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not (project / "site.building").exists()


def test_plain_markdown_extension_config_in_mkdocs_yml_is_enough(tmp_path):
    """The extension can be listed by its dotted path too, as in any Python-Markdown tool."""
    project = make_project(tmp_path / "p", fixture="basic")
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  - course\n", "  - builder.markdown_ext\n"))
    site = build_ok(project)
    assert soup(site / "index.html").select_one('[data-quiz="sample"]') is not None
