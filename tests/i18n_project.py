"""A small course with no English author text, for the interface-language tests (issue 14).

Its lessons, quiz and scenario are written in Latin placeholder words, so any English a learner
sees on its pages comes from our interface, never from the author.  The progress and completion
pages are the flagship's widget markup (their interface wording is marked with ``data-i18n``).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import REPO, make_project

QUIZ = """\
kind: quiz
title: Probatio
pass_mark: 80
reveal: 2
shuffle: false
questions:
  - id: unus
    type: single
    prompt: "Lorem ipsum dolor?"
    options:
      - text: "Alfa"
        correct: true
        feedback: "Bene."
      - text: "Beta"
        feedback: "Male."
  - id: duo
    type: multiple
    prompt: "Quae sunt vera?"
    options:
      - text: "Gamma"
        correct: true
        feedback: "Bene."
      - text: "Delta"
        correct: true
        feedback: "Bene."
      - text: "Epsilon"
        feedback: "Male."
  - id: tres
    type: true_false
    prompt: "Sol lucet."
    answer: true
    feedback_true: "Bene."
    feedback_false: "Male."
  - id: quattuor
    type: text
    prompt: "Scribe verbum: lux."
    accept: ["lux"]
  - id: quinque
    type: order
    prompt: "Ordina numeros."
    items: ["Primus", "Secundus", "Tertius"]
    explanation: "Ita est."
"""

EXAM = """\
kind: quiz
title: Examen
pass_mark: 100
draw: 3
attempts: 2
mode: exam
time_limit: "20s"
questions:
  - id: a
    type: single
    prompt: "Prima?"
    options: [{text: "Ita", correct: true}, {text: "Non"}]
    explanation: "Ita."
  - id: b
    type: single
    prompt: "Secunda?"
    options: [{text: "Ita", correct: true}, {text: "Non"}]
    explanation: "Ita."
  - id: c
    type: true_false
    prompt: "Tertia."
    answer: true
    explanation: "Ita."
  - id: d
    type: text
    prompt: "Quarta: lux."
    accept: ["lux"]
    explanation: "Ita."
  - id: e
    type: single
    prompt: "Quinta?"
    options: [{text: "Ita", correct: true}, {text: "Non"}]
    explanation: "Ita."
"""

SCENARIO = """\
kind: scenario
title: Fabula
start: initium
meters:
  animus: {label: "Animus", start: 1, min: 0, max: 3}
nodes:
  initium:
    speaker: Marcus
    mood: iratus
    text: "Salve, amice."
    choices:
      - text: "Bene dicis."
        to: medium
        feedback: "Optime."
        effects: {animus: 1}
      - text: "Abi!"
        to: imum
        feedback: "Pessime."
        effects: {animus: -1}
  medium:
    speaker: Marcus
    text: "Gratias ago."
    choices:
      - text: "Libenter."
        to: finis_bonus
        effects: {animus: 1}
      - text: "Nihil."
        to: finis_medius
  imum:
    speaker: Marcus
    text: "Quid dicis?"
    choices:
      - text: "Abi iterum!"
        to: finis_malus
        effects: {animus: -1}
      - text: "Ignosce."
        to: medium
        effects: {animus: 1}
  finis_bonus:
    ending: success
    text: "**Finis bonus.** Marcus laetus est."
  finis_medius:
    ending: partial
    text: "**Finis medius.** Marcus tacet."
  finis_malus:
    ending: failure
    text: "**Finis malus.** Marcus abit."
"""

MKDOCS = """\
site_name: Cursus
site_author: Magister
docs_dir: content
use_directory_urls: false
theme:
  name: material
  custom_dir: site_overrides
  font: false
  language: {language}
nav:
  - Initium: index.md
  - Lectiones:
      - Probatio: probatio.md
      - Fabula: fabula.md
      - Examen: examen.md
  - progress.md
  - completion.md
plugins:
  - search
  - offline
  - course:
      id: cursus
      completion:
        pass: [probatio]
        finish: all
        assessment: probatio
{extra}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - course
"""


def widget_markup(page: str) -> str:
    """The flagship page's widget (its first ``<div ...>`` block to the matching end), no prose."""
    text = (REPO / "content" / page).read_text(encoding="utf-8")
    start = text.index("<div ")
    end = text.index("\n\n", text.rindex("</div>")) if "\n\n" in text[text.rindex("</div>") :] else len(text)
    return re.sub(r"\n{2,}", "\n", text[start:end])


def neutral_project(dest: Path, language: str, extra: str = "") -> Path:
    """The placeholder-word course in ``dest`` with ``theme.language: language``."""
    return make_project(
        dest,
        {
            "content/index.md": "# Initium\n\nLorem ipsum dolor sit amet.\n",
            "content/probatio.md": "# Probatio\n\n::: quiz probatio\n",
            "content/fabula.md": "# Fabula\n\n::: scenario fabula\n",
            "content/progress.md": "# Progressus\n\n" + widget_markup("progress.md") + "\n",
            "content/completion.md": "# Testimonium\n\n" + widget_markup("completion.md") + "\n",
            "quizzes/probatio.yml": QUIZ,
            "content/examen.md": "# Examen\n\n::: quiz examen\n",
            "quizzes/examen.yml": EXAM,
            "quizzes/fabula.yml": SCENARIO,
        },
        mkdocs_yml=MKDOCS.format(language=language, extra=extra),
    )
