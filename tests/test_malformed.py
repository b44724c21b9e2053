"""Malformed input: every broken course in tests/fixtures/malformed/ is refused cleanly.

Each case folder holds the files it changes in the valid project ``_base/`` plus ``case.toml``:
``about`` (the mistake), ``expect`` (``path:line: message fragment``), and optionally
``build_expect`` (when MkDocs itself reports the problem), ``remove`` (paths deleted from the
base), ``generate`` (a file too big to commit, made here) and ``hazard`` (also run ``course check``
in a child process with bounded memory).

For every case, ``course check`` and ``mkdocs build`` exit with status 1 within a few seconds and
under a 1.5 GB address-space limit, print ``path:line: message`` naming the real problem, and
never print a Python traceback.  A build that fails leaves the previously built site untouched.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.cli import main as course_main
from tests.helpers import ENV, FIXTURES, PYTHON, make_project, mkdocs_build

CASES_DIR = FIXTURES / "malformed"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "case.toml").is_file())

MEMORY_LIMIT = 1_500_000_000  # bytes of address space for each child process
CHECK_SECONDS = 3.0  # `course check` in this process
CHILD_SECONDS = 15.0  # a whole `mkdocs build` (or `course check`) child, imports included

# Runs a module as `python -m` would, under an address-space limit set before anything is imported.
LIMITED = (
    "import resource, runpy, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT})); "
    "module = sys.argv.pop(1); sys.argv[0] = module; "
    "runpy.run_module(module, run_name='__main__', alter_sys=True)"
)


@dataclass
class Case:
    name: str
    about: str
    path: str
    line: int
    fragment: str
    build_expect: str | None
    remove: list[str]
    generate: str | None
    hazard: bool

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}: "

    @classmethod
    def load(cls, name: str) -> Case:
        meta = _read_toml((CASES_DIR / name / "case.toml").read_text(encoding="utf-8"))
        path, line, fragment = meta["expect"].split(":", 2)
        return cls(
            name=name,
            about=meta["about"],
            path=path,
            line=int(line),
            fragment=fragment.strip(),
            build_expect=meta.get("build_expect"),
            remove=meta.get("remove", []),
            generate=meta.get("generate"),
            hazard=bool(meta.get("hazard")),
        )


def _read_toml(text: str) -> dict:
    """The flat TOML of case.toml (strings, lists of strings, true), also on Python 3.10."""
    meta = {}
    for raw in text.splitlines():
        key, sep, value = raw.partition("=")
        if not sep or raw.lstrip().startswith("#"):
            continue
        value = value.strip()
        meta[key.strip()] = True if value.split("#")[0].strip() == "true" else ast.literal_eval(value)
    return meta


# ---------------------------------------------------------------- files too big to commit

BASE_QUIZ = (CASES_DIR / "_base" / "quizzes" / "quiz.yml").read_text(encoding="utf-8")


def _five_megabytes() -> str:
    filler = "  " + "word " * 19 + "\n"  # 98 bytes of folded text per line
    lines = 5_000_000 // len(filler) + 1
    return BASE_QUIZ + "description: >-\n" + filler * lines


def _long_line() -> str:
    prompt = 'prompt: "Which of these help?"'
    assert prompt in BASE_QUIZ
    return BASE_QUIZ.replace(prompt, 'prompt: "' + "help " * 200_000 + '"')


GENERATORS = {
    "five-megabytes": ("quizzes/quiz.yml", _five_megabytes),
    "long-line": ("quizzes/quiz.yml", _long_line),
}


def build_case_project(case: Case, dest: Path) -> Path:
    project = make_project(dest, fixture="malformed/_base")
    shutil.copytree(
        CASES_DIR / case.name, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("case.toml")
    )
    if case.generate:
        rel, make = GENERATORS[case.generate]
        (project / rel).write_text(make(), encoding="utf-8")
    for rel in case.remove:
        target = project / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    return project


def run_limited(module: str, args: list[str], cwd: Path) -> tuple[int, str, float]:
    """Run ``python -m module args`` under the memory limit; return (status, output, seconds)."""
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [PYTHON, "-c", LIMITED, module, *args],
            cwd=cwd,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=CHILD_SECONDS * 4,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # pragma: no cover - the failure we guard against
        raise AssertionError(f"{module} {' '.join(args)} did not finish in {exc.timeout}s") from exc
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


def assert_reported(output: str, case: Case, expect: str | None = None) -> None:
    assert "Traceback" not in output, output
    if expect:
        assert expect in output, f"{case.name}: expected {expect!r} in:\n{output}"
        return
    lines = [line for line in output.splitlines() if case.where in line]
    assert any(case.fragment in line for line in lines), (
        f"{case.name} ({case.about}): expected '{case.where}{case.fragment}' in:\n{output}"
    )


# ---------------------------------------------------------------- the corpus


def test_corpus_is_big_enough():
    assert len(CASES) >= 30, CASES
    for name in CASES:
        Case.load(name)  # every case.toml parses and names path:line: fragment


@pytest.mark.parametrize("name", CASES)
def test_malformed_case(name, tmp_path, monkeypatch, capsys):
    case = Case.load(name)
    project = build_case_project(case, tmp_path / "project")

    # course check, in this process
    monkeypatch.chdir(project)
    start = time.monotonic()
    status = course_main(["check"])
    seconds = time.monotonic() - start
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert status == 1, f"{name}: course check exited {status}:\n{output}"
    assert seconds < CHECK_SECONDS, f"{name}: course check took {seconds:.1f}s"
    assert_reported(output, case)

    # course check again in a child process with bounded memory, for the cases built to exhaust it
    if case.hazard:
        status, output, seconds = run_limited("builder.cli", ["check"], project)
        assert status == 1, f"{name}: course check (child) exited {status}:\n{output}"
        assert seconds < CHILD_SECONDS, f"{name}: course check (child) took {seconds:.1f}s"
        assert_reported(output, case)

    # mkdocs build, in a child process with bounded memory
    status, output, seconds = run_limited("mkdocs", ["build", "-q"], project)
    assert status == 1, f"{name}: mkdocs build exited {status}:\n{output}"
    assert seconds < CHILD_SECONDS, f"{name}: mkdocs build took {seconds:.1f}s"
    assert_reported(output, case, case.build_expect)
    assert not (project / "site").exists(), "a failed build must not leave a site behind"
    assert not (project / "site.building").exists(), "a failed build must clean up its temporary folder"


def test_base_project_is_valid(tmp_path):
    project = make_project(tmp_path / "base", fixture="malformed/_base")
    status, output, _ = run_limited("builder.cli", ["check"], project)
    assert status == 0, output
    assert "0 error(s), 0 warning(s)" in output


# ---------------------------------------------------------------- a failed build keeps the old site


def _digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<dir>"
        )
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def built_project(tmp_path) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path / "project", fixture="malformed/_base")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (site / "index.html").is_file()
    return project, _digest(site)


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith("site."))


def test_failed_build_leaves_previous_site_untouched(built_project):
    project, before = built_project
    quiz = project / "quizzes" / "quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("    type: single\n", "\ttype: single\n"))

    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "quizzes/quiz.yml:6: tab character" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert _digest(project / "site") == before
    assert _leftovers(project) == []

    # fixed again: the next build replaces the site
    quiz.write_text(BASE_QUIZ.replace("Basics check", "Basics check, second edition"), encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    assert "second edition" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert _leftovers(project) == []


def test_failed_lesson_leaves_previous_site_untouched(built_project):
    """A lesson MkDocs cannot read (not UTF-8) is caught before MkDocs writes anything."""
    project, before = built_project
    (project / "content" / "practice.md").write_bytes(b"# Practice\n\nCaf\xe9\n\n::: scenario scenario\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "content/practice.md:3: byte 0xe9" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert _digest(project / "site") == before
    assert _leftovers(project) == []


def test_strict_build_that_fails_on_a_warning_keeps_previous_site(built_project):
    """MkDocs aborts a --strict build after its last plugin hook; the new site must not be swapped in."""
    project, before = built_project
    (project / "content" / "index.md").write_text(
        "# Basics\n\nSee [a page that is missing](missing.md).\n\n::: quiz quiz\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing.md" in result.stderr
    assert _digest(project / "site") == before
    assert _leftovers(project) == []


def test_course_build_command_keeps_previous_site(built_project):
    project, before = built_project
    (project / "quizzes" / "scenario.yml").write_text(
        (CASES_DIR / "trap-loop" / "quizzes" / "scenario.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    status, output, _ = run_limited("builder.cli", ["build"], project)
    assert status == 1
    assert "quizzes/scenario.yml:28: no ending can be reached from node 'escalated'" in output
    assert "Traceback" not in output
    assert _digest(project / "site") == before
    assert _leftovers(project) == []
