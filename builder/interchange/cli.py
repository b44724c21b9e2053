"""``course import twine|gift|aiken SRC [-o FILE]`` and ``course export gift|moodle-xml|qti QUIZ
[-o FILE]`` (issue 16).

Every note is one line ``path:line: message`` on stderr, then a summary line.  Exit status:
0 when the result was written and has no errors, 1 when there was an error (the result is
still written when there is one: nothing the source held is lost), 2 for a usage mistake.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..problems import Problem

IMPORTERS = ("twine", "gift", "aiken", "moodle-xml", "qti")
EXPORTERS = ("gift", "moodle-xml", "qti")


def add_parsers(sub, add_command) -> None:
    """Register ``import`` and ``export`` on the ``course`` command's subparsers; ``add_command`` is
    ``builder.cli.add_command`` (passed in, so this module does not import the CLI back)."""
    codes = "0  written, no errors\n1  written, with errors to fix (nothing the source held is lost)\n2  usage mistake"
    p = add_command(
        sub,
        "import",
        "write quiz or scenario YAML from a Twine story or a GIFT, Aiken, Moodle XML or QTI question bank",
        "Read a Twine story (Twee 3, Twine 2 HTML or archive) or a GIFT, Aiken, Moodle XML or IMS QTI 2.1 "
        "question bank and write the scenario or quiz YAML; everything that cannot be mapped is reported "
        "with its line.",
        [
            "course import twine story.twee -o quizzes/my-story.yml",
            "course import gift bank.gift -o quizzes/bank.yml",
            "course import moodle-xml questions.xml -o quizzes/bank.yml",
            "course import qti bank-qti21.zip -o quizzes/bank.yml",
        ],
        codes,
    )
    p.add_argument(
        "format",
        choices=IMPORTERS,
        help="twine (Twee 3, Twine 2 HTML or archive), gift, aiken, moodle-xml or qti "
        "(a QTI 2.1 zip package, assessmentTest or assessmentItem XML)",
    )
    p.add_argument("source", metavar="SRC", help="the file to read")
    p.add_argument("-o", "--output", help="YAML file to write, e.g. quizzes/my-story.yml (default: stdout)")
    p.add_argument(
        "--title",
        help="quiz title (question banks; default: the category or test title, else the file's name)",
    )
    p.add_argument(
        "--base-url",
        dest="base_url",
        help="gift, moodle-xml, qti: where the course was published; links under it become lesson links again",
    )
    p.add_argument("--story", help="Twine archive: the name of the story to import (default: the first)")
    p.set_defaults(func=cmd_import)

    p = add_command(
        sub,
        "export",
        "write a quiz as a GIFT, Moodle XML or QTI 2.1 question bank",
        "Write one quiz for an LMS question bank: GIFT, Moodle XML (order questions as Moodle's ordering "
        "type) or an IMS QTI 2.1 content package.",
        ["course export moodle-xml quiz-01-welcome -o quiz.xml", "course export qti final-assessment"],
        codes,
    )
    p.add_argument("format", choices=EXPORTERS, help="gift, moodle-xml or qti (an IMS QTI 2.1 zip)")
    p.add_argument(
        "quiz", metavar="QUIZ", help="quiz id (its file name in quizzes/ without .yml) or a YAML file"
    )
    p.add_argument("-o", "--output", help="file to write (default: stdout; for qti ID-qti21.zip)")
    p.add_argument(
        "--base-url",
        help="where the course is published: lesson links and images become absolute links to it",
    )
    p.set_defaults(func=cmd_export)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _print(problems) -> tuple[int, int]:
    errors = warnings = 0
    for p in sorted(problems, key=lambda p: (p.path, p.line)):
        print(p, file=sys.stderr)
        if p.is_error:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def cmd_import(args) -> int:
    from .common import SourceError

    src = Path(args.source)
    shown = _shown(src)
    try:
        if args.format in ("moodle-xml", "qti"):
            data, notes = _read_xml_bank(args, src, shown)
        else:
            data, notes = _read_text(args, src, shown)
    except SourceError as exc:
        _print(exc.problems)
        print(f"course import {args.format}: nothing written", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours must not show the author a traceback
        print(
            f"{shown}:1: internal error while importing ({type(exc).__name__}: {exc}); please report it",
            file=sys.stderr,
        )
        return 1
    return _write_import(args, src, data, notes)


def _read_xml_bank(args, src: Path, shown: str):
    from ..problems import Problems
    from .common import SourceError

    try:
        raw = src.read_bytes()
    except OSError as exc:
        problems = Problems(shown)
        problems.add(1, f"cannot read the file: {exc.strerror or exc}")
        raise SourceError(problems) from None
    if args.format == "moodle-xml":
        from .moodle_import import read_moodle_xml_bank

        return read_moodle_xml_bank(raw, shown, args.title, getattr(args, "base_url", None))
    from .qti_import import read_qti_package

    return read_qti_package(raw, shown, args.title, getattr(args, "base_url", None), folder=src.parent)


def _read_text(args, src: Path, shown: str):
    from .common import read_source

    text = read_source(src, shown)
    if args.format == "twine":
        from .twine import read_twine

        data, notes = read_twine(text, shown, args.story)
    elif args.format == "gift":
        from .gift import read_gift

        data, notes = read_gift(text, shown, args.title, getattr(args, "base_url", None))
    else:
        from .aiken import read_aiken

        data, notes = read_aiken(text, shown, args.title)
    return data, notes


def _write_import(args, src: Path, data: dict, notes) -> int:
    from .common import check_output, dump_yaml, title_from

    shown = _shown(src)
    if data.get("title") in ("Imported questions", "Imported story") and not args.title:
        data["title"] = title_from(src)  # no title in the source: the file's name
    out = Path(args.output) if args.output and args.output != "-" else None
    display = _shown(out) if out else "<stdout>"
    yaml_text = dump_yaml(data, f"Imported from {src.name} by `course import {args.format}`.")
    checked = check_output(yaml_text, display)
    problems = list(notes) + list(checked.problems)
    if out is not None:
        from ..course import ID_RE

        if not ID_RE.match(out.stem):
            problems.append(
                Problem(
                    display,
                    1,
                    f"file name '{out.name}' must be lower-case letters, digits and hyphens (it is the id)",
                )
            )
        if out.exists():
            problems.append(Problem(display, 1, "this file existed and has been replaced", "warning"))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(yaml_text, encoding="utf-8")
        except OSError as exc:
            print(f"{display}:1: cannot write the file: {exc.strerror or exc}", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(yaml_text)
    errors, warnings = _print(problems)
    what = (
        f"{len(data.get('questions', []))} questions"
        if data["kind"] == "quiz"
        else f"{len(data['nodes'])} nodes"
    )
    verdict = (
        "passes course check"
        if not checked.problems or not any(p.is_error for p in checked.problems)
        else "does NOT pass course check (see above)"
    )
    print(
        f"imported {what} from {shown} into {display}: {errors} error(s), {warnings} note(s); the result {verdict}",
        file=sys.stderr,
    )
    if out is not None and not errors:
        print(f"show it in a lesson with the line:  ::: {data['kind']} {out.stem}", file=sys.stderr)
    return 1 if errors else 0


def _find_quiz(args) -> Path | None:
    candidate = Path(args.quiz)
    if candidate.suffix in (".yml", ".yaml") or candidate.is_file():
        return candidate
    from ..project import read_project

    project = read_project(args.project)
    root, quizzes = project.root, project.quizzes
    for suffix in (".yml", ".yaml"):
        path = root / quizzes / f"{args.quiz}{suffix}"
        if path.is_file():
            return path
    return None


def cmd_export(args) -> int:
    from ..loader import load_file
    from ..problems import Problems
    from .common import check_loaded

    path = _find_quiz(args)
    if path is None or not path.is_file():
        print(
            f"course export: no quiz '{args.quiz}' (give a quiz id from quizzes/ or a YAML file)",
            file=sys.stderr,
        )
        return 1
    shown = _shown(path)
    loaded = check_loaded(load_file(path, shown))
    errors = [p for p in loaded.problems if p.is_error]
    if errors or not isinstance(loaded.data, dict):
        _print(loaded.problems)
        print(f"course export: {shown} has mistakes; fix them first (course check)", file=sys.stderr)
        return 1
    if loaded.data.get("kind") != "quiz":
        print(
            f"{shown}:1: this is a {loaded.data.get('kind')}, not a quiz; only quizzes can be exported",
            file=sys.stderr,
        )
        return 1
    from ..schema import Quiz
    from .markup import Html

    quiz = Quiz.model_validate(loaded.data)
    lines = {i: loaded.line(("questions", i)) for i in range(len(quiz.questions))}
    from .settings import FIELDS

    field_lines = {key: loaded.line((key,)) for key in FIELDS}
    notes = Problems(shown)
    html = Html(args.base_url)
    quiz_id = path.stem
    try:
        if args.format == "gift":
            from .gift import write_gift

            payload: str | bytes = write_gift(quiz, quiz_id, notes, lines, field_lines, args.base_url)
        elif args.format == "moodle-xml":
            from .moodle import write_moodle_xml

            payload = write_moodle_xml(quiz, quiz_id, html, notes, lines, field_lines)
        else:
            from .qti import write_qti

            payload = write_qti(quiz, quiz_id, html, notes, lines, field_lines)
    except Exception as exc:  # a bug of ours must not show the author a traceback
        print(
            f"{shown}:1: internal error while exporting ({type(exc).__name__}: {exc}); please report it",
            file=sys.stderr,
        )
        return 1
    output = args.output
    if output is None and isinstance(payload, bytes):
        output = f"{quiz_id}-qti21.zip"
    if output and output != "-":
        target = Path(output)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(payload, bytes):
                target.write_bytes(payload)
            else:
                target.write_text(payload, encoding="utf-8")
        except OSError as exc:
            print(f"{output}:1: cannot write the file: {exc.strerror or exc}", file=sys.stderr)
            return 1
        where = _shown(target)
    else:
        if isinstance(payload, bytes):
            sys.stdout.buffer.write(payload)
        else:
            sys.stdout.write(payload)
        where = "<stdout>"
    _, warnings = _print(notes)
    left_out = sum(1 for n in notes if "left out" in n.message)
    print(
        f"exported {len(quiz.questions) - left_out} of {len(quiz.questions)} questions from {shown} to {where} "
        f"({args.format}): {warnings} note(s)",
        file=sys.stderr,
    )
    return 0
