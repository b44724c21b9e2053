"""One normalisation of typed answers (issue 10, item 1): Python at build time, JavaScript in the
browser, the same result for every string of one shared table and for every assigned code point."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from builder.typed_answer import js_table, normalise
from tests.helpers import REPO

TABLE = json.loads((REPO / "tests" / "fixtures" / "normalise_table.json").read_text(encoding="utf-8"))["rows"]
JS = REPO / "site_overrides" / "assets" / "course" / "typed-answer.js"


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[repr(r[0])[:30] for r in TABLE])
def test_python_side(text, expected):
    assert normalise(text) == expected


def test_normalising_twice_changes_nothing():
    for text, _ in TABLE:
        assert normalise(normalise(text)) == normalise(text)


def test_the_js_carries_the_current_fold_table():
    """typed-answer.js has the table of this Python's casefold (regenerate: python -m builder.typed_answer)."""
    lines = JS.read_text(encoding="utf-8").splitlines()
    assert all(line in lines for line in js_table().splitlines())


@pytest.fixture(scope="module")
def js_page(browser):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.set_content("<!doctype html><meta charset=utf-8><title>t</title>")
    page.add_script_tag(path=str(JS))
    yield page
    ctx.close()


@pytest.mark.browser
def test_javascript_gives_the_same_as_python_for_the_table(js_page):
    got = js_page.evaluate("rows => rows.map(r => Course.normaliseAnswer(r[0]))", TABLE)
    expected = [normalise(text) for text, _ in TABLE]
    diff = [(t[0], g, e) for t, g, e in zip(TABLE, got, expected, strict=True) if g != e]
    assert not diff, diff[:20]


@pytest.mark.browser
def test_javascript_gives_the_same_as_python_for_every_assigned_character(js_page):
    """Each assigned code point between letters, so folding, NFKC and trimming all get exercised."""
    inputs = [
        f"a{chr(cp)}b"
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF and unicodedata.category(chr(cp)) not in ("Cn", "Co", "Cs")
    ]
    inputs += [chr(cp) + " x" for cp in range(0x2000, 0x3100)]  # punctuation at the edge
    got = js_page.evaluate("xs => xs.map(x => Course.normaliseAnswer(x))", inputs)
    diff = [(x, g, normalise(x)) for x, g in zip(inputs, got, strict=True) if g != normalise(x)]
    assert not diff, diff[:20]


def test_build_stores_the_normalised_accepted_answers(tmp_path):
    from builder.render import PageContext, render_quiz
    from builder.schema import Quiz
    from tests.test_accessibility import QUIZ_KEY_JS  # noqa: F401  (the key's format is shared)

    quiz = Quiz.model_validate(
        {
            "kind": "quiz",
            "title": "t",
            "questions": [
                {"id": "w", "type": "text", "prompt": "p", "accept": ["Straße", "don’t", " Straße "]}
            ],
        }
    )
    html = render_quiz("q", quiz, "v1", PageContext(), "cq-q")
    import base64
    import re

    raw = re.search(r'data-quiz-key>"([^"]+)"', html).group(1)
    key = json.loads(base64.b64decode(raw))
    assert key["questions"][0]["accept"] == ["don't", "strasse"]
    assert key["questions"][0]["show"] == "Straße"


def test_flagship_text_answers_are_reachable():
    """Every accepted answer of the flagship normalises to something non-empty."""
    import yaml

    for path in sorted((REPO / "quizzes").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in data.get("questions") or []:
            for answer in q.get("accept") or []:
                assert normalise(answer), f"{path.name}: {answer!r}"


def test_js_file_is_loaded_before_the_quiz():
    from builder.plugin import ASSET_JS

    assert ASSET_JS.index("assets/course/typed-answer.js") < ASSET_JS.index("assets/course/quiz.js")
    assert Path(REPO / "site_overrides" / "assets" / "course" / "typed-answer.js").is_file()
