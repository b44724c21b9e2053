"""The learner's SCORM record within its budget (issue 11): the suspend_data codec of
builder/package/scorm.js run in Node on the 1,000-quiz benchmark course's layout, and
the build's worst-case warning (builder/package/budget.py)."""

from __future__ import annotations

import json
import subprocess

from builder.package.budget import budget_warnings, fnv1a, worst_case
from tests.bench.generate import _lesson_path
from tests.helpers import PYTHON, REPO, course, make_project, run

T = 1795000000000  # a time in 2026, in ms


def bench_manifest(quizzes: int = 1000, scenarios: int = 200) -> dict:
    """The manifest layout of tests/bench/generate.py's course: one quiz per lesson, a scenario in
    the first 200, every scenario to finish and the first quiz as the assessment."""
    items, pages = {}, [{"url": "index.html", "items": []}]
    for i in range(1, quizzes + 1):
        url = _lesson_path(i)[:-3] + ".html"
        pages.append(
            {"url": url, "items": [f"quiz-{i:04d}"] + ([f"scenario-{i:04d}"] if i <= scenarios else [])}
        )
        items[f"quiz-{i:04d}"] = {"kind": "quiz", "version": f"{i:010x}", "pages": [url], "pass_mark": 80}
        if i <= scenarios:
            items[f"scenario-{i:04d}"] = {"kind": "scenario", "version": f"{i + 7:010x}", "pages": [url]}
    finish = [f"scenario-{i:04d}" for i in range(1, scenarios + 1)]
    return {
        "items": items,
        "pages": pages,
        "completion": {"pass": ["quiz-0001"], "finish": finish, "assessment": "quiz-0001"},
    }


def codec(manifest: dict, states: list[dict], budget: int = 4096) -> list[dict]:
    done = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "codec.js")],
        input=json.dumps({"manifest": manifest, "budget": budget, "states": states}),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def everything(m: dict, quiz=None, scenario=None) -> dict:
    quiz = quiz or (lambda v: {"best": 100, "passed": True, "v": v, "n": 1, "t": T})
    scenario = scenario or (lambda v: {"best": "success", "done": True, "v": v, "steps": 12, "t": T})
    return {
        "pages": {p["url"]: 1 for p in m["pages"]},
        "quizzes": {k: quiz(e["version"]) for k, e in m["items"].items() if e["kind"] == "quiz"},
        "scenarios": {k: scenario(e["version"]) for k, e in m["items"].items() if e["kind"] == "scenario"},
        "completed": T,
    }


def test_a_learner_who_did_everything_in_the_benchmark_course_fits_in_4096():
    m = bench_manifest()
    done = everything(m)
    worst = everything(
        m,
        lambda v: {"best": 57, "passed": False, "v": "older", "n": 250, "t": T},
        lambda v: {"best": "partial", "done": True, "v": "older", "steps": 40, "t": T},
    )
    full, bad = codec(m, [done, worst])
    assert len(full["text"]) <= 4096 and len(bad["text"]) <= 4096
    assert full["back"] == done  # every record, whole
    back = bad["back"]
    assert len(back["quizzes"]) == 1000 and len(back["scenarios"]) == 200 and len(back["pages"]) == 1001
    assert back["quizzes"]["quiz-0500"] == {"best": 57, "passed": False, "v": "earlier", "n": 63, "t": T}
    assert (
        back["scenarios"]["scenario-0007"]["best"] == "partial"
        and back["scenarios"]["scenario-0007"]["steps"] == 40
    )
    # the build's worst case is what the browser writes for the worst learner, and it fits: no warning
    got = worst_case(m)
    assert got["size"] == len(bad["text"]) and got["size"] <= 4096
    assert budget_warnings(m) == []


def test_over_budget_the_record_keeps_completion_results_and_drops_whole_records():
    m = bench_manifest(quizzes=1600, scenarios=200)  # more than SCORM 1.2 can hold
    state = everything(m)
    state["quizzes"]["quiz-0001"] = {
        "best": 88,
        "passed": True,
        "v": m["items"]["quiz-0001"]["version"],
        "n": 3,
        "t": T,
    }
    (out,) = codec(m, [state])
    text, back = out["text"], out["back"]
    assert len(text) <= 4096
    # completion-relevant results first: the assessment and every scenario to finish
    assert back["quizzes"]["quiz-0001"]["best"] == 88 and back["quizzes"]["quiz-0001"]["n"] == 3
    assert len(back["scenarios"]) == 200 and all(s["done"] for s in back["scenarios"].values())
    assert back["completed"] == T
    # what was dropped was dropped whole: every record that came back is exactly the original
    for kind in ("quizzes", "scenarios"):
        for item_id, record in back[kind].items():
            assert record == state[kind][item_id], item_id
    assert 0 < len(back["quizzes"]) < 1600
    assert back["pages"] == {}  # pages go before any result
    # the build says so, with the worst-case size
    (message,) = budget_warnings(m)
    size = worst_case(m)["size"]
    assert f"{size:,} characters" in message and "4,096" in message and "completion results first" in message
    assert "page groups" in message and "other results" in message and "--scorm2004" in message


def decode(manifest: dict, text: str) -> dict:
    done = subprocess.run(
        ["node", "-e", """
const fs = require('fs'), vm = require('vm'), window = {};
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), { window, console });
const [m, text] = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(window.CourseScormCodec(m, 4096).decode(text)));
""", str(REPO / "builder" / "package" / "scorm.js")],
        input=json.dumps([manifest, text]), capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(done.stdout)


def h4(text: str) -> str:
    n, out = fnv1a(text) % 1679616, ""
    while n:
        n, d = divmod(n, 36)
        out = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + out
    return ("000" + out)[-4:]


def test_records_survive_a_republished_course_and_the_old_format():
    m = bench_manifest(quizzes=40, scenarios=5)
    (out,) = codec(m, [everything(m)])
    # republished: a new version of one quiz, and a new quiz; only the new quiz's group is lost
    m2 = json.loads(json.dumps(m))
    m2["items"]["quiz-0003"]["version"] = "changed"
    m2["items"]["quiz-9999"] = {"kind": "quiz", "version": "x", "pages": []}
    back = decode(m2, out["text"])
    assert back["quizzes"]["quiz-0003"]["v"] == "earlier"  # shown as from an earlier version
    assert (
        back["quizzes"]["quiz-0004"]["v"] == m["items"]["quiz-0004"]["version"]
        or "quiz-0004" not in back["quizzes"]
    )
    assert len(back["quizzes"]) >= 30 and len(back["pages"]) == len(m["pages"])
    # c1, the format before this one, is still read
    v = m["items"]["quiz-0002"]["version"]
    old = f"c1|tsd2dc|{h4('index.html')}|{h4('quiz-0002')}.90.1.{v[:4]}.2||tsd2dd"
    back = decode(m, old)
    assert back["pages"] == {"index.html": 1}
    assert back["quizzes"]["quiz-0002"] == {
        "best": 90,
        "passed": True,
        "v": v,
        "n": 2,
        "t": int("tsd2dc", 36) * 1000,
    }
    assert back["completed"] == int("tsd2dd", 36) * 1000


def test_the_package_warns_at_the_setting_and_the_strict_web_build_does_not(tmp_path):
    """The suspend_data limit is the SCORM package's: `mkdocs build --strict` of an over-budget
    course succeeds without a word about it, and `course package` (SCORM 1.2) warns located at the
    course's `completion:` setting, with the worst-case size; the 2004 package, within 64,000, says
    nothing."""
    quiz = "kind: quiz\ntitle: Q\nquestions:\n  - id: q1\n    type: true_false\n    prompt: Yes?\n    answer: true\n"
    files = {f"quizzes/q{i:04d}.yml": quiz for i in range(1400)}
    files["content/index.md"] = "# Home\n\n::: quiz q0000\n"
    extra = "      completion:\n        pass: [q0000]\n"
    project = make_project(tmp_path / "p", files, plugin_extra=extra)
    result = run(
        [PYTHON, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")],
        cwd=project, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "suspend_data" not in result.stderr and "SCORM" not in result.stderr
    result = course("package", "--scorm", str(tmp_path / "c.zip"), cwd=project, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(
        n for n, t in enumerate((project / "mkdocs.yml").read_text().splitlines(), 1) if "completion:" in t
    )
    (warning,) = [t for t in result.stderr.splitlines() if "suspend_data" in t]
    assert warning.startswith(
        f"mkdocs.yml:{line}: warning: SCORM: a learner who has done everything needs up to"
    )
    assert "more than SCORM 1.2's 4,096" in warning and "--scorm2004" in warning
    result = course("package", "--scorm2004", str(tmp_path / "c2004.zip"), cwd=project, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "suspend_data" not in result.stderr
