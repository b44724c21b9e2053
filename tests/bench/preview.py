"""`make bench` part for issue 17 item 2: save to reload under a running `mkdocs serve`.

Starts a real `mkdocs serve` of a course on a free 127.0.0.1 port, waits for its first build, then
edits one quiz file (and, separately, one lesson) and times from the save until the served page's HTML
shows the edit. Target: at most 2 s on the 1,000-lesson generated course.

    python -m tests.bench.preview               # generates the 1,000-lesson course in a temp folder
    python -m tests.bench.preview --lessons 50  # a smaller course, for a first look
    python -m tests.bench.preview --project DIR # an existing generated course

``preview_rows(project)`` returns the rows for the benchmarks page (tests/bench/run.py): measure,
result, target, status, notes.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

TARGET_RELOAD = 2.0  # seconds, issue 17 item 2
FIRST_BUILD_TIMEOUT = 900.0  # the first (full) build of the large course, on a busy machine
EDIT_TIMEOUT = 60.0  # one save: a miss is recorded after this long
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page's HTML, or "" while the server is not answering (or answers an error)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        return ""


def wait_for(url: str, needle: str, timeout: float, poll: float = 0.02) -> float | None:
    """Seconds until ``url`` serves HTML containing ``needle``; None after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if needle in fetch(url):
            return time.perf_counter() - start
        time.sleep(poll)
    return None


class Serve:
    """`mkdocs serve` of ``project`` on a free port (stopped on exit); its output in ``log``."""

    def __init__(self, project: Path, log: Path, args: tuple[str, ...] = ()):
        self.project, self.log_path, self.args = project, log, args
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> Serve:
        self.log = self.log_path.open("w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}", *self.args],
            cwd=self.project, env=ENV, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)
        self.log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _settle(serve: Serve, builds: int, timeout: float = 30.0) -> None:
    """Wait until the server has logged ``builds`` "Documentation built" lines (a rebuild finished)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and serve.output().count("Documentation built") < builds:
        time.sleep(0.05)


def measure(
    project: Path, quiz: Path, quiz_page: str, lesson: Path, lesson_page: str, reps: int = 3
) -> dict[str, list[float | None]]:
    """Save-to-reload seconds of ``reps`` quiz edits and ``reps`` lesson edits (None: a miss).

    ``quiz`` must have a ``title:`` line shown on ``quiz_page``; the lesson edit adds a paragraph
    at the end of ``lesson`` (shown on ``lesson_page``).  Each file is put back afterwards."""
    times: dict[str, list[float | None]] = {
        "quiz": [], "lesson": [], "quiz cpu": [], "lesson cpu": []
    }  # fmt: skip
    quiz_text, lesson_text = quiz.read_text(encoding="utf-8"), lesson.read_text(encoding="utf-8")
    with (
        tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp,
        Serve(project, Path(tmp) / "serve.log") as serve,
    ):
        try:
            if wait_for(serve.url + quiz_page, "</html>", FIRST_BUILD_TIMEOUT, poll=0.5) is None:
                raise SystemExit(f"mkdocs serve did not start:\n{serve.output()[-3000:]}")
            builds = serve.output().count("Documentation built")
            for n in range(reps):
                for kind, path, page, text in (
                    ("quiz", quiz, quiz_page, quiz_text),
                    ("lesson", lesson, lesson_page, lesson_text),
                ):
                    mark = f"Preview mark {kind} {n} {time.time_ns()}"
                    if kind == "quiz":
                        edited = re.sub(r'^(title: "?)', rf"\g<1>{mark} ", text, count=1, flags=re.M)
                    else:
                        edited = text.rstrip("\n") + f"\n\n{mark}\n"
                    time.sleep(0.3)  # a distinct modification time from the last build's pages
                    cpu = cpu_seconds(serve.proc.pid)
                    path.write_text(edited, encoding="utf-8")
                    times[kind].append(wait_for(serve.url + page, mark, EDIT_TIMEOUT))
                    builds += 1
                    _settle(serve, builds)
                    times[f"{kind} cpu"].append(cpu_seconds(serve.proc.pid) - cpu)
        finally:
            quiz.write_text(quiz_text, encoding="utf-8")
            lesson.write_text(lesson_text, encoding="utf-8")
    return times


def _row(label: str, times: list[float | None]) -> list[str]:
    hits = [t for t in times if t is not None]
    misses = len(times) - len(hits)
    worst = max(hits) if hits else float("inf")
    ok = misses == 0 and worst <= TARGET_RELOAD
    result = f"{statistics.median(hits):.2f} s median, {worst:.2f} s worst" if hits else "no reload seen"
    notes = f"{len(times)} saves: " + ", ".join("miss" if t is None else f"{t:.2f} s" for t in times)
    if misses:
        notes += f"; {misses} miss(es): the page did not change within {EDIT_TIMEOUT:.0f} s"
    return [label, result, f"at most {TARGET_RELOAD:g} s", "PASS" if ok else "MISS", notes]


def preview_rows(project: Path, reps: int = 3, lesson_number: int = 500) -> list[list[str]]:
    """Rows for the benchmarks page, measured on a generated course (tests/bench/generate.py)."""
    from tests.bench.generate import _lesson_path

    print("(f) save to reload under mkdocs serve", flush=True)
    lesson_md = _lesson_path(lesson_number)
    page = lesson_md[:-3] + ".html"
    times = measure(
        project,
        project / "quizzes" / f"quiz-{lesson_number:04d}.yml",
        page,
        project / "content" / lesson_md,
        page,
        reps,
    )
    lessons = len(list((project / "content").rglob("lesson-*.md")))
    rows = [
        _row(f"(f) Save to reload, one quiz edited, {lessons:,}-lesson course", times["quiz"]),
        _row(f"(f) Save to reload, one lesson edited, {lessons:,}-lesson course", times["lesson"]),
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    for row, kind in zip(rows, ("quiz", "lesson"), strict=True):
        cpu = ", ".join(f"{t:.2f} s" for t in times[f"{kind} cpu"] if t is not None)
        row[4] += (
            f"; wall time from the save until the served HTML changed; CPU time the server spent on "
            f"each save: {cpu}; load average {load}"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time save-to-reload under a running mkdocs serve.")
    parser.add_argument("--project", type=Path, help="an existing generated course")
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    from tests.bench.generate import generate_course

    with tempfile.TemporaryDirectory(prefix="bench-preview-course-") as tmp:
        project = args.project
        if project is None:
            n = args.lessons
            project = generate_course(Path(tmp) / "course", n, n, min(200, n // 5), 50)
        rows = preview_rows(project, args.reps, lesson_number=max(1, min(500, args.lessons // 2)))
    for row in rows:
        print(f"{row[0]}  {row[3]}  {row[1]}  (target {row[2]}; {row[4]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
