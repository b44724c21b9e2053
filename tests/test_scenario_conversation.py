"""Issue 9 items 5-7 and issue 11 item 6 for scenarios, in Chromium at 1280 and 390 px:
the conversation transcript ([data-transcript] > [data-turn]), narration and the debrief card,
meter change chips ([data-meter-delta]) and the critical state, endings found ([data-endings]),
retry-from, the best path, and scenario state shared between tabs."""

from __future__ import annotations

from collections import deque

import pytest

from builder.course import Course
from tests.helpers import REPO, Server, build_ok, make_project
from tests.test_accessibility import assert_no_violations, open_page
from tests.test_scenario_browser import (
    SID,
    assert_clean,
    choose,
    current,
    expected_states,
    meters,
    open_scenario,
    record_events,
)
from tests.test_scenario_paths import offered, shortest_path, start_state

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def model():
    return Course.load(REPO).items[SID].model


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def wpage(request, browser):
    ctx = browser.new_context(viewport={"width": request.param, "height": 860})
    page = ctx.new_page()
    from tests.conftest import PageWatch

    page.watch = PageWatch(page)
    yield page
    ctx.close()


def path_to_low(model) -> tuple[list[int], str]:
    """A shortest path after which some meter sits at its minimum (and which meter)."""
    names = list(model.meters)
    start = start_state(model)
    queue, seen = deque([(start, [])]), {start}
    while queue:
        (node, values), path = queue.popleft()
        for i, name in enumerate(names):
            if path and values[i] == model.meters[name].min:
                return path, name
        for index, to, after in offered(model, node, values):
            if (to, after) not in seen and not model.nodes[to].ending:
                seen.add((to, after))
                queue.append(((to, after), path + [index]))
    raise AssertionError("no path takes a meter to its minimum")


def words(text: str, n: int = 5) -> str:
    return " ".join(text.split()[:n])


def test_transcript_keeps_every_turn_top_to_bottom_and_focus_on_the_newest(wpage, flagship_server, model):
    page = wpage
    root = open_scenario(page, flagship_server)
    record_events(page)
    transcript = root.locator("[data-transcript]")
    assert transcript.locator("[data-turn]").count() == 0
    path = shortest_path(model, "success")
    states = expected_states(model, path)
    for step, index in enumerate(path, 1):
        choose(page, root, index)
        turns = transcript.locator("[data-turn]")
        assert turns.count() == step
        for i in range(step):
            node_id = states[i][0]
            node, choice = model.nodes[node_id], model.nodes[node_id].choices[path[i]]
            text = turns.nth(i).inner_text()
            assert words(node.text) in " ".join(text.split()), (i, text)  # the speaker's line
            assert words(choice.text.strip('"')) in " ".join(text.split())  # the learner's reply
            if choice.feedback:
                assert words(choice.feedback) in " ".join(text.split())  # the coaching
        tops = [turns.nth(i).bounding_box()["y"] for i in range(step)]
        assert tops == sorted(tops)  # reads top to bottom
        # the newest turn has focus: on the new node's line, at the foot of the newest turn
        focus = page.evaluate(
            """() => { const a = document.activeElement, t = a.closest('[data-turn]'),
                 all = a.closest('[data-transcript]').querySelectorAll('[data-turn]');
                 return {node: a.getAttribute('data-node'), newest: t === all[all.length - 1]}; }"""
        )
        assert focus == {"node": states[step][0], "newest": True}
    assert root.locator("[data-node]").count() == 1
    # nothing sticks out sideways at phone width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_clean(page, flagship_server)


def test_back_drops_the_newest_turn(page, flagship_server, model):
    root = open_scenario(page, flagship_server)
    record_events(page)
    path = shortest_path(model, "success")
    for index in path[:3]:
        choose(page, root, index)
    root.locator('[data-action="back"]').click()
    assert root.locator("[data-transcript] [data-turn]").count() == 2
    assert root.locator("[data-feedback]").count() == 1  # only the newest coaching is the live one


NARRATED = """\
kind: scenario
title: A narrated visit
start: door
meters:
  calm: {label: "Calm", start: 2, min: 0, max: 4}
nodes:
  door:
    text: "The shop is quiet. A man walks in holding a broken kettle."
    choices:
      - {text: "Greet him.", to: talk, feedback: "A warm start.", effects: {calm: 1}}
      - {text: "Keep typing.", to: talk, feedback: "He feels ignored.", effects: {calm: -2}}
  talk:
    speaker: Mr Reyes
    mood: upset
    text: "It stopped after two days."
    choices:
      - {text: "I'm sorry. Let's swap it now.", to: good, effects: {calm: 1}}
      - {text: "Did you descale it?", to: bad, effects: {calm: -2}}
  good: {ending: success, text: "**Swapped and smiling.** He leaves with a new kettle."}
  bad: {ending: failure, text: "He leaves and posts a review. Ask before you suggest a fault."}
"""


@pytest.fixture(scope="module")
def narrated_server(tmp_path_factory):
    proj = make_project(
        tmp_path_factory.mktemp("narrated") / "p",
        {"quizzes/visit.yml": NARRATED, "content/index.md": "# Visit\n\n::: scenario visit\n"},
    )
    with Server(build_ok(proj)) as server:
        yield server


def test_narration_and_the_debrief_card_look_apart_from_speech(narrated_server, page):
    page.goto(narrated_server.url + "index.html")
    root = page.locator('[data-scenario="visit"]')
    root.locator("[data-node]").wait_for()
    node = root.locator("[data-node]")
    assert "cq-node--narration" in node.get_attribute("class")
    style = "el => { const s = getComputedStyle(el); return [s.fontStyle, s.backgroundColor, s.borderLeftStyle]; }"
    narration = node.evaluate(style)
    root.locator('button[data-choice="0"]').click()
    assert root.locator("[data-turn] .cq-line--narration").count() == 1  # the past narration too
    speech = node.evaluate(style)
    assert narration != speech and narration[0] == "italic" and speech[0] == "normal"
    root.locator('button[data-choice="0"]').click()
    assert root.get_attribute("data-ending") == "success"
    debrief = root.locator("[data-node]")
    assert "cq-node--debrief" in debrief.get_attribute("class")
    assert debrief.locator(".cq-node__who").count() == 0  # not the speaker's bubble
    assert "debrief" in debrief.inner_text().lower() and "Outcome: Success" in debrief.inner_text()
    card = debrief.evaluate(style)
    assert card != speech and card[2] == "solid"
    endings = root.locator("[data-endings]")
    assert "1 of 2" in endings.inner_text()
    assert "Swapped and smiling" in endings.locator('[data-found="true"]').inner_text()
    assert "not found yet" in endings.locator('[data-found="false"]').inner_text()


def test_meter_chips_low_state_and_words_in_the_live_region(wpage, flagship_server, model):
    page = wpage
    root = open_scenario(page, flagship_server)
    record_events(page)
    path, low = path_to_low(model)
    states = expected_states(model, path)
    for step, index in enumerate(path, 1):
        choose(page, root, index)
        assert meters(root) == states[step][1]
        for name, value in states[step][1].items():
            chip = root.locator(f'[data-meter="{name}"] [data-meter-delta]')
            diff = value - states[step - 1][1][name]
            effect = model.nodes[states[step - 1][0]].choices[index].effects.get(name, 0)
            if diff:
                assert chip.is_visible()
                assert chip.inner_text() == (f"+{diff}" if diff > 0 else f"\u2212{-diff}")
            elif not effect:
                assert chip.is_hidden()
    gauge = root.locator(f'[data-meter="{low}"]')
    assert gauge.get_attribute("data-level") == "low"
    state = gauge.locator("[data-meter-state]")
    assert state.is_visible() and "Critical" in state.inner_text()
    assert "lowest" in gauge.get_attribute("aria-valuetext")
    colour = state.evaluate("el => getComputedStyle(el).color")
    assert colour != page.locator("body").evaluate("el => getComputedStyle(el).color")
    live = root.locator("[data-live]").text_content()
    assert "went down by" in live or "went up by" in live or "cannot go lower" in live
    label = model.meters[low].label
    assert label in live
    # a meter that is not at its minimum is not critical
    others = [n for n in model.meters if states[-1][1][n] > model.meters[n].min]
    for name in others:
        assert root.locator(f'[data-meter="{name}"]').get_attribute("data-level") != "low"


def test_endings_found_are_named_and_kept_per_version(page, flagship_server, model):
    root = open_scenario(page, flagship_server)
    record_events(page)
    endings = root.locator("[data-endings]")
    total = sum(1 for n in model.nodes.values() if n.ending)
    assert f"0 of {total}" in endings.inner_text()
    for index in shortest_path(model, "success"):
        choose(page, root, index)
    assert f"1 of {total}" in endings.locator("[data-endings-count]").inner_text()
    assert "Sorted" in endings.locator('[data-found="true"]').inner_text()
    assert endings.locator('[data-found="false"]').count() == total - 1
    assert all("not found yet" in t for t in endings.locator('[data-found="false"]').all_inner_texts())
    root.locator('[data-action="restart"]').click()
    for index in shortest_path(model, "failure"):
        choose(page, root, index)
    assert f"2 of {total}" in endings.locator("[data-endings-count]").inner_text()
    page.reload()
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    assert f"2 of {total}" in root.locator("[data-endings-count]").inner_text()
    key = page.evaluate("COURSE_MANIFEST.storage_key")
    record = page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).scenarios['{SID}']")
    assert len(record["found"]) == 2 and record["v"] == root.get_attribute("data-version")
    # endings found in an earlier version of the scenario do not count for this one
    page.evaluate(
        f"""() => {{ const s = JSON.parse(localStorage.getItem('{key}'));
             s.scenarios['{SID}'].v = 'older'; localStorage.setItem('{key}', JSON.stringify(s));
             Object.keys(localStorage).filter(k => k.startsWith('cq-scenario:')).forEach(k => localStorage.removeItem(k)); }}"""
    )
    page.reload()
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    assert f"0 of {total}" in root.locator("[data-endings-count]").inner_text()
    assert page.watch.errors == []


def test_retry_from_rewinds_with_the_meters_replayed(wpage, flagship_server, model):
    page = wpage
    root = open_scenario(page, flagship_server)
    record_events(page)
    path = shortest_path(model, "failure")
    states = expected_states(model, path)
    for index in path:
        choose(page, root, index)
    buttons = root.locator('[data-recap-list] > li button[data-action="retry-from"]')
    assert buttons.count() == len(path)
    step = len(path) - 1 if len(path) > 1 else 0
    buttons.nth(step).click()
    page.wait_for_function("() => window.__events.slice(-1)[0].action === 'retry-from'")
    assert root.get_attribute("data-ending") is None
    assert current(root) == states[step][0]
    assert meters(root) == states[step][1]
    assert root.locator("[data-transcript] [data-turn]").count() == step
    assert page.evaluate("document.activeElement.getAttribute('data-node')") == states[step][0]
    assert page.evaluate("window.__events.slice(-1)[0].path") == path[:step]
    assert_clean(page, flagship_server)


def test_best_path_after_success_only(page, flagship_server, model):
    root = open_scenario(page, flagship_server)
    record_events(page)
    data_best = page.evaluate(
        "JSON.parse(document.querySelector('script[data-scenario-data]').textContent).best"
    )
    assert data_best and expected_states(model, data_best)[-1][0] in {
        n for n, node in model.nodes.items() if node.ending == "success"
    }
    for index in shortest_path(model, "failure"):
        choose(page, root, index)
    assert root.locator("[data-best-path]").is_hidden()
    root.locator('[data-action="restart"]').click()
    for index in shortest_path(model, "success"):
        choose(page, root, index)
    best = root.locator("[data-best-path]")
    assert best.is_visible()
    assert best.locator("[data-best-list] > li").count() == len(data_best)
    first = model.nodes[model.start].choices[data_best[0]].text
    assert words(first.strip('"'), 4) in best.inner_text()


def test_keyboard_retry_from(page, flagship_server, model):
    from tests.test_keyboard import assert_on_node, press, tab_until

    root = open_scenario(page, flagship_server)
    record_events(page)
    for index in shortest_path(model, "success"):
        choose(page, root, index)
    root.locator("[data-node]").focus()
    info = tab_until(page, lambda i: i["action"] == "retry-from", limit=80)
    info = press(page, "Enter")
    assert_on_node(page, SID, info)
    assert info["node"] == model.start
    assert root.get_attribute("data-ending") is None


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_new_states_have_no_axe_violations(flagship_server, page, scheme, model):
    open_page(page, flagship_server.url, "practice/phone-call.html", scheme)
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    record_events(page)
    scope = f'[data-scenario="{SID}"]'
    path, _ = path_to_low(model)
    for index in path:
        choose(page, root, index)
    assert_no_violations(page, f"meters with chips and a critical meter ({scheme})", scope)
    root.locator('[data-action="restart"]').click()
    for index in shortest_path(model, "success"):
        choose(page, root, index)
    assert root.locator("[data-best-path]").is_visible()
    assert_no_violations(page, f"success ending with best path and endings found ({scheme})", scope)
    root.locator('button[data-action="retry-from"]').nth(1).click()
    assert_no_violations(page, f"after retry-from ({scheme})", scope)


def test_another_tab_follows_and_a_reset_elsewhere_is_not_undone(context, flagship_server, model):
    a, b = context.new_page(), context.new_page()
    ra, rb = open_scenario(a, flagship_server), open_scenario(b, flagship_server)
    record_events(a)
    path = shortest_path(model, "success")
    states = expected_states(model, path)
    for index in path[:2]:
        choose(a, ra, index)
    b.wait_for_function(
        "n => document.querySelector('[data-node]').getAttribute('data-node') === n", arg=states[2][0]
    )
    assert meters(rb) == states[2][1]
    # B goes on; A follows, so neither tab writes an older place back
    rb.locator(f'button[data-choice="{path[2]}"]').click()
    a.wait_for_function(
        "n => document.querySelector('[data-node]').getAttribute('data-node') === n", arg=states[3][0]
    )
    # a reset on the progress page in a third tab sends both back to the start
    c = context.new_page()
    c.goto(flagship_server.url + "progress.html")
    c.get_by_role("button", name="Reset my progress…").click()
    c.get_by_role("button", name="Yes, delete my progress").click()
    for p in (a, b):
        p.wait_for_function(
            "n => document.querySelector('[data-node]').getAttribute('data-node') === n", arg=model.start
        )
    choose(a, ra, path[0])
    key = a.evaluate("COURSE_MANIFEST.storage_key")
    stored = a.evaluate(f"JSON.parse(localStorage.getItem('{key}'))")
    assert stored["scenarios"][SID]["steps"] == 1  # the old place did not come back
