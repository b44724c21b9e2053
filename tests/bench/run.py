"""`make bench`: measure the course builder and write content/about/benchmarks.md.

    python -m tests.bench.run            # BENCH_RUNS repetitions, default 3 (about 15 minutes on 2 cores)
    python -m tests.bench.run --quick    # 1 repetition, for a first look
    BENCH_RUNS=5 python -m tests.bench.run
    python -m tests.bench.run --no-write # print the table only

Measurements (see the page this writes for what they mean):
  (a) build time of the flagship course and of generated courses of 200 and 1,000 lessons, each divided
      by the time of plain `mkdocs build` on the same Markdown without the embed lines and without our
      plugin and extension; the builds alternate, median of N; on the 200 lessons also mkdocs-quiz 1.7.1
      with the same 1,000 questions in its own syntax (a reference line, from .venv-bench-quiz);
  (b) `course check` on the large course divided by merely parsing its YAML files;
  (c) validation of one scenario of 10,000 and of 100,000 nodes, and their ratio;
  (d) our own JS and CSS, raw and gzipped;
  (e) peak memory (max RSS) of the large build against plain `mkdocs build`.
Times are CPU seconds (user + system) of the child process or of this process: on a shared machine they
move far less than wall-clock time, which is shown beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import gzip
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.bench.generate import (
    REPO,
    copy_flagship,
    generate_course,
    make_mkdocs_quiz,
    make_plain,
    scenario_yaml,
)
from tests.bench.preview import preview_rows

PAGE = REPO / "content" / "about" / "benchmarks.md"
ASSETS = REPO / "site_overrides" / "assets" / "course"
PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "315532800"}

TARGET_BUILD = 1.10  # issue 17 (was 1.15)
TARGET_CHECK = 2.0
# 10x the nodes: linear is 10x, quadratic 100x.  Up to 15x counts as linear: 100,000 nodes no longer
# fit the CPU caches that 10,000 nodes fit, which alone costs some 10-40% on every step
TARGET_LINEAR = 15.0
TARGET_ASSETS = 20 * 1024
TARGET_MEMORY = 2.0

LARGE = {"lessons": 1000, "quizzes": 1000, "scenarios": 200, "nodes": 50}
# issue 17: 200 lessons, 200 quizzes of five questions (1,000 questions) and 40 scenarios
MEDIUM = {"lessons": 200, "quizzes": 200, "scenarios": 40, "nodes": 50}
DEFAULT_RUNS = 3  # BENCH_RUNS overrides: alternating runs per build, the median is reported
# mkdocs-quiz 1.7.1 lives in its own environment (`make bench-quiz-deps`); BENCH_QUIZ_PYTHON overrides
QUIZ_PYTHON = os.environ.get("BENCH_QUIZ_PYTHON") or str(REPO / ".venv-bench-quiz" / "bin" / "python")


def default_runs() -> int:
    """BENCH_RUNS from the environment (a positive whole number), else DEFAULT_RUNS."""
    value = os.environ.get("BENCH_RUNS", "").strip()
    if not value:
        return DEFAULT_RUNS
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"BENCH_RUNS must be a whole number of runs, at least 1 (not {value!r})")
    return int(value)


def quiz_python() -> str | None:
    """The Python of the environment with mkdocs-quiz 1.7.1, or None when it is not installed."""
    if not Path(QUIZ_PYTHON).is_file():
        return None
    probe = subprocess.run(
        [QUIZ_PYTHON, "-c", "import importlib.metadata as m; print(m.version('mkdocs-quiz'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return QUIZ_PYTHON if probe.returncode == 0 and probe.stdout.strip() == "1.7.1" else None


# Why a target is missed, when it is (written next to the figure; see the report of issue 6).
WHY_MISSED = {
    "flagship": "a fixed cost that plain MkDocs does not have (CPU timers around our hooks): importing "
    "our modules and pydantic and building the quiz and scenario validators (about 0.3 s of CPU, half of "
    "the gap), checking the course (0.1 s), rendering its widgets in both language versions (0.14 s) and "
    "drawing the guide's scenario maps (0.05 s); plain MkDocs builds this small course in about 1.3 s, so "
    "1.10x leaves 0.13 s for all of it",
    "medium": "work that plain MkDocs does not do (CPU timers around our hooks): rendering 240 widgets "
    "in each of the two language versions with Jinja2 and the author Markdown (about 0.8 s of CPU), "
    "checking 240 files and 200 lessons (about 0.4 s), importing our modules and pydantic (about 0.3 s), "
    "cache busting (0.15 s) and the larger pages MkDocs then writes (47 MB of HTML against 39 MB); "
    "1.10x leaves about 0.5 s for all of it",
    "large": "the same work as on the 200-lesson course, five times over: rendering 1,200 widgets in "
    "each language version, checking 1,200 files and 1,000 lessons, and the larger pages; the import is "
    "the only part that does not grow",
    "check": "",
    "linear": "",
    "assets": "the widgets grew with issues 9 to 15 (remembered answers, teaching and exam modes, pools, "
    "time limits, results review, interface strings, xAPI); esbuild's minifier already renames and "
    "shortens what it can",
    "page": "quiz.js alone is about 8 KB gzipped (issues 9, 10 and 13 put remembered answers, teaching "
    "and exam modes, pools, attempt limits, time limits and the results review in it; every flagship "
    "quiz has a typed question, so typed-answer.js comes too) and the manifest about 5 KB (its "
    "interface-string catalog is issue 14's contract: window.COURSE_MANIFEST.messages holds every "
    "key). Done here: progress.js split (the progress and completion pages' widgets load only there), "
    "progress.css only on those pages, typed-answer.js only with a typed question, the time limit's "
    "code (quiz-timer.js) only with a timed quiz, esbuild instead of rjsmin/rcssmin: 28.8 KB before. "
    "Next: pools and attempt limits out of quiz.js the same way (about 0.4 KB), and a smaller "
    "catalog in the manifest if issue 14's contract allows it (about 1.2 KB)",
    "all": "every widget's code counts here, and quiz.js (8 KB), scenario.js (4 KB), the manifest "
    "(5 KB, the whole interface-string catalog) and the progress code (6 KB) are each bigger than their "
    "share of 16 KB; 35.1 KB before this round (esbuild saved more than splitting files costs), the "
    "SCORM adapter and xapi.js not counted (LMS packages and xapi: courses only)",
    "memory": "the loaded course (pydantic models and the parsed YAML of 1,200 files, kept until the "
    "build ends because the pages and the manifest need them) and the widgets' HTML",
}


def explain(key: str, ok: bool, note: str) -> str:
    return note if ok or not WHY_MISSED.get(key) else f"{note}. Missed: {WHY_MISSED[key]}"


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_kb: int


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


def run_child(args: list[str], cwd: Path) -> Run:
    """Run a child process; its wall time, CPU time (user + system) and peak RSS (from wait4)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace")[-3000:]
            raise SystemExit(f"{' '.join(args)} failed in {cwd} ({proc.returncode}):\n{tail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def mkdocs_build(project: Path, site: Path, python: str = PYTHON) -> Run:
    return run_child([python, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)


QUIET_LOAD = 0.5 + 0.25 * (os.cpu_count() or 1)  # 1-minute load average of a machine at rest
LOADS: list[float] = []  # the load average before each measured pair, for the page


def wait_until_quiet(max_wait: float) -> None:
    """On a shared machine, other work inflates every time measured here; wait (a while) for calm."""
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] > QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
    LOADS.append(os.getloadavg()[0])


def alternate_builds(
    course: Path, plain: Path, reps: int, label: str, max_wait: float = 0, extra: list | None = None
) -> tuple[Series, ...]:
    """Warm up once, then build every variant ``reps`` times, rotating which goes first.

    ``extra``: more (project, python) variants, e.g. mkdocs-quiz in its own environment; their series
    follow the course's and the plain one's in the result."""
    variants = [(course, PYTHON), (plain, PYTHON), *(extra or [])]
    series = [Series() for _ in variants]
    sites = [project.parent / f"{project.name}-site" for project, _ in variants]
    for (project, python), site in zip(variants, sites, strict=True):
        mkdocs_build(project, site, python)
    for i in range(reps):
        if max_wait:
            wait_until_quiet(max_wait)
        shift = i % len(variants)
        order = list(range(len(variants)))
        order = order[shift:] + order[:shift] if i % 2 == 0 else (order[shift:] + order[:shift])[::-1]
        for k in order:
            project, python = variants[k]
            series[k].runs.append(mkdocs_build(project, sites[k], python))
        cpu = ", ".join(f"{s.runs[-1].cpu:.1f}s" for s in series)
        print(f"  {label} {i + 1}/{reps}: {cpu} CPU (course, plain{', others' * bool(extra)})", flush=True)
    return tuple(series)


def _spread(ours: Series, plain: Series) -> str:
    """CPU ratio of each (course, plain) pair: how much single runs move on this machine."""
    return ", ".join(f"{a.cpu / b.cpu:.2f}" for a, b in zip(ours.runs, plain.runs, strict=True))


def _in_process(fn) -> tuple[float, float]:
    """(cpu, wall) seconds of ``fn()`` in this process, output discarded."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        fn()
        return time.process_time() - start_cpu, time.perf_counter() - start_wall


def yaml_loader_name() -> str:
    return "libyaml (yaml.CSafeLoader)" if hasattr(yaml, "CSafeLoader") else "pure Python (yaml.SafeLoader)"


def check_vs_parse(project: Path, reps: int) -> tuple[list[float], list[float], list[float], list[float]]:
    from builder.cli import main as course_main

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted(p for p in (project / "quizzes").rglob("*") if p.suffix in (".yml", ".yaml"))

    def parse():
        return [yaml.load(path.read_bytes(), Loader=loader) for path in files]

    def check():
        status = course_main(["-C", str(project), "check", "-q"])
        assert status == 0, "the generated course must check clean"

    parse()
    check()  # warm: imports, caches
    check_cpu, parse_cpu, check_wall, parse_wall = [], [], [], []
    for i in range(reps):
        for fn in (check, parse) if i % 2 == 0 else (parse, check):
            gc.collect()
            cpu, wall = _in_process(fn)
            (check_cpu if fn is check else parse_cpu).append(cpu)
            (check_wall if fn is check else parse_wall).append(wall)
    return check_cpu, parse_cpu, check_wall, parse_wall


def scenario_validation(nodes: int, reps: int, workdir: Path) -> float:
    """Median CPU seconds to load and check one scenario of ``nodes`` nodes, as `course check` does."""
    from builder import loader
    from builder.course import Course

    project = workdir / f"scenario-{nodes}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "quizzes").mkdir(parents=True)
    (project / "content").mkdir()
    (project / "content" / "index.md").write_text("# Big\n\n::: scenario big\n", encoding="utf-8")
    (project / "quizzes" / "big.yml").write_text(scenario_yaml(nodes, "Big"), encoding="utf-8")
    saved = loader.MAX_BYTES
    loader.MAX_BYTES = 1 << 31  # a 100,000-node file is far above the 2 MB limit for course files
    try:
        times = []
        for _ in range(reps):
            gc.collect()
            course = None

            def load():
                nonlocal course
                course = Course.load(project)

            cpu, _ = _in_process(load)
            assert course is not None and not course.errors, [str(p) for p in course.errors][:5]
            assert len(course.items["big"].model.nodes) == nodes
            times.append(cpu)
            del course
    finally:
        loader.MAX_BYTES = saved
    return statistics.median(times)


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


# shipped only when a course turns them on (xapi.js: with `xapi:` in mkdocs.yml, issue 15); measured,
# but not part of the budget of what every learner downloads
OPTIONAL_ASSETS = {"xapi.js"}


def asset_sizes() -> list[tuple[str, int, int, int, int]]:
    """(file, raw, gzipped, shipped raw, shipped gzipped): the source, and what `mkdocs build` writes
    (esbuild's output stored by `make minify`, builder/minify.py)."""
    from builder.minify import minify_text

    rows = []
    for path in sorted(ASSETS.glob("*")):
        if path.suffix in (".js", ".css") and path.is_file():
            raw = path.read_bytes()
            shipped = minify_text(raw.decode("utf-8"), js=path.suffix == ".js").encode("utf-8")
            rows.append((path.name, len(raw), _gz(raw), len(shipped), _gz(shipped)))
    return rows


TARGET_PAGE = 10 * 1024  # issue 17: our JS + CSS on a lesson page with one quiz, gzipped
TARGET_ALL = 16 * 1024  # issue 17: all of it together
# The gates tests/test_bench_smoke.py holds while the targets above are missed (see WHY_MISSED): the
# figures reached (23.0 KB and 34.2 KB gzipped, 2026-11-30) plus a small margin, so they cannot grow
# back unnoticed. Lower them as the pages get lighter; the targets stay the goal.
GATE_PAGE = 24 * 1024
GATE_ALL = 35 * 1024
QUIZ_LESSON = "modules/02-not-personal.html"
_TAG = re.compile(r"<(?:script|link)\b[^>]*>")
_OURS = re.compile(r"assets/course/([a-z0-9-]+\.(?:js|css))")


def page_weights(site: Path) -> tuple[list[tuple[str, int]], int, int, int]:
    """Issue 17 item 3, on a built site: ([(file, gzipped)] that the quiz lesson fetches as it loads,
    its total, the total of every file of ours but optional ones, the search index gzipped).
    Inert ``x-course-later`` tags (files fetched only after instant navigation, or for a widget or a
    typed question the page does not show) are not counted. Gzip level 9, each file on its own."""
    tags = _TAG.findall((site / QUIZ_LESSON).read_text(encoding="utf-8"))
    names = sorted({m.group(1) for t in tags if "x-course-later" not in t and (m := _OURS.search(t))})
    folder = site / "assets" / "course"
    on_page = [(n, _gz((folder / n).read_bytes())) for n in names]
    everything = sum(
        _gz(p.read_bytes())
        for p in folder.iterdir()
        if p.suffix in (".js", ".css") and p.name not in OPTIONAL_ASSETS
    )
    index = site / "search" / "search_index.json"
    return on_page, sum(g for _, g in on_page), everything, _gz(index.read_bytes()) if index.is_file() else 0


# ---------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    mem = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from importlib.metadata import version

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu}, {os.cpu_count()} cores (nproc)",
        "ram": mem,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "yaml": yaml_loader_name(),
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def status(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def write_page(rows: list[list[str]], details: list[str], info: dict[str, str], reps: int) -> str:
    table = ["| Measure | Result | Target | Status | Notes |", "| --- | --- | --- | --- | --- |"]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    large, medium = LARGE, MEDIUM
    text = f"""\
# Benchmarks

How fast the course builder is, how much memory it needs and how much our own scripts and styles weigh
on a learner's device. `make bench` measures it all again and rewrites this page.

## What is measured

- **(a) Build time.** `mkdocs build` of a course, divided by `mkdocs build` of the *same* Markdown
  with every `::: quiz` and `::: scenario` line removed and with our plugin and Markdown extension
  taken out of `mkdocs.yml` (same theme, theme features, search, language-version and offline plugins).
  The ratio is what our quizzes and scenarios add on top of MkDocs itself. Three courses: this flagship
  course; a generated course of {medium["lessons"]} lessons with {medium["quizzes"]} quizzes of five
  questions (1,000 questions) and {medium["scenarios"]} scenarios of {medium["nodes"]} nodes; and a
  generated large course of {large["lessons"]:,} lessons, {large["quizzes"]:,} quizzes and
  {large["scenarios"]} scenarios of {large["nodes"]} nodes each (`tests/bench/generate.py`, using the
  flagship's `mkdocs.yml` with the navigation rewritten; like the flagship, each is built in English
  and in Spanish). The builds alternate, and which goes first rotates; each figure is the median of
  {reps} (`BENCH_RUNS`).
- **(a) Reference line.** [mkdocs-quiz](https://pypi.org/project/mkdocs-quiz/) 1.7.1, in its own
  environment (`.venv-bench-quiz`, `make bench-quiz-deps`: the same MkDocs, Material and extensions
  as ours), builds the same {medium["lessons"]} lessons with the same 1,000 questions written in its
  `<quiz>` syntax, alternating with the two builds above and divided by the same plain build. It has
  no scenarios (the scenario lines are left out), no ordering question (an order question becomes a
  choice between the right order and the reversed one) and one answer per blank (a typed-answer
  question becomes a blank with its first accepted answer).
- **(b) Checking.** `course check` on the large course (every quiz and scenario file validated, every
  lesson scanned for embeds, every link checked), divided by the time needed merely to parse the same
  YAML files with `yaml.load` and {info["yaml"]}.
- **(c) Scenario validation.** Loading, schema-validating and graph-checking one scenario of 10,000
  nodes, then of 100,000 nodes. The checks are linear, so ten times the nodes should take about ten
  times as long.
- **(d) Weight.** Our own JavaScript and CSS in `site_overrides/assets/course/` (not vendored files,
  not the generated `manifest.js`), raw and gzipped, minified as shipped (esbuild's output, stored by
  `make minify`; the source keeps its comments). Then, on a build of the flagship (issue 17): what a lesson page with one
  quiz fetches of ours as it loads (the manifest included; each page loads only the scripts and styles
  of the widgets it shows, `site_overrides/main.html`), all our files together, and the search index
  that the theme fetches when a page loads.
- **(e) Peak memory.** Maximum resident memory of the large course's `mkdocs build` process, against
  plain `mkdocs build`.
- **(f) Preview.** A real `mkdocs serve` of the large course (`tests/bench/preview.py`): after its first
  build, one quiz file is saved with a changed word, then one lesson, three times each, and the time from
  the save until the served page shows the change is measured (target: at most 2 s). Only the pages that
  embed the quiz (and the manifest), or the one lesson, are built again (`builder/preview.py`).

Times are CPU time (user + system) of the measured process: on a shared machine it moves much less
than wall-clock time, which is listed in the details too. Before each measured round of builds the script
waits (up to {info.get("wait", "300")} s) for the machine's load average to settle, and lists the load it saw. Other
work on the machine still slows the course build a little more than the plain one (a bigger process
suffers more from shared CPU caches), so the ratio of every single pair is listed as well.

## Results

{chr(10).join(table)}

## Details

{chr(10).join(details)}

## What profiling found, and what changed

The first measurements missed most targets. `cProfile` (and timers around each MkDocs stage) showed
where the time and memory went; these changes in `builder/` followed:

- **Garbage collection.** About 40% of `course check` on the large course was Python's cyclic garbage
  collector walking the growing course again and again. Loading creates no reference cycles, so the
  collector is paused while the course loads, and `mkdocs build` freezes the loaded course
  (`gc.freeze()`) so later collections skip it.
- **The YAML walk.** libyaml calls back into Python for every node; those callbacks are now cheap, the
  walk handles plain text values inline, tracks aliases only when the file has an `&`, keeps one copy of
  each key, and a file with no `.md` in it skips the lesson-link check.
- **Line maps and models.** Every key's line is kept while a file is checked; once a file has passed,
  its line map (a third of the loaded course's memory) is dropped. `mkdocs build` does not keep the
  validated models either: a page validates its quiz or scenario again when it renders it (a fraction
  of a millisecond), which took another quarter off the peak memory.
- **Author Markdown.** Python-Markdown costs about 0.2 ms even for one short line, and the large course
  has about 80,000 option, feedback and scenario lines. One-line text whose only Markdown is `*em*`,
  `**strong**`, `` `code` `` and `[links](page.md)` now takes a fast path that gives byte-identical HTML
  (a test compares the two on every string of the flagship course); the rest still goes through
  Python-Markdown, and everything with a link still goes through the sanitizer.
- **Search.** Material's search plugin parses every page with Python's HTML parser; the scenarios' markup
  (a template for every node) tripled the search index and the time spent building it. Quizzes and
  scenarios are now left out of the search index (so answers and feedback no longer show up in search
  results either) and put back before the page is written. Afterwards, the copy of each page that MkDocs
  keeps in memory until the end of the build no longer carries the widgets.
- **Weight.** Our CSS and JS ship as esbuild minifies them (`make minify` stores the output in
  `builder/minified/`, so a build needs no Node; about 8% less gzipped than rjsmin/rcssmin, which only
  strip white space). Each page loads only the files it uses: no scenario player on a quiz page, the
  progress and completion pages' widgets (`progress-page.js`, `progress.css`) only there, the
  typed-answer normaliser only with a typed question, a quiz's clock (`quiz-timer.js`) only with a
  time limit; `progress.js` on every page keeps the record, the ticks, the resume button and the
  storage notice. The SCORM adapter ships in LMS packages only. The quiz lesson went from 28.8 to
  23.0 KB gzipped, all our files from 35.1 to 34.2 KB (splitting costs a little in all).
- **Build overhead, issue 17.** The target moved to 1.10x. `cProfile` and CPU timers around each of
  our hooks (check, widget rendering, manifest, maps, minifying, cache busting) on the flagship and the
  200-lesson course found, and removed, without changing a byte of the built site (the flagship and the
  200-lesson course were built before and after and compared file by file):
  - *Work repeated per language version.* mkdocs-static-i18n runs the whole build again for the
    Spanish version, and our plugin loaded and checked every course file again: a third of our
    overhead. The language version now takes the first build's check when it reads the same files with
    the same settings, and the Spanish course (`quizzes/es/`) is put together once, not three times.
  - *Cache busting.* Adding `?v=<hash>` to our asset references ran a regular expression with no
    literal start over every character of every page (1.2 s of CPU on the 200-lesson course, 80 MB of
    HTML); it now looks only where `assets/course/` or `assets/vendor/` occurs (0.15 s), with the same
    result (a test compares the two on random markup).
  - *Per-widget work.* Every plural interface string parsed its babel locale again; every option and
    feedback line went through the author-Markdown pipeline again, in each quiz and in each language
    version. Locales are parsed once, interface strings and page-independent author HTML are kept
    (bounded), and only the page-dependent link rewriting runs per page.
  - *Garbage collector.* Raising the collector's thresholds for the whole build changed nothing
    measurable (6.6 s against 6.6-6.9 s of CPU on the 200-lesson course), so it was left as it was: the
    loaded course is frozen (`gc.freeze()`) already.
  - *What is left* is work that plain MkDocs does not do at all: importing our modules, pydantic and
    building the validators (about 0.3 s of CPU, the bulk of the flagship's gap), checking the course
    (about 0.4 s on 200 lessons), and rendering each widget with Jinja2 in each language version (about
    0.8 s for 480 widgets), plus the larger pages MkDocs then writes.
  Before and after, on the flagship (the code before these changes, after them and plain MkDocs,
  alternating, median of 5 on this machine): 2.10 s and 1.87 s of CPU against 1.36 s, that is 1.55x
  before and 1.37x after.
- **Malformed input** (`tests/test_malformed.py`) found one more: the lesson-link search could take
  quadratic time on a long run of `](`; link targets can no longer contain brackets.

## Machine

- Date: {info["date"]}
- CPU: {info["cpu"]}
- Memory: {info["ram"]}
- Python: {info["python"]} on {info["os"]}
- MkDocs {info["mkdocs"]}, Material for MkDocs {info["material"]}
- YAML parser: {info["yaml"]}
- Load average when the run started (1 / 5 / 15 min): {info["load"]}

## Reproduce

```sh
make bench                                # all of it, median of 3 (about 15 minutes on 2 quiet cores)
BENCH_RUNS=5 make bench                   # median of 5
.venv/bin/python -m tests.bench.run --quick          # one repetition
.venv/bin/python -m tests.bench.generate /tmp/large  # just the large course, to look at or build
.venv/bin/python -m tests.bench.generate /tmp/medium --lessons 200 --quizzes 200 --scenarios 40
```

A quick smoke version (a tiny generated course, and 1,000 against 10,000 nodes) runs with `make test`
in `tests/test_bench_smoke.py`.
"""
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the course builder; write the benchmarks page.")
    parser.add_argument("--quick", action="store_true", help="one repetition instead of BENCH_RUNS")
    parser.add_argument(
        "--reps", type=int, help=f"repetitions (default BENCH_RUNS or {DEFAULT_RUNS}, or 1 with --quick)"
    )
    parser.add_argument("--no-write", action="store_true", help=f"do not rewrite {PAGE.relative_to(REPO)}")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    parser.add_argument(
        "--wait",
        type=float,
        default=60,
        help="before each measured round of builds, wait up to this many seconds for the machine's "
        "load average to settle (default 60, so that `make bench` stays within about 20 minutes; 0: do "
        "not wait)",
    )
    parser.add_argument("--results", type=Path, help="also save the measured rows to this JSON file")
    parser.add_argument(
        "--from-results", type=Path, help="measure nothing: write the page again from a --results file"
    )
    args = parser.parse_args(argv)
    if args.from_results:
        import json

        saved = json.loads(args.from_results.read_text(encoding="utf-8"))
        PAGE.write_text(
            write_page(saved["rows"], saved["details"], saved["info"], saved["reps"]), encoding="utf-8"
        )
        print(f"wrote {PAGE.relative_to(REPO)} from {args.from_results}")
        return 0
    reps = args.reps or (1 if args.quick else default_runs())
    info = machine()
    info["wait"] = f"{args.wait:g}"
    print(f"benchmarks: {reps} repetition(s); {info['cpu']}, {info['ram']}, {info['python']}", flush=True)

    work = args.keep or Path(tempfile.mkdtemp(prefix="course-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    details: list[str] = []
    try:
        # (d) first: instant
        assets = asset_sizes()
        raw_total, src_gz_total, shipped_total, gz_total = (
            sum(row[i] for row in assets) for i in (1, 2, 3, 4)
        )

        # (a) flagship
        print("(a) flagship course", flush=True)
        flagship = copy_flagship(work / "flagship")
        flagship_plain = make_plain(flagship, work / "flagship-plain")
        ours, plain = alternate_builds(flagship, flagship_plain, reps, "flagship", args.wait)
        ratio_flag = ours.median("cpu") / plain.median("cpu")
        rows.append(
            [
                "(a) Build time, flagship course",
                f"{ratio_flag:.2f}x plain MkDocs",
                f"at most {TARGET_BUILD}x",
                status(ratio_flag <= TARGET_BUILD),
                explain(
                    "flagship",
                    ratio_flag <= TARGET_BUILD,
                    f"{ours.median('cpu'):.2f}s against {plain.median('cpu'):.2f}s",
                ),
            ]
        )

        # (a) the 200-lesson course, and mkdocs-quiz 1.7.1 on the same lessons and questions
        print("(a) 200-lesson course: generating", flush=True)
        medium = generate_course(work / "medium", **MEDIUM)
        medium_plain = make_plain(medium, work / "medium-plain")
        qpython = quiz_python()
        extra = [(make_mkdocs_quiz(medium, work / "medium-mkdocs-quiz"), qpython)] if qpython else []
        mid, mid_plain, *mid_quiz = alternate_builds(
            medium, medium_plain, reps, "200 lessons", args.wait, extra
        )
        ratio_mid = mid.median("cpu") / mid_plain.median("cpu")
        rows.append(
            [
                "(a) Build time, 200-lesson course",
                f"{ratio_mid:.2f}x plain MkDocs",
                f"at most {TARGET_BUILD}x",
                status(ratio_mid <= TARGET_BUILD),
                explain(
                    "medium",
                    ratio_mid <= TARGET_BUILD,
                    f"{mid.median('cpu'):.2f}s against {mid_plain.median('cpu'):.2f}s; 200 quizzes with "
                    "1,000 questions, 40 scenarios",
                ),
            ]
        )
        if mid_quiz:
            ratio_quiz = mid_quiz[0].median("cpu") / mid_plain.median("cpu")
            rows.append(
                [
                    "(a) Reference: mkdocs-quiz 1.7.1, the same 200 lessons",
                    f"{ratio_quiz:.2f}x plain MkDocs",
                    f"reference (ours: {ratio_mid:.2f}x)",
                    "INFO",
                    f"{mid_quiz[0].median('cpu'):.2f}s against {mid_plain.median('cpu'):.2f}s; the same "
                    "1,000 questions as `<quiz>` blocks (order questions as a choice of two orders, text "
                    "questions as a fill-in blank; no scenarios: mkdocs-quiz has none)",
                ]
            )
        else:
            rows.append(
                [
                    "(a) Reference: mkdocs-quiz 1.7.1, the same 200 lessons",
                    "not measured",
                    "reference",
                    "MISS",
                    f"mkdocs-quiz 1.7.1 is not installed in {QUIZ_PYTHON} (`make bench-quiz-deps`)",
                ]
            )

        # (a) + (e) large course
        print("(a, e) large course: generating", flush=True)
        large = generate_course(work / "large", **LARGE)
        large_plain = make_plain(large, work / "large-plain")
        big, big_plain = alternate_builds(large, large_plain, reps, "large", args.wait)
        ratio_large = big.median("cpu") / big_plain.median("cpu")
        rows.append(
            [
                "(a) Build time, large course",
                f"{ratio_large:.2f}x plain MkDocs",
                f"at most {TARGET_BUILD}x",
                status(ratio_large <= TARGET_BUILD),
                explain(
                    "large",
                    ratio_large <= TARGET_BUILD,
                    f"{big.median('cpu'):.1f}s against {big_plain.median('cpu'):.1f}s",
                ),
            ]
        )

        rows += preview_rows(large)  # (f) issue 17 item 2: save to reload under `mkdocs serve`

        # (b)
        print("(b) course check against parsing", flush=True)
        check_cpu, parse_cpu, check_wall, parse_wall = check_vs_parse(large, reps)
        ratio_check = statistics.median(check_cpu) / statistics.median(parse_cpu)
        rows.append(
            [
                "(b) `course check`, large course",
                f"{ratio_check:.2f}x parsing the YAML",
                f"at most {TARGET_CHECK}x",
                status(ratio_check <= TARGET_CHECK),
                f"{statistics.median(check_cpu):.2f}s against {statistics.median(parse_cpu):.2f}s ({yaml_loader_name()})",
            ]
        )

        # (c)
        print("(c) scenario validation, 10,000 and 100,000 nodes", flush=True)
        small_t = scenario_validation(10_000, max(reps, 3), work)
        big_t = scenario_validation(100_000, reps, work)
        growth = big_t / small_t
        rows.append(
            [
                "(c) Validating one scenario, 10,000 → 100,000 nodes",
                f"{small_t:.2f}s → {big_t:.2f}s ({growth:.1f}x)",
                f"linear: about 10x (at most {TARGET_LINEAR:g}x)",
                status(growth <= TARGET_LINEAR),
                "load + schema + graph checks",
            ]
        )

        rows.append(
            [
                "(d) Our JS + CSS, as shipped",
                f"{kb(gz_total)} gzipped ({kb(shipped_total)} raw)",
                f"at most {kb(TARGET_ASSETS)} gzipped",
                status(gz_total <= TARGET_ASSETS),
                explain(
                    "assets",
                    gz_total <= TARGET_ASSETS,
                    f"{len(assets)} files; the source with its comments: {kb(src_gz_total)} gzipped, "
                    f"{kb(raw_total)} raw",
                ),
            ]
        )

        # (d) per page, issue 17 item 3: measured on a build of the flagship
        print("(d) page weight: flagship lesson with one quiz", flush=True)
        page_site = work / "flagship-site"
        mkdocs_build(flagship, page_site)
        on_page, page_total, all_total, search_gz = page_weights(page_site)
        rows.append(
            [
                "(d) Our JS + CSS on a lesson page with one quiz",
                f"{kb(page_total)} gzipped",
                f"at most {kb(TARGET_PAGE)} gzipped",
                status(page_total <= TARGET_PAGE),
                explain("page", page_total <= TARGET_PAGE, ", ".join(f"{n} {kb(g)}" for n, g in on_page)),
            ]
        )
        rows.append(
            [
                "(d) All our JS + CSS together (manifest included)",
                f"{kb(all_total)} gzipped",
                f"at most {kb(TARGET_ALL)} gzipped",
                status(all_total <= TARGET_ALL),
                explain("all", all_total <= TARGET_ALL, "every file in assets/course/ but xapi.js"),
            ]
        )
        rows.append(
            [
                "(d) Search index, fetched when a page loads",
                f"{kb(search_gz)} gzipped",
                "measured",
                "INFO",
                "Material's search worker fetches search/search_index.json as soon as the first page "
                "loads, before the learner searches; Zensical's search does the same with search.json",
            ]
        )

        # (e)
        rss_ours, rss_plain = big.median("max_rss_kb"), big_plain.median("max_rss_kb")
        ratio_mem = rss_ours / rss_plain
        rows.append(
            [
                "(e) Peak memory, large build",
                f"{ratio_mem:.2f}x plain MkDocs",
                f"at most {TARGET_MEMORY}x",
                status(ratio_mem <= TARGET_MEMORY),
                explain(
                    "memory",
                    ratio_mem <= TARGET_MEMORY,
                    f"{rss_ours / 1024:.0f} MB against {rss_plain / 1024:.0f} MB",
                ),
            ]
        )

        details += [
            "| Build (median of CPU / wall seconds, max RSS) | Course | Plain MkDocs |",
            "| --- | --- | --- |",
            f"| Flagship | {ours.median('cpu'):.2f}s / {ours.median('wall'):.2f}s, "
            f"{ours.median('max_rss_kb') / 1024:.0f} MB | {plain.median('cpu'):.2f}s / "
            f"{plain.median('wall'):.2f}s, {plain.median('max_rss_kb') / 1024:.0f} MB |",
            f"| 200 lessons | {mid.median('cpu'):.2f}s / {mid.median('wall'):.2f}s, "
            f"{mid.median('max_rss_kb') / 1024:.0f} MB | {mid_plain.median('cpu'):.2f}s / "
            f"{mid_plain.median('wall'):.2f}s, {mid_plain.median('max_rss_kb') / 1024:.0f} MB |",
            *(
                [
                    f"| mkdocs-quiz 1.7.1, 200 lessons | {mid_quiz[0].median('cpu'):.2f}s / "
                    f"{mid_quiz[0].median('wall'):.2f}s, {mid_quiz[0].median('max_rss_kb') / 1024:.0f} MB | |"
                ]
                if mid_quiz
                else []
            ),
            f"| Large | {big.median('cpu'):.1f}s / {big.median('wall'):.1f}s, {rss_ours / 1024:.0f} MB | "
            f"{big_plain.median('cpu'):.1f}s / {big_plain.median('wall'):.1f}s, {rss_plain / 1024:.0f} MB |",
            f"| Ratio of each alternating pair, flagship | {_spread(ours, plain)} | |",
            f"| Ratio of each alternating pair, 200 lessons | {_spread(mid, mid_plain)} | |",
            f"| Ratio of each alternating pair, large | {_spread(big, big_plain)} | |",
            f"| 1-minute load average before each round (flagship, 200 lessons, then large) | "
            f"{', '.join(f'{x:.1f}' for x in LOADS) or 'not recorded'} | |",
            f"| `course check` / YAML parse, in one process | {statistics.median(check_cpu):.2f}s / "
            f"{statistics.median(check_wall):.2f}s | {statistics.median(parse_cpu):.2f}s / "
            f"{statistics.median(parse_wall):.2f}s |",
            "",
            "| File | Source | Source, gzipped | Shipped | Shipped, gzipped |",
            "| --- | --- | --- | --- | --- |",
            *[f"| `{n}` | {kb(r)} | {kb(g)} | {kb(sr)} | {kb(sg)} |" for n, r, g, sr, sg in assets],
            f"| **Total** | **{kb(raw_total)}** | **{kb(src_gz_total)}** | **{kb(shipped_total)}** | "
            f"**{kb(gz_total)}** |",
        ]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print()
    for row in rows:
        print(f"{row[0]:<{width}}  {row[3]}  {row[1]}  (target {row[2]}; {row[4]})")
    if args.results:
        import json

        args.results.write_text(
            json.dumps({"rows": rows, "details": details, "info": info, "reps": reps}, indent=1),
            encoding="utf-8",
        )
    if not args.no_write:
        PAGE.write_text(write_page(rows, details, info, reps), encoding="utf-8")
        print(f"\nwrote {PAGE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
