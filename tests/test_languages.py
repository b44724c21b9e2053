"""Language versions of one course (issue 14 item 4): mkdocs-static-i18n builds English at the
root and Spanish under es/, Spanish pages render quizzes/es/<id>.yml (English per missing file),
the switcher's links stay relative (file:// and sub-paths), progress is kept per language, and a
SCORM package holds one language."""

from __future__ import annotations

import json
import zipfile
from xml.etree import ElementTree

import pytest

from builder.manifest import read_manifest
from tests.helpers import Server, build_ok, course, make_project, soup

I18N_MKDOCS = """\
site_name: Calm course
docs_dir: content
use_directory_urls: false
theme:
  name: material
  custom_dir: site_overrides
  font: false
  language: en
plugins:
  - search
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      languages:
        - locale: en
          default: true
          name: English
          build: true
        - locale: es
          name: Español
          build: true
  - course:
      id: calm
      completion:
        pass: [calm-check]
        finish: all
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - course
nav:
  - index.md
  - lesson.md
  - other.md
"""

QUIZ_EN = """\
kind: quiz
title: "Check: staying calm"
pass_mark: 100
questions:
  - id: first
    type: single
    prompt: What do you do first?
    options:
      - text: Breathe and listen.
        correct: true
        feedback: Right.
      - text: Shout back.
        feedback: No.
"""

QUIZ_ES = """\
kind: quiz
title: "Repaso: mantener la calma"
pass_mark: 100
questions:
  - id: first
    type: single
    prompt: ¿Qué haces primero?
    options:
      - text: Respiro y escucho.
        correct: true
        feedback: Exacto.
      - text: Le grito.
        feedback: No.
"""

SCENARIO = """\
kind: scenario
title: The loud caller
start: a
nodes:
  a:
    text: She is shouting.
    choices:
      - text: Listen.
        to: b
  b:
    text: She calms down.
    ending: success
"""

FILES = {
    "content/index.md": "# Welcome\n\nStart with the lesson.\n",
    "content/index.es.md": "# Bienvenida\n\nEmpieza por la lección.\n",
    "content/lesson.md": "# Staying calm\n\nBreathe first.\n\n::: quiz calm-check\n",
    "content/lesson.es.md": "# Mantener la calma\n\nPrimero, respira.\n\n::: quiz calm-check\n",
    "content/other.md": "# Practice\n\nNot translated yet.\n\n::: scenario loud-caller\n",
    "quizzes/calm-check.yml": QUIZ_EN,
    "quizzes/es/calm-check.yml": QUIZ_ES,
    "quizzes/loud-caller.yml": SCENARIO,
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("i18n") / "course", FILES, mkdocs_yml=I18N_MKDOCS)


@pytest.fixture(scope="module")
def site(project):
    return build_ok(project)


def test_spanish_pages_use_spanish_course_files(site):
    en, es = soup(site / "lesson.html"), soup(site / "es" / "lesson.html")
    assert "Check: staying calm" in en.get_text() and "Repaso" not in en.get_text()
    assert "Repaso: mantener la calma" in es.get_text() and "¿Qué haces primero?" in es.get_text()
    assert "Check: staying calm" not in es.get_text()
    assert es.html["lang"] == "es" and en.html["lang"] == "en"
    # a page without a Spanish file falls back to English, with the English scenario
    other = soup(site / "es" / "other.html")
    assert "Not translated yet." in other.get_text() and "The loud caller" in other.get_text()


def test_switcher_links_are_relative(site):
    for page, expected in [
        (site / "lesson.html", {"en": "lesson.html", "es": "es/lesson.html"}),
        (site / "es" / "lesson.html", {"en": "../lesson.html", "es": "lesson.html"}),
    ]:
        links = {a["hreflang"]: a["href"] for a in soup(page).select("a.md-select__link[hreflang]")}
        assert links == expected, page
    # the Spanish pages read their own manifest
    scripts = [s["src"] for s in soup(site / "es" / "lesson.html").select("script[src]")]
    assert any(s.startswith("assets/course/manifest.js") for s in scripts)
    assert not any("../assets/course/manifest.js" in s for s in scripts)


def test_progress_is_kept_per_language(site):
    en, es = read_manifest(site), read_manifest(site / "es")
    assert (en["language"], es["language"]) == ("en", "es")
    assert en["storage_key"] == "course:calm:v1" and es["storage_key"] == "course:calm-es:v1"
    assert es["id"] == "calm-es"
    assert [p["url"] for p in es["pages"]] == ["es/index.html", "es/lesson.html", "es/other.html"]
    assert es["items"]["calm-check"]["title"] == "Repaso: mantener la calma"
    assert es["items"]["calm-check"]["pages"] == ["es/lesson.html"]


def test_check_accepts_translated_pages_and_files(project):
    result = course("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not in the nav" not in result.stdout + result.stderr
    assert "is used by" not in result.stdout + result.stderr


def test_a_broken_translation_is_located(tmp_path):
    files = {**FILES, "quizzes/es/calm-check.yml": QUIZ_ES.replace("correct: true", "correct: [")}
    root = make_project(tmp_path / "c", files, mkdocs_yml=I18N_MKDOCS)
    from tests.helpers import mkdocs_build

    result = mkdocs_build(root)
    assert result.returncode != 0
    assert "quizzes/es/calm-check.yml:" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_scorm_package_per_language(project, tmp_path):
    out = tmp_path / "es.zip"
    result = course("package", "--scorm", str(out), "--lang", "es", cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert "es/lesson.html" in names and "lesson.html" not in names
        assert "es/assets/course/manifest.js" in names
        launch = z.read("scorm.html").decode()
        page = z.read("es/lesson.html").decode()
        ims = ElementTree.fromstring(z.read("imsmanifest.xml"))
    # the LMS shows the Spanish title/description as Spanish (LOM langstring, newcomer trial item 3)
    langstrings = [el for el in ims.iter() if el.tag.endswith("}langstring")]
    assert langstrings and {el.get(XML_LANG) for el in langstrings} == {"es"}
    assert '<a href="es/index.html">' in launch and 'lang="es"' in launch
    assert "md-select__link" not in page  # no switcher to pages the package does not hold
    result = course("package", "--scorm", str(tmp_path / "fr.zip"), "--lang", "fr", cwd=project, timeout=300)
    assert result.returncode == 1 and "no 'fr' version" in result.stderr


def test_cmi5_package_holds_the_default_language(project, tmp_path):
    out = tmp_path / "cmi5.zip"
    result = course("package", "--cmi5", str(out), cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert "lesson.html" in names and not any(n.startswith("es/") for n in names)
        structure = ElementTree.fromstring(z.read("cmi5.xml"))
    assert {el.get("lang") for el in structure.iter() if el.tag.endswith("}langstring")} == {"en"}
    result = course("package", "--cmi5", str(tmp_path / "es.zip"), "--lang", "es", cwd=project, timeout=300)
    assert result.returncode == 1 and "--scorm course-es.zip --lang es" in result.stderr


def test_a_translation_must_keep_the_answer_key(tmp_path):
    """A translated file whose answer, id or list length differs from the English one is an error
    at its line: the Spanish learner would be marked against another key."""
    moved = QUIZ_ES.replace("        correct: true\n", "").replace(
        "      - text: Le grito.\n", "      - text: Le grito.\n        correct: true\n"
    )
    root = make_project(tmp_path / "c", {**FILES, "quizzes/es/calm-check.yml": moved}, mkdocs_yml=I18N_MKDOCS)
    result = course("check", cwd=root)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "quizzes/es/calm-check.yml:9: 'correct' differs from quizzes/calm-check.yml:10" in out, out


@pytest.mark.browser
def test_switch_language_and_answer_a_spanish_quiz(site, page):
    with Server(site, prefix="/training/calm/") as server:
        page.goto(server.url + "lesson.html")
        page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
        page.locator(".md-header__option .md-select button").hover()
        page.locator('a.md-select__link[hreflang="es"]').click()
        page.wait_for_url("**/training/calm/es/lesson.html")
        page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
        quiz = page.locator('[data-quiz="calm-check"]')
        assert "Repaso: mantener la calma" in quiz.inner_text()
        quiz.get_by_label("Respiro y escucho.").check()
        quiz.locator('button[data-action="check"]').click()
        assert "Exacto." in quiz.inner_text()
        page.screenshot(path=str(site.parent / "es-quiz-1280.png"), full_page=False)
        stores = page.evaluate(
            "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))"
        )
        es_state = json.loads(stores["course:calm-es:v1"])
        assert es_state["quizzes"]["calm-check"]
        en_state = json.loads(stores.get("course:calm:v1") or "{}")
        assert not (en_state.get("quizzes") or {}).get("calm-check")
        # back in English the quiz is not passed: a pass in one language does not count in another
        page.locator(".md-header__option .md-select button").hover()
        page.locator('a.md-select__link[hreflang="en"]').click()
        page.wait_for_url("**/training/calm/lesson.html")
        page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
        assert not page.evaluate("() => CourseProgress.itemDone('calm-check')")
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(server.url + "es/lesson.html")
        page.screenshot(path=str(site.parent / "es-quiz-390.png"), full_page=False)


def test_flagship_publishes_spanish_beside_english(flagship_site):
    """The shipped course: English at the root, Spanish under es/ with a switcher on every page;
    each translated page and quiz shows its Spanish text (issue 14 item 5)."""
    from tests.helpers import REPO

    assert (flagship_site / "es" / "index.html").is_file()
    links = {a["hreflang"]: a["href"] for a in soup(flagship_site / "index.html").select("a.md-select__link")}
    assert links == {"en": "index.html", "es": "es/index.html"}
    assert read_manifest(flagship_site / "es")["storage_key"] != read_manifest(flagship_site)["storage_key"]
    for page in sorted((REPO / "content").rglob("*.es.md")):
        rel = page.relative_to(REPO / "content").as_posix()
        if rel.split("/")[0] in ("guide", "hr", "about"):
            continue
        built = flagship_site / "es" / rel.replace(".es.md", ".html")
        heading = next(
            line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("# ")
        )
        assert heading[2:].strip() in soup(built).get_text(), built
    es_manifest = read_manifest(flagship_site / "es")
    for quiz in sorted((REPO / "quizzes" / "es").glob("*.yml")):
        import yaml

        title = yaml.safe_load(quiz.read_text(encoding="utf-8"))["title"]
        for url in es_manifest["items"][quiz.stem]["pages"]:
            assert title.split("*")[0].strip() in soup(flagship_site / url).get_text(), (quiz.name, url)


@pytest.mark.browser
def test_spanish_scorm_package_plays_in_spanish(site, page, tmp_path):
    """The Spanish package in the scorm-again test LMS: it opens the Spanish home page, a Spanish
    quiz passed is reported under the Spanish course."""
    import shutil

    from builder.package.language import one_language
    from builder.package.learner import learner_only
    from builder.package.scorm import prepare
    from tests.test_scorm import JS, SCORM_AGAIN, course_frame, launch, values

    www = tmp_path / "www"
    shutil.copytree(site, www / "pkg")
    learner_only(www / "pkg")
    one_language(www / "pkg", "es")
    prepare(www / "pkg", "1.2")
    for name in ("lms.html", "lms.js", "lms-start.js"):
        shutil.copy(JS / name, www / name)
    shutil.copy(SCORM_AGAIN, www / "scorm12.min.js")
    shutil.copy(SCORM_AGAIN.with_name("scorm2004.min.js"), www / "scorm2004.min.js")
    with Server(www, prefix="/lms/") as server:
        launch(page, server.url)
        frame = course_frame(page)
        assert frame.url.endswith("/pkg/es/index.html")
        frame.goto(server.url + "pkg/es/lesson.html")
        frame = course_frame(page)
        frame.wait_for_function("() => window.CourseProgress && CourseProgress.state")
        quiz = frame.locator('[data-quiz="calm-check"]')
        quiz.get_by_label("Respiro y escucho.").check()
        quiz.locator('button[data-action="check"]').click()
        assert "Exacto." in quiz.inner_text()
        assert frame.evaluate("() => CourseProgress.itemDone('calm-check')")
        page.wait_for_function("() => lmsValues['cmi.core.lesson_location'] === 'es/lesson.html'")
        assert values(page)["cmi.core.lesson_status"] == "incomplete"  # the scenario is still to do
        assert values(page)["cmi.suspend_data"]


@pytest.mark.parametrize("lang", [None, "es"])
def test_one_language_package_searches_only_its_own_pages(flagship_site, tmp_path, lang):
    """A package holds one language: its search finds none of the other language's pages (they are not
    in the package) and the search worker loads only that language's stemmer."""
    import json
    import shutil

    from builder.package.language import one_language

    pkg = tmp_path / "pkg"
    shutil.copytree(flagship_site, pkg)
    one_language(pkg, lang)
    for name in ("search_index.json", "search_index.js"):
        text = (pkg / "search" / name).read_text(encoding="utf-8")
        index = json.loads(text[text.find("{") : text.rfind("}") + 1])
        assert index["config"]["lang"] == [lang or "en"], name
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        assert pages, name
        missing = sorted(
            p for p in pages if p and not (pkg / p).is_file() and not (pkg / p / "index.html").is_file()
        )
        assert missing == [], (name, missing[:5])
        assert all(p.startswith("es/") for p in pages) == (lang == "es"), name
