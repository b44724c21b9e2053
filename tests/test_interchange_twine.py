"""Twine stories (Twee 3, Twine 2 HTML and archives) into scenario YAML (issue 16, item 1)."""

from __future__ import annotations

import html

import pytest
import yaml

from builder.interchange.common import SourceError, check_output, dump_yaml
from builder.interchange.twine import read_twine
from tests.helpers import FIXTURES, course

TWEE = FIXTURES / "interchange" / "charged-twice.twee"
ARCHIVE = FIXTURES / "interchange" / "charged-twice-archive.html"


def twee(text: str) -> tuple[dict, list]:
    return read_twine(text, "story.twee")


def html_story(passages: list[tuple[str, str, str]], start: int = 1, extra: str = "") -> str:
    """A published Twine 2 page: the story format's code around one <tw-storydata>."""
    body = "\n".join(
        f'<tw-passagedata pid="{i}" name="{html.escape(n)}" tags="{t}" position="0,0">{html.escape(x, quote=False)}</tw-passagedata>'
        for i, (n, t, x) in enumerate(passages, 1)
    )
    return (
        "<!DOCTYPE html>\n<html><head><title>S</title>\n"
        "<script>var fake = \"<tw-passagedata name='not this'>\";</script></head>\n<body>\n"
        f'<tw-storydata name="Story" startnode="{start}" format="SugarCube" hidden>{extra}\n{body}\n</tw-storydata>\n'
        "</body></html>\n"
    )


# ---------------------------------------------------------------- the worked example


@pytest.fixture(scope="module")
def example():
    return read_twine(TWEE.read_text(encoding="utf-8"), "charged-twice.twee")


def test_worked_example_maps_passages_links_tags(example):
    data, problems = example
    assert data["title"] == "Charged twice at the gym"
    assert data["start"] == "front-desk"  # StoryData start, not the first passage
    nodes = data["nodes"]
    assert len(nodes) == 15 and "setup" not in nodes  # the startup passage only sets meters
    front = nodes["front-desk"]
    assert front["speaker"] == "Ms Adeyemi" and front["mood"] == "furious"
    assert [c["to"] for c in front["choices"]] == ["let-her-talk", "quote-the-sign", "pass-it-on"]
    assert front["choices"][2]["text"] == "Tell her billing is dealt with by head office"  # text|Target
    assert front["text"].startswith("You are on the front desk") and "[[" not in front["text"]
    endings = {k: n["ending"] for k, n in nodes.items() if "ending" in n}
    assert endings == {
        "extra-mile": "success",
        "loose-end": "partial",
        "walk-out": "failure",
        "email-brush-off": "failure",
        "broken-promise": "failure",
    }
    assert all("choices" not in nodes[k] for k in endings)
    # meters from (set:): start values from the startup passage, effects on the choices leading in
    assert data["meters"] == {
        "calm": {"label": "Calm", "start": 1, "min": 0, "max": 10},
        "trust": {"label": "Trust", "start": 1, "min": 0, "max": 10},
    }
    assert front["choices"][0]["effects"] == {"calm": 1, "trust": 1}
    # the "Feedback:" paragraph of the passage a link leads to
    assert front["choices"][0]["feedback"].startswith("Letting her say it all")
    assert all(c.get("feedback") for n in nodes.values() for c in n.get("choices", []))
    assert "Feedback" not in nodes["let-her-talk"]["text"]
    assert front["choices"][1]["effects"] == {"calm": -1}
    assert "effects" not in nodes["quote-the-sign"]["choices"][1]
    # Harlowe markup becomes Markdown
    assert "I need it **today**" in nodes["rash-promise"]["text"]
    assert "ten *seconds*" in nodes["ten-days"]["text"]


def test_worked_example_reports_and_keeps_the_unmappable(example):
    data, problems = example
    text = data["nodes"]["check-account"]["text"]
    assert "`(if: $trust > 2)`[She leans over to read the screen with you.]" in text
    lines = TWEE.read_text(encoding="utf-8").split("\n")
    notes = [p for p in problems if "(if:)" in p.message]
    assert len(notes) == 1 and lines[notes[0].line - 1].startswith("(if: $trust > 2)")
    assert str(notes[0]).startswith(f"charged-twice.twee:{notes[0].line}: warning: passage 'Check account'")
    assert not any(p.is_error for p in problems)


def test_worked_example_passes_course_check(example):
    data, _ = example
    text = dump_yaml(data)
    assert check_output(text, "quizzes/charged-twice.yml").problems == []
    assert "    choices:\n      - text: Let her finish" in text
    assert "effects: {calm: 1, trust: 1}" in text  # small mappings on one line


def test_archive_html_gives_the_same_scenario(example):
    data, problems = read_twine(ARCHIVE.read_text(encoding="utf-8"), "charged-twice-archive.html")
    assert data == example[0]
    note = next(p for p in problems if "(if:)" in p.message)
    assert "(if: $trust &gt; 2)" in ARCHIVE.read_text(encoding="utf-8").split("\n")[note.line - 1]


# ---------------------------------------------------------------- links, passages, conventions


def test_every_link_form():
    data, problems = twee(
        ":: Start\n[[Go right->Right]]\n[[Left<-Go left]]\n[[Say hi|Right]]\n[[Left]]\n"
        ":: Right [ending-success]\nWell done.\n:: Left [ending-failure]\nOh no.\n"
    )
    choices = data["nodes"]["start"]["choices"]
    assert [(c["text"], c["to"]) for c in choices] == [
        ("Go right", "right"),
        ("Go left", "left"),
        ("Say hi", "right"),
        ("Left", "left"),
    ]
    assert data["nodes"]["start"]["text"] == "Start"  # a passage of links only: its name as text
    assert not problems


def test_link_goto_and_escaped_header_lines():
    data, problems = twee(
        ':: A\nHi (link-goto: "Leave it", "B") and (link-goto: \'C\')\n\\:: not a header\n'
        ":: B [ending-failure]\nx\n:: C [ending-success]\ny\n"
    )
    assert [(c["text"], c["to"]) for c in data["nodes"]["a"]["choices"]] == [("Leave it", "b"), ("C", "c")]
    assert data["nodes"]["a"]["text"] == "Hi  and\n:: not a header"
    assert not problems


def test_first_passage_starts_without_storydata_and_header_escapes():
    data, _ = twee(":: First \\[draft\\] [speaker:Mr_Okafor]\n[[Next]]\n:: Next\nEnd.\n")
    assert data["start"] == "first-draft"
    assert data["nodes"]["first-draft"]["speaker"] == "Mr Okafor"


def test_metadata_convention_for_speaker_mood_and_ending():
    data, _ = twee(
        ':: A {"speaker": "Ms Lindqvist", "mood": "upset", "position": "1,1"}\nHi [[B]]\n'
        ':: B {"ending": "success"}\nDone.\n'
    )
    assert data["nodes"]["a"]["speaker"] == "Ms Lindqvist" and data["nodes"]["a"]["mood"] == "upset"
    assert data["nodes"]["b"]["ending"] == "success"


def test_play_again_links_and_tagged_endings_with_links():
    data, problems = twee(
        ":: Intro\nNot the start.\n[[Start]]\n:: Start\nHi [[Win]] [[Lose]]\n"
        ":: Win [ending:success]\nYou won.\n[[Play again->Start]]\n"
        ":: Lose\nYou lost. [[Try again|Start]]\n"
    )
    assert data["start"] == "start"  # a passage named Start, without StoryData
    assert data["nodes"]["win"] == {"text": "You won.\n\n`[[Play again->Start]]`", "ending": "success"}
    assert data["nodes"]["lose"]["ending"] == "partial"
    assert "`[[Try again->Start]]`" in data["nodes"]["lose"]["text"]
    messages = [p.message for p in problems]
    assert any("'Win' is tagged as an ending: imported as an ending" in m for m in messages)
    assert any("'Lose' links only back to the start passage" in m for m in messages)


def test_untagged_dead_end_is_a_partial_ending_with_a_note():
    data, problems = twee(":: A\n[[B]]\n:: B\nThe end.\n")
    assert data["nodes"]["b"]["ending"] == "partial"
    note = next(p for p in problems if "has no links" in p.message)
    assert note.line == 3 and "ending-success" in note.message


def test_missing_target_is_an_error_on_its_line_and_check_says_why():
    data, problems = twee(":: A\nIntro\n[[Go->Nowhere]]\n:: B [ending-success]\nx\n")
    error = next(p for p in problems if p.is_error)
    assert error.line == 3 and "'Nowhere', which does not exist" in error.message
    checked = check_output(dump_yaml(data), "out.yml").problems
    assert any("leads to node 'nowhere', which does not exist" in p.message for p in checked)


def test_sugarcube_sets_setter_links_and_storyinit():
    text = (
        ':: StoryData\n{"start": "Desk", "format": "SugarCube"}\n'
        ":: StoryInit\n<<set $patience to 3>>\n"
        ":: Desk\n<<set $patience -= 1>>Hello.\n[[Apologise|Fix][$patience += 2]]\n[[Shrug->Lost]]\n"
        ":: Fix [ending-success]\n<<set $patience to $patience + 1>>Sorted.\n"
        ":: Lost [ending-failure]\nGone. You had $patience left. <<if $patience gt 2>>x<</if>>\n"
    )
    data, problems = twee(text)
    # StoryInit gives the start; a change in the start passage moves it too
    assert data["meters"]["patience"]["start"] == 2
    apologise, shrug = data["nodes"]["desk"]["choices"]
    assert apologise["effects"] == {"patience": 3}  # the setter's +2 and Fix's +1
    assert "effects" not in shrug
    lost = data["nodes"]["lost"]["text"]
    assert "`$patience`" in lost and "`<<if $patience gt 2>>`" in lost and "`<</if>>`" in lost
    messages = [p.message for p in problems]
    assert any("the variable $patience is printed" in m for m in messages)
    assert any("SugarCube macro <<if>>" in m for m in messages)
    assert check_output(dump_yaml(data), "out.yml").problems == []


def test_conditions_around_links_become_requires():
    data, problems = twee(
        ":: A\n(set: $trust to 1)Hi.\n(if: $trust >= 2)[ [[Offer a voucher->B]] ] [[Listen->C]]\n"
        "<<if $trust gt 1>>[[Say more|B]]<</if>>\n(if: $trust > 1)[You smile.]\n"
        ":: B [ending-success]\nx\n:: C\n(set: $trust to it + 1)[[Back->A]]\n"
    )
    choices = data["nodes"]["a"]["choices"]
    assert [(c["text"], c.get("requires")) for c in choices] == [
        ("Offer a voucher", {"trust": 2}),
        ("Listen", None),
        ("Say more", {"trust": 2}),
    ]
    assert data["nodes"]["a"]["text"] == "Hi.\n`(if: $trust > 1)`[You smile.]"  # not around links: kept
    assert sum("(if:)" in p.message for p in problems) == 1
    assert not [p for p in check_output(dump_yaml(data), "out.yml").problems if p.is_error]


def test_feedback_convention_and_unused_feedback():
    data, problems = twee(
        ":: A\nFeedback: never shown\n[[B]] [[C]]\n:: B [ending-success]\nWell.\n\nfeedback: Good\nmove.\n"
        ':: C {"feedback": "Too quick.", "ending": "failure"}\nOh.\n'
    )
    b, c = data["nodes"]["a"]["choices"]
    assert b["feedback"] == "Good move." and c["feedback"] == "Too quick."
    assert data["nodes"]["b"]["text"] == "Well."
    assert data["nodes"]["a"]["text"] == "A\n\nFeedback: never shown"
    assert any("'A' has feedback, but no link leads to it" in p.message for p in problems)


def test_unsupported_sets_are_reported_and_kept():
    data, problems = twee(":: A\n(set: $x to 2)[[B]]\n:: B\n(set: $x to it * 2)(set: $y to 5)Done.\n")
    assert data["meters"]["x"]["start"] == 2
    text = data["nodes"]["b"]["text"]
    assert "`(set: $x to it * 2)`" in text and "`(set: $y to 5)`" in text
    messages = [p.message for p in problems]
    assert any("(set:) has no equivalent" in m for m in messages)
    assert any("setting $y to 5 outright" in m for m in messages)


def test_special_passages_and_tags_are_reported_not_dropped_silently():
    data, problems = twee(
        ":: A [widget]\n<<widget x>>y<</widget>>\n:: Story JavaScript [script]\nwindow.x = 1;\n"
        ":: StoryCaption\nCaption\n:: Start [odd-tag]\n[[End]]\n:: End [ending-failure]\nBye.\n"
    )
    assert set(data["nodes"]) == {"start", "end"}
    messages = " | ".join(p.message for p in problems)
    assert "'A' is tagged 'widget'" in messages and "'Story JavaScript' is tagged 'script'" in messages
    assert "'StoryCaption' is a SugarCube special passage" in messages
    assert "tag 'odd-tag' has no meaning" in messages


def test_published_html_is_unescaped_and_starts_at_startnode():
    page = html_story(
        [
            ("Intro", "", "Hi & welcome"),
            ("Desk", "speaker:Mr_Okafor", 'He says "<b>no</b>" & leaves.\n[[Try again->Intro]]'),
        ],
        start=2,
        extra='<script role="script" id="twine-user-script" type="text/twine-javascript">alert(1)</script>',
    )
    data, problems = read_twine(page, "story.html")
    assert data["start"] == "desk"
    assert data["nodes"]["desk"]["text"] == 'He says "<b>no</b>" & leaves.'
    assert data["nodes"]["intro"]["text"] == "Hi & welcome"
    assert any("story JavaScript is not imported" in p.message for p in problems)


def test_archive_with_several_stories():
    one = html_story([("A", "", "x")]).replace('name="Story"', 'name="One"')
    two = html_story([("B", "", "y")]).replace('name="Story"', 'name="Two"')
    data, problems = read_twine(one + two, "archive.html")
    assert data["title"] == "One" and any("--story" in p.message for p in problems)
    data, _ = read_twine(one + two, "archive.html", "Two")
    assert data["title"] == "Two"
    with pytest.raises(SourceError) as exc:
        read_twine(one + two, "archive.html", "Three")
    assert "no story named 'Three'" in str(exc.value)


@pytest.mark.parametrize("text", ["", "just some text\n", "<html><body>no story</body></html>"])
def test_not_a_story_is_a_located_error(text):
    with pytest.raises(SourceError) as exc:
        read_twine(text, "x.twee")
    assert all(str(p).startswith("x.twee:") for p in exc.value.problems)


def test_bad_storydata_json_is_located():
    data, problems = twee(':: StoryData\n{\n  "start": "A",\n  oops\n}\n:: A [ending-success]\nx\n')
    error = next(p for p in problems if p.is_error)
    assert error.line == 4 and "StoryData is not valid JSON" in error.message


# ---------------------------------------------------------------- the command


def test_cli_import_twine_writes_a_checked_scenario(tmp_path):
    result = course("import", "twine", str(TWEE), "-o", "quizzes/charged-twice.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "imported 15 nodes" in result.stderr and "passes course check" in result.stderr
    assert "::: scenario charged-twice" in result.stderr
    data = yaml.safe_load((tmp_path / "quizzes" / "charged-twice.yml").read_text(encoding="utf-8"))
    assert data["kind"] == "scenario" and data["start"] == "front-desk"
    # a broken story: written anyway, exit 1, and the report says why it fails course check
    (tmp_path / "broken.twee").write_text(":: A\n[[Go->Gone]]\n", encoding="utf-8")
    result = course("import", "twine", "broken.twee", "-o", "quizzes/broken.yml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "broken.twee:2: passage 'A' links to passage 'Gone', which does not exist" in result.stderr
    assert "quizzes/broken.yml:" in result.stderr and "does NOT pass course check" in result.stderr
    result = course("import", "twine", "nothing.twee", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("nothing.twee:1: cannot read the file")
