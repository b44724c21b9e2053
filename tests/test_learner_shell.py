"""Issue 9 item 9: a learner-only shell. The learners' site (mkdocs.yml) leaves out the author
guide, the HR and IT pages and the benchmarks: not in its navigation, footer links, search, progress
counts, certificate checklist or SCORM package. The handbook (handbook.yml, inheriting mkdocs.yml)
publishes them, beside the course, into another folder."""

from __future__ import annotations

import json
import zipfile

import pytest
import yaml

from builder.manifest import read_manifest
from tests.helpers import REPO, course, soup

HANDBOOK_ONLY = ("guide/", "hr/", "about/")


def test_learner_site_has_no_author_or_hr_pages(flagship_site):
    built = [p.relative_to(flagship_site).as_posix() for p in flagship_site.rglob("*.html")]
    assert not [p for p in built if p.startswith(HANDBOOK_ONLY)]
    nav = soup(flagship_site / "index.html").select_one("nav.md-nav--primary").get_text(" ")
    assert "For authors" not in nav and "For HR" not in nav and "Benchmarks" not in nav
    search = json.loads((flagship_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in search["docs"] if d["location"].startswith(HANDBOOK_ONLY)]
    sitemap = (flagship_site / "sitemap.xml").read_text(encoding="utf-8")
    assert not any(f"/{d}" in sitemap for d in HANDBOOK_ONLY)
    manifest = read_manifest(flagship_site)
    assert not [p["url"] for p in manifest["pages"] if p["url"].startswith(HANDBOOK_ONLY)]
    assert not [u for s in manifest["nav"] for u in s["pages"] if u.startswith(HANDBOOK_ONLY)]
    # footer links: the last learner page leads nowhere near the guide
    for page in ("completion.html", "progress.html"):
        footer = soup(flagship_site / page).select(".md-footer a[href]")
        assert not [a["href"] for a in footer if any(d in a["href"] for d in HANDBOOK_ONLY)]


def test_handbook_publishes_them_beside_the_course(handbook_site):
    for rel in ("guide/index.html", "guide/scenarios.html", "hr/hosting.html", "hr/accessibility.html"):
        assert (handbook_site / rel).is_file(), rel
    assert (handbook_site / "about" / "benchmarks.html").is_file()
    nav = soup(handbook_site / "guide" / "index.html").select_one("nav.md-nav--primary").get_text(" ")
    assert "For authors" in nav and "For HR and IT" in nav
    # the guide's scenario maps are drawn there, and its links to course pages resolve
    assert soup(handbook_site / "guide" / "scenarios.html").select("figure.cq-map")
    assert (handbook_site / "progress.html").is_file() and (handbook_site / "completion.html").is_file()


def test_the_handbook_inherits_and_writes_elsewhere():
    config = yaml.safe_load((REPO / "handbook.yml").read_text(encoding="utf-8"))
    assert config["INHERIT"] == "mkdocs.yml"
    assert config["site_dir"] not in ("site", "site/") and not config["site_dir"].startswith("site/")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "handbook.yml" in readme and "site-handbook/" in readme and "content/guide/" in readme


@pytest.mark.browser
def test_progress_and_certificate_count_learner_pages_only(flagship_server, page):
    page.goto(flagship_server.url + "progress.html")
    page.wait_for_selector(".cq-summary")
    text = page.locator(".cq-progress").inner_text()
    assert "For authors" not in text and "For HR" not in text and "Author guide" not in text
    page.goto(flagship_server.url + "completion.html")
    page.wait_for_selector("[data-requirements]")
    checklist = page.locator(".cq-completion").inner_text()
    assert "guide" not in checklist.lower()
    assert page.watch.errors == []


def test_scorm_package_holds_no_author_or_hr_pages(tmp_path):
    out = tmp_path / "course.zip"
    result = course("package", "--scorm", str(out), cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    names = zipfile.ZipFile(out).namelist()
    assert "index.html" in names
    assert not [n for n in names if n.startswith(HANDBOOK_ONLY)]
