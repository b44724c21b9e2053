"""The Markdown extension on its own: small Markdown in, HTML out (golden files and substrings)."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest

from builder.render import PageContext, markdown_html
from tests.helpers import FIXTURES

GOLDEN = Path(__file__).parent / "golden"


def convert(text: str, page: str | None = None) -> str:
    md = markdown.Markdown(
        extensions=["fenced_code", "course"],
        extension_configs={
            "course": {"root": str(FIXTURES / "basic"), "docs_dir": "content", "quizzes_dir": "quizzes"}
        },
    )
    if page:
        md.registeredExtensions[-1].set_page(page)
    return md.convert(text)


def test_golden_quiz_html():
    html = convert("Intro.\n\n::: quiz sample\n\nAfter.")
    golden = GOLDEN / "sample-quiz.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), "rendered quiz changed; UPDATE_GOLDEN=1 to accept"


def test_embed_line_becomes_the_quiz_and_keeps_surrounding_text():
    html = convert("Intro.\n::: quiz sample\nAfter.")
    assert html.index("<p>Intro.</p>") < html.index('data-quiz="sample"') < html.index("<p>After.</p>")


@pytest.mark.parametrize("line", ["::: quiz sample", ":::quiz sample", "   ::: quiz   sample  "])
def test_embed_line_variants(line):
    assert 'data-quiz="sample"' in convert(line)


def test_not_an_embed_inside_code():
    html = convert("```\n::: quiz sample\n```")
    assert "data-quiz" not in html


def test_dom_contract_of_each_question_type():
    html = convert("::: quiz sample")
    assert 'data-question="first-response"' in html and 'type="radio"' in html
    assert 'data-question="pick-two"' in html and 'type="checkbox"' in html
    # true_false: two radios labelled True and False
    tf = html.split('data-question="tf"')[1].split("</fieldset>")[0]
    assert tf.count('type="radio"') == 2
    assert (
        '<span class="cq-option__text">True</span>' in tf
        and '<span class="cq-option__text">False</span>' in tf
    )
    word = html.split('data-question="word"')[1].split("</fieldset>")[0]
    assert 'type="text"' in word
    steps = html.split('data-question="steps"')[1].split("</fieldset>")[0]
    assert steps.count("<select") == 3
    assert 'data-action="check"' in html and 'data-action="retry"' in html and "data-quiz-result" in html


def test_answers_are_not_in_plain_attributes():
    html = convert("::: quiz sample")
    assert "correct" not in html.split("data-quiz-key")[0].replace("cq-question--correct", "")


def test_missing_quiz_renders_an_error_box_not_a_crash():
    html = convert("::: quiz nope")
    assert "cannot be shown" in html and "nope" in html


def test_lesson_links_are_rewritten_relative_to_the_page():
    assert 'href="other.html"' in markdown_html("[x](other.md)", PageContext("index.md"))
    assert 'href="../modules/a.html#top"' in markdown_html(
        "[x](modules/a.md#top)", PageContext("practice/p.md")
    )
    assert 'href="../../modules/a/"' in markdown_html("[x](modules/a.md)", PageContext("practice/p.md", True))


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>hi",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        '<a href="#" onclick="x()">a</a>',
    ],
)
def test_author_markdown_is_sanitized(text):
    out = markdown_html(text, PageContext())
    assert "<script" not in out and "onerror" not in out and "javascript:" not in out and "onclick" not in out


def test_plain_text_fast_path_is_escaped():
    assert (
        markdown_html("Tom & Jerry say 5 > 3", PageContext())
        == '<p dir="auto">Tom &amp; Jerry say 5 &gt; 3</p>'
    )
