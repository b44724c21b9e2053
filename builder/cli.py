"""The ``course`` command: check, schema, map, build, package, import, export."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _project(args) -> tuple[Path, str, str]:
    """Project root, docs dir and quizzes dir, read from mkdocs.yml when there is one."""
    root = Path(args.project).resolve()
    docs, quizzes = "content", "quizzes"
    cfg = root / "mkdocs.yml"
    if cfg.is_file():
        import yaml

        class _Loose(yaml.SafeLoader):
            pass

        _Loose.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name tags etc.
        try:
            data = yaml.load(cfg.read_text(encoding="utf-8"), Loader=_Loose) or {}
        except yaml.YAMLError:
            data = {}
        docs = str(data.get("docs_dir") or docs)
        for plugin in data.get("plugins") or []:
            if isinstance(plugin, dict) and isinstance(plugin.get("course"), dict):
                quizzes = str(plugin["course"].get("quizzes_dir") or quizzes)
    return root, docs, quizzes


def cmd_check(args) -> int:
    from .course import Course

    root, docs, quizzes = _project(args)
    course = Course.load(root, docs, quizzes)
    if (root / "mkdocs.yml").is_file():  # course id, control characters (issue 11 items 5, 7)
        from .settings import settings_problems

        course.problems.extend(settings_problems(root / "mkdocs.yml", course.rel(root / "mkdocs.yml")))
    for problem in course.errors + ([] if args.quiet else course.warnings):
        print(problem)
    errors = len(course.errors)
    n_quiz = sum(1 for i in course.items.values() if i.kind == "quiz")
    n_scen = sum(1 for i in course.items.values() if i.kind == "scenario")
    summary = f"{n_quiz} quizzes, {n_scen} scenarios, {len(course.embeds)} embeds: "
    summary += f"{errors} error(s), {len(course.warnings)} warning(s)"
    print(summary, file=sys.stderr)
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

        return package_cmi5(root, Path(args.cmi5))
    if not args.scorm:
        print(
            "course package: say which package, e.g. --scorm course.zip or --cmi5 course.zip", file=sys.stderr
        )
        return 2
    from .package.scorm import package_scorm

    return package_scorm(root, Path(args.scorm))


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description="Check, build and package a course.")
    parser.add_argument("-C", "--project", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check every course file; print path:line: message per problem")
    p.add_argument("-q", "--quiet", action="store_true", help="errors only")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schema", help="write the JSON Schema of quiz and scenario files")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("map", help="write an SVG map of a scenario")
    p.add_argument("id", help="scenario id (its file name without .yml)")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("build", help="build the site (like mkdocs build)")
    p.add_argument("-o", "--output", help="site folder (default: site_dir of mkdocs.yml)")
    p.add_argument("--zensical", action="store_true", help="build with Zensical instead of MkDocs")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("package", help="write an LMS package")
    p.add_argument("--scorm", metavar="OUT.zip", help="SCORM 1.2 zip for an LMS")
    p.add_argument("--cmi5", metavar="OUT.zip", help="cmi5 zip (one AU) for an LMS with an LRS")
    p.set_defaults(func=cmd_package)

    p = sub.add_parser("csp", help="print the Content-Security-Policy for the built site, hashes included")
    p.add_argument("--site", help="built site folder (default: site/ of the project)")
    p.add_argument("--server", choices=("header", "nginx", "apache"), default="header", help="output form")
    p.add_argument("--frame-ancestors", default="'self'", help="who may frame the course (default: 'self')")
    p.set_defaults(func=cmd_csp)

    from .interchange.cli import add_parsers as add_interchange  # course import / course export

    add_interchange(sub)
    p = sub.add_parser("report", help="item-analysis report (HTML) from xAPI statements")
    p.add_argument(
        "statements", nargs="?", help="exported statements (JSON array, StatementResult or JSON Lines)"
    )
    p.add_argument(
        "--lrs", metavar="URL", help="read from this LRS's xAPI base; key:secret in COURSE_LRS_AUTH"
    )
    p.add_argument("-o", "--output", default="report.html", help="file to write (default: report.html)")
    p.set_defaults(func=cmd_report)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
