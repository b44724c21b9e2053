"""Material's own saved settings cannot break the pages (issue 11 item 9).

Material keeps the palette, linked tabs, cookie consent, the announcement and repository facts in
web storage under "<site path>.__name" and reads them without checks. Corrupt or foreign values
there made its scripts throw on every page; storage.js (in <head>) now removes what Material would
not have written itself, and keeps what it would.
"""

from __future__ import annotations

import json

import pytest

CORRUPT = {
    "not-json": ("localStorage", "__palette", "{not json"),
    "palette-number": ("localStorage", "__palette", "5"),
    "palette-index-text": ("localStorage", "__palette", '{"index":"x","color":{"scheme":"slate"}}'),
    "palette-bad-attribute": ("localStorage", "__palette", '{"index":0,"color":{"bad key":"x"}}'),
    "palette-automatic-elsewhere": (  # kept, but this site has no automatic option
        "localStorage",
        "__palette",
        '{"index":0,"color":{"media":"(prefers-color-scheme)"}}',
    ),
    "tabs-number": ("localStorage", "__tabs", "7"),
    "consent-list": ("localStorage", "__consent", "[1,2]"),
    "announce-text": ("localStorage", "__announce", "{"),
    "source-corrupt": ("sessionStorage", "__source", "{oops"),
    "source-foreign": ("sessionStorage", "__source", '{"x":{"y":1}}'),
}
PAGES = ["index.html", "modules/02-not-personal.html", "practice/phone-call.html", "progress.html"]


def seed(entries: list[tuple[str, str, str]], scope: str) -> str:
    lines = [
        f"window[{store!r}].setItem({json.dumps(scope + '.' + key)}, {json.dumps(value)});"
        for store, key, value in entries
    ]
    return "try {" + "".join(lines) + "} catch (e) {}"


@pytest.mark.parametrize("case", list(CORRUPT), ids=list(CORRUPT))
def test_corrupt_theme_values_do_not_throw_on_any_page(context, flagship_server, case):
    store, key, value = CORRUPT[case]
    scope = flagship_server.prefix  # Material's scope is the site's root path
    context.add_init_script(seed([(store, key, value)], scope))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for path in PAGES:
        page.goto(flagship_server.url + path)
        page.wait_for_function(
            "() => window.CourseProgress && [...document.querySelectorAll('[data-module]')].every((e) => e.courseWidget)"
        )
    # the palette toggle still works after all that
    page.locator("label[for^='__palette_']:visible").first.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert errors == [], errors


def test_values_material_wrote_itself_are_kept(context, flagship_server):
    scope = flagship_server.prefix
    palette = {"index": 1, "color": {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                                      "primary": "indigo", "accent": "indigo"}}  # fmt: skip
    context.add_init_script(seed([("localStorage", "__palette", json.dumps(palette)),
                                  ("localStorage", "__tabs", '["Phone"]')], scope))  # fmt: skip
    page = context.new_page()
    page.goto(flagship_server.url + "index.html")
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert page.evaluate("k => localStorage.getItem(k)", scope + ".__tabs") == '["Phone"]'


AUTO_PALETTE = """\
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to system preference
    - media: "(prefers-color-scheme)"
      toggle:
        icon: material/brightness-auto
        name: Switch to light mode
"""
PLAIN_PALETTE = """\
  palette:
    - scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode
"""


@pytest.fixture(scope="module")
def palette_sites(tmp_path_factory):
    from tests.helpers import BASE_MKDOCS, Server, build_ok, make_project

    servers = {}
    for name, palette in (("auto", AUTO_PALETTE), ("plain", PLAIN_PALETTE)):
        yml = BASE_MKDOCS.format(site_name="Palette", course_id="palette", plugin_extra="")
        yml = yml.replace("  font: false\n", "  font: false\n" + palette)
        root = tmp_path_factory.mktemp(name)
        project = make_project(root / "p", {"content/index.md": "# Home\n\nHello.\n"}, mkdocs_yml=yml)
        servers[name] = Server(build_ok(project)).__enter__()
    yield servers
    for server in servers.values():
        server.__exit__(None, None, None)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_a_saved_automatic_palette_follows_the_system(browser, palette_sites, scheme, tmp_path):
    """The learner chose Material's "automatic" palette (follow the system): it stays saved, and
    the page follows the system's light or dark setting, with the automatic option selected."""
    server = palette_sites["auto"]
    scope = server.prefix
    auto = {"index": 2, "color": {"media": "(prefers-color-scheme)", "scheme": "default",
                                  "primary": "indigo", "accent": "indigo"}}  # fmt: skip
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    context.add_init_script(seed([("localStorage", "__palette", json.dumps(auto))], scope))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "index.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    want = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == want
    # the toggle shows the automatic option's button, whose next step is light
    assert page.locator("label.md-header__button:visible").get_attribute("title") == "Switch to light mode"
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", scope + ".__palette"))
    assert saved["color"]["media"] == "(prefers-color-scheme)" and saved["index"] == 2
    page.screenshot(path=str(tmp_path / f"palette-auto-{scheme}-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / f"palette-auto-{scheme}-390.png"))
    assert errors == [], errors
    context.close()


def test_an_automatic_palette_on_a_site_without_light_and_dark_options_does_not_throw(browser, palette_sites):
    """A saved automatic palette where the site has no light/dark options (another site under the
    same path, or the palette changed): the page shows the site's own palette, with no error."""
    server = palette_sites["plain"]
    auto = {"index": 0, "color": {"media": "(prefers-color-scheme)", "scheme": "default",
                                  "primary": "indigo", "accent": "indigo"}}  # fmt: skip
    context = browser.new_context(color_scheme="dark")
    context.add_init_script(seed([("localStorage", "__palette", json.dumps(auto))], server.prefix))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "index.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("label[for^='__palette_']:visible").first.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert errors == [], errors
    context.close()
