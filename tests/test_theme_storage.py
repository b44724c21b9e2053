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
    "palette-automatic": (
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
