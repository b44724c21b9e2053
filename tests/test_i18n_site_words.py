"""A language version's site words come from its mkdocs-static-i18n entry: the progress page's
section headings (manifest nav titles, from nav_translations) and the footer line (copyright)
(newcomer trial item 2)."""

from __future__ import annotations

import pytest

from builder.manifest import read_manifest
from tests.helpers import build_ok, make_project, soup
from tests.test_languages import FILES, I18N_MKDOCS

MKDOCS = (
    I18N_MKDOCS.replace("copyright:", "")
    .replace(
        """          name: Español
          build: true
""",
        """          name: Español
          build: true
          copyright: Texto escrito para este curso.
          nav_translations:
            Lessons: Lecciones
            Practice: Práctica
""",
    )
    .replace(
        """nav:
  - index.md
  - lesson.md
  - other.md
""",
        """copyright: Course text written for this course.
nav:
  - index.md
  - Lessons:
      - lesson.md
  - Practice:
      - other.md
""",
    )
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_ok(make_project(tmp_path_factory.mktemp("words") / "c", FILES, mkdocs_yml=MKDOCS))


def test_progress_sections_use_the_translated_nav_titles(site):
    en = [s["title"] for s in read_manifest(site)["nav"]]
    es = [s["title"] for s in read_manifest(site / "es")["nav"]]
    assert en == [None, "Lessons", "Practice"]
    assert es == [None, "Lecciones", "Práctica"]


def test_footer_line_is_the_language_versions_own(site):
    assert "Course text written for this course." in soup(site / "lesson.html").get_text()
    es = soup(site / "es" / "lesson.html").get_text()
    assert "Texto escrito para este curso." in es and "Course text written" not in es


def test_each_language_version_has_its_own_404_page(site):
    en, es = soup(site / "404.html"), soup(site / "es" / "404.html")
    assert en.html["lang"] == "en" and "Page not found" in en.h1.get_text()
    assert es.html["lang"] == "es" and "Página no encontrada" in es.h1.get_text()
    assert "No hay ninguna página en esta dirección" in es.get_text()
    assert "Not found" not in es.get_text()
    # its addresses are the site root's, found by the same script as the root's 404 page
    assert "window.__cq_root" in (site / "es" / "404.html").read_text(encoding="utf-8")
