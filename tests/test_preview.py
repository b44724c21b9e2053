"""Incremental `mkdocs serve` (issue 17 item 2, builder/preview.py): a saved quiz rebuilds only the
pages that embed it (and the manifest), a saved lesson only its page; the other pages keep their place
in the navigation and the search; a broken save shows the error box and the next good save recovers."""

from __future__ import annotations

import json
import re
import time

from tests.bench.preview import Serve, fetch, wait_for
from tests.helpers import make_project

PAGES = {
    "content/index.md": "# Fixture lesson\n\nStay calm and listen first.\n\n::: quiz sample\n\n"
    "See [the other page](other.md).\n",
    "content/other.md": "# Other page\n\nSome text about listening.\n",
    "content/third.md": "# Third page\n\nThe same quiz again.\n\n::: quiz sample\n",
    "content/fourth.md": "# Fourth page\n\nA second quiz.\n\n::: quiz second\n",
}
SECOND = """\
kind: quiz
title: Second check
questions:
  - id: only
    type: true_false
    prompt: "Listening comes first."
    answer: true
"""


def _rebuilt(output: str) -> list[str]:
    """The pages the last incremental rebuild logged (builder/preview.py)."""
    lines = re.findall(r"Rebuilt \d+ page\(s\): ?(.*)", output)
    assert lines, output[-2000:]
    return [p.strip() for p in lines[-1].split(",") if p.strip()]


def _settle(serve: Serve, rebuilds: int, timeout: float = 30.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        output = serve.output()
        if output.count("Rebuilt ") >= rebuilds and output.rstrip().endswith("Reloading browsers"):
            return output
        time.sleep(0.05)
    raise AssertionError(f"no rebuild:\n{serve.output()[-2000:]}")


def _save(path, text: str) -> None:
    time.sleep(0.3)  # a modification time after the last build's pages
    path.write_text(text, encoding="utf-8")


def test_a_saved_quiz_rebuilds_only_the_pages_that_embed_it(tmp_path):
    project = make_project(tmp_path / "p", PAGES, fixture="basic")
    (project / "quizzes" / "second.yml").write_text(SECOND, encoding="utf-8")
    quiz = project / "quizzes" / "sample.yml"
    good = quiz.read_text(encoding="utf-8")
    with Serve(project, tmp_path / "serve.log") as serve:
        assert wait_for(serve.url + "index.html", "Sample check", 60, poll=0.2) is not None, serve.output()

        # (a) the quiz's pages show the change, and the manifest has it
        _save(quiz, good.replace("title: Sample check", "title: Edited check"))
        assert wait_for(serve.url + "index.html", "Edited check", 20) is not None, serve.output()
        output = _settle(serve, 1)
        assert "Edited check" in fetch(serve.url + "third.html")
        assert "Edited check" in fetch(serve.url + "assets/course/manifest.js")
        # (b) ... and nothing else was built again
        assert sorted(_rebuilt(output)) == ["index.md", "third.md"]
        # the pages not rebuilt keep their titles in the rebuilt page's navigation, and their search
        index_html = fetch(serve.url + "index.html")
        assert "Other page" in index_html and "Fourth page" in index_html
        search = json.loads(fetch(serve.url + "search/search_index.json"))
        locations = {d["location"].split("#")[0] for d in search["docs"]}
        assert {"index.html", "other.html", "third.html", "fourth.html"} <= locations
        assert sum(1 for d in search["docs"] if d["location"] == "index.html") == 1

        # a lesson: only its page
        other = project / "content" / "other.md"
        _save(other, other.read_text(encoding="utf-8") + "\nA new paragraph for the preview.\n")
        assert wait_for(serve.url + "other.html", "A new paragraph", 20) is not None, serve.output()
        assert _rebuilt(_settle(serve, 2)) == ["other.md"]

        # (c) a broken save: the error box on the page and the file's line on the console; the other
        # pages are still served
        _save(quiz, good.replace("title: Sample check", "title: Broken check\npass_mark: [oops"))
        assert wait_for(serve.url + "index.html", "cannot be shown", 20) is not None, serve.output()
        output = _settle(serve, 3)
        assert "quizzes/sample.yml:" in output
        assert "Second check" in fetch(serve.url + "fourth.html")
        # ... and the next good save recovers
        _save(quiz, good.replace("title: Sample check", "title: Fixed check"))
        assert wait_for(serve.url + "index.html", "Fixed check", 20) is not None, serve.output()
        assert "cannot be shown" not in fetch(serve.url + "index.html")
        assert "Traceback" not in serve.output()
        assert serve.proc.poll() is None


def test_a_new_page_or_a_changed_title_builds_everything(tmp_path):
    project = make_project(tmp_path / "p", PAGES, fixture="basic")
    (project / "quizzes" / "second.yml").write_text(SECOND, encoding="utf-8")
    with Serve(project, tmp_path / "serve.log") as serve:
        assert wait_for(serve.url + "index.html", "Sample check", 60, poll=0.2) is not None, serve.output()
        # a changed title: every page's navigation shows the new one
        other = project / "content" / "other.md"
        _save(other, other.read_text(encoding="utf-8").replace("# Other page", "# Renamed page"))
        assert wait_for(serve.url + "fourth.html", "Renamed page", 20) is not None, serve.output()
        # a new page: in the navigation of the others
        _save(project / "content" / "fifth.md", "# Fifth page\n\nNew.\n")
        assert wait_for(serve.url + "index.html", "Fifth page", 20) is not None, serve.output()
        assert "Traceback" not in serve.output()


SAME_SITE = r"""
import json, os, shutil, sys, time
from pathlib import Path
import mkdocs.commands.serve as serve
from mkdocs.config import load_config

site = sys.argv[1]

def config():
    c = load_config(config_file="mkdocs.yml", site_dir=site)
    c.site_url = "http://127.0.0.1:9/"
    return c

def build():
    serve.build(config(), serve_url="http://127.0.0.1:9/")

first = config()
first.plugins.on_startup(command="serve", dirty=False)
serve.build(first, serve_url="http://127.0.0.1:9/")
preview = first.plugins["course"].preview
server = type("Server", (), {})()
server.builder = build
preview.wrap(server)

def files():
    out = {}
    for p in Path(site).rglob("*"):
        if p.is_file() and p.suffix in (".html", ".json", ".js", ".xml"):
            text = p.read_text(encoding="utf-8")
            if p.name.startswith("search_index."):  # the same entries; their order may differ
                index = json.loads(text[text.index("{"):text.rindex("}") + 1])
                text = sorted(json.dumps(d, sort_keys=True) for d in index["docs"])
            out[str(p.relative_to(site))] = text
    return out

rebuilt = []
for path, old, new in [
    ("quizzes/quiz-0003.yml", 'title: "', 'title: "Edited quiz '),
    ("quizzes/es/quiz-0002.yml", 'title: "', 'title: "Cuestionario editado '),
    ("content/lessons/part-01/lesson-0004.md", "## The situation", "## The situation, edited"),
]:
    time.sleep(0.05)
    p = Path(path)
    p.write_text(p.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    server.builder()
    rebuilt.append(sorted(preview.rebuilt))
incremental = files()
shutil.rmtree(site)
build()  # everything again, from the same files
print(json.dumps({"rebuilt": rebuilt, "differ": sorted(k for k in set(incremental) | set(files())
      if incremental.get(k) != files().get(k))}))
"""


def test_incremental_builds_give_the_same_site_as_a_full_build(tmp_path):
    """On a generated course in two languages (the benchmark's mkdocs.yml, with mkdocs-static-i18n):
    after a quiz, a Spanish quiz and a lesson are saved, every page, the manifest, the search index
    and the sitemap are what a full build of the same files gives."""
    import subprocess

    from tests.bench.generate import generate_course, quiz_yaml
    from tests.helpers import ENV, PYTHON

    project = generate_course(tmp_path / "course", 6, 6, 1, 8)
    (project / "quizzes" / "es").mkdir()
    (project / "quizzes" / "es" / "quiz-0002.yml").write_text(quiz_yaml(2, 6), encoding="utf-8")
    result = subprocess.run(
        [PYTHON, "-c", SAME_SITE, str(tmp_path / "site")],
        cwd=project, env=ENV, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["differ"] == [], report
    quiz, spanish, lesson = report["rebuilt"]
    assert quiz == ["en:lessons/part-01/lesson-0003.md", "es:lessons/part-01/lesson-0003.md"]
    assert spanish == ["es:lessons/part-01/lesson-0002.md"]  # the Spanish version only
    assert lesson == ["en:lessons/part-01/lesson-0004.md", "es:lessons/part-01/lesson-0004.md"]
