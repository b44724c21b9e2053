"""Interface in the course's language, in the browser (issue 14).

``theme.language: es``, ``fr`` and ``de`` builds of a course with no English author text are driven
through every widget state (quiz: unanswered error summary, checked and failed, try again, passed,
retake; scenario: choices, a meter at its lowest, an ending with recap, best path and endings list,
back and restart; the home page's start/resume button; the progress page; the completion checklist
and the certificate), and all the text a learner can see or hear (text, aria-label, aria-valuetext
and the messages kept in data attributes) is scanned for the English catalog's messages.
An ``ar`` build (right to left) passes axe and the keyboard tests.
"""

from __future__ import annotations

import json
import re

import pytest

from builder.messages import AUTHOR_ONLY, Catalog, english
from tests.helpers import REPO, Server, build_ok
from tests.i18n_project import neutral_project
from tests.test_accessibility import (
    answer_quiz,
    assert_no_violations,
    play,
    quiz_answers,
    scenario_data,
    scenario_route,
)

pytestmark = pytest.mark.browser

# every text a learner meets inside the page's content: text nodes (hidden ones too: they show in
# another state) and the attributes read aloud or shown later; scripts and templates are data
TEXT_JS = r"""
() => {
  const out = [], attrs = ['aria-label', 'aria-valuetext', 'title', 'placeholder', 'alt', 'data-empty',
    'data-exported', 'data-loaded', 'data-reset', 'data-wrong', 'data-other', 'data-unreadable'];
  const walk = (n) => {
    if (n.nodeType === 3) { out.push(n.nodeValue); return; }
    if (n.nodeType !== 1 || ['SCRIPT', 'TEMPLATE', 'STYLE', 'svg'].includes(n.tagName)) return;
    for (const a of attrs) if (n.hasAttribute(a)) out.push(n.getAttribute(a));
    for (const pseudo of ['::before', '::after']) {  // words written by CSS
      const c = getComputedStyle(n, pseudo).content;
      if (c && c !== 'none' && c !== 'normal' && /[A-Za-z]/.test(c)) out.push(c.replace(/^"|"$/g, ''));
    }
    if (n.tagName === 'SELECT') for (const o of n.options) out.push(o.text);
    for (const c of n.childNodes) walk(c);
  };
  walk(document.querySelector('.md-content'));
  const nav = document.querySelector('.md-nav--primary');  // the ticks on read pages
  if (nav) walk(nav);
  const menu = document.querySelector('label[for="__drawer"] .cq-visually-hidden');
  if (menu) out.push(menu.textContent);
  return out.join('\n');
}
"""

NUMERIC = {"n", "count", "total", "found", "score", "max", "percent", "pass_mark", "value", "min", "diff",
           "read", "read_total", "quizzes", "quiz_total", "scenarios", "scenario_total", "pages",
           "page_total", "done", "best"}  # fmt: skip


def english_patterns(lang: str) -> list[tuple[str, re.Pattern]]:
    """A pattern per English message (each plural form) that the ``lang`` catalog words otherwise."""
    own = Catalog(lang).messages
    out = []
    for key, message in english().items():
        if key.startswith(AUTHOR_ONLY):
            continue  # the preview's error box and `course review`: never in a learner's page (test_review_i18n)
        forms = (
            [v for k, v in message.items() if not k.startswith("_")]
            if isinstance(message, dict)
            else [message]
        )
        theirs = own[key]
        their_forms = (
            {v for k, v in theirs.items() if not k.startswith("_")} if isinstance(theirs, dict) else {theirs}
        )
        for form in forms:
            if form in their_forms:
                continue  # the same words in both languages (de "Quiz: {title}")
            parts = re.split(r"(\{[a-z_]+\})", form)
            literal = "".join(p for p in parts if not p.startswith("{"))
            if len(re.findall(r"[A-Za-z]", literal)) < 3:
                continue  # "{n}th", "{found} of {total}" are checked through their sentences
            rx = "".join(
                (r"\d[\d.,\s%]*" if p[1:-1] in NUMERIC else r".+?")
                if p.startswith("{")
                else re.escape(p.strip())
                if p.strip() == p or not p.strip()
                else r"\s*" + re.escape(p.strip()) + r"\s*"
                for p in parts
                if p
            )
            out.append((key, re.compile(r"(?<![A-Za-z])" + rx + r"(?![A-Za-z])")))
    return out


def english_in(text: str, lang: str) -> list[str]:
    found = []
    for key, rx in english_patterns(lang):
        m = rx.search(text)
        if m:
            found.append(f"{key}: {m.group(0)!r}")
    return found


@pytest.fixture(scope="module", params=["es", "fr", "de"])
def language_server(request, tmp_path_factory):
    project = neutral_project(tmp_path_factory.mktemp(f"i18n-{request.param}") / "p", request.param)
    site = build_ok(project)
    with Server(site) as server:
        server.language = request.param
        yield server


def answer_rest_wrong(page) -> None:
    """Every question but the first answered wrong, then Check."""
    quiz = page.locator("[data-quiz]")
    for entry in quiz_answers(page, "[data-quiz]", False)[1:]:
        question = quiz.locator(f'[data-question="{entry["question"]}"]')
        for value in entry.get("check", []):
            question.locator(f'input[value="{value}"]').check()
        if "text" in entry:
            question.locator("input[type=text]").fill(entry["text"])
        for i, place in enumerate(entry.get("order", [])):
            question.locator("select").nth(i).select_option(str(place))
    quiz.locator('button[data-action="check"]').click()


def collect(page, texts: list[str], label: str) -> None:
    texts.append(f"--- {label}\n" + page.evaluate(TEXT_JS))


def test_no_english_interface_string_in_any_widget_state(language_server, browser, tmp_path):
    lang, texts = language_server.language, []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
    page = context.new_page()
    base = language_server.url

    page.goto(base + "index.html")
    page.locator('[data-action="resume"]').wait_for()
    collect(page, texts, "home, not started")
    page.goto(base + "completion.html")
    page.locator("[data-requirements] li").first.wait_for()
    collect(page, texts, "completion, incomplete")

    # quiz: unanswered, failed, try again, passed, start again
    page.goto(base + "probatio.html")
    quiz = page.locator("[data-quiz]")
    quiz.locator('[data-action="check"]').click()
    page.locator("[data-quiz-errors]:not([hidden])").wait_for()
    collect(page, texts, "quiz, error summary")
    # the order question with one place given twice: its own error
    order = quiz.locator('[data-question="quinque"] select')
    order.nth(0).select_option("1")
    order.nth(1).select_option("1")
    quiz.locator('[data-action="check"]').click()
    collect(page, texts, "quiz, a place twice")
    answer_quiz(page, "[data-quiz]", False)
    collect(page, texts, "quiz, failed")
    quiz.locator('[data-action="retry"]').click()
    collect(page, texts, "quiz, try again")
    answer_quiz(page, "[data-quiz]", False)
    collect(page, texts, "quiz, failed twice (answers shown)")
    quiz.locator('[data-action="retake"]').click()
    answer_quiz(page, "[data-quiz]", True)
    page.wait_for_function("() => document.querySelector('[data-quiz]').dataset.state === 'passed'")
    collect(page, texts, "quiz, passed")
    quiz.locator('[data-action="retake"]').click()
    collect(page, texts, "quiz, started again")
    # one right answer, then "try again": that answer is kept (locked) with a note
    quiz.locator('[data-question="unus"] input[value="0"]').check()
    answer_rest_wrong(page)
    quiz.locator('[data-action="retry"]').click()
    page.locator(".cq-question--locked .cq-question__verdict:not([hidden])").first.wait_for()
    collect(page, texts, "quiz, a right answer kept")
    assert Catalog(lang).t("quiz.kept") in page.evaluate(
        "() => getComputedStyle(document.querySelector('.cq-question--locked .cq-question__verdict'), '::after').content"
    )

    # scenario: a meter at its lowest, a failure ending, back, restart, a success ending
    page.goto(base + "fabula.html")
    data = scenario_data(page, "fabula")
    play(page, "fabula", [1])
    collect(page, texts, "scenario, meter at its lowest")
    play(page, "fabula", [0])
    collect(page, texts, "scenario, failure ending")
    root = page.locator('[data-scenario="fabula"]')
    root.locator('[data-action="back"]').click()
    collect(page, texts, "scenario, one step back")
    root.locator(".cq-retry").first.click() if root.locator(".cq-retry").count() else None
    collect(page, texts, "scenario, retry from a step")
    root.locator('[data-action="restart"]').click()
    play(page, "fabula", scenario_route(data, "success"))
    collect(page, texts, "scenario, success ending with best path")
    root.locator('[data-action="restart"]').click()
    play(page, "fabula", scenario_route(data, "partial"))
    collect(page, texts, "scenario, partial ending")

    # an exam: a pool, two attempts, a time limit; its start, clock, warning, held feedback, lock, review
    page.goto(base + "examen.html")
    exam = page.locator("[data-quiz]")
    collect(page, texts, "exam, not started")
    for attempt in range(2):
        exam.locator('[data-action="start"]').click()
        page.locator("[data-quiz-clock]").wait_for()
        exam.locator('[data-action="extend"]:not([hidden])').wait_for()
        collect(page, texts, f"exam attempt {attempt + 1}, clock and warning")
        exam.locator('[data-action="extend"]').click()
        collect(page, texts, f"exam attempt {attempt + 1}, time extended")
        for entry in quiz_answers(page, "[data-quiz]", False):
            question = exam.locator(f'[data-question="{entry["question"]}"]')
            if not question.is_visible():
                continue  # not drawn this time
            for value in entry.get("check", []):
                question.locator(f'input[value="{value}"]').check()
            if "text" in entry:
                question.locator("input[type=text]").fill(entry["text"])
        exam.locator('[data-action="check"]').click()
        page.wait_for_function("() => document.querySelector('[data-quiz]').dataset.state === 'failed'")
        collect(page, texts, f"exam attempt {attempt + 1}, failed")
        if attempt == 0:
            exam.locator('[data-action="retry"]').click()
    page.locator(".cq-quiz__review-title").wait_for()
    collect(page, texts, "exam, locked with the review")

    page.goto(base + "index.html")
    page.locator('[data-action="resume"]').wait_for()
    collect(page, texts, "home, complete")
    page.goto(base + "progress.html")
    page.locator(".cq-summary").wait_for()
    collect(page, texts, "progress page")
    page.locator('[data-action="reset"]').click()
    collect(page, texts, "progress page, confirm reset")
    page.locator('[data-action="no"]').click()

    page.goto(base + "completion.html")
    page.locator('[data-when="complete"]:not([hidden])').wait_for()
    page.locator('[data-action="print"]').click()  # no name yet: the message asks for one
    collect(page, texts, "certificate, no name")
    page.locator("#cq-cert-name").fill("Gaius Iulius")
    collect(page, texts, "certificate")
    page.screenshot(path=str(tmp_path / f"certificate-{lang}.png"), full_page=True)
    date = page.locator('[data-cert="date"]').text_content()
    context.close()

    text = "\n".join(texts)
    found = english_in(text, lang)
    assert not found, f"English interface text in the {lang} build:\n" + "\n".join(found)
    # spot checks that the scan saw the states
    cat = Catalog(lang)
    for key, params in [("quiz.errors_title", {}), ("quiz.not_quite", {}), ("scenario.ask", {}),
                        ("scenario.meter_critical", {}), ("scenario.outcome.failure", {}),
                        ("scenario.your_path", {}), ("scenario.best_path", {}),
                        ("progress.page_done", {}), ("certificate.kicker", {}),
                        ("quiz.answers_shown_after", {"count": 2}), ("quiz.review.title", {}),
                        ("quiz.start_attempt", {}), ("quiz.time.extend", {}), ("quiz.attemptLeft", {})]:  # fmt: skip
        assert cat.t(key, **params) in text, key
    # the date in the course's language: Intl in the browser gives CLDR's long date, as Babel does
    from datetime import date as day
    from datetime import timedelta

    from babel.dates import format_date

    today = day.today()
    assert date in {format_date(d, format="long", locale=lang) for d in (today, today - timedelta(days=1))}, (
        date
    )


def test_the_scan_finds_english():
    """The scanner itself: English interface text is found in a Spanish page's text."""
    assert english_in("Pregunta 1 de 3. Not quite. Try step 2 again", "es")
    assert not english_in(
        Catalog("es").t("quiz.score_failed", score=1, max=5, percent=20, pass_mark=80), "es"
    )
    assert english_in("Question 2 of 5.", "fr")


# ---------------------------------------------------------------------------------------------- right to left


@pytest.fixture(scope="module")
def rtl_server(tmp_path_factory):
    """The flagship course built with ``theme.language: ar`` (the Arabic catalog, right to left)."""
    import shutil

    project = tmp_path_factory.mktemp("i18n-ar") / "p"
    project.mkdir()
    for folder in ("content", "quizzes"):
        shutil.copytree(REPO / folder, project / folder)
    for translated in [*project.glob("content/**/*.es.md"), project / "quizzes" / "es"]:
        shutil.rmtree(translated) if translated.is_dir() else translated.unlink(missing_ok=True)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^  - i18n:\n.*?(?=^  - )", "", text)  # one language, no language versions
    text = re.sub(r"(?m)^  language: \w+", "  language: ar", text)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    (project / "site_overrides").symlink_to(REPO / "site_overrides", target_is_directory=True)
    site = build_ok(project)
    with Server(site) as server:
        yield server


def test_rtl_build_is_right_to_left(rtl_server, page):
    page.goto(rtl_server.url + "practice/phone-call.html")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.cq-scenario')).direction") == "rtl"
    manifest = page.evaluate("() => window.COURSE_MANIFEST")
    assert manifest["dir"] == "rtl" and manifest["language"] == "ar"
    # meters fill from the right, the learner's reply sits on the left (the end side)
    data = scenario_data(page, "practice-phone-call")
    play(page, "practice-phone-call", scenario_route(data)[:1])
    bar = page.locator(".cq-meter__bar").first.bounding_box()
    fill = page.locator(".cq-meter__fill").first.bounding_box()
    assert abs((fill["x"] + fill["width"]) - (bar["x"] + bar["width"])) < 2, (bar, fill)
    node = page.locator(".cq-transcript .cq-line").first.bounding_box()
    reply = page.locator(".cq-reply").first.bounding_box()
    assert (
        reply["x"] < node["x"] + node["width"] / 2 and reply["x"] + reply["width"] < node["x"] + node["width"]
    )


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "modules/09-final-assessment.html",
        "practice/phone-call.html",
        "progress.html",
        "completion.html",
    ],
)
def test_rtl_pages_have_no_axe_violations(rtl_server, page, rel):
    page.goto(rtl_server.url + rel)
    page.wait_for_load_state("networkidle")
    assert_no_violations(page, f"ar {rel}")


def test_rtl_quiz_and_scenario_states_have_no_axe_violations(rtl_server, page):
    page.goto(rtl_server.url + "modules/09-final-assessment.html")
    answer_quiz(page, "[data-quiz]", False)
    assert_no_violations(page, "ar quiz failed")
    page.goto(rtl_server.url + "practice/phone-call.html")
    data = scenario_data(page, "practice-phone-call")
    play(page, "practice-phone-call", scenario_route(data, "failure"))
    assert_no_violations(page, "ar scenario ending")


@pytest.mark.parametrize(
    "name",
    [
        "test_quiz_by_keyboard_alone",
        "test_quiz_error_summary_and_retake_by_keyboard",
        "test_scenario_by_keyboard_alone",
        "test_scenario_retry_from_by_keyboard",
    ],
)
def test_rtl_keyboard(rtl_server, page, name):
    """The keyboard tests (tests/test_keyboard.py) on the right-to-left build."""
    from tests import test_keyboard

    getattr(test_keyboard, name)(rtl_server, page)


def test_manifest_messages_are_json(language_server):
    import urllib.request

    text = urllib.request.urlopen(language_server.url + "assets/course/manifest.js").read().decode()
    data = json.loads(text[len("window.COURSE_MANIFEST=") :].rstrip().rstrip(";"))
    assert data["language"] == language_server.language
    assert data["messages"]["quiz.check"] == Catalog(language_server.language).t("quiz.check")
