"""Keyboard-only use: a quiz and a whole scenario done with Tab, Shift+Tab, Space, Enter and arrow keys.

No mouse, no ``click()``/``fill()``/``check()``: the tests only press keys (and type the one free-text
answer).  After every key press the focused element must show a visible focus indicator (a computed
outline or box-shadow on it, or on the label that stands in for a visually hidden control), must not be
hidden behind the sticky header (WCAG 2.4.11), and after every scenario choice focus must land on the
new node's text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.test_accessibility import quiz_answers, scenario_data, scenario_route

pytestmark = pytest.mark.browser
FOCUS_GRACE_MS = 1500

FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
    ' "' + (e.textContent || e.value || '').replace(/\s+/g, ' ').trim().slice(0, 40) + '"';
  if (!el || el === document.body || el === document.documentElement) return {ok: false, why: 'nothing is focused', what: 'body'};
  const info = {
    what: name(el), tag: el.tagName, type: el.type || '', value: el.value === undefined ? null : String(el.value),
    checked: !!el.checked, action: el.getAttribute('data-action'), choice: el.getAttribute('data-choice'),
    node: el.getAttribute('data-node'), result: el.hasAttribute('data-quiz-result'),
    drawer: !!el.closest('.md-sidebar--primary'), href: el.getAttribute('href'),
    menu: el.matches('label[for="__drawer"]'),
    question: el.closest('[data-question]') ? el.closest('[data-question]').getAttribute('data-question') : null,
    quiz: el.closest('[data-quiz]') ? el.closest('[data-quiz]').getAttribute('data-quiz') : null,
    scenario: el.closest('[data-scenario]') ? el.closest('[data-scenario]').getAttribute('data-scenario') : null,
    group: el.type === 'radio' ? Array.from(el.form ? el.form.elements : document.querySelectorAll('input'))
      .filter(r => r.type === 'radio' && r.name === el.name).map(r => r.value) : null,
  };
  if (!el.matches(':focus-visible')) return Object.assign(info, {ok: false, why: 'not :focus-visible'});
  // the element itself draws the ring, or (for a visually hidden input) one of its labels does
  const holders = [el, ...Array.from(el.labels || [])];
  if (el.nextElementSibling && el.nextElementSibling.tagName === 'LABEL') holders.push(el.nextElementSibling);
  // the navigation drawer's switch: once open, the drawer covers its button, so the drawer is framed
  if (el.matches('label[for="__drawer"]')) holders.push(document.querySelector('.md-sidebar--primary'));
  const ringed = holders.filter(h => {
    const cs = getComputedStyle(h), r = h.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || cs.visibility === 'hidden' || cs.opacity === '0') return false;
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 &&
      !/rgba\([^)]*,\s*0\)|transparent/.test(cs.outlineColor);
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const after = getComputedStyle(h, '::after');  // a ring drawn by an overlaid ::after frame
    const frame = after.content !== 'none' && after.position === 'absolute' &&
      after.borderTopStyle !== 'none' && parseFloat(after.borderTopWidth) >= 2;
    return outline || shadow || frame;
  });
  if (!ringed.length) return Object.assign(info, {ok: false, why: 'no outline or box-shadow on it or its label'});
  // 2.4.11 Focus not obscured: some part of a ring holder is on screen and on top
  const seen = h => {
    const r = h.getBoundingClientRect();
    const pts = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.top + 2],
                 [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
    return pts.some(([x, y]) => {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
      const top = document.elementFromPoint(x, y);
      return top && (h.contains(top) || top.contains(h) || el.contains(top));
    });
  };
  if (!ringed.some(seen)) return Object.assign(info, {ok: false, why: 'off screen or covered by another element'});
  return Object.assign(info, {ok: true});
}
"""


def focus_info(page) -> dict:
    """The focused element, asserted visible.  Allows a moment for transitions (search closing) to end."""
    try:
        page.wait_for_function(f"() => ({FOCUS_JS})().ok", timeout=FOCUS_GRACE_MS)
    except PlaywrightTimeoutError:
        pass
    info = page.evaluate(FOCUS_JS)
    assert info["ok"], f"focus is not visible on {info['what']}: {info['why']}"
    return info


def press(page, key: str) -> dict:
    page.keyboard.press(key)
    return focus_info(page)


def tab_until(page, wanted, limit: int = 150, shift: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until ``wanted(info)`` holds, checking visible focus at every stop."""
    for _ in range(limit):
        info = press(page, "Shift+Tab" if shift else "Tab")
        if wanted(info):
            return info
    raise AssertionError(
        f"{'Shift+' if shift else ''}Tab never reached the wanted element (last: {info['what']})"
    )


def answer_by_keyboard(page, quiz_id: str, right: bool, info: dict) -> dict:
    """Answer every question of the quiz from the keyboard, starting with focus on its first control,
    then press Enter on Check.  Returns the focus info after checking."""
    plan = {e["question"]: e for e in quiz_answers(page, f'[data-quiz="{quiz_id}"]', right)}
    selects_done: dict[str, int] = {}
    for _ in range(300):
        if info["action"] == "check":
            return press(page, "Enter")
        entry = plan.get(info["question"] or "")
        if entry and info["type"] == "radio":
            # arrow keys move through a radio group and select as they go; Space selects the first
            group, want = info["group"], entry["check"][0]
            steps = (group.index(want) - group.index(info["value"])) % len(group)
            if steps == 0:
                info = press(page, "Space")
            for _ in range(steps):
                info = press(page, "ArrowDown")
            assert info["checked"] and info["value"] == want, info
        elif entry and info["type"] == "checkbox":
            if (info["value"] in entry["check"]) != info["checked"]:
                info = press(page, "Space")
        elif entry and info["type"] == "text":
            page.keyboard.type(entry["text"])
            # look back once: Shift+Tab leaves the field, Tab returns to it, the text is kept
            press(page, "Shift+Tab")
            info = press(page, "Tab")
            assert info["value"] == entry["text"], info
        elif entry and info["tag"] == "SELECT":
            i = selects_done.get(entry["question"], 0)
            selects_done[entry["question"]] = i + 1
            for _ in range(entry["order"][i]):  # from "Choose its place" down to the wanted place
                info = press(page, "ArrowDown")
            assert info["value"] == str(entry["order"][i]), info
        info = press(page, "Tab")
    raise AssertionError("never reached the Check button")


def test_quiz_by_keyboard_alone(flagship_server, page):
    """Module 1's quiz (single, multiple, true/false, text, order): wrong first, Try again, then right."""
    page.goto(flagship_server.url + "modules/01-welcome.html")
    page.wait_for_selector("[data-quiz].cq-js")
    quiz_id = page.locator("[data-quiz]").get_attribute("data-quiz")
    info = tab_until(page, lambda i: i["quiz"] == quiz_id and i["question"] is not None)

    info = answer_by_keyboard(page, quiz_id, right=False, info=info)
    assert info["result"], f"after Check, focus should be on the result, not {info['what']}"
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-state") == "failed"

    info = tab_until(page, lambda i: i["action"] == "retry", limit=3, shift=True)
    info = press(page, "Space")
    assert info["quiz"] == quiz_id and info["question"], f"Try again should focus the first answer: {info}"
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-state") is None

    info = answer_by_keyboard(page, quiz_id, right=True, info=info)
    assert info["result"]
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-state") == "passed"
    # "…: passed. Well done." in the course's language (the ar build runs this test too)
    passed = page.evaluate("() => window.COURSE_MANIFEST.messages['quiz.score_passed']").rsplit("}", 1)[-1]
    assert passed.strip("%\u2069 ") in page.locator("[data-quiz-result]").text_content()
    assert not page.watch.errors


def test_quiz_error_summary_and_retake_by_keyboard(flagship_server, page):
    """Check with nothing answered: focus on the error summary, whose link leads to the question;
    then a pass, the next-page link after the result, and Start again (issue 9)."""
    page.goto(flagship_server.url + "modules/01-welcome.html")
    page.evaluate("localStorage.clear()")
    page.goto(flagship_server.url + "modules/01-welcome.html")
    page.wait_for_selector("[data-quiz].cq-js")
    quiz_id = page.locator("[data-quiz]").get_attribute("data-quiz")
    info = tab_until(page, lambda i: i["action"] == "check", limit=200)
    press(page, "Enter")
    assert page.evaluate("document.activeElement.hasAttribute('data-quiz-errors')")
    info = press(page, "Tab")
    assert info["href"] and info["href"].startswith("#"), info
    info = press(page, "Enter")
    assert info["quiz"] == quiz_id and info["question"], f"the link should focus the question: {info}"
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-attempts") == "0"

    info = answer_by_keyboard(page, quiz_id, right=True, info=info)
    assert info["result"]
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-state") == "passed"
    info = tab_until(page, lambda i: i["href"] is not None, limit=3)
    assert "02-not-personal" in info["href"], info
    info = tab_until(page, lambda i: i["action"] == "retake", limit=5, shift=True)
    info = press(page, "Enter")
    assert info["quiz"] == quiz_id and info["question"], f"Start again should focus the first answer: {info}"
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-state") is None
    assert page.locator(f'[data-quiz="{quiz_id}"]').get_attribute("data-attempts") == "0"
    assert not page.watch.errors


def choose_by_keyboard(page, scenario_id: str, index: int, key: str, info: dict) -> dict:
    """Move to ``button[data-choice=index]`` with Tab / Shift+Tab and activate it with ``key``."""
    in_choices = lambda i: i["scenario"] == scenario_id and i["choice"] is not None  # noqa: E731
    if not in_choices(info):
        info = tab_until(page, in_choices, limit=40)
    offered = page.locator(f'[data-scenario="{scenario_id}"] button[data-choice]').evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-choice'))"
    )
    here, there = offered.index(info["choice"]), offered.index(str(index))
    for _ in range(abs(there - here)):
        info = press(page, "Tab" if there > here else "Shift+Tab")
    assert info["choice"] == str(index), info
    return press(page, key)


def assert_on_node(page, scenario_id: str, info: dict) -> None:
    root = page.locator(f'[data-scenario="{scenario_id}"]')
    node = root.locator("[data-node]").first
    assert info["node"] is not None and info["scenario"] == scenario_id, (
        f"after a choice focus should be on the new node's text, not {info['what']}"
    )
    assert info["node"] == node.get_attribute("data-node")
    # the focused node holds the words of that node (as written in its build-time template)
    words = page.evaluate(
        """([root, id]) => { const t = root.querySelector(`template[data-tpl="${id}"]`);
             const text = t && t.content.querySelector('.cq-node__text');
             return (text ? text.textContent : '').replace(/\\s+/g, ' ').trim(); }""",
        [root.element_handle(), info["node"]],
    )
    focused = page.evaluate("document.activeElement.textContent.replace(/\\s+/g, ' ')")
    assert words and words in focused, f"focus is on node {info['node']} but not on its text"


def test_scenario_by_keyboard_alone(flagship_server, page):
    """The phone-call scenario from its first node to a success ending, by keyboard alone; then Back
    and Restart, also by keyboard."""
    sid = "practice-phone-call"
    page.goto(flagship_server.url + "practice/phone-call.html")
    root = page.locator(f'[data-scenario="{sid}"]')
    root.locator("[data-node]").first.wait_for()
    data = scenario_data(page, sid)
    route = scenario_route(data, ending="success")
    assert len(route) >= 3

    info = tab_until(page, lambda i: i["scenario"] == sid and i["choice"] is not None)
    for step, index in enumerate(route):
        before = root.locator("[data-node]").first.get_attribute("data-node")
        info = choose_by_keyboard(page, sid, index, "Enter" if step % 2 == 0 else "Space", info)
        assert_on_node(page, sid, info)
        assert info["node"] != before or root.get_attribute("data-ending")
        assert data["nodes"][info["node"]] is not None
    assert root.get_attribute("data-ending") == "success"
    assert root.locator("[data-recap]").is_visible()

    # Back one step, from the keyboard: focus returns to the (previous) node
    info = tab_until(page, lambda i: i["action"] == "back", limit=60)
    info = press(page, "Enter")
    assert_on_node(page, sid, info)
    assert root.get_attribute("data-ending") is None
    # and Restart: back at the start, focus on the first node
    info = tab_until(page, lambda i: i["action"] == "restart", limit=60)
    info = press(page, "Space")
    assert_on_node(page, sid, info)
    assert info["node"] == data["start"]
    assert not page.watch.errors


def test_scenario_retry_from_by_keyboard(flagship_server, page):
    """To a failure ending by keyboard alone, then a recap line's "Try step N again"
    (button[data-action=retry-from]) with Enter: focus lands on that step's node, the meters as
    they were, and the scenario then plays on to success by keyboard (issue 9 items 7 and 11)."""
    sid = "practice-phone-call"
    page.goto(flagship_server.url + "practice/phone-call.html")
    root = page.locator(f'[data-scenario="{sid}"]')
    root.locator("[data-node]").first.wait_for()
    data = scenario_data(page, sid)
    route = scenario_route(data, ending="failure")
    info = tab_until(page, lambda i: i["scenario"] == sid and i["choice"] is not None)
    for step, index in enumerate(route):
        info = choose_by_keyboard(page, sid, index, "Enter" if step % 2 == 0 else "Space", info)
    assert root.get_attribute("data-ending") == "failure"
    info = tab_until(page, lambda i: i["action"] == "retry-from", limit=80)
    info = press(page, "Enter")
    assert_on_node(page, sid, info)
    assert info["node"] == data["start"] and root.get_attribute("data-ending") is None
    info = tab_until(page, lambda i: i["scenario"] == sid and i["choice"] is not None, limit=10)
    for index in scenario_route(data, ending="success"):
        info = choose_by_keyboard(page, sid, index, "Enter", info)
        assert_on_node(page, sid, info)
    assert root.get_attribute("data-ending") == "success"
    assert not page.watch.errors


def test_palette_toggle_by_keyboard(flagship_server, page):
    """Material's light/dark switch is a radio pair: reachable with Tab, switched with an arrow key."""
    page.goto(flagship_server.url + "index.html")
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    start = scheme()
    tab_until(page, lambda i: i["type"] == "radio" and i["question"] is None, limit=10)
    press(page, "ArrowRight")
    assert scheme() != start
    press(page, "ArrowRight")
    assert scheme() == start


def test_navigation_drawer_by_keyboard_on_a_narrow_screen(flagship_server, browser):
    """At 320 CSS px (a 1280 px window zoomed to 400%) the navigation is a drawer: the closed drawer
    takes no focus, the Menu button opens it with Enter, its links are visible and work with Enter,
    and moving on past it never leaves focus hidden under it."""
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = ctx.new_page()
        page.goto(flagship_server.url + "modules/01-welcome.html")
        page.wait_for_selector("[data-quiz].cq-js")
        drawer_open = lambda: page.evaluate("document.getElementById('__drawer').checked")  # noqa: E731

        tab_until(page, lambda i: i["menu"], limit=4)
        for _ in range(8):  # closed: Tab goes on through the page, never into the hidden drawer
            assert not press(page, "Tab")["drawer"]

        tab_until(page, lambda i: i["menu"], limit=12, shift=True)
        press(page, "Enter")
        assert drawer_open()
        # Tab passes the header (the drawer steps aside meanwhile), then walks the drawer's links
        tab_until(page, lambda i: i["drawer"] and (i["href"] or "").endswith("02-not-personal.html"))
        press(page, "Tab")
        info = press(page, "Shift+Tab")
        assert info["drawer"] and info["href"].endswith("02-not-personal.html")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("modules/02-not-personal.html")
    finally:
        ctx.close()
