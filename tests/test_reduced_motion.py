"""prefers-reduced-motion: with it set, no transition or animation runs, ours or Material's.

Checked two ways on lesson, scenario, progress and search states:
- statically: every element (and its ::before/::after) has zero transition and animation time, and
  nothing scrolls smoothly;
- dynamically: right after each interaction (palette switch, search, quiz check, scenario choice,
  Back, back-to-top) ``document.getAnimations()`` holds nothing that is still running.
A control test shows that the same probes do find motion when reduced motion is not asked for.
"""

from __future__ import annotations

import pytest

from tests.test_accessibility import (
    answer_quiz,
    play,
    scenario_data,
    scenario_route,
    settle,
    start_scenario,
    use_palette,
)

pytestmark = pytest.mark.browser

MOTION_JS = """
() => {
  const out = [];
  const secs = v => v.split(',').map(x => parseFloat(x) * (x.trim().endsWith('ms') ? 0.001 : 1));
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  for (const el of [document.documentElement, ...document.querySelectorAll('body *')]) {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (pseudo && cs.content === 'none') continue;
      const t = secs(cs.transitionDuration), td = secs(cs.transitionDelay);
      if (t.some((d, i) => d + (td[i] || 0) > 0) && cs.transitionProperty !== 'none')
        out.push(`${name(el)}${pseudo || ''}: transition ${cs.transitionProperty} ${cs.transitionDuration}`);
      if (cs.animationName !== 'none' && secs(cs.animationDuration).some(d => d > 0))
        out.push(`${name(el)}${pseudo || ''}: animation ${cs.animationName} ${cs.animationDuration}`);
    }
  }
  if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') out.push('html: smooth scrolling');
  return out;
}
"""

RUNNING_JS = """
() => document.getAnimations().filter(a => a.playState === 'running').map(a => {
  const t = a.effect && a.effect.target;
  return (a.animationName || a.transitionProperty || a.constructor.name) + ' on ' +
    (t ? t.tagName.toLowerCase() + '.' + (typeof t.className === 'string' ? t.className : '') : '?');
})
"""


def moving(page) -> list[str]:
    return page.evaluate(MOTION_JS)


def assert_still(page, when: str) -> None:
    running = page.evaluate(RUNNING_JS)
    assert not running, f"animations running {when}: {running}"
    found = moving(page)
    assert not found, f"motion left {when}:\n" + "\n".join(found[:30])


@pytest.fixture
def reduced(page):
    page.emulate_media(reduced_motion="reduce")
    return page


def test_probe_finds_motion_without_the_preference(flagship_server, page):
    """Control: with motion allowed, Material and our widgets do transition (so the probes work)."""
    page.emulate_media(reduced_motion="no-preference")
    page.goto(flagship_server.url + "practice/phone-call.html")
    settle(page)
    found = moving(page)
    assert any(".md-" in f for f in found), found[:10]  # Material's own transitions
    assert any(".cq-" in f for f in found), found[:10]  # ours (scenario choices, meters)


@pytest.mark.parametrize(
    "rel",
    ["index.html", "modules/01-welcome.html", "practice/phone-call.html", "progress.html", "completion.html"],
)
def test_pages_hold_still(flagship_server, reduced, rel):
    reduced.goto(flagship_server.url + rel)
    settle(reduced)
    assert_still(reduced, f"on {rel}")
    use_palette(
        reduced, "slate" if reduced.evaluate("document.body.dataset.mdColorScheme") != "slate" else "default"
    )
    assert_still(reduced, f"on {rel} right after switching the palette")


def test_interactions_hold_still(flagship_server, reduced):
    page = reduced
    base = flagship_server.url
    page.goto(base + "modules/01-welcome.html")
    settle(page)

    page.locator(".md-search__input").focus()
    page.keyboard.type("apolog")
    page.locator(".md-search-result__item").first.wait_for()
    assert_still(page, "with search open")
    page.keyboard.press("Escape")
    assert_still(page, "right after closing search")

    answer_quiz(page, "[data-quiz]", right=False)
    assert_still(page, "right after checking a quiz")
    page.locator('[data-quiz] button[data-action="retry"]').click()
    assert_still(page, "right after Try again")

    # Material's back-to-top button appears when scrolling up after scrolling down
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(100)
    page.mouse.wheel(0, -400)
    top = page.locator(".md-top")
    top.wait_for(state="visible")
    assert_still(page, "with the back-to-top button shown")
    top.click()
    assert page.evaluate("scrollY") == 0, "back to top should jump, not glide"
    assert_still(page, "right after back to top")

    sid = "practice-phone-call"
    page.goto(base + "practice/phone-call.html")
    root = start_scenario(page, sid)
    route = scenario_route(scenario_data(page, sid), ending="failure")
    play(page, sid, route[:1])
    assert_still(page, "right after a scenario choice (meters moved)")
    play(page, sid, route[1:])
    assert root.get_attribute("data-ending") == "failure"
    assert_still(page, "at a scenario ending")
    root.locator('button[data-action="back"]').click()
    assert_still(page, "right after Back")
