"""The scenario player in Chromium, through its DOM contract:
root [data-scenario], current node [data-node], choices button[data-choice], meters [data-meter]
with data-value, data-ending on the root at an ending, [data-action=back] and [data-action=restart]."""

from __future__ import annotations

import json

import pytest

from builder.course import Course
from tests.conftest import INSTANT_MODES
from tests.helpers import REPO, Server, goto
from tests.test_scenario_paths import offered, shortest_path, start_state

pytestmark = pytest.mark.browser

SID = "practice-phone-call"
PAGE = "practice/phone-call.html"
OUTCOME = {"success": "Success", "partial": "Partial success", "failure": "Failure"}


@pytest.fixture(scope="module")
def zensical_flagship_server(zensical_flagship_site):
    """The flagship built by Zensical (issue 17)."""
    with Server(zensical_flagship_site) as server:
        yield server


@pytest.fixture(params=[*INSTANT_MODES, pytest.param("zensical", id="zensical")])
def flagship_nav_server(request):
    """The flagship built by MkDocs with navigation.instant off, then on, then built by Zensical."""
    name = {False: "flagship_server", True: "flagship_instant_server", "zensical": "zensical_flagship_server"}
    return request.getfixturevalue(name[request.param])


@pytest.fixture(scope="module")
def model():
    return Course.load(REPO).items[SID].model


def expected_states(model, path):
    """(node id, {meter: value}) at the start and after each choice of ``path``."""
    names = list((model.meters or {}).keys())
    node, values = start_state(model)
    states = [(node, dict(zip(names, values, strict=True)))]
    for index in path:
        step = {i: (to, after) for i, to, after in offered(model, node, values)}
        assert index in step, f"choice {index} is not offered at {node}"
        node, values = step[index]
        states.append((node, dict(zip(names, values, strict=True))))
    return states


def open_scenario(page, server, path=PAGE):
    goto(page, server, path)  # with navigation.instant: reached by a click, no reload
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    return root


def current(root) -> str:
    nodes = root.locator("[data-node]")
    assert nodes.count() == 1
    return nodes.get_attribute("data-node")


def meters(root) -> dict[str, int]:
    out = {}
    for el in root.locator("[data-meter]").all():
        out[el.get_attribute("data-meter")] = int(el.get_attribute("data-value"))
        assert el.get_attribute("role") == "meter"
        assert el.get_attribute("aria-valuenow") == el.get_attribute("data-value")
        assert f"{el.get_attribute('data-value')} of " in el.inner_text()
    return out


def choose(page, root, index: int) -> None:
    before = len(page.evaluate("window.__events || []"))
    root.locator(f'button[data-choice="{index}"]').click()
    page.wait_for_function("n => (window.__events || []).length > n", arg=before)


def record_events(page) -> None:
    page.evaluate(
        "window.__events = []; document.addEventListener('course:scenario', e => window.__events.push(e.detail))"
    )


def assert_clean(page, server) -> None:
    assert page.watch.errors == []
    assert page.watch.foreign_requests("/".join(server.url.split("/")[:3])) == []


def play_through(page, root, model, path, outcome):
    states = expected_states(model, path)
    assert current(root) == states[0][0]
    assert meters(root) == states[0][1]
    for step, index in enumerate(path, 1):
        offered_now = {
            i for i, _, _ in offered(model, states[step - 1][0], tuple(states[step - 1][1].values()))
        }
        shown = {int(b.get_attribute("data-choice")) for b in root.locator("button[data-choice]").all()}
        assert shown == offered_now  # only the choices whose requirements are met
        choose(page, root, index)
        node, values = states[step]
        assert current(root) == node
        assert meters(root) == values
        # the feedback for the choice just made
        feedback = model.nodes[states[step - 1][0]].choices[index].feedback
        if feedback:
            assert " ".join(feedback.split()[:4]) in root.locator("[data-feedback]").inner_text()
    assert root.get_attribute("data-ending") == outcome
    assert root.locator("button[data-choice]").count() == 0
    assert f"Outcome: {OUTCOME[outcome]}" in root.locator("[data-node]").inner_text()
    recap = root.locator("[data-recap-list] > li")
    assert recap.count() == len(path)
    for i, index in enumerate(path):
        choice = model.nodes[states[i][0]].choices[index]
        text = recap.nth(i).inner_text()
        assert " ".join(choice.feedback.split()[:4]) in text
    events = page.evaluate("window.__events")
    assert [e["action"] for e in events] == ["choose"] * len(path)
    last = events[-1]
    assert last["scenario"] == SID and last["ending"] == outcome and last["path"] == path
    assert last["node"] == states[-1][0] and last["meters"] == states[-1][1]
    assert last["version"] == root.get_attribute("data-version")
    assert all(e["ending"] is None for e in events[:-1])


def test_success_path(page, flagship_nav_server, model):
    root = open_scenario(page, flagship_nav_server)
    record_events(page)
    path = shortest_path(model, "success")
    assert any(c.requires for n in model.nodes.values() for c in n.choices or [])
    play_through(page, root, model, path, "success")
    assert_clean(page, flagship_nav_server)


def test_failure_path(page, flagship_nav_server, model):
    root = open_scenario(page, flagship_nav_server)
    record_events(page)
    play_through(page, root, model, shortest_path(model, "failure"), "failure")
    assert_clean(page, flagship_nav_server)


def test_back_and_restart(page, flagship_nav_server, model):
    root = open_scenario(page, flagship_nav_server)
    record_events(page)
    back, restart = root.locator('[data-action="back"]'), root.locator('[data-action="restart"]')
    assert back.is_disabled() and restart.is_disabled()
    start, start_meters = expected_states(model, [])[0]
    path = shortest_path(model, "success")
    choose(page, root, path[0])
    choose(page, root, path[1])
    states = expected_states(model, path[:2])
    assert current(root) == states[2][0]
    back.click()
    assert current(root) == states[1][0] and meters(root) == states[1][1]
    assert root.locator("[data-turn]").is_visible()
    back.click()
    assert current(root) == start and meters(root) == start_meters
    assert root.locator("[data-turn]").is_hidden()
    assert back.is_disabled()
    # to an ending, back out of it, then restart
    for index in path:
        choose(page, root, index)
    assert root.get_attribute("data-ending") == "success"
    back.click()
    assert root.get_attribute("data-ending") is None
    assert current(root) == expected_states(model, path)[-2][0]
    assert root.locator("[data-recap]").is_hidden()
    restart.click()
    assert current(root) == start and meters(root) == start_meters
    events = page.evaluate("window.__events")
    assert [e["action"] for e in events][-3:] == ["choose", "back", "restart"]
    assert events[-1]["path"] == [] and events[-1]["node"] == start and events[-1]["ending"] is None
    assert_clean(page, flagship_nav_server)


def test_reload_resumes(page, flagship_nav_server, model):
    root = open_scenario(page, flagship_nav_server)
    record_events(page)
    path = shortest_path(model, "failure")
    choose(page, root, path[0])
    states = expected_states(model, path)
    page.reload()
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    assert current(root) == states[1][0]
    assert meters(root) == states[1][1]
    assert root.locator("[data-turn]").is_visible()  # the last choice and its feedback are back too
    record_events(page)
    for index in path[1:]:
        choose(page, root, index)
    assert root.get_attribute("data-ending") == "failure"
    page.reload()
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    assert root.get_attribute("data-ending") == "failure"
    assert root.locator("[data-recap-list] > li").count() == len(path)
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('cq-scenario:'))")
    assert len(stored) == 1 and stored[0].endswith(f":{SID}:{root.get_attribute('data-version')}")
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", stored[0])) == {"path": path}
    assert_clean(page, flagship_nav_server)


def test_bad_saved_state_is_ignored(page, flagship_nav_server, model):
    open_scenario(page, flagship_nav_server)
    key = page.evaluate(
        "() => { const r = document.querySelector('[data-scenario]');"
        " return 'cq-scenario:' + window.COURSE_MANIFEST.storage_key + ':' + r.dataset.scenario + ':' + r.dataset.version; }"
    )
    start = expected_states(model, [])[0][0]
    for saved in ("{not json", '{"path": "x"}', '{"path": [99, 0]}', "null", '{"path": [-1, 1.5]}'):
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, saved])
        page.reload()
        root = page.locator(f'[data-scenario="{SID}"]')
        root.locator("[data-node]").wait_for()
        assert current(root) == start, saved
    # a saved path that is only partly possible resumes as far as it goes
    path = shortest_path(model, "success")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps({"path": path[:2] + [42]})])
    page.reload()
    root = page.locator(f'[data-scenario="{SID}"]')
    root.locator("[data-node]").wait_for()
    assert current(root) == expected_states(model, path[:2])[-1][0]
    assert page.watch.errors == []


def test_storage_unavailable(context, flagship_nav_server, model):
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});"
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    root = open_scenario(page, flagship_nav_server)
    path = shortest_path(model, "success")
    for index in path:
        root.locator(f'button[data-choice="{index}"]').click()
    assert root.get_attribute("data-ending") == "success"
    assert [e for e in errors if "scenario" in e.lower()] == []


def test_keyboard_only(page, flagship_nav_server, model):
    """A whole scenario with Tab, Shift+Tab, Space and Enter; focus lands on each new node's text."""
    root = open_scenario(page, flagship_nav_server)
    active = "() => { const a = document.activeElement; return a ? {choice: a.getAttribute('data-choice'),"
    active += (
        " node: a.getAttribute('data-node'), action: a.getAttribute('data-action'), tag: a.tagName} : {}; }"
    )
    for _ in range(300):  # from the top of the page to the first choice
        page.keyboard.press("Tab")
        if page.evaluate(active)["choice"] is not None:
            break
    assert page.evaluate(active)["choice"] == "0"
    path = shortest_path(model, "success")
    states = expected_states(model, path)
    keys = ["Enter", "Space"]
    for step, index in enumerate(path):
        if step:  # focus is on the node text: the choices come next
            page.keyboard.press("Tab")
        for _ in range(index):
            page.keyboard.press("Tab")
        if index == 0 and step % 2:  # go past it and come back, to use Shift+Tab too
            page.keyboard.press("Tab")
            page.keyboard.press("Shift+Tab")
        assert page.evaluate(active)["choice"] == str(index)
        page.keyboard.press(keys[step % 2])
        now = page.evaluate(active)
        assert now["node"] == states[step + 1][0], now  # focus moved to the new node's text
    assert root.get_attribute("data-ending") == "success"
    live = root.locator("[data-live]")
    assert "Outcome: Success" in live.text_content()
    assert live.get_attribute("aria-live") == "polite"
    # Back by keyboard: from the node text, Tab past the recap to the Back button
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(active)["action"] == "back":
            break
    page.keyboard.press("Enter")
    assert page.evaluate(active)["node"] == states[-2][0]
    assert root.get_attribute("data-ending") is None
    assert_clean(page, flagship_nav_server)


def test_no_javascript(browser, flagship_server):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(flagship_server.url + PAGE)
        root = page.locator(f'[data-scenario="{SID}"]')
        notice = root.locator(".cq-nojs")
        assert notice.is_visible()
        assert "needs JavaScript" in notice.inner_text()
        assert root.locator("[data-player]").is_hidden()
        assert root.locator("[data-node]").count() == 0
        assert page.locator("[data-node]").count() == 0
    finally:
        ctx.close()


def test_only_one_data_node_and_template_text_inert(page, flagship_nav_server):
    open_scenario(page, flagship_nav_server)
    assert page.locator("[data-node]").count() == 1
    # author text lives in inert <template>s, the structure in JSON
    assert page.locator(f'[data-scenario="{SID}"] template[data-tpl]').count() > 10
    data = json.loads(page.locator("script[data-scenario-data]").text_content())
    assert data["start"] and data["nodes"][data["start"]]["choices"]


def test_every_flagship_scenario_plays_to_each_ending(page, flagship_server):
    c = Course.load(REPO)
    pages = {e.id: e.page for e in c.embeds if e.kind == "scenario"}
    for sid, src in sorted(pages.items()):
        model = c.items[sid].model
        page.goto(flagship_server.url + src[:-3] + ".html")
        root = page.locator(f'[data-scenario="{sid}"]')
        root.locator("[data-node]").wait_for()
        for outcome in sorted({n.ending for n in model.nodes.values() if n.ending}):
            restart = root.locator('[data-action="restart"]')
            if restart.is_enabled():
                restart.click()
            path = shortest_path(model, outcome)
            for index in path:
                root.locator(f'button[data-choice="{index}"]').click()
            assert root.get_attribute("data-ending") == outcome, (sid, outcome)
            assert root.locator("[data-recap-list] > li").count() == len(path)
    assert_clean(page, flagship_server)
