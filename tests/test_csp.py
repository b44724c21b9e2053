"""Our scripts work under a strict Content-Security-Policy (no 'unsafe-eval', no inline handlers).

The built flagship course is served with the policy HR is told to use (content/guide/safety.md):
scripts from the site itself plus the sha256 hashes of Material's few inline <script> blocks,
which also keeps 'unsafe-inline' off, so inline event handlers stay blocked.  Quizzes, a
scenario, the progress and completion pages and search must work, and the browser must report
no CSP violation at all.  Also: our scripts start even when Material's bundle fails.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.helpers import REPO, Server

OUR_JS = sorted((REPO / "site_overrides" / "assets" / "course").glob("*.js"))


def inline_script_hashes(site: Path) -> list[str]:
    """'sha256-…' sources for every inline script the theme writes (JSON data blocks do not run)."""
    found = set()
    for path in site.rglob("*.html"):
        for script in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("script"):
            if script.get("src") or script.get("type", "text/javascript") not in (
                "text/javascript",
                "module",
            ):
                continue
            digest = hashlib.sha256((script.string or "").encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(found)


def policy(site: Path) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(inline_script_hashes(site)),
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


@pytest.fixture(scope="module")
def csp_server(flagship_site):
    with Server(
        flagship_site, prefix="/training/care/", headers={"Content-Security-Policy": policy(flagship_site)}
    ) as s:
        yield s


@pytest.fixture
def csp_page(page):
    page.add_init_script(WATCH_CSP)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def started(page) -> dict:
    """Every [data-module] element on the page, and whether its widget started."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-module]')).map((el) => "
        "[el.getAttribute('data-module'), !!el.courseWidget])"
    )


def test_inline_scripts_are_only_the_themes_few(flagship_site):
    """The hashes stay few (a handful per Material version), so HR can paste them into a header."""
    hashes = inline_script_hashes(flagship_site)
    assert 1 <= len(hashes) <= 8, hashes


@pytest.mark.parametrize("path", OUR_JS, ids=[p.name for p in OUR_JS])
def test_our_scripts_avoid_what_a_strict_policy_blocks(path):
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.S)
    banned = {
        "eval": r"\beval\s*\(",
        "new Function": r"\bnew\s+Function\s*\(",
        "string timer": r"\bset(?:Timeout|Interval)\s*\(\s*['\"`]",
        "inline handler attribute": r"setAttribute\s*\(\s*['\"]on",
        "HTML insertion": r"\.(?:innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write|createContextualFragment",
        "script URL": r"javascript:",
    }
    found = [name for name, pattern in banned.items() if re.search(pattern, code)]
    assert not found, f"{path.name}: {found}"


def answer_quiz(page, quiz) -> None:
    for q in quiz.locator("[data-question]").all():
        kind = q.get_attribute("data-type")
        if kind in ("single", "multiple", "true_false"):
            q.locator("label.cq-option__label").first.click()
        elif kind == "text":
            q.locator("input").fill("listen")
        elif kind == "order":
            selects = q.locator("select")
            for i in range(selects.count()):
                selects.nth(i).select_option(str(i + 1))
    quiz.locator('button[data-action="check"]').click()


@pytest.mark.browser
def test_quiz_and_scenario_work_under_the_policy(csp_page, csp_server):
    page = csp_page
    page.goto(csp_server.url + "modules/01-welcome.html")
    quiz = page.locator("[data-quiz]").first
    page.wait_for_selector("[data-quiz].cq-js")
    answer_quiz(page, quiz)
    assert "You scored" in quiz.locator("[data-quiz-result]").inner_text()
    quiz.locator('button[data-action="retry"]').click()

    page.goto(csp_server.url + "practice/phone-call.html")
    scenario = page.locator("[data-scenario]").first
    page.wait_for_selector("[data-scenario].cq-js")
    for _ in range(60):
        if scenario.get_attribute("data-ending"):
            break
        scenario.locator("button[data-choice]").first.click()
        page.wait_for_timeout(310)  # the player ignores a second click within 300 ms
    assert scenario.get_attribute("data-ending") in ("success", "partial", "failure")
    assert scenario.locator("[data-recap]").is_visible()

    for path in ("progress.html", "completion.html", "index.html"):
        page.goto(csp_server.url + path)
        page.wait_for_load_state("load")
        assert all(ok for _, ok in started(page)), (path, started(page))
        assert violations(page) == [], (path, violations(page))

    # search runs in a worker from the site itself
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("angry", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert violations(page) == []
    assert page.watch.errors == [], page.watch.errors
    assert page.watch.foreign_requests(csp_server.url.split("/training/")[0]) == []


@pytest.mark.browser
def test_the_policy_blocks_inline_handlers_and_eval(csp_page, csp_server):
    """The test policy has teeth: what our scripts must never need is really refused."""
    page = csp_page
    page.goto(csp_server.url + "index.html")
    page.evaluate(
        """() => {
          window.__ran = [];
          const img = document.createElement("img");
          img.setAttribute("onerror", "window.__ran.push('handler')");
          img.src = "missing.png";
          document.body.appendChild(img);
          setTimeout("window.__ran.push('string timer')", 0);
          const s = document.createElement("script");
          s.textContent = "window.__ran.push('inline script')";
          document.body.appendChild(s);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") == []
    seen = " ".join(violations(page))
    assert "script-src" in seen and "eval" in seen, seen


@pytest.mark.browser
@pytest.mark.parametrize("how", ["bundle blocked", "document$ never emits", "document$ throws"])
def test_widgets_start_when_materials_bundle_fails(context, flagship_server, how):
    page = context.new_page()
    if how == "bundle blocked":
        context.route(re.compile(r".*/assets/javascripts/bundle\.[^/]*\.js$"), lambda r: r.abort())
    else:
        subscribe = (
            "function () {}" if how == "document$ never emits" else "function () { throw new Error('x'); }"
        )
        page.add_init_script(
            f"Object.defineProperty(window, 'document$', {{ value: {{ subscribe: {subscribe} }}, writable: false }});"
        )
    page.goto(flagship_server.url + "modules/01-welcome.html")
    page.wait_for_load_state("load")
    page.wait_for_selector("[data-quiz].cq-js", state="attached", timeout=5_000)
    assert all(ok for _, ok in started(page)), started(page)
    quiz = page.locator("[data-quiz]").first
    answer_quiz(page, quiz)
    assert "You scored" in quiz.locator("[data-quiz-result]").inner_text()


def test_the_safety_page_gives_the_tested_policy_and_a_working_hash_script(flagship_site, tmp_path):
    """HR copies the header and the script from the author guide: they must be what is tested here."""
    page = (REPO / "content" / "guide" / "safety.md").read_text(encoding="utf-8")
    header = re.search(r"^Content-Security-Policy: (.+)$", page, re.M).group(1)
    assert header == re.sub(r"script-src 'self' [^;]+", "script-src 'self' HASHES", policy(flagship_site))
    script = re.search(r"```python\n(.*?)```", page, re.S).group(1)
    (tmp_path / "csp_hashes.py").write_text(script, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(tmp_path / "csp_hashes.py"), str(flagship_site)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == inline_script_hashes(flagship_site)


def test_course_csp_prints_the_policy_tested_here(flagship_site):
    """Admins get the header from a command (issue 11 item 12), never by copying hashes by hand."""
    from tests.helpers import course

    for server, form in (("header", "Content-Security-Policy: {}"), ("nginx", 'add_header Content-Security-Policy "{}" always;'),
                         ("apache", 'Header always set Content-Security-Policy "{}"')):  # fmt: skip
        result = course("csp", "--site", str(flagship_site), "--server", server, cwd=REPO)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == form.format(policy(flagship_site))
    missing = course("csp", "--site", str(flagship_site / "nowhere"), cwd=REPO)
    assert missing.returncode == 1 and "build it first" in missing.stderr
