"""Hostile author text: whatever is pasted into a quiz or scenario file, nothing runs.

Every string of ``tests/fixtures/hostile/strings.yml`` is placed in every text field of a quiz
and of a scenario.  The built pages are loaded in Chromium with ``alert``/``confirm``/``prompt``,
``fetch``, ``XMLHttpRequest``, ``sendBeacon``, ``window.open``, navigation and a global canary
(``window.__pwned``) watched; the learner answers the quiz and plays the scenario to an ending.
Then the widget's DOM may hold only the sanitizer's allow-list plus the widget's own structure
(compared with a control page built from plain text), no ``on*`` attribute, no script URL and
nothing loaded from another host, and the harmless part of the text (``SAFE-TEXT-NN``) is shown.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.render import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    PageContext,
    markdown_html,
    render_error,
    sanitize,
)
from tests.helpers import REPO, Server, build_ok, course, make_project

CORPUS_FILE = REPO / "tests" / "fixtures" / "hostile" / "strings.yml"
CORPUS: list[dict] = yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8"))
MARKER = re.compile(r"SAFE-TEXT-\d\d")
CONTROL = "SAFE-TEXT-00 plain words"


def marker_of(entry: dict) -> str:
    return MARKER.search(entry["text"]).group(0)


def allowed_attrs(tag: str) -> set[str]:
    # nh3 adds rel="noopener noreferrer" to every link
    return (
        set(ALLOWED_ATTRIBUTES.get(tag, ()))
        | set(ALLOWED_ATTRIBUTES.get("*", ()))
        | ({"rel"} if tag == "a" else set())
    )


# ---------------------------------------------------------------- fixture course


def variant(text: str, k: int) -> str:
    """Options and order items must differ; the prefix also puts block HTML in inline context."""
    return f"variant {k}: {text}"


def quiz_data(s: str) -> dict:
    return {
        "kind": "quiz",
        "title": s,
        "description": s,
        "pass_mark": 50,
        "questions": [
            {"id": "single", "type": "single", "prompt": s, "explanation": s, "options": [
                {"text": s, "correct": True, "feedback": s},
                {"text": variant(s, 2), "feedback": variant(s, 2)},
            ]},
            {"id": "multiple", "type": "multiple", "prompt": s, "explanation": s, "options": [
                {"text": s, "correct": True, "feedback": s},
                {"text": variant(s, 2), "correct": True, "feedback": variant(s, 2)},
                {"text": variant(s, 3), "feedback": variant(s, 3)},
            ]},
            {"id": "tf", "type": "true_false", "prompt": s, "answer": True, "feedback_true": s,
             "feedback_false": variant(s, 2), "explanation": s},
            {"id": "word", "type": "text", "prompt": s, "accept": [s, "listen"], "explanation": s},
            {"id": "steps", "type": "order", "prompt": s, "items": [s, variant(s, 2), variant(s, 3)],
             "explanation": s},
        ],
    }  # fmt: skip


# text fields of one quiz that are shown on the page (accept answers are not)
QUIZ_TEXTS = 1 + 1 + 5 + 5 + 5 + 2 + 5 + 3


# ... of one scenario: title, description, 2 meter labels, and in the nodes' templates speaker,
# mood, text, 2 choices and 2 feedbacks of the two open nodes and the text of 3 endings
SCENARIO_TEXTS = 1 + 1 + 2 + 2 * 7 + 3


def scenario_data(s: str) -> dict:
    return {
        "kind": "scenario",
        "title": s,
        "description": s,
        "start": "opening",
        "meters": {
            "calm": {"label": s, "start": 1, "min": 0, "max": 5},
            "trust": {"label": variant(s, 2), "start": 0, "min": 0, "max": 5},
        },
        "nodes": {
            "opening": {"speaker": s, "mood": s, "text": s, "choices": [
                {"text": s, "to": "middle", "feedback": s, "effects": {"calm": 1, "trust": 1}},
                {"text": variant(s, 2), "to": "lost", "feedback": variant(s, 2), "effects": {"calm": -1}},
            ]},
            "middle": {"speaker": s, "mood": variant(s, 2), "text": s, "choices": [
                {"text": s, "to": "fixed", "feedback": s, "effects": {"trust": 1}},
                {"text": variant(s, 2), "to": "halfway", "feedback": variant(s, 2), "requires": {"trust": 1}},
            ]},
            "fixed": {"ending": "success", "text": s},
            "halfway": {"ending": "partial", "text": variant(s, 2)},
            "lost": {"ending": "failure", "text": variant(s, 3)},
        },
    }  # fmt: skip


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=10_000)


PER_PAGE = 6  # strings per page: fewer page loads, and each string still has its own widgets
PAGES = [[0]] + [
    list(range(i, min(i + PER_PAGE, len(CORPUS) + 1))) for i in range(1, len(CORPUS) + 1, PER_PAGE)
]


def lesson(numbers: list[int]) -> str:
    parts = [f"# Hostile page {numbers[0]:02d}\n\nLesson text.\n"]
    for n in numbers:
        parts.append(f"## String {n:02d}\n\n::: quiz hq-{n:02d}\n\n::: scenario hs-{n:02d}\n")
    return "\n".join(parts)


# (pages sit at the top of the site: a lesson-link rewrite gone wrong would make `javascript:` there)
def page_of(n: int) -> str:
    return next(f"p{group[0]:02d}.html" for group in PAGES if n in group)


def hostile_project(dest: Path) -> Path:
    files = {
        "content/index.md": "# Hostile content\n\nEvery page below holds hostile author text.\n",
        # quiz and scenario titles reach the progress page through the manifest, as plain text
        "content/progress.md": '# Progress\n\n<div class="cq-progress" data-module="cq-progress-page"></div>\n',
    }
    for group in PAGES:
        files[f"content/p{group[0]:02d}.md"] = lesson(group)
    for n, entry in enumerate([{"text": CONTROL}, *CORPUS]):
        files[f"quizzes/hq-{n:02d}.yml"] = dump(quiz_data(entry["text"]))
        files[f"quizzes/hs-{n:02d}.yml"] = dump(scenario_data(entry["text"]))
    return make_project(dest, files, site_name="Hostile course", course_id="hostile")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_ok(hostile_project(tmp_path_factory.mktemp("hostile") / "p"), None)


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    with Server(hostile_site, prefix="/training/hostile/") as server:
        yield server


# ---------------------------------------------------------------- build-time checks (no browser)


def test_corpus_is_big_and_every_string_has_its_marker():
    assert len(CORPUS) >= 40
    for n, entry in enumerate(CORPUS, 1):
        assert MARKER.findall(entry["text"]) == [f"SAFE-TEXT-{n:02d}"], entry


def _check_fragment(html: str, entry: dict) -> None:
    tree = BeautifulSoup(html, "html.parser")
    for el in tree.find_all(True):
        assert el.name in ALLOWED_TAGS, (el.name, html)
        extra = set(el.attrs) - allowed_attrs(el.name)
        if "class" in extra and el.name in ALLOWED_CLASSES:  # admonitions and code keep theirs
            assert set(el["class"]) <= ALLOWED_CLASSES[el.name], (el.name, el["class"], html)
            extra.discard("class")
        assert not extra, (el.name, extra, html)
        if el.get("dir") is not None:
            assert el["dir"] in ("ltr", "rtl", "auto"), html
        if el.name == "a" and el.get("href"):
            # as a browser reads it: C0 controls and spaces trimmed, tabs and newlines removed
            href = re.sub(r"[\t\n\r]", "", el["href"].strip("".join(map(chr, range(33))))).lower()
            scheme = re.match(r"^([a-z][a-z0-9+.-]*):", href)
            assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), html
        if el.name == "img" and el.get("src"):
            assert re.fullmatch(r"[\w.~/%+-]+", el["src"]) and not el["src"].startswith("//"), html
    text = tree.get_text()
    assert marker_of(entry) in text, html
    for keep in entry.get("keep", []):
        assert keep in text, (keep, html)


@pytest.mark.parametrize("entry", CORPUS, ids=[marker_of(e) for e in CORPUS])
def test_markdown_html_keeps_only_the_allow_list(entry):
    for page in ("index.md", "h/01.md"):
        for inline in (False, True):
            out = str(markdown_html(entry["text"], PageContext(page), inline=inline))
            _check_fragment(out, entry)
            # re-parsing the output changes nothing: no mutation-XSS through a second parse
            assert sanitize(out) == out
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out), "control characters survived"


def test_lesson_link_rewrite_cannot_make_a_script_url():
    out = str(
        markdown_html(
            "[x](./javascript:alert(1);/x/.md) [y](HTTP://evil.example/a.md)", PageContext("index.md")
        )
    )
    assert 'href="javascript:' not in out.lower() and 'href="http:/evil' not in out.lower(), out
    assert 'href="other.html"' in str(markdown_html("[ok](other.md)", PageContext("index.md")))


@pytest.mark.parametrize(
    "src",
    ["//evil.example/x.png", "/\\evil.example/x.png", "\\\\evil.example/x.png", "/\t/evil.example/x.png",
     " //evil.example/x.png", "http://evil.example/x.png", "data:image/png;base64,AAAA", "javascript:x",
     "HTTPS://evil.example/x.png", "/&#47;evil.example/x.png"],
)  # fmt: skip
def test_images_never_come_from_another_host(src):
    out = str(markdown_html(f'<img src="{src}" alt="a"> ![b]({src})', PageContext("index.md")))
    assert "src=" not in out, out


def test_course_images_stay():
    out = str(
        markdown_html("![Till](images/till-1.png) <img src='../img/a%20b.png?v=2' alt=x>", PageContext())
    )
    assert 'src="images/till-1.png"' in out and 'src="../img/a%20b.png?v=2"' in out


def test_error_box_escapes_the_embed_id():
    out = render_error("quiz", 'x"><img src=x onerror=alert(1)>', ["no quiz named <script>alert(1)</script>"])
    assert "<img" not in out and "<script" not in out and "&lt;script&gt;" in out


# tags author text can never bring into a page (the control page tells how many the theme has)
FORBIDDEN_IN_PAGE = ("base", "iframe", "object", "embed", "frame", "applet", "link[rel=import]",
                     "meta[http-equiv]", "style:not(:empty)", "svg[onload]", "math")  # fmt: skip


def test_the_built_pages_hold_the_hostile_text_only_as_text(hostile_site):
    control = BeautifulSoup((hostile_site / "p00.html").read_text(encoding="utf-8"), "html.parser")
    counts = {sel: len(control.select(sel)) for sel in FORBIDDEN_IN_PAGE}
    for group in PAGES[1:]:
        page = BeautifulSoup((hostile_site / page_of(group[0])).read_text(encoding="utf-8"), "html.parser")
        for sel, count in counts.items():
            assert len(page.select(sel)) == count, (group, sel)
        assert len(page.select(".cq-quiz form")) == len(page.select(".cq-quiz")) == len(group)
        assert len(page.select("form")) - len(group) == len(control.select("form")) - 1  # the theme's own
        for el in page.find_all(True):
            handlers = [a for a in el.attrs if a.lower().startswith("on")]
            assert not handlers, (group, el.name, handlers)
            if el.name == "script" and not el.get("src"):
                code = el.string or ""
                if el.get("type") != "application/json":
                    assert "SAFE-TEXT" not in code and "__pwned" not in code, (group, code[:200])
                else:  # embedded JSON can neither end its <script> nor open a comment
                    assert "<" not in code, (group, code[:200])
        text = page.get_text()
        for n in group:
            assert marker_of(CORPUS[n - 1]) in text, n
            quiz = page.select_one(f'[data-quiz="hq-{n:02d}"]')
            key = base64.b64decode(json.loads(quiz.select_one("script[data-quiz-key]").string)).decode()
            assert "safe-text" in key  # the accepted answers travel in the key, never in markup


HOSTILE_IDS = [
    ("question", 'x" onmouseover="alert(1)'),
    ("question", "</script><script>alert(1)</script>"),
    ("question", "a b"),
    ("question", "ok\n"),
    ("node", '"><img src=x onerror=alert(1)>'),
    ("meter", "calm' onfocus='x"),
    ("start", "{{ 7*7 }}"),
]
HOSTILE_FILE_NAMES = ['bad"name', "Upper", "x<y", "sp ace", "dot.dot"]


def _with_hostile_id(where: str, value: str) -> dict:
    if where == "question":
        data = quiz_data("plain")
        data["questions"][0]["id"] = value
        return data
    data = scenario_data("plain")
    if where == "node":
        data["nodes"][value] = data["nodes"].pop("fixed")
        data["nodes"]["middle"]["choices"][0]["to"] = value
    elif where == "meter":
        data["meters"][value] = data["meters"].pop("calm")
        data["nodes"]["opening"]["choices"][0]["effects"] = {value: 1}
    else:
        data["start"] = value
    return data


def test_ids_and_file_names_cannot_carry_markup(tmp_path):
    """Ids end up in data- attributes, element ids and JSON: the schema and the checker restrict them."""
    files = {"content/index.md": "# x\n\n::: quiz hq-00\n\n::: scenario hs-00\n",
             "quizzes/hq-00.yml": dump(quiz_data("plain")), "quizzes/hs-00.yml": dump(scenario_data("plain"))}  # fmt: skip
    for i, (where, value) in enumerate(HOSTILE_IDS):
        files[f"quizzes/bad-id-{i}.yml"] = dump(_with_hostile_id(where, value))
    for name in HOSTILE_FILE_NAMES:
        files[f"quizzes/{name}.yml"] = dump(quiz_data("plain"))
    result = course("check", cwd=make_project(tmp_path / "p", files))
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out, out
    for i, (where, value) in enumerate(HOSTILE_IDS):
        assert re.search(rf"^quizzes/bad-id-{i}\.yml:\d+: ", out, re.M), (where, value, out)
    for name in HOSTILE_FILE_NAMES:
        assert re.search(rf"^quizzes/{re.escape(name)}\.yml:1: .*must be lower-case", out, re.M), (name, out)


# ---------------------------------------------------------------- in the browser

INSTRUMENT = """
(() => {
  const log = [];
  Object.defineProperty(window, "__hostileLog", { value: log });
  const same = (url) => {
    try { return new URL(String(url), location.href).origin === location.origin; } catch (e) { return false; }
  };
  const trap = (name) => function () {
    log.push(name + "(" + Array.prototype.slice.call(arguments).map(String).join(",").slice(0, 120) + ")");
  };
  window.alert = trap("alert");
  window.confirm = trap("confirm");
  window.prompt = trap("prompt");
  window.print = trap("print");
  window.open = trap("open");
  Navigator.prototype.sendBeacon = trap("sendBeacon");
  const fetch0 = window.fetch;
  window.fetch = function (input) {
    const url = input && input.url ? input.url : input;
    if (!same(url)) log.push("fetch(" + url + ")");
    return fetch0.apply(this, arguments);
  };
  const open0 = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (!same(url)) log.push("xhr(" + url + ")");
    return open0.apply(this, arguments);
  };
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get: () => undefined,
    set: (v) => log.push("canary(" + v + ")"),
  });
})();
"""

# Walks each widget (and the author HTML in its <template>s): what is there, and what is wrong.
DOM_REPORT = """
([selector, allowed]) => {
  const URL_ATTRS = ["src", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href",
                     "href", "ping", "cite", "longdesc", "manifest", "lowsrc", "dynsrc", "codebase"];
  const resolve = (v) => { try { return new URL(v, location.href); } catch (e) { return null; } };
  const report = (root) => {
    const problems = [], signature = {};
    const check = (el) => {
      const tag = el.localName, names = [];
      for (const a of Array.from(el.attributes)) {
        const name = a.name.toLowerCase(), value = a.value;
        if (name === "data-focus-visible-added") continue;  // Material's focus-visible polyfill
        names.push(name);
        if (name.startsWith("on")) problems.push(`<${tag} ${name}>`);
        if (URL_ATTRS.includes(name) && value) {
          const url = resolve(value.trim().split(/[\\s,]/)[0]);
          if (tag === "a" && name === "href") {
            if (url && !["http:", "https:", "mailto:"].includes(url.protocol))
              problems.push(`<a href=${value}> is a ${url.protocol} link`);
          } else if (!url || url.origin !== location.origin) {
            problems.push(`<${tag} ${name}=${value}> loads from elsewhere`);
          }
        }
        if (name === "id" && !value.startsWith("cq-")) problems.push(`foreign id ${value}`);
        // widgets size their own bars (element.style); author text has no style attribute
        const own = (e) => e && String(e.getAttribute("class") || "").startsWith("cq-");
        if (name === "style" && !own(el) && !own(el.parentElement))
          problems.push(`style on <${tag}>`);
      }
      const ok = allowed[tag];
      if (!ok || names.some((n) => !ok.includes(n))) {
        const key = tag + "[" + names.sort().join(" ") + "]";
        signature[key] = (signature[key] || 0) + 1;
      }
    };
    const walk = (node) => {
      if (node.nodeType === 1) check(node);
      for (const el of Array.from(node.querySelectorAll("*"))) {
        check(el);
        if (el.localName === "template") walk(el.content);
      }
    };
    const textOf = (node) => {
      const out = [];
      const w = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        if (!n.parentElement || !n.parentElement.closest("script, style")) out.push(n.data);
      }
      for (const t of Array.from(node.querySelectorAll("template"))) out.push(textOf(t.content));
      return out.join(" ");
    };
    walk(root);
    return { id: root.getAttribute("data-quiz") || root.getAttribute("data-scenario"), problems, signature,
             text: textOf(root), visible: root.innerText };
  };
  return Array.from(document.querySelectorAll(selector)).map(report);
}
"""

PAGE_STATE = """
() => ({
  log: window.__hostileLog.slice(),
  clobbered: [document.getElementById("__pwned") !== null,
              typeof window.Course !== "object" || typeof window.Course.register !== "function",
              !window.COURSE_MANIFEST || window.COURSE_MANIFEST instanceof Element],
  stray: Array.from(document.querySelectorAll("base, iframe:not([title]), object, embed, meta[http-equiv]"))
           .map((e) => e.outerHTML.slice(0, 120)),
  url: location.href,
})
"""

PLAY = """
([quizId, scenarioId]) => {
  const quiz = document.querySelector(`[data-quiz="${quizId}"]`);
  const pick = (sel) => {
    const el = quiz.querySelector(sel);
    el.checked = true;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  };
  pick('[data-question="single"] input[value="0"]');
  pick('[data-question="multiple"] input[value="0"]');
  pick('[data-question="multiple"] input[value="1"]');
  pick('[data-question="tf"] input[value="true"]');
  quiz.querySelector('[data-question="word"] input').value = "listen";
  quiz.querySelectorAll('[data-question="steps"] select').forEach((s, i) => { s.value = String(i + 1); });
  quiz.querySelector('button[data-action="check"]').click();
  const out = { quiz: quiz.getAttribute("data-state"), scenario: null, recap: null };
  const root = document.querySelector(`[data-scenario="${scenarioId}"]`);
  for (let i = 0; i < 6 && !root.hasAttribute("data-ending"); i++) {
    root.courseWidget.lastChoice = 0;  // the player ignores a second click within 300 ms
    root.querySelector("button[data-choice]").click();
  }
  out.scenario = root.getAttribute("data-ending");
  out.recap = !root.querySelector("[data-recap]").hidden;
  return out;
}
"""

# hover, press and focus everything inside the widgets: handlers that slipped through would fire
POKE = """
(selector) => {
  for (const root of Array.from(document.querySelectorAll(selector))) {
    for (const el of [root, ...Array.from(root.querySelectorAll("*"))]) {
      for (const type of ["mouseover", "mouseenter", "pointerover", "mousedown", "mouseup", "focusin"])
        el.dispatchEvent(new MouseEvent(type, { bubbles: true }));
      if (typeof el.focus === "function") el.focus();
    }
  }
}
"""

ALLOWED_FOR_JS = {tag: sorted(allowed_attrs(tag)) for tag in ALLOWED_TAGS}
WIDGETS = ".cq-quiz, .cq-scenario"


class Watch:
    """Requests that left the server, navigations away, pop-ups and errors during one visit."""

    def __init__(self, context, page, origin: str):
        self.foreign: list[str] = []
        self.navigations: list[str] = []
        self.popups: list[str] = []
        self.errors: list[str] = []

        def route(r):
            if r.request.url.startswith(origin):
                r.continue_()
            else:
                self.foreign.append(r.request.url)
                r.abort()

        def request(r):
            if not r.url.startswith((origin, "data:", "blob:", "about:")):
                self.foreign.append(r.url)

        def console(m):
            # author images with a relative path that does not exist are a 404 from our own server
            if m.type == "error" and "Failed to load resource" not in m.text:
                self.errors.append(m.text)

        context.route("**/*", route)
        context.on("page", lambda p: self.popups.append(p.url))
        page.on("framenavigated", lambda f: self.navigations.append(f.url) if f == page.main_frame else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", console)
        page.on("request", request)


def visit(browser, server, numbers: list[int]) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(INSTRUMENT)
        watch = Watch(context, page, server.url.split("/training/")[0])
        url = server.url + page_of(numbers[0])
        page.goto(url)
        played = {}
        for n in numbers:
            page.wait_for_selector(f'[data-quiz="hq-{n:02d}"].cq-js', state="attached", timeout=10_000)
            page.wait_for_selector(f'[data-scenario="hs-{n:02d}"].cq-js', state="attached", timeout=10_000)
            played[n] = page.evaluate(PLAY, [f"hq-{n:02d}", f"hs-{n:02d}"])
        widgets = page.evaluate(DOM_REPORT, [WIDGETS, ALLOWED_FOR_JS])
        page.evaluate(POKE, WIDGETS)
        for _ in range(4):
            page.keyboard.press("Tab")
        for y in range(100, 900, 200):
            page.mouse.move(640, y)
        state = page.evaluate(PAGE_STATE)
        page.close()
    finally:
        context.close()
    return {"url": url, "played": played, "widgets": widgets, "state": state, "watch": watch}


@pytest.fixture(scope="module")
def control(browser, hostile_server) -> dict:
    report = visit(browser, hostile_server, [0])
    assert report["watch"].errors == [] and report["state"]["log"] == [], report
    widgets = {w["id"]: w for w in report["widgets"]}
    assert set(widgets) == {"hq-00", "hs-00"}
    for w in widgets.values():
        assert w["problems"] == [], w["problems"]
    return widgets


@pytest.mark.browser
@pytest.mark.parametrize("numbers", PAGES[1:], ids=[f"strings-{g[0]:02d}-{g[-1]:02d}" for g in PAGES[1:]])
def test_hostile_text_is_inert_in_the_browser(browser, hostile_server, control, numbers):
    report = visit(browser, hostile_server, numbers)
    state, watch = report["state"], report["watch"]
    assert state["log"] == [], f"something ran: {state['log']}"
    assert not any(state["clobbered"]), f"DOM clobbering: {state['clobbered']}"
    assert state["stray"] == [], state["stray"]
    assert watch.foreign == [], f"requests left the server: {watch.foreign}"
    assert watch.popups == [], f"pop-ups: {watch.popups}"
    assert all(u.split("#")[0] == report["url"] for u in watch.navigations), watch.navigations
    assert watch.errors == [], watch.errors
    widgets = {w["id"]: w for w in report["widgets"]}
    for n in numbers:
        entry, marker = CORPUS[n - 1], marker_of(CORPUS[n - 1])
        played = report["played"][n]
        assert played["quiz"] == "passed", (marker, played)
        assert played["scenario"] == "success" and played["recap"], (marker, played)
        for prefix, fields in [("hq", QUIZ_TEXTS), ("hs", SCENARIO_TEXTS)]:
            w, c = widgets[f"{prefix}-{n:02d}"], control[f"{prefix}-00"]
            assert w["problems"] == [], (marker, w["problems"])
            # only the allow-list beside the widget's own structure (as in the plain-text control)
            extra = Counter(w["signature"]) - Counter(c["signature"])
            missing = Counter(c["signature"]) - Counter(w["signature"])
            assert not extra and not missing, f"{marker}: extra {dict(extra)}, missing {dict(missing)}"
            # the harmless words stay readable, in every field
            assert w["text"].count(marker) >= fields, (marker, prefix, w["text"].count(marker), fields)
            assert marker in w["visible"], (marker, prefix)
            for keep in entry.get("keep", []):
                assert keep in w["text"], (marker, keep)


@pytest.mark.browser
def test_hostile_titles_are_inert_on_the_progress_page(browser, hostile_server):
    numbers = PAGES[1]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(INSTRUMENT)
        watch = Watch(context, page, hostile_server.url.split("/training/")[0])
        page.goto(hostile_server.url + page_of(numbers[0]))
        for n in numbers:  # some progress to show
            page.wait_for_selector(f'[data-quiz="hq-{n:02d}"].cq-js', state="attached", timeout=10_000)
            page.evaluate(PLAY, [f"hq-{n:02d}", f"hs-{n:02d}"])
        page.goto(hostile_server.url + "progress.html")
        page.wait_for_selector(".cq-progress table, .cq-progress li", state="attached", timeout=10_000)
        widgets = page.evaluate(DOM_REPORT, [".cq-progress", ALLOWED_FOR_JS])
        page.evaluate(POKE, ".cq-progress")
        state = page.evaluate(PAGE_STATE)
    finally:
        context.close()
    assert state["log"] == [] and not any(state["clobbered"]) and state["stray"] == [], state
    assert watch.foreign == [] and watch.popups == [] and watch.errors == [], vars(watch)
    (progress,) = widgets
    assert progress["problems"] == [], progress["problems"]
    assert not [
        k for k in progress["signature"] if k.split("[")[0] in ("script", "iframe", "img", "svg", "math")
    ]
    for n in numbers:
        assert marker_of(CORPUS[n - 1]) in progress["text"], n


@pytest.mark.browser
def test_search_results_show_hostile_text_as_text(browser, hostile_server):
    """The theme's search shows page text in its results: whatever it shows must stay inert.

    Quiz and scenario widgets are kept out of the search index (answers and feedback would
    otherwise be one search away), so the results come from the lesson text around them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(INSTRUMENT)
        watch = Watch(context, page, hostile_server.url.split("/training/")[0])
        page.goto(hostile_server.url + "index.html")
        box = page.locator("input.md-search__input")
        found = {}
        for query in ("safe", "window", "variant", "hover"):
            box.click()
            box.fill("")
            box.press_sequentially(query, delay=10)
            page.wait_for_selector(".md-search-result__meta", timeout=10_000)
            page.wait_for_timeout(300)
            found[query] = page.locator(".md-search-result__item").count()
            bad = page.evaluate(
                """() => Array.from(document.querySelectorAll('.md-search-result *')).filter((el) =>
                     !['a', 'article', 'h1', 'h2', 'p', 'mark', 'li', 'ol', 'ul', 'div', 'nav', 'details',
                       'summary', 'span', 'code', 'strong', 'em', 'b', 'i', 'svg', 'path'].includes(el.localName)
                     || Array.from(el.attributes).some((a) => a.name.startsWith('on'))).map((el) => el.outerHTML)"""
            )
            assert bad == [], (query, bad)
            page.evaluate(POKE, ".md-search-result")
        state = page.evaluate(PAGE_STATE)
    finally:
        context.close()
    assert state["log"] == [] and state["stray"] == [], state
    assert watch.foreign == [] and watch.popups == [] and watch.errors == [], vars(watch)
