"""Generate course projects for the benchmarks.

- ``generate_course(dest, lessons, quizzes, scenarios, nodes)``: a large course that uses the flagship's
  mkdocs.yml (same theme, features, plugins and extensions) with the nav and paths rewritten; every lesson
  embeds one quiz, and the first ``scenarios`` lessons also embed one scenario.
- ``make_plain(src, dest)``: the same Markdown with every ``::: quiz`` / ``::: scenario`` (/ ``scenario-map``) line removed and the
  course plugin and extension taken out of mkdocs.yml (the baseline: what MkDocs costs without us).
- ``make_mkdocs_quiz(src, dest)``: the same lessons for mkdocs-quiz 1.7.1 (the reference line of issue 17):
  every ``::: quiz`` line replaced by the quiz's questions in mkdocs-quiz's ``<quiz>`` syntax, scenario
  lines removed (mkdocs-quiz has no scenarios), our plugin and extension replaced by ``mkdocs_quiz``.
- ``scenario_yaml(n)``: one valid scenario of ``n`` nodes (for the validation benchmark).

Everything is deterministic: the same arguments give byte-identical files.

    python -m tests.bench.generate OUT [--lessons N --quizzes N --scenarios N --nodes N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
PER_PART = 50  # lessons per nav section
# our directives: `::: quiz <id>`, `::: scenario <id>` and the author guide's `::: scenario-map <id>`
EMBED_LINE = re.compile(r"^ {0,3}:::[ \t]*(quiz|scenario|scenario-map)[ \t]+\S+[ \t]*$")

TOPICS = [
    ("a late delivery", "the parcel", "tracking number"),
    ("a double charge", "the bill", "account number"),
    ("a broken kettle", "the kettle", "order number"),
    ("a missed appointment", "the visit", "booking reference"),
    ("a lost booking", "the booking", "booking reference"),
    ("a rude message", "the complaint", "case number"),
    ("a faulty laptop", "the laptop", "serial number"),
    ("a cancelled flight", "the flight", "ticket number"),
]
MOODS = ["furious", "angry", "frustrated", "upset", "anxious", "impatient", "neutral", "calmer", "calm"]


def _lesson_path(i: int) -> str:
    return f"lessons/part-{(i - 1) // PER_PART + 1:02d}/lesson-{i:04d}.md"


def lesson_text(i: int, lessons: int, quiz_id: str | None, scenario_id: str | None) -> str:
    """About 350 words of ordinary lesson Markdown, plus its embed lines."""
    topic, thing, ref = TOPICS[i % len(TOPICS)]
    nxt = _lesson_path(i % lessons + 1)
    here = _lesson_path(i)
    link = os.path.relpath(nxt, os.path.dirname(here)).replace(os.sep, "/")
    parts = [
        f"# Lesson {i}: handling {topic}\n",
        "## What you will practise\n",
        f"- Spotting what the customer feels about {thing}, before you talk about the fix.",
        "- Saying sorry for something specific, in your own words.",
        f"- Asking for the {ref} at the right moment, not in your first sentence.",
        "- Agreeing a next step and a time, and then keeping to it.\n",
        "## The situation\n",
        f"A customer contacts you about {topic}. They have already tried twice to sort it out and "
        f"nobody called back. By the time they reach you, {thing} is only half of the problem: the "
        "other half is that they feel ignored. If you start with forms and questions, you confirm "
        "what they already believe about us.\n",
        "Let them finish. Short sounds such as *mm* and *I see* tell them you are still there. "
        "Write down the facts as they come, so that you never have to ask for them twice.\n",
        "## What to say\n",
        "| Instead of | Try |",
        "| --- | --- |",
        '| "Calm down, please." | "I can hear how much this has cost you." |',
        f'| "What is the {ref}?" | "I want to fix this. Could you read me the {ref}?" |',
        '| "That is not my department." | "I will stay on this until it is sorted." |\n',
        '!!! tip "Own the next step"',
        f"    Tell the customer exactly what happens next with {thing}, who does it, and when you "
        "will call back. Then put the call-back in your calendar before you hang up.\n",
        "## Why it works\n",
        "People judge a complaint by how it was handled more than by what went wrong. A clear, "
        "specific apology and one named person who follows it through turn an angry customer into "
        "one who tells friends how well it went. The fix matters, but the feeling of being taken "
        "seriously is what they remember.\n",
        "Keep your tone steady even when theirs is not. Anger usually burns out within a minute or "
        "two when nobody adds fuel to it, and a customer who has finished venting can listen to "
        "the options you have for them.\n",
        f"Next: [lesson {i % lessons + 1}]({link}).\n",
    ]
    if quiz_id:
        parts.append(f"::: quiz {quiz_id}\n")
    if scenario_id:
        parts.append("## Practice call\n")
        parts.append(f"::: scenario {scenario_id}\n")
    return "\n".join(parts)


def quiz_yaml(i: int, lessons: int) -> str:
    """Five questions, one of each type, with Markdown and a link to a lesson."""
    topic, thing, ref = TOPICS[i % len(TOPICS)]
    lesson = _lesson_path((i - 1) % lessons + 1)
    return f"""\
kind: quiz
title: "Check: {topic} ({i})"
pass_mark: 80
questions:
  - id: first-move
    type: single
    prompt: "A customer calls about **{topic}** and starts shouting. What do you do first?"
    options:
      - text: "Let them finish, then say sorry for something specific"
        correct: true
        feedback: "Right. Letting them finish takes the heat out; see [the lesson]({lesson})."
      - text: "Ask for the {ref} straight away"
        feedback: "Asking for numbers first tells them the form matters more than they do."
      - text: "Tell them to calm down"
        feedback: "Being told to calm down almost always makes people angrier."
    explanation: "Feelings first, then the issue."
  - id: helps
    type: multiple
    prompt: "Which of these help with {thing}?"
    options:
      - {{text: "Using the customer's name", correct: true, feedback: "It makes the call personal."}}
      - {{text: "A specific apology", correct: true, feedback: "Specific beats generic."}}
      - {{text: "Blaming another team", feedback: "Blame makes you look helpless."}}
    explanation: "Both show that you listened."
  - id: always-right
    type: true_false
    prompt: "The customer is always right about {thing}."
    answer: false
    explanation: "Not always right, but always the customer."
  - id: one-word
    type: text
    prompt: "One word: what do you do while the customer vents?"
    accept: [listen, listening]
    explanation: "Listen, and let them finish."
  - id: steps
    type: order
    prompt: "Put the steps in order."
    items: ["Listen", "Apologise for something specific", "Agree the fix", "Follow up"]
    explanation: "Feelings, then the fix, then the follow-up."
"""


def scenario_data(n: int, title: str = "A long call") -> dict:
    """A valid scenario of ``n`` nodes (n >= 4): a spine of steps with detours, three endings."""
    assert n >= 4
    last = n - 4  # steps 0..last have choices; the last three nodes are endings
    nodes: dict[str, dict] = {}
    for k in range(last + 1):
        forward = f"step-{k + 1}" if k < last else "resolved"
        detour = f"step-{k + 2}" if k + 2 <= last else "half-fixed"
        choices = [
            {
                "text": f"Listen, then say sorry for the *specific* problem (step {k})",
                "to": forward,
                "feedback": "Good: the customer feels heard, so the next step gets easier.",
                "effects": {"calm": 1, "trust": 1},
            },
            {
                "text": "Jump straight to the policy",
                "to": detour,
                "feedback": "Rushing to the rules skips their feelings and costs you trust.",
                "effects": {"calm": -1},
            },
        ]
        if k % 5 == 4:
            choices.append(
                {
                    "text": "Offer a goodwill gesture",
                    "to": "resolved",
                    "requires": {"trust": 3},
                    "effects": {"calm": 2},
                    "feedback": "Once they trust you, a small gesture shows you mean it.",
                }
            )
        if k % 7 == 6:
            choices.append(
                {
                    "text": "Lose your temper",
                    "to": "hung-up",
                    "effects": {"calm": -3},
                    "feedback": "Snapping back ends the call and the relationship.",
                }
            )
        nodes[f"step-{k}"] = {
            "speaker": "Customer",
            "mood": MOODS[k % len(MOODS)],
            "text": f"The customer explains what went wrong at step {k}. They sound **tired** of waiting.",
            "choices": choices,
        }
    nodes["resolved"] = {"ending": "success", "text": "Sorted, and the customer thanks you by name."}
    nodes["half-fixed"] = {
        "ending": "partial",
        "text": "The problem is fixed, but the customer is still unhappy.",
    }
    nodes["hung-up"] = {"ending": "failure", "text": "The customer hangs up and posts a bad review."}
    if last < 6:  # make sure the failure ending is reachable in tiny scenarios too
        nodes["step-0"]["choices"].append(
            {"text": "Lose your temper", "to": "hung-up", "feedback": "Snapping back ends the call."}
        )
    return {
        "kind": "scenario",
        "title": title,
        "start": "step-0",
        "meters": {
            "calm": {"label": "Customer's calm", "start": 1, "min": 0, "max": 5},
            "trust": {"label": "Trust in you", "start": 1, "min": 0, "max": 5},
        },
        "nodes": nodes,
    }


def scenario_yaml(n: int, title: str = "A long call") -> str:
    return yaml.safe_dump(scenario_data(n, title), sort_keys=False, allow_unicode=True, width=100)


def _flagship_config() -> dict:
    with open(REPO / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def _write_config(config: dict, dest: Path) -> None:
    (dest / "mkdocs.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )


def _link_overrides(dest: Path) -> None:
    link = dest / "site_overrides"
    if not link.exists():
        link.symlink_to(REPO / "site_overrides", target_is_directory=True)


def generate_course(
    dest: Path, lessons: int = 1000, quizzes: int = 1000, scenarios: int = 200, nodes: int = 50
) -> Path:
    """Write a course project to ``dest`` (which is emptied first)."""
    assert quizzes <= lessons and scenarios <= lessons
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content").mkdir(parents=True)
    (dest / "quizzes").mkdir()
    nav: list = [{"Home": "index.md"}]
    part: list = []
    for i in range(1, lessons + 1):
        quiz_id = f"quiz-{i:04d}" if i <= quizzes else None
        scenario_id = f"scenario-{i:04d}" if i <= scenarios else None
        path = dest / "content" / _lesson_path(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(lesson_text(i, lessons, quiz_id, scenario_id), encoding="utf-8")
        if quiz_id:
            (dest / "quizzes" / f"{quiz_id}.yml").write_text(quiz_yaml(i, lessons), encoding="utf-8")
        if scenario_id:
            title = f"Practice call {i}: {TOPICS[i % len(TOPICS)][0]}"
            (dest / "quizzes" / f"{scenario_id}.yml").write_text(
                scenario_yaml(nodes, title), encoding="utf-8"
            )
        part.append(_lesson_path(i))
        if len(part) == PER_PART or i == lessons:
            nav.append({f"Part {(i - 1) // PER_PART + 1}": part})
            part = []
    (dest / "content" / "index.md").write_text(
        f"# A large generated course\n\n{lessons} lessons, {quizzes} quizzes and {scenarios} scenarios "
        f"of {nodes} nodes, generated for the benchmarks.\n\nStart with [lesson 1]({_lesson_path(1)}).\n",
        encoding="utf-8",
    )

    config = _flagship_config()  # same theme, features, palette, plugins and extensions
    config["site_name"] = "Generated benchmark course"
    config["docs_dir"] = "content"
    config["site_dir"] = "site"
    config["nav"] = nav
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "course" in plugin:
            plugin["course"]["id"] = "bench-course"
            plugin["course"]["quizzes_dir"] = "quizzes"
            plugin["course"]["completion"] = {
                "pass": ["quiz-0001"],
                "finish": "all",
                "assessment": "quiz-0001",
            }
    _write_config(config, dest)
    _link_overrides(dest)
    return dest


def make_plain(src: Path, dest: Path) -> Path:
    """The same Markdown without embed lines, built by MkDocs without our plugin and extension."""
    if dest.exists():
        shutil.rmtree(dest)
    for page in sorted((src / "content").rglob("*")):
        target = dest / "content" / page.relative_to(src / "content")
        if page.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if page.suffix == ".md":
            text = page.read_text(encoding="utf-8")
            kept = [line for line in text.split("\n") if not EMBED_LINE.match(line)]
            target.write_text("\n".join(kept), encoding="utf-8")
        else:
            shutil.copyfile(page, target)
    with open(src / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config["plugins"] = [p for p in config.get("plugins", []) if not (isinstance(p, dict) and "course" in p)]
    config["plugins"] = [p for p in config["plugins"] if p != "course"]
    config["markdown_extensions"] = [
        e
        for e in config.get("markdown_extensions", [])
        if e != "course" and not (isinstance(e, dict) and "course" in e)
    ]
    _write_config(config, dest)
    _link_overrides(dest)
    return dest


def _quiz_block(lines: list[str], prompt: str, options: list[tuple[str, bool, str]], after: str) -> None:
    lines += ["<quiz>", prompt]
    for text, correct, feedback in options:
        lines.append(f"- [{'x' if correct else ' '}] {text}")
        if feedback:
            lines.append(f"    > {feedback}")
    if after:
        lines += ["", after]
    lines += ["</quiz>", ""]


def mkdocs_quiz_markdown(data: dict, page: str) -> str:
    """One quiz file of ours as mkdocs-quiz 1.7.1 questions (one ``<quiz>`` block per question).

    single/multiple: ``- [x]`` / ``- [ ]`` options with ``> feedback``; true_false: True/False options;
    text: a fill-in blank ``[[answer]]`` (its first accepted answer); order: mkdocs-quiz has no ordering
    question, so a single choice between the right order and the reversed one.  Links to lessons are
    made relative to ``page`` (docs-relative path of the lesson the questions go into)."""
    here = os.path.dirname(page)

    def text(value: object) -> str:
        s = str(value)
        return re.sub(
            r"\]\((lessons/[^)#]+\.md)\)",
            lambda m: "](" + os.path.relpath(m.group(1), here).replace(os.sep, "/") + ")",
            s,
        )

    lines: list[str] = []
    for q in data["questions"]:
        kind, prompt, after = q["type"], text(q["prompt"]), text(q.get("explanation", ""))
        if kind in ("single", "multiple"):
            opts = [
                (text(o["text"]), bool(o.get("correct")), text(o.get("feedback", ""))) for o in q["options"]
            ]
            _quiz_block(lines, prompt, opts, after)
        elif kind == "true_false":
            _quiz_block(
                lines, prompt, [("True", q["answer"] is True, ""), ("False", q["answer"] is False, "")], after
            )
        elif kind == "text":
            lines += ["<quiz>", f"{prompt} [[{q['accept'][0]}]]", "---", after, "</quiz>", ""]
        elif kind == "order":
            items = [text(i) for i in q["items"]]
            _quiz_block(
                lines,
                prompt,
                [(" → ".join(items), True, ""), (" → ".join(reversed(items)), False, "")],
                after,
            )
        else:  # pragma: no cover - the generator writes only the five types above
            raise ValueError(f"no mkdocs-quiz form for {kind!r}")
    return "\n".join(lines)


def make_mkdocs_quiz(src: Path, dest: Path) -> Path:
    """``src`` (a generated course) for mkdocs-quiz: the same lessons and questions, its syntax."""
    plain = make_plain(src, dest)
    with open(src / "mkdocs.yml", encoding="utf-8") as f:
        quizzes_dir = "quizzes"
        for plugin in yaml.safe_load(f).get("plugins", []):
            if isinstance(plugin, dict) and "course" in plugin:
                quizzes_dir = plugin["course"].get("quizzes_dir", quizzes_dir)
    for page in sorted((src / "content").rglob("*.md")):
        rel = page.relative_to(src / "content").as_posix()
        out = []
        for line in page.read_text(encoding="utf-8").split("\n"):
            m = EMBED_LINE.match(line)
            if m is None:
                out.append(line)
            elif m.group(1) == "quiz":
                item = line.split()[-1]
                with open(src / quizzes_dir / f"{item}.yml", encoding="utf-8") as f:
                    out.append(mkdocs_quiz_markdown(yaml.safe_load(f), rel))
        (plain / "content" / rel).write_text("\n".join(out), encoding="utf-8")
    with open(plain / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config["plugins"].append("mkdocs_quiz")
    _write_config(config, plain)
    return plain


def copy_flagship(dest: Path) -> Path:
    """The flagship course (this repository's content, quizzes and mkdocs.yml) in ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    config = _flagship_config()
    shutil.copytree(REPO / config.get("docs_dir", "docs"), dest / "content")
    quizzes = "quizzes"
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "course" in plugin:
            quizzes = plugin["course"].get("quizzes_dir", quizzes)
    shutil.copytree(REPO / quizzes, dest / "quizzes")
    config["docs_dir"] = "content"
    config["site_dir"] = "site"
    _write_config(config, dest)
    _link_overrides(dest)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--quizzes", type=int, default=1000)
    parser.add_argument("--scenarios", type=int, default=200)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--plain", type=Path, help="also write the plain-MkDocs variant here")
    args = parser.parse_args(argv)
    generate_course(args.output, args.lessons, args.quizzes, args.scenarios, args.nodes)
    if args.plain:
        make_plain(args.output, args.plain)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
