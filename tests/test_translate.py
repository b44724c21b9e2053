"""`course translate export|import` (issue 14 item 3): the PO round trip of a course's text,
stable ids, notes, answer keys kept out, prefill from translated files, fuzzy on English edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
import yaml

from builder.translate import export, import_catalog
from tests.helpers import REPO, course

LESSON = """\
# Staying calm

A customer shouts at you. Breathe first, then listen.

- Let them finish.
- Say their name.

| Say this | Not that |
|---|---|
| "I'm listening." | "Calm down." |

!!! tip "Reset"
    Take ten seconds before the next call.

```text
::: quiz not-an-embed
```

::: quiz calm-check
"""

QUIZ = """\
kind: quiz
title: "Check: staying calm"
questions:
  - id: first
    type: single
    prompt: What do you do first?
    options:
      - text: Breathe and listen.
        correct: true
        feedback: Right.
      - text: Shout back.
        feedback: >-
          No. That raises the heat
          for both of you.
  - id: word
    type: text
    prompt: "Type the missing word: let them ____."
    accept: [finish, "finish talking"]
  - id: steps
    type: order
    prompt: Put the steps in order.
    items: [Listen, Apologise, Fix]
"""

SCENARIO = """\
kind: scenario
title: The loud caller
start: a
meters:
  calm: {label: "Customer's calm", start: 3, min: 0, max: 7}
nodes:
  a:
    speaker: Ms Diaz
    mood: angry
    text: She is shouting.
    choices:
      - text: Listen.
        to: b
        effects: {calm: 1}
  b:
    text: She calms down.
    ending: success
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "course"
    (root / "content").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "content" / "index.md").write_text(LESSON, encoding="utf-8")
    (root / "quizzes" / "calm-check.yml").write_text(QUIZ, encoding="utf-8")
    (root / "quizzes" / "loud-caller.yml").write_text(SCENARIO, encoding="utf-8")
    return root


def spanish(po: polib.POFile) -> None:
    for entry in po:
        entry.msgstr = "ES " + entry.msgid


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_segments_ids_notes_and_no_answer_keys(project):
    po = export(project, "es")
    ids = {e.msgid for e in po}
    ctx = {e.msgctxt: e for e in po}
    # lesson segments: heading, paragraph, list items, table cells, admonition title, indented text
    for text in [
        "Staying calm",
        "A customer shouts at you. Breathe first, then listen.",
        "Let them finish.",
        '"Calm down."',
        "Reset",
        "Take ten seconds before the next call.",
    ]:
        assert text in ids
    assert not any("::: quiz" in i or "```" in i for i in ids), "embed lines and code are not translatable"
    # quiz fields by stable id (question ids, option positions), with source file:line
    entry = ctx["quizzes/calm-check.yml#questions/first/options/1/feedback"]
    assert entry.msgid == "No. That raises the heat for both of you."
    assert entry.occurrences == [("quizzes/calm-check.yml", "12")]
    accept = ctx["quizzes/calm-check.yml#questions/word/accept"]  # one entry, one answer a line
    assert accept.msgid == "finish\nfinish talking" and "what learners type" in accept.comment
    assert "quizzes/calm-check.yml#questions/steps/items/2" in ctx
    assert ctx["quizzes/loud-caller.yml#meters/calm/label"].msgid == "Customer's calm"
    assert ctx["quizzes/loud-caller.yml#nodes/a/speaker"].msgid == "Ms Diaz"
    # answer keys, ids, targets and moods are never translatable text
    for c in ctx:
        assert not c.endswith(("/correct", "/answer", "/to", "/id", "/mood", "/type", "/start", "/ending"))
    assert "angry" not in ids and "true" not in ids
    lesson = [e for e in po if e.msgctxt.startswith("content/index.md#")]
    assert all(e.occurrences[0][0] == "content/index.md" for e in lesson)
    assert any("list item" in e.comment for e in lesson) and any("table cell" in e.comment for e in lesson)


def test_round_trip_writes_the_layout_and_is_byte_identical(project, tmp_path):
    po = export(project, "es")
    spanish(po)
    catalog = tmp_path / "es.po"
    po.save(str(catalog))
    import_catalog(project, catalog)
    page = (project / "content" / "index.es.md").read_text(encoding="utf-8")
    assert "# ES Staying calm" in page and "::: quiz calm-check" in page
    assert "    ES Take ten seconds" in page  # the admonition body keeps its indentation
    assert "::: quiz not-an-embed" in page  # code is left as it is
    es_quiz = yaml.safe_load((project / "quizzes" / "es" / "calm-check.yml").read_text(encoding="utf-8"))
    en_quiz = yaml.safe_load(QUIZ)
    # same ids, keys, order, answer keys; only the text differs
    assert [q["id"] for q in es_quiz["questions"]] == [q["id"] for q in en_quiz["questions"]]
    assert es_quiz["questions"][0]["options"][0]["correct"] is True
    assert es_quiz["questions"][1]["accept"] == ["ES finish", "finish talking"]
    assert es_quiz["questions"][0]["options"][1]["feedback"] == "ES No. That raises the heat for both of you."
    assert es_quiz["title"] == "ES Check: staying calm"
    es_scn = yaml.safe_load((project / "quizzes" / "es" / "loud-caller.yml").read_text(encoding="utf-8"))
    assert es_scn["nodes"]["a"]["choices"][0]["to"] == "b" and es_scn["nodes"]["a"]["mood"] == "angry"
    assert es_scn["meters"]["calm"] == {"label": "ES Customer's calm", "start": 3, "min": 0, "max": 7}

    # a new export is prefilled from the translated files: nothing left to translate
    again = export(project, "es")
    assert not again.untranslated_entries() and not again.fuzzy_entries()
    assert {e.msgctxt: e.msgstr for e in again} == {e.msgctxt: e.msgstr for e in po}
    # import of an unchanged catalog: every file byte for byte as it was
    before = snapshot(project)
    again_file = tmp_path / "again.po"
    again.save(str(again_file))
    assert import_catalog(project, again_file) == []
    assert snapshot(project) == before


def test_hand_edited_translation_survives_an_unchanged_round_trip(project, tmp_path):
    """A translator's own layout (comments, quoting, wrapping) stays when nothing changed."""
    es = project / "quizzes" / "es"
    es.mkdir()
    text = QUIZ.replace('title: "Check: staying calm"', "# revisado\ntitle: 'Repaso: mantener la calma'")
    text = text.replace("Breathe and listen.", "Respira y escucha.")
    (es / "calm-check.yml").write_text(text, encoding="utf-8")
    po = export(project, "es")
    ctx = {e.msgctxt: e for e in po}
    assert ctx["quizzes/calm-check.yml#title"].msgstr == "Repaso: mantener la calma"
    assert ctx["quizzes/calm-check.yml#questions/first/options/0/text"].msgstr == "Respira y escucha."
    catalog = tmp_path / "es.po"
    po.save(str(catalog))
    import_catalog(project, catalog)
    assert (es / "calm-check.yml").read_text(encoding="utf-8") == text


def test_accepted_answers_may_grow_in_translation(project, tmp_path):
    po = export(project, "es")
    entry = next(e for e in po if e.msgctxt == "quizzes/calm-check.yml#questions/word/accept")
    entry.msgstr = "terminar\nacabar\n\nque terminen"
    catalog = tmp_path / "es.po"
    po.save(str(catalog))
    import_catalog(project, catalog)
    es_quiz = yaml.safe_load((project / "quizzes" / "es" / "calm-check.yml").read_text(encoding="utf-8"))
    assert es_quiz["questions"][1]["accept"] == ["terminar", "acabar", "que terminen"]
    assert course("check", cwd=project).returncode == 0
    again = {e.msgctxt: e.msgstr for e in export(project, "es")}
    assert again["quizzes/calm-check.yml#questions/word/accept"] == "terminar\nacabar\nque terminen"


def test_second_export_marks_only_changed_segments(project, tmp_path):
    catalog = tmp_path / "es.po"
    po = export(project, "es", catalog)
    spanish(po)
    po.save(str(catalog))
    import_catalog(project, catalog)

    lesson = project / "content" / "index.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("Breathe first, then listen.", "Breathe, then listen."),
        encoding="utf-8",
    )
    quiz = project / "quizzes" / "calm-check.yml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace("What do you do first?", "What comes first?"),
        encoding="utf-8",
    )
    result = course("translate", "export", "es", "-o", str(catalog), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "2 changed in English (fuzzy)" in result.stdout
    po = polib.pofile(str(catalog))
    fuzzy = {e.msgid: e for e in po.fuzzy_entries()}
    assert set(fuzzy) == {"A customer shouts at you. Breathe, then listen.", "What comes first?"}
    assert fuzzy["What comes first?"].previous_msgid == "What do you do first?"
    assert fuzzy["What comes first?"].msgstr == "ES What do you do first?"
    assert not po.untranslated_entries()
    # a fuzzy entry leaves the translated text as it was until the translator confirms it
    before = snapshot(project)
    course("translate", "import", str(catalog), cwd=project)
    assert snapshot(project) == before
    entry = next(e for e in po if e.msgid == "What comes first?")
    entry.msgstr, entry.flags = "ES What comes first?", []
    po.save(str(catalog))
    course("translate", "import", str(catalog), cwd=project)
    es_quiz = yaml.safe_load((project / "quizzes" / "es" / "calm-check.yml").read_text(encoding="utf-8"))
    assert es_quiz["questions"][0]["prompt"] == "ES What comes first?"


def test_a_page_written_in_its_own_layout_is_not_overwritten(project, tmp_path):
    free = "# Mantener la calma\n\nUn texto escrito a su manera, con otro orden.\n\n::: quiz calm-check\n"
    (project / "content" / "index.es.md").write_text(free, encoding="utf-8")
    po = export(project, "es")
    lesson = [e for e in po if e.msgctxt.startswith("content/index.md#")]
    assert all(not e.msgstr and "own layout" in e.comment for e in lesson)
    lesson[0].msgstr = "Otro título"
    catalog = tmp_path / "es.po"
    po.save(str(catalog))
    report = import_catalog(project, catalog)
    assert any(line.startswith("content/index.es.md: left as it is") for line in report)
    assert (project / "content" / "index.es.md").read_text(encoding="utf-8") == free


def test_flagship_round_trip_is_byte_identical(tmp_path):
    """The shipped course and its Spanish files: export, import, nothing changes."""
    root = tmp_path / "flagship"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "quizzes", root / "quizzes")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    before = snapshot(root)
    result = course("translate", "export", "es", "-o", str(tmp_path / "es.po"), cwd=root)
    assert result.returncode == 0, result.stderr
    result = course("translate", "import", str(tmp_path / "es.po"), cwd=root)
    assert result.returncode == 0, result.stderr
    assert snapshot(root) == before


def test_usage_errors_are_one_line(project, tmp_path):
    result = course("translate", "export", "en", "-o", str(tmp_path / "x.po"), cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "language code" in result.stderr
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    result = course("translate", "import", str(bad), cwd=project)
    assert result.returncode == 1 and "Language: es" in result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_catalog_passes_msgfmt_check(project, tmp_path):
    """The catalog is a valid gettext PO file, as translators' tools read it."""
    import subprocess

    catalog = tmp_path / "es.po"
    export(project, "es").save(str(catalog))
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "es.mo"), str(catalog)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
