"""Arabic and Hebrew interface catalogs in a built course (issue 14 item 2).

A ``theme.language: ar`` / ``he`` build of the placeholder-word course speaks the course's language on
its buttons, lays the page out right to left, and keeps the numbers of "Question 1 of 5", a score and
the progress counters in reading order (the catalog's placeholders are bidi-isolated), and a
scenario meter's "−1" chip with its minus on the left.  Screenshots
at 390 and 1280 px: ``SCREENSHOT_DIR=... pytest tests/test_i18n_rtl.py`` to look at them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.messages import FSI, PDI, Catalog
from tests.helpers import Server, build_ok, soup
from tests.i18n_project import neutral_project
from tests.test_accessibility import answer_quiz


def plain(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")


@pytest.fixture(scope="module", params=["ar", "he"])
def rtl_site(request, tmp_path_factory):
    project = neutral_project(tmp_path_factory.mktemp(f"rtl-{request.param}") / "p", request.param)
    return request.param, build_ok(project)


def test_rtl_build_speaks_the_language(rtl_site):
    lang, rtl_site = rtl_site
    cat = Catalog(lang)
    page = soup(rtl_site / "probatio.html")
    assert page.html["lang"] == lang and page.body["dir"] == "rtl"  # Material puts dir on <body>
    assert page.select_one('button[data-action="check"]').get_text(strip=True) == cat.t("quiz.check")
    number = page.select_one(".cq-question__number").get_text()
    assert number == cat.t("quiz.question_number", n=1, total=5)
    assert f"{FSI}1{PDI}" in number and f"{FSI}5{PDI}" in number
    assert page.select_one('select option[value="2"]').get_text() == f"{FSI}2{PDI}"  # no "2nd"
    buttons = " ".join(b.get_text(" ", strip=True) for b in page.select("button"))
    assert "Check answers" not in buttons and "Try again" not in buttons
    manifest = (rtl_site / "assets" / "course" / "manifest.js").read_text(encoding="utf-8")
    assert '"dir": "rtl"' in manifest or '"dir":"rtl"' in manifest


# the visual x (middle) of each needle, found in order in the element's text: right to left reading
# means the first number said is the rightmost one
X_OF = r"""
([sel, needles]) => {
  const el = document.querySelector(sel), walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = '';
  for (let n; (n = walker.nextNode());) { nodes.push([n, text.length]); text += n.nodeValue; }
  let from = 0;
  return needles.map((needle) => {
    const at = text.indexOf(needle, from); from = at + needle.length;
    const [node, start] = nodes.filter(([, s]) => s <= at).pop();
    const range = document.createRange();
    range.setStart(node, at - start); range.setEnd(node, at - start + needle.length);
    const box = range.getBoundingClientRect();
    return box.x + box.width / 2;
  });
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_rtl_quiz_and_progress_read_in_order(rtl_site, browser, tmp_path, width):
    lang, rtl_site = rtl_site
    cat = Catalog(lang)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    with Server(rtl_site) as server:
        page.goto(server.url + "probatio.html")
        quiz = page.locator("[data-quiz]")
        quiz.locator('[data-action="check"]').click()  # nothing answered: the error summary
        summary = page.locator("[data-quiz-errors]:not([hidden])")
        summary.wait_for()
        assert plain(cat.t("quiz.error_choose", n=1)) in plain(summary.inner_text())
        answer_quiz(page, "[data-quiz]", False)
        page.wait_for_function("() => document.querySelector('[data-quiz]').dataset.state === 'failed'")
        assert quiz.locator('[data-action="retry"]').inner_text().strip() == cat.t("quiz.retry")
        # "Question 1 of 5": 1 on the right of 5
        one, five = page.evaluate(X_OF, ['[data-question="unus"] .cq-question__number', ["1", "5"]])
        assert one > five, (one, five)
        page.evaluate("window.scrollTo(0, 0)")  # (Material's header stays on top in the full-page shot)
        page.screenshot(path=str(folder / f"rtl-quiz-{lang}-{width}.png"), full_page=True)

        # a meter's change chip: "−1" keeps its minus on the left of the digit (not "1−")
        page.goto(server.url + "fabula.html")
        page.locator('[data-scenario="fabula"] button[data-choice="1"]').click()
        chip = page.locator("[data-meter-delta]:not([hidden])")
        assert chip.text_content() == "\u22121"
        chip.evaluate("el => Promise.all(el.getAnimations().map((a) => a.finished))")  # its pop, for the shot
        minus, digit = page.evaluate(X_OF, ["[data-meter-delta]:not([hidden])", ["\u2212", "1"]])
        assert minus < digit, (minus, digit)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(folder / f"rtl-scenario-{lang}-{width}.png"), full_page=True)

        page.goto(server.url + "progress.html")
        page.locator(".cq-summary").wait_for()
        counts = page.locator(".cq-summary p").nth(1)
        text = plain(counts.inner_text())
        assert plain(cat.t("progress.counts", quizzes=0, quiz_total=2, scenarios=0, scenario_total=1)) in text
        zero, total = page.evaluate(X_OF, [".cq-summary p:nth-of-type(2)", ["0", "2"]])
        assert zero > total, (zero, total)
        page.screenshot(path=str(folder / f"rtl-progress-{lang}-{width}.png"), full_page=True)
    context.close()
    assert errors == []
