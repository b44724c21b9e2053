"""`mkdocs serve` keeps serving when a course file breaks, prints the error, and picks up the fix."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

from tests.helpers import ENV, PYTHON, make_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 40.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_serve_survives_a_broken_quiz_and_picks_up_the_fix(tmp_path):
    project = make_project(tmp_path / "p", fixture="basic")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/index.html"
    quiz = project / "quizzes" / "sample.yml"
    good = quiz.read_text()
    try:
        assert "Sample check" in _wait_for(lambda: _get(url))
        quiz.write_text(good.replace("title: Sample check", "title: Broken check\npass_mark: [oops"))
        _wait_for(lambda: "cannot be shown" in _get(url))
        log.seek(0)
        assert "quizzes/sample.yml:" in log.read()
        assert proc.poll() is None, "serve stopped on an author error"
        quiz.write_text(good.replace("Sample check", "Fixed check"))
        assert "Fixed check" in _wait_for(lambda: (lambda t: t if "Fixed check" in t else "")(_get(url)))
        log.seek(0)
        assert "Traceback" not in log.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
