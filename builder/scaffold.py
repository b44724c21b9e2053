"""``course new DIR`` and ``course add lesson|quiz|scenario NAME`` (issue 12, item 1).

``course new`` copies the starter project (``builder/starter/``): mkdocs.yml with the course
id, version and commented completion rules, a home page, one lesson (objectives and an
image), one quiz, one scenario and a README for authors.  It builds and passes
``course check`` as it is.  ``course add`` writes one file from a template; a lesson is also
added to ``nav:`` in mkdocs.yml (``nav_edit``: comments and tags survive).

Exit codes: 0 done; 1 refused (the folder or file exists, mkdocs.yml cannot be edited);
2 a bad name or usage.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TEMPLATES = {"lesson.md", "quiz.yml", "scenario.yml"}  # starter files that are templates for `add`


def slug(text: str) -> str:
    """``My First Course`` -> ``my-first-course`` (a course or file id)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "course"


def title_of(name: str) -> str:
    """``02-handling-complaints`` -> ``Handling complaints``."""
    words = re.sub(r"^[0-9]+[-_ ]*", "", name).replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else name


def _yaml_text(text: str) -> str:
    """Text safe inside a double-quoted YAML string (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _fill(template: str, *, title: str, id_: str, yaml: bool) -> str:
    return template.replace("{title}", _yaml_text(title) if yaml else title).replace("{id}", id_)


def new_project(dest: Path, title: str | None = None, course_id: str | None = None) -> list[Path]:
    """Write a complete starter course into ``dest`` (which must not exist or be empty)."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"{dest} exists and is not empty; choose a new folder")
    name = dest.resolve().name
    title = title or title_of(name) or "My course"
    course_id = course_id or slug(name)
    written = []
    for src in sorted(STARTER.rglob("*")):
        rel = src.relative_to(STARTER).as_posix()
        if src.is_dir() or rel in TEMPLATES or "__pycache__" in rel:
            continue
        target = dest / (".gitignore" if rel == "gitignore" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix in (".yml", ".md"):
            text = src.read_text(encoding="utf-8")
            target.write_text(
                _fill(text, title=title, id_=course_id, yaml=src.suffix == ".yml"), encoding="utf-8"
            )
        else:
            target.write_bytes(src.read_bytes())
        written.append(target)
    return written


def add_file(
    project, kind: str, name: str, title: str | None = None, page: str | None = None, summary: str = ""
) -> list[str]:
    """Create a lesson, quiz or scenario from its template; returns what was done, for the author.

    ``project``: a ``builder.project.Project``.  A lesson goes to ``<docs>/lessons/NAME.md`` and into
    the nav; a quiz or scenario to ``<quizzes>/NAME.yml``, and with ``page`` its embed line is
    appended to that page (docs-relative).  ``summary`` (a lesson): what learners will learn, the
    lesson's first objective and its "What you'll learn" cell on the home page.  Raises ``FileExistsError``/``ValueError``/``NavError``.
    """
    from .nav_edit import add_to_nav

    name = name[:-3] if kind == "lesson" and name.endswith(".md") else name
    name = name[:-4] if kind != "lesson" and name.endswith(".yml") else name
    if not NAME_RE.match(name):
        raise ValueError(
            f"'{name}' is not a usable name: use lower-case letters, digits and hyphens, e.g. 02-{slug(name)}"
        )
    title = title or title_of(name)
    root = project.root
    done = []
    if kind == "lesson":
        folder = _lesson_folder(project)
        src = f"{folder}/{name}.md" if folder else f"{name}.md"
        path = root / project.docs / src
        if path.exists():
            raise FileExistsError(f"{_shown(path, root)} exists already")
        path.parent.mkdir(parents=True, exist_ok=True)
        template = (STARTER / "lesson.md").read_text(encoding="utf-8")
        summary = " ".join((summary or "").split())
        if summary:
            template = template.replace("first thing the learner will be able to do", summary, 1)
        path.write_text(_fill(template, title=title, id_=name, yaml=False), encoding="utf-8")
        done.append(f"wrote {_shown(path, root)}")
        if project.config_file is not None:
            done.append(add_to_nav(project.config_file, src, _lesson_section(project, folder)))
        from .author_checks import add_home_row

        if add_home_row(root / project.docs, src, title, summary):
            home = _shown(root / project.docs / "index.md", root)
            done.append(f"added a row for it to the table on {home}")
            if not summary:
                done.append(
                    f"its 'What you'll learn' cell repeats the lesson's first objective; change it in {home} "
                    "(or give --summary next time)"
                )
        return done
    path = root / project.quizzes / f"{name}.yml"
    if path.exists():
        raise FileExistsError(f"{_shown(path, root)} exists already")
    page_path = None
    if page:
        page_path = root / project.docs / page
        if not page_path.is_file():
            raise ValueError(
                f"no page {_shown(page_path, root)}; give the page as it appears in nav, e.g. lessons/01-intro.md"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    template = (STARTER / f"{kind}.yml").read_text(encoding="utf-8")
    path.write_text(_fill(template, title=title, id_=name, yaml=True), encoding="utf-8")
    done.append(f"wrote {_shown(path, root)}")
    if page_path is not None:
        text = page_path.read_text(encoding="utf-8")
        sep = "" if text.endswith("\n") else "\n"
        page_path.write_text(f"{text}{sep}\n::: {kind} {name}\n", encoding="utf-8")
        done.append(f"added '::: {kind} {name}' at the end of {_shown(page_path, root)}")
    else:
        done.append(f"show it on a page with the line '::: {kind} {name}' (or run again with --page PAGE)")
    return done


def _lesson_folder(project) -> str:
    """Where lessons live: ``lessons/`` when the course has it (``course new`` makes it), else the
    folder of the nav section called Lessons or Modules (the flagship's ``modules/``)."""
    from .author_checks import _sections

    if (project.root / project.docs / "lessons").is_dir() or not isinstance(project.nav, list):
        return "lessons"
    for title, pages in _sections(project.nav):
        if re.search(r"lesson|module|unit|chapter", title, re.I):
            folders = {p.rsplit("/", 1)[0] for p in pages if "/" in p}
            if len(folders) == 1:
                return folders.pop()
    return "lessons"


def _lesson_section(project, folder: str) -> str:
    from .author_checks import _sections

    for title, pages in _sections(project.nav):
        if title and any(p.startswith(folder + "/") for p in pages):
            return title
    return "Lessons"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()


# ---------------------------------------------------------------- command line


def cmd_new(args) -> int:
    dest = Path(args.dir)
    if args.id and not NAME_RE.match(args.id):
        print(f"course new: --id '{args.id}' must be lower-case letters, digits and hyphens", file=sys.stderr)
        return 2
    try:
        written = new_project(dest, args.title, args.id)
    except FileExistsError as exc:
        print(f"course new: {exc}", file=sys.stderr)
        return 1
    for line in next_steps(dest, len(written)):
        print(line)
    return 0


def command(name: str, module: str) -> str:
    """How to run the ``name`` command from any folder (issue 12): ``name`` when it is on PATH,
    else the full path of the script beside this Python (a venv's ``bin/``), else ``python -m``."""
    import shlex
    import shutil

    found = shutil.which(name)
    here = Path(sys.executable).parent / name
    if found and (not here.exists() or Path(found).resolve() == here.resolve()):
        return name
    if here.exists():
        return shlex.quote(str(here.absolute()))
    return f"{shlex.quote(sys.executable)} -m {module}"


def next_steps(dest: Path, count: int) -> list[str]:
    """What ``course new`` prints: commands that work from where the user is, copied as they are.

    ``make serve`` / ``make check`` when the new folder has a Makefile; otherwise ``mkdocs`` and
    ``course`` as :func:`command` finds them (the venv's full path when they are not on PATH).
    """
    import shlex

    course = command("course", "builder.cli")
    mkdocs = command("mkdocs", "mkdocs")
    lines = [f"Wrote a new course in {dest} ({count} files). Next:", f"  cd {shlex.quote(str(dest))}"]
    if (dest / "Makefile").is_file():
        lines += [
            "  make serve            # preview at http://127.0.0.1:8000",
            f"  {course} add lesson 02-my-topic",
            "  make check",
        ]
    else:
        lines += [
            f"  {mkdocs} serve          # preview at http://127.0.0.1:8000",
            f"  {course} add lesson 02-my-topic --summary 'what learners will be able to do'",
            f"  {course} check",
        ]
    if course != "course":
        venv = Path(sys.executable).parent / "activate"
        if venv.is_file():
            lines.append(
                f"(or run 'source {shlex.quote(str(venv.absolute()))}' once; then plain 'course' and 'mkdocs' work)"
            )
    return lines


def cmd_add(args) -> int:
    from .nav_edit import NavError
    from .project import read_project

    project = read_project(args.project)
    if project.config_file is None:
        print(
            f"course add: no mkdocs.yml in {project.root}; run this inside a course folder "
            "(or start one with 'course new DIR')",
            file=sys.stderr,
        )
        return 1
    try:
        done = add_file(project, args.kind, args.name, args.title, args.page, args.summary)
    except ValueError as exc:
        print(f"course add: {exc}", file=sys.stderr)
        return 2
    except (FileExistsError, NavError) as exc:
        print(f"course add: {exc}", file=sys.stderr)
        return 1
    for line in done:
        print(line)
    return 0


def register(sub, add_command) -> None:
    p = add_command(
        sub,
        "new",
        "start a new course project in a new folder",
        "Write a complete new course into DIR: mkdocs.yml (course id, version, completion rules,\n"
        "all commented), a home page, one lesson, one quiz, one scenario and a README for authors.\n"
        "It builds and passes 'course check' as it is; change it from there.",
        ["course new customer-care", 'course new induction --title "Welcome to the team"'],
        "0  course written\n1  DIR exists and is not empty\n2  wrong command-line usage",
    )
    p.add_argument("dir", metavar="DIR", help="folder to create")
    p.add_argument("--title", help="course title (default: from the folder name)")
    p.add_argument("--id", help="course id (default: from the folder name)")
    p.set_defaults(func=cmd_new)

    p = add_command(
        sub,
        "add",
        "add a lesson, quiz or scenario from a template",
        "Create a file from a template. A lesson goes to content/lessons/NAME.md and is added to\n"
        "'nav:' in mkdocs.yml (comments and layout kept) and to the home page's table (--summary fills\n"
        "its 'What you'll learn' cell). A quiz or scenario goes to\n"
        "quizzes/NAME.yml; with --page its '::: quiz NAME' line is added to that page.",
        [
            'course add lesson 02-listening --summary "Listen so the caller feels heard"',
            "course add quiz quiz-02-listening --page lessons/02-listening.md",
            "course add scenario angry-caller --page lessons/02-listening.md",
        ],
        "0  file written\n1  the file exists, or mkdocs.yml cannot be edited\n2  a bad name or usage",
    )
    p.add_argument("kind", choices=("lesson", "quiz", "scenario"), help="what to add")
    p.add_argument(
        "name", metavar="NAME", help="file name without extension: lower-case letters, digits, hyphens"
    )
    p.add_argument("--title", help="title (default: from NAME)")
    p.add_argument(
        "--summary",
        default="",
        help="lesson: what learners will learn, in a few words (the lesson's first objective and its "
        "cell in the home page's table; default: the lesson's first objective)",
    )
    p.add_argument("--page", help="quiz/scenario: the page (as in nav, e.g. lessons/02-x.md) to show it on")
    p.set_defaults(func=cmd_add)
