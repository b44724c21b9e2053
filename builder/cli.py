"""The ``course`` command: a thin dispatcher.

Each subcommand's work lives in its own module (``scaffold``: new/add; ``review``: review/paths;
``project``: check); this file only declares the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _project(args) -> tuple[Path, str, str]:
    """Project root, docs dir and quizzes dir, read from mkdocs.yml when there is one."""
    from .project import read_project

    project = read_project(args.project)
    return project.root, project.docs, project.quizzes


def _count(n: int, one: str, many: str) -> str:
    """``1 quiz``, ``2 quizzes``, ``0 quizzes`` (English: author-facing CLI text)."""
    return f"{n} {one if n == 1 else many}"


def cmd_check(args) -> int:
    from .problem_output import as_json, github_lines, summary, text_lines
    from .project import check_course, configure_renderer, read_project

    project = read_project(args.project)
    configure_renderer(project)
    course, errors, warnings = check_course(project, render_check=True)
    shown = [] if args.quiet else warnings
    if args.format == "json":
        sys.stdout.write(as_json(errors, shown))
    elif args.format == "github":
        for line in github_lines(errors) + github_lines(shown):
            print(line)
    else:
        for line in text_lines(errors) + text_lines(shown):
            print(line)
    n_quiz = sum(1 for i in course.items.values() if i.kind == "quiz")
    n_scen = sum(1 for i in course.items.values() if i.kind == "scenario")
    line = (
        f"{_count(n_quiz, 'quiz', 'quizzes')}, {_count(n_scen, 'scenario', 'scenarios')}, "
        f"{_count(len(course.embeds), 'embed', 'embeds')}: {summary(errors, shown)}"
    )
    hidden = len(set(warnings)) if args.quiet else 0
    if hidden:  # the counts are of the lines printed; say what -q left out apart
        line += f" ({hidden} warning(s) not shown: -q)"
    print(line, file=sys.stderr)
    return 1 if errors else 0


def cmd_schema(args) -> int:
    from .schema import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    _write(text, args.output)
    return 0


def cmd_map(args) -> int:
    from .course import Course

    root, docs, quizzes = _project(args)
    course = Course.load(root, docs, quizzes)
    item = course.items.get(args.id)
    if item is None or item.kind != "scenario":
        what = f" ('{args.id}' is a {item.kind})" if item is not None and item.kind else ""
        known = sorted(i.id for i in course.items.values() if i.kind == "scenario")
        hint = f"; scenarios: {', '.join(known)}" if known else ""
        print(f"course map: no scenario '{args.id}' in {quizzes}/{what}{hint}", file=sys.stderr)
        return 1
    if item.loaded.data is None:
        for problem in item.loaded.problems:
            print(problem, file=sys.stderr)
        return 1
    from .scenario_map import scenario_svg

    _write(scenario_svg(item), args.output)
    # the map is drawn even for a file with mistakes (it helps to find them); list them too
    for problem in item.loaded.problems:
        print(problem, file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    from .site import build_site

    root, _, _ = _project(args)
    if getattr(args, "zensical", False):  # issue 17: Zensical instead of MkDocs
        from .zensical_build import build_with_zensical

        return build_with_zensical(root, site_dir=args.output)
    return build_site(root, site_dir=args.output)


def cmd_package(args) -> int:
    root, _, _ = _project(args)
    if getattr(args, "cmi5", None):
        from .package.cmi5 import package_cmi5

        return package_cmi5(root, Path(args.cmi5), lang=args.lang)
    if not args.scorm and not getattr(args, "scorm2004", None):
        print(
            "course package: say which package, e.g. --scorm course-scorm.zip or --cmi5 course.zip",
            file=sys.stderr,
        )
        return 2
    from .package.scorm import package_scorm

    code = 0
    if args.scorm:
        code = package_scorm(root, Path(args.scorm), lang=args.lang)
    if not code and getattr(args, "scorm2004", None):
        code = package_scorm(root, Path(args.scorm2004), edition="2004", lang=args.lang)
    return code


def cmd_translate(args) -> int:
    """``course translate export LANG -o FILE`` / ``course translate import FILE`` (issue 14 item 3)."""
    from .translate import TranslateError, export, import_catalog

    root, _, _ = _project(args)
    try:
        if args.action == "export":
            if not args.output:
                print(
                    "course translate export: say where to write, e.g. -o translations/es.po", file=sys.stderr
                )
                return 2
            out = Path(args.output)
            previous = Path(args.previous) if args.previous else out
            po = export(root, args.target, previous)
            out.parent.mkdir(parents=True, exist_ok=True)
            po.save(str(out))
            fuzzy = len(po.fuzzy_entries())
            todo = len(po.untranslated_entries())
            print(
                f"{out}: {len(po)} segments, {len(po) - fuzzy - todo} translated, "
                f"{fuzzy} changed in English (fuzzy), {todo} to translate"
            )
        else:
            for line in import_catalog(root, Path(args.target)):
                print(line)
    except TranslateError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_report(args) -> int:
    from .records.report import make_report

    root, _, _ = _project(args)
    return make_report(root, args.statements, args.lrs, Path(args.output))


def cmd_csp(args) -> int:
    """The Content-Security-Policy of a built site, hashes included (builder/csp.py)."""
    from .csp import directive

    root, _, _ = _project(args)
    site = Path(args.site) if args.site else root / "site"
    if not (site / "index.html").is_file():
        print(f"course csp: no built site in {site}; build it first (make site)", file=sys.stderr)
        return 1
    print(directive(site, args.server, args.frame_ancestors))
    return 0


def _write(text: str, output: str | None) -> None:
    if output and output != "-":
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


EXIT_CODES = "0  done, no errors\n1  the course has errors (each printed as path:line: message)\n2  wrong command-line usage"


def add_command(
    sub, name: str, summary: str, description: str, examples: list[str], exit_codes: str = EXIT_CODES
):
    """A subcommand whose --help gives a description, the exit codes and examples (issue 12)."""
    epilog = "exit codes:\n" + "\n".join("  " + line for line in exit_codes.splitlines())
    epilog += "\n\nexamples:\n" + "\n".join("  " + e for e in examples)
    return sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; every subcommand is declared with ``add_command``."""
    parser = argparse.ArgumentParser(
        prog="course",
        description="Start, check, review, build and package a course. "
        "Run 'course COMMAND --help' for what a command does, its exit codes and examples.",
        epilog="examples:\n  course new my-course\n  course check\n  course review -o review.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-C", "--project", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from . import review, scaffold

    scaffold.register(sub, add_command)

    p = add_command(
        sub,
        "translate",
        "export the course's text to a PO catalog, or import a translated one",
        "export LANG -o FILE: every translatable string of the lessons, quizzes and scenarios as a\n"
        "gettext PO catalog, prefilled from content/*.LANG.md and quizzes/LANG/*.yml; entries whose\n"
        "English changed since FILE was last written are marked fuzzy. import FILE: write the\n"
        "translated lessons and quiz files from the catalog (fuzzy and empty entries are skipped).\n"
        "See the author guide's 'Translating a course' page.",
        ["course translate export es -o translations/es.po",
         "course translate import translations/es.po"],
    )  # fmt: skip
    p.add_argument("action", choices=["export", "import"], help="export a catalog or import one")
    p.add_argument("target", help="export: the language code (es, fr, pt-BR); import: the PO file")
    p.add_argument("-o", "--output", help="export: the PO file to write (and read as the previous one)")
    p.add_argument("--previous", help="export: an earlier catalog to compare with (default: the -o file)")
    p.set_defaults(func=cmd_translate)

    p = add_command(
        sub,
        "check",
        "check every course file; print path:line: message per problem",
        "Check every lesson, quiz and scenario and mkdocs.yml's course settings. Each problem is one\n"
        "line 'path:line: message' saying what to change; a problem that follows from another one comes\n"
        "right after it and ends with '(follows from path:line)'. Warnings are printed after the errors.",
        ["course check", "course check -q", "course check --format json > problems.json",
         "course check --format github   # annotations in a GitHub Actions log"],
    )  # fmt: skip
    p.add_argument("-q", "--quiet", action="store_true", help="errors only")
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json (for editors and scripts) or github (workflow annotations)",
    )
    p.set_defaults(func=cmd_check)

    review.register(sub, add_command)

    p = add_command(
        sub,
        "schema",
        "write the JSON Schema of quiz and scenario files",
        "Write the JSON Schema of quiz and scenario files, for completion and live checks in editors.",
        ["course schema -o course.schema.json"],
        "0  written\n2  wrong command-line usage",
    )
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_schema)

    p = add_command(
        sub,
        "map",
        "write an SVG map of a scenario",
        "Draw a scenario's branches as an SVG: one arrow per choice with its text, requirement and\n"
        "effects; unreachable, missing and dead-end nodes are flagged.",
        ["course map practice-phone-call -o map.svg"],
        "0  map written (problems in the file are listed too)\n1  no such scenario, or it cannot be read\n"
        "2  wrong command-line usage",
    )
    p.add_argument("id", help="scenario id (its file name without .yml)")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_map)

    p = add_command(
        sub,
        "build",
        "build the site (like mkdocs build)",
        "Build the site like 'mkdocs build'. A failed build leaves the last good site in place.",
        ["course build", "course build -o public"],
        "0  built\n1  the course has errors; nothing was replaced\n2  wrong command-line usage",
    )
    p.add_argument("-o", "--output", help="site folder (default: site_dir of mkdocs.yml)")
    p.add_argument("--zensical", action="store_true", help="build with Zensical instead of MkDocs")
    p.set_defaults(func=cmd_build)

    p = add_command(
        sub,
        "package",
        "write an LMS package",
        "Build the site and wrap it as a package an LMS can import.",
        [
            "course package --scorm course-scorm.zip",
            "course package --scorm2004 course-scorm2004.zip",
            "course package --cmi5 course-cmi5.zip",
        ],
        "0  package written\n1  the course has errors, or the package could not be written\n"
        "2  no package kind given",
    )
    p.add_argument("--scorm", metavar="OUT.zip", help="SCORM 1.2 zip for an LMS")
    p.add_argument("--cmi5", metavar="OUT.zip", help="cmi5 zip (one AU) for an LMS with an LRS")
    p.add_argument("--scorm2004", metavar="OUT.zip", help="SCORM 2004 4th edition zip for an LMS")
    p.add_argument(
        "--lang",
        metavar="LANG",
        help="SCORM: package this language version (e.g. es) of a course with language versions; "
        "default: the default language",
    )
    p.set_defaults(func=cmd_package)
    p = add_command(
        sub,
        "csp",
        "print the Content-Security-Policy for the built site, hashes included",
        "Read the built site and print the Content-Security-Policy that lets exactly its own scripts run "
        "(hashes of the theme's inline scripts included), as a header value or an nginx/Apache line.",
        ["course csp", "course csp --server nginx --frame-ancestors \"'self' https://lms.example.org\""],
        "0  policy printed\n1  no built site (build it first)\n2  usage mistake",
    )
    p.add_argument("--site", help="built site folder (default: site/ of the project)")
    p.add_argument("--server", choices=("header", "nginx", "apache"), default="header", help="output form")
    p.add_argument("--frame-ancestors", default="'self'", help="who may frame the course (default: 'self')")
    p.set_defaults(func=cmd_csp)

    from .interchange.cli import add_parsers as add_interchange  # course import / course export

    add_interchange(sub, add_command)

    p = add_command(
        sub,
        "report",
        "item-analysis report (HTML) from xAPI statements",
        "Read xAPI statements (an exported file or an LRS) and write one self-contained HTML page: per quiz, "
        "per question and per scenario, with charts and links to each item's file and line.",
        ["course report statements.json -o report.html", "course report --lrs https://lrs.example.org/xapi/"],
        "0  report written\n1  the statements or the LRS could not be read\n2  usage mistake",
    )
    p.add_argument(
        "statements", nargs="?", help="exported statements (JSON array, StatementResult or JSON Lines)"
    )
    p.add_argument(
        "--lrs", metavar="URL", help="read from this LRS's xAPI base; key:secret in COURSE_LRS_AUTH"
    )
    p.add_argument("-o", "--output", default="report.html", help="file to write (default: report.html)")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
