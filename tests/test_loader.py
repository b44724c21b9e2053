"""Unit tests of the YAML loader and of the messages authors see (builder/loader.py, errors.py)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from builder import course as course_mod
from builder.course import MD_LINK_RE, Course, embed_mistakes
from builder.loader import MAX_BYTES, MAX_DEPTH, load_file, load_text
from tests.helpers import make_project


def messages(text: str | bytes) -> list[str]:
    return [f"{p.line}: {p.message}" for p in load_text(text, "q.yml").problems]


def first(text: str | bytes) -> str:
    found = messages(text)
    assert found, "expected a problem"
    return found[0]


# ---------------------------------------------------------------- data and lines


def test_lines_of_keys_and_items():
    loaded = load_text("kind: quiz\nquestions:\n  - id: a\n    prompt: p\n  - {id: b}\n", "q.yml")
    assert loaded.ok
    assert loaded.data == {"kind": "quiz", "questions": [{"id": "a", "prompt": "p"}, {"id": "b"}]}
    assert loaded.lines[("kind",)] == 1
    assert loaded.lines[("questions", 0)] == 3
    assert loaded.lines[("questions", 0, "prompt")] == 4
    assert loaded.lines[("questions", 1, "id")] == 5
    # a path the file does not have: the line of its nearest ancestor
    assert loaded.line(("questions", 1, "options", 3)) == 5
    assert loaded.line(("nothing",)) == 1


def test_scalars_are_plain_data():
    loaded = load_text(
        "a: text\nb: 5\nc: 2.5\nd: true\ne: False\nf: ~\ng: 0x1f\nh: '5'\n"
        "date: 2024-05-01\nyes_word: yes\nno_word: No\non_word: on\n",
        "q.yml",
    )
    assert loaded.ok, loaded.problems
    assert loaded.data == {
        "a": "text", "b": 5, "c": 2.5, "d": True, "e": False, "f": None, "g": 31, "h": "5",
        # no field holds a date, and YAML 1.1's yes/no/on/off are words (as in YAML 1.2)
        "date": "2024-05-01", "yes_word": "yes", "no_word": "No", "on_word": "on",
    }  # fmt: skip


def test_keys_are_kept_as_written():
    loaded = load_text("1: a\n0x1f: b\ntrue: c\n", "q.yml")
    assert list(loaded.data) == ["1", "0x1f", "true"]


# ---------------------------------------------------------------- encodings and bytes


def test_bom_is_reported_but_the_file_is_still_read():
    loaded = load_text(b"\xef\xbb\xbfkind: quiz\n", "q.yml")
    assert [str(p) for p in loaded.problems] == [
        "q.yml:1: file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
    ]
    assert loaded.data == {"kind": "quiz"}
    assert not loaded.ok


def test_non_utf8_byte_line_and_column():
    assert (
        first(b"kind: quiz\ntitle: caf\xe9\n")
        == "2: byte 0xe9 at column 11 is not UTF-8; save the file as UTF-8"
    )


def test_utf16_file():
    assert "is not UTF-8" in first("kind: quiz\n".encode("utf-16"))


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_control_characters(char):
    assert first(f"kind: quiz\ntitle: a{char}b\n") == "2: invalid YAML: control characters are not allowed"


def test_every_tab_line_is_reported():
    assert messages("a:\n\tb: 1\nc:\n\td: 2\n") == [
        "2: tab character in indentation; YAML indents with spaces only",
        "4: tab character in indentation; YAML indents with spaces only",
    ]


def test_tab_inside_text_is_fine():
    assert load_text("a: one\ttwo\n", "q.yml").data == {"a": "one\ttwo"}


# ---------------------------------------------------------------- size and depth


def test_too_large_text_and_file(tmp_path):
    big = "a: " + "x" * MAX_BYTES + "\n"
    assert first(big).startswith("1: file is 2.0 MB; a course file may be at most 2 MB")
    path = tmp_path / "big.yml"
    path.write_text(big)
    loaded = load_file(path, "big.yml")
    assert [p.line for p in loaded.problems] == [1] and "file is 2.0 MB" in loaded.problems[0].message


def test_deep_flow_nesting_is_refused_before_parsing():
    text = "kind: quiz\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n"
    start = time.monotonic()
    assert first(text) == f"2: nested more than {MAX_DEPTH} levels deep; course files are never this deep"
    assert time.monotonic() - start < 1


def test_brackets_inside_quotes_do_not_count():
    text = "kind: quiz\ntitle: '" + "[" * 200 + "'\n"
    assert load_text(text, "q.yml").ok


def test_deep_block_nesting():
    text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80))
    assert messages(text) == [f"{MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep"]


def test_deep_indentation():
    text = "a:\n" + "".join(" " * (4 * i) + f"k{i}:\n" for i in range(1, 80))
    assert first(text) == "66: indented more than 256 spaces; course files are never nested this deep"


# ---------------------------------------------------------------- aliases, tags, merge keys


BOMB = "".join(
    f"{k}: &{k} [" + ",".join([f"*{p}"] * 9 if p else ['"lol"'] * 9) + "]\n"
    for p, k in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


def test_billion_laughs_is_not_expanded():
    tracemalloc.start()
    start = time.monotonic()
    loaded = load_text(BOMB, "q.yml")
    seconds = time.monotonic() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(p) for p in loaded.problems] == [
        "q.yml:2: YAML anchors and aliases (&name / *name) are not supported; write the value out in full"
    ]
    assert seconds < 1 and peak < 20_000_000
    assert loaded.data["b"] == [None] * 9  # the aliases are dropped, never expanded


def test_alias_reported_where_it_is_used():
    assert messages("a: &x hello\nb: c\nd: *x\n") == [
        "3: YAML anchors and aliases (&name / *name) are not supported; write the value out in full"
    ]
    assert first("a: &x [1]\nlist:\n  - 1\n  - *x\n").startswith("4: YAML anchors and aliases")


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!!python/object/apply:os.system ['echo hi']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!binary aGk=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!custom text", "!custom"),
    ],
)
def test_tags_are_refused(value, tag):
    assert messages(f"kind: quiz\ntitle: {value}\n") == [
        f"2: YAML tag '{tag}' is not supported; write plain text, numbers, lists and mappings"
    ]


def test_standard_tags_are_fine():
    assert load_text("a: !!str 5\nb: !!int '7'\n", "q.yml").data == {"a": "5", "b": 7}


def test_merge_key():
    assert messages("a:\n  <<: {b: 1}\n  c: 2\n") == [
        "2: YAML merge keys (<<) are not supported; write the keys out in full"
    ]


def test_huge_number_is_a_problem_not_a_crash():
    assert first("pass_mark: " + "9" * 5000 + "\n") == (
        "1: number with 5000 digits is too long; write it in quotes if it is text"
    )


def test_non_scalar_key():
    assert first("? [a, b]\n: c\n") == "1: a key must be plain text, not a list or mapping"


# ---------------------------------------------------------------- duplicates and empties


def test_duplicate_key_and_node_id():
    assert messages("a: 1\nb: 2\na: 3\n") == ["3: duplicate key 'a' (first defined on line 1)"]
    assert messages("nodes:\n  x: {text: a}\n  x: {text: b}\n") == [
        "3: duplicate node id 'x' (first defined on line 2)"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_files(text):
    assert messages(text) == ["1: file is empty"]


def test_two_documents():
    assert first("a: 1\n---\nb: 2\n") == (
        "2: invalid YAML: but found another document (expected a single document in the stream)"
    )


# ---------------------------------------------------------------- syntax messages point at the cause


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: 1\ntitle: Basics: a check\n", "2: invalid YAML: a ':' where a value was expected"),
        (
            'title: "Open quote\nb: "closed"\nc: d\n',
            "1: invalid YAML: the quote that starts this text is not closed on this line",
        ),
        ('a: 1\nb: "never closed\n', "2: invalid YAML: the quote that starts this text is never closed"),
        ('a: 1\nb: "He said "no" today"\n', "2: invalid YAML: text goes on after the closing quote"),
        (
            "a: 1\nb: [Module 4](m.md) explains\n",
            "2: invalid YAML: text that starts with '[' or '{' must be put",
        ),
        ("a: 1\nb: *Important* text\n", "2: invalid YAML: text cannot start with '*' here"),
        ("a: 1\nb: @mention\n", "2: invalid YAML: text cannot start with '@' here"),
        ("a: 1\nb: `code`\n", "2: invalid YAML: text cannot start with '`' here"),
        ("a:\n  b: 1\n c: 2\n", "3: invalid YAML: this line is not indented like the lines above it"),
        ("a: [1, 2\nb: 3\n", "1: invalid YAML: the '[' opened on this line is not closed with ']'"),
        ("a: {x: 1\nb: 3\n", "1: invalid YAML: the '{' opened on this line is not closed with '}'"),
    ],
)
def test_syntax_messages(text, expected):
    assert first(text).startswith(expected)


# ---------------------------------------------------------------- schema messages (errors.translate)


QUIZ = """\
kind: quiz
title: Check
questions:
  - id: a
    type: single
    prompt: Pick one
    options:
      - {text: "Yes", correct: true}
      - {text: "No"}
"""


def check_quiz_text(tmp_path: Path, text: str | bytes, page: str = "# P\n\n::: quiz q\n") -> list[str]:
    project = make_project(tmp_path / "p", files={"quizzes/q.yml": text, "content/index.md": page})
    course = Course.load(project)
    return [f"{p.line}: {p.message}" for p in course.errors]


def test_valid_quiz(tmp_path):
    assert check_quiz_text(tmp_path, QUIZ) == []


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("title: Check", "titel: Check", ["2: unknown key 'titel' (did you mean 'title'?)"]),
        ("title: Check", "title:", ["2: 'title' should be text, got nothing"]),
        ("title: Check", "title: !!binary aGk=", ["2: YAML tag '!!binary' is not supported; write plain text, numbers, lists and mappings"]),
        ("type: single", "type: singel", ["5: unknown question type 'singel'; use one of single, multiple, true_false, text, order"]),
        ("    type: single\n", "", ["4: missing required key 'type' (single, multiple, true_false, text, order)"]),
        ('      - {text: "No"}', "      - No", ["9: item 2 of 'options' should be a mapping of keys to values, got 'No'"]),
        ("kind: quiz", "kind: quizz", ["1: 'kind' must be quiz or scenario, got 'quizz'"]),
        ("title: Check\n", "title: Check\npass_mark: 101\n", ["3: 'pass_mark' must be at most 100, got 101"]),
        ("prompt: Pick one", "prompt: " + "x" * 20_001, ["6: 'prompt' is too long (20,001 characters; at most 20,000)"]),
    ],
)  # fmt: skip
def test_schema_messages(tmp_path, old, new, expected):
    assert old in QUIZ
    assert check_quiz_text(tmp_path, QUIZ.replace(old, new)) == expected


def test_yes_is_text_and_true_false_words_still_work(tmp_path):
    text = QUIZ.replace('{text: "No"}', "{text: no}") + (
        "  - {id: b, type: true_false, prompt: Is it?, answer: yes}\n"
    )
    assert check_quiz_text(tmp_path, text) == []


# ---------------------------------------------------------------- lessons


def test_lesson_not_utf8(tmp_path):
    page = b"# P\n\nCaf\xe9\n\n::: quiz q\n"
    assert check_quiz_text(tmp_path, QUIZ, page) == [
        "3: byte 0xe9 at column 4 is not UTF-8; save the file as UTF-8"
    ]


def test_lesson_with_bom_is_fine(tmp_path):
    assert check_quiz_text(tmp_path, QUIZ, "\ufeff# P\n\n::: quiz q\n") == []


def test_embed_mistakes():
    text = (
        "# P\n\n::: quiz\n::: quizz a\n::: Quiz a\n::: quiz a b\n::: scenario-map x\n"
        "::: note\n```\n::: quiz\n```\n::: quiz ok\n:::scenario ok\n::: senario x\n"
    )
    assert [f"{p.line}: {p.message}" for p in embed_mistakes(text, "a.md", "content/a.md")] == [
        "3: '::: quiz' needs the id of a quiz file: '::: quiz <id>'",
        "4: unknown embed '::: quizz'; write '::: quiz a'",
        "5: write '::: quiz' in lower case",
        "6: '::: quiz' takes one id (the file name without .yml), got 'a b'",
        "14: unknown embed '::: senario'; write '::: scenario x'",
    ]


def test_link_search_is_linear():
    hostile = "](a" * 50_000 + ".md"
    start = time.monotonic()
    list(MD_LINK_RE.finditer(hostile))
    assert time.monotonic() - start < 0.5
    assert MD_LINK_RE.findall('[m](modules/a.md) [c]( b.md#top "t")') == [
        ("modules/a.md", ""),
        ("b.md", "#top"),
    ]


def test_internal_error_becomes_a_problem_not_a_traceback(tmp_path, monkeypatch):
    def broken(loaded):
        raise RuntimeError("boom")

    monkeypatch.setattr(course_mod.checks, "check_quiz", broken)
    assert check_quiz_text(tmp_path, QUIZ) == [
        "1: internal error while checking this file (RuntimeError: boom); please report it"
    ]
