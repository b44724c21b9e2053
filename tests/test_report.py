"""`course report` (issue 15): item analysis of xAPI statements, checked against known counts."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from builder.records.analysis import CourseFiles, analyse
from builder.records.report import make_report
from tests.helpers import course, make_project
from tests.records_data import make_statements
from tests.test_xapi import MKDOCS, PAGES


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("report"), PAGES, fixture="basic", mkdocs_yml=MKDOCS)


def files(project: Path) -> CourseFiles:
    return CourseFiles.load(project, "fixture", "https://courses.invalid/")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_counts_of_generated_statements(project):
    data = analyse(
        make_statements(20) + [{"object": {"id": "https://elsewhere/x"}, "verb": {"id": "v"}}], files(project)
    )
    assert data["learners"] == 20 and data["ignored"] == 1
    (quiz,) = data["quizzes"]
    assert quiz["id"] == "sample" and quiz["title"] == "Sample check"
    assert quiz["learners"] == 20 and quiz["attempts"] == 26
    assert quiz["passed_learners"] == 14 and quiz["pass_rate"] == pytest.approx(0.7)
    assert quiz["attempt_pass_rate"] == pytest.approx(20 / 26)
    assert quiz["scores"] == [0, 0, 0, 0, 0, 0, 6, 0, 6, 14]
    qs = {q["id"]: q for q in quiz["questions"]}
    assert [q["id"] for q in quiz["questions"]] == ["first-response", "pick-two", "tf", "word", "steps"]
    assert qs["first-response"]["first_right_rate"] == pytest.approx(0.4)
    assert qs["first-response"]["answers"] == 26
    text, count, (path, line) = qs["first-response"]["wrong"][0]
    assert (text, count) == ("Tell them to calm down", 10)
    assert qs["first-response"]["wrong"][1][:2] == ("Transfer the call", 2)
    sample = project / "quizzes" / "sample.yml"
    assert path == "quizzes/sample.yml" and line == line_of(sample, "Tell them to calm down")
    assert qs["first-response"]["where"][1] == line_of(sample, "id: first-response")
    assert qs["tf"]["first_right_rate"] == pytest.approx(0.7)
    assert qs["tf"]["wrong"][0][:2] == ("True", 6)
    assert qs["word"]["first_right_rate"] == 1.0 and qs["word"]["wrong"] == []
    (scen,) = data["scenarios"]
    assert scen["learners"] == 20 and scen["attempts"] == 20 and scen["finished"] == 16
    assert [(n, k, c) for n, k, c, _ in scen["endings"]] == [("fixed", "success", 12), ("lost", "failure", 4)]
    assert [(n, c) for n, c, _ in scen["stops"]] == [("listened", 4)]
    picks = [(n, i, c) for n, i, _, c, _ in scen["choices"]]
    assert picks == [("open", 0, 16), ("listened", 0, 12), ("open", 1, 4), ("listened", 1, 0)]
    assert scen["choices"][-1][2] == "Read out the policy"
    scen_file = project / "quizzes" / "late-order.yml"
    assert scen["choices"][-1][4] == ("quizzes/late-order.yml", line_of(scen_file, "Read out the policy"))
    (calm,) = scen["meters"]
    assert calm["mean"] == pytest.approx(2.25) and (calm["low"], calm["high"]) == (0, 3)


def test_cli_writes_a_self_contained_page(project, tmp_path):
    src = tmp_path / "statements.json"
    src.write_text(json.dumps(make_statements(10)))
    out = tmp_path / "out" / "report.html"
    result = course("report", str(src), "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "10 learners" in result.stderr
    page = out.read_text()
    assert "<svg" in page and "Tell them to calm down" in page and "Read out the policy" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the report must load nothing"
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    first = page[page.index("Look at these first") : page.index("</section>")]
    assert (
        "A customer shouts at you" in first
        and "only 40% right" in first
        and "Tell them to calm down" in first
    )
    assert "Which two help" not in first
    link = re.search(r'href="([^"]+)"[^>]*>quizzes/sample\.yml:(\d+)<', page)
    assert link and (out.parent / link.group(1)).resolve() == (project / "quizzes/sample.yml").resolve()
    # JSON Lines (Ralph's own files) and a StatementResult read the same
    lines = tmp_path / "statements.jsonl"
    lines.write_text("\n".join(json.dumps(s) for s in make_statements(10)) + "\n")
    wrapped = tmp_path / "result.json"
    wrapped.write_text(json.dumps({"statements": make_statements(10), "more": ""}))
    for other in (lines, wrapped):
        again = tmp_path / (other.stem + ".html")
        assert course("report", str(other), "-o", str(again), cwd=project).returncode == 0
        assert "10 learners" in course("report", str(other), "-o", str(again), cwd=project).stderr


def test_unreadable_statements_say_where(project, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": 1},\n  oops]')
    result = course("report", str(bad), "-o", str(tmp_path / "r.html"), cwd=project)
    assert result.returncode == 1
    assert re.search(r"bad\.json:2: not valid JSON", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_hundred_thousand_statements_in_seconds(project, tmp_path):
    statements = make_statements(8200)  # 8,200 learners
    assert len(statements) >= 100_000
    src = tmp_path / "big.json"
    src.write_text(json.dumps(statements))
    out = tmp_path / "big.html"
    t0 = time.process_time()  # CPU time: the shared test machine's wall clock moves with its load
    assert make_report(project, str(src), None, out) == 0
    took = time.process_time() - t0
    assert took < 10, f"{len(statements)} statements took {took:.1f} s of CPU"
    assert ">8200</b>learners" in out.read_text()
