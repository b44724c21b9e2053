"""The benchmark code, exercised quickly by `make test` (the real figures come from `make bench`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import playwright
import pytest
import yaml

from builder.course import Course
from builder.plugin import minify_text
from builder.render import _md, fast_markdown, sanitize
from tests.bench import run as bench
from tests.bench.generate import EMBED_LINE, generate_course, make_plain, quiz_yaml, scenario_data
from tests.helpers import REPO, build_ok


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return generate_course(
        tmp_path_factory.mktemp("bench") / "tiny", lessons=7, quizzes=5, scenarios=2, nodes=9
    )


def test_generated_course_checks_clean(tiny):
    course = Course.load(tiny)
    assert [str(p) for p in course.errors + course.warnings] == []
    kinds = sorted(item.kind for item in course.items.values())
    assert kinds == ["quiz"] * 5 + ["scenario"] * 2
    assert all(len(item.model.nodes) == 9 for item in course.items.values() if item.kind == "scenario")
    config = yaml.safe_load((tiny / "mkdocs.yml").read_text())
    flagship = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    assert config["theme"] == flagship["theme"]  # same theme, features (navigation.prune) and palette
    assert len(config["nav"]) == 2 and len(config["nav"][1]["Part 1"]) == 7


def test_generation_is_deterministic(tiny, tmp_path):
    again = generate_course(tmp_path / "again", lessons=7, quizzes=5, scenarios=2, nodes=9)
    for path in sorted(p for p in tiny.rglob("*") if p.is_file() and "site" not in p.parts):
        assert (again / path.relative_to(tiny)).read_bytes() == path.read_bytes(), path


def test_plain_variant_has_no_course_parts(tiny, tmp_path):
    plain = make_plain(tiny, tmp_path / "plain")
    pages = sorted((plain / "content").rglob("*.md"))
    assert len(pages) == len(list((tiny / "content").rglob("*.md")))
    assert not any(EMBED_LINE.match(line) for page in pages for line in page.read_text().splitlines())
    config = yaml.safe_load((plain / "mkdocs.yml").read_text())
    assert "course" not in str(config["plugins"]) and "course" not in config["markdown_extensions"]
    assert config["theme"] == yaml.safe_load((tiny / "mkdocs.yml").read_text())["theme"]


def test_generated_course_builds(tiny, tmp_path):
    site = build_ok(tiny, tmp_path / "site")
    page = (site / "lessons" / "part-01" / "lesson-0001.html").read_text()
    assert 'data-quiz="quiz-0001"' in page and 'data-scenario="scenario-0001"' in page
    assert "course-embed" not in page  # the plugin's markers are gone again
    # widgets stay out of the search index (answers and feedback are no search results) ...
    index = (site / "search" / "search_index.json").read_text()
    assert "Blaming another team" in page and "Blaming another team" not in index
    assert "Jump straight to the policy" in page and "Jump straight to the policy" not in index
    assert "What you will practise" in index  # ... the lessons do not
    # our CSS and JS ship without comment lines and indentation
    for name in ("course.js", "quiz.js", "course.css"):
        shipped = (site / "assets" / "course" / name).read_text()
        assert shipped == minify_text((bench.ASSETS / name).read_text(), js=name.endswith(".js"))
        assert not any(line.startswith(("//", "/*", " ")) for line in shipped.splitlines())


def test_scenario_validation_grows_linearly(tmp_path):
    """10x the nodes must cost about 10x the time (a quadratic step would make it about 100x)."""
    small = bench.scenario_validation(1_000, 3, tmp_path)
    big = bench.scenario_validation(10_000, 3, tmp_path)
    assert big / small < 20, f"1,000 nodes: {small:.3f}s, 10,000 nodes: {big:.3f}s"


def test_large_scenario_data_is_valid():
    data = scenario_data(200)
    assert len(data["nodes"]) == 200
    assert {n.get("ending") for n in data["nodes"].values()} >= {"success", "partial", "failure"}


def test_page_writer(tmp_path):
    rows = [["(d) Our JS + CSS", "1.0 KB gzipped", "at most 20.0 KB gzipped", "PASS", "2 files"]]
    text = bench.write_page(rows, ["| a | b |"], bench.machine(), 5)
    assert text.startswith("# Benchmarks\n")
    assert "| (d) Our JS + CSS | 1.0 KB gzipped | at most 20.0 KB gzipped | PASS | 2 files |" in text
    assert "median of 5" in text and "nproc" in text


def test_asset_sizes():
    rows = bench.asset_sizes()
    names = [row[0] for row in rows]
    assert "course.js" in names and "quiz.js" in names
    assert all(0 < gz < raw and 0 < shipped_gz <= gz for _, raw, gz, _, shipped_gz in rows)


def test_quiz_page_weight_gate(flagship_site):
    """Gate (d), issue 17 item 3: our JS + CSS that a lesson with one quiz fetches as it loads, gzipped,
    measured as `make bench` does (tests/bench/run.py page_weights). The target, 10 KB, is missed:
    the gate holds the figure reached plus a small margin (bench.WHY_MISSED["page"] says why)."""
    on_page, total, _all, _search = bench.page_weights(flagship_site)
    names = [n for n, _ in on_page]
    assert "quiz.js" in names and "manifest.js" in names
    assert not set(names) & {
        "scenario.js",
        "scenario.css",
        "progress-page.js",
        "progress.css",
        "quiz-timer.js",
        "xapi.js",
    }
    assert total <= bench.GATE_PAGE, (
        f"{total / 1024:.1f} KB gzipped (gate {bench.GATE_PAGE / 1024:.1f} KB, target "
        f"{bench.TARGET_PAGE / 1024:.0f} KB): " + ", ".join(f"{n} {g / 1024:.1f} KB" for n, g in on_page)
    )


def test_all_assets_weight_gate(flagship_site):
    """Gate (d), issue 17 item 3: all our JS + CSS together (manifest included, xapi.js not), gzipped.
    The target, 16 KB, is missed: the gate holds the figure reached plus a small margin."""
    _on_page, _total, everything, _search = bench.page_weights(flagship_site)
    assert everything <= bench.GATE_ALL, (
        f"{everything / 1024:.1f} KB gzipped (gate {bench.GATE_ALL / 1024:.1f} KB, target "
        f"{bench.TARGET_ALL / 1024:.0f} KB)"
    )


def test_gates_sit_between_targets_and_figures_reached():
    assert bench.TARGET_PAGE <= bench.GATE_PAGE <= 25 * 1024
    assert bench.TARGET_ALL <= bench.GATE_ALL <= 36 * 1024


NODE = shutil.which("node") or str(
    Path(playwright.__file__).parent / "driver" / "node"  # Playwright ships a Node binary
)


@pytest.mark.skipif(not Path(NODE).is_file(), reason="no Node.js to check JavaScript syntax")
@pytest.mark.parametrize("name", sorted(p.name for p in bench.ASSETS.glob("*.js")))
def test_minified_js_is_valid(name, tmp_path):
    source = (bench.ASSETS / name).read_text(encoding="utf-8")
    small = minify_text(source, js=True)
    (tmp_path / name).write_text(small, encoding="utf-8")
    result = subprocess.run(
        [NODE, "--check", str(tmp_path / name)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "//" not in [line[:2] for line in small.splitlines()]


def test_minify_keeps_code_and_strings():
    """rjsmin/rcssmin (issue 17): comments and white space go; strings, template literals and
    licence comments stay."""
    css = "a{}\n/* x */ .b{ c: d }\n  /* multi\n line */ .e{}\n/*! licence */\n"
    assert minify_text(css, js=False) == "a{}.b{c:d}.e{}/*! licence */\n"
    js = "var a = 1; // drop\n  // drop\n/**\n * doc\n */\nvar s = `x\n  y`;\n"
    assert minify_text(js, js=True) == "var a=1;var s=`x\n  y`;\n"


# ---------------------------------------------------------------- the Markdown fast path (a fix from profiling)


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


TRICKY = [
    "a *b* c", "**Note:** read this", "*Great* job", "a * b * c", "2*3*4", "*a*b", "(*note*)",
    "**a** and **b**", "**a*b**", "*a **b** c*", "use `x < y` here", "`a*b*`", "`  padded  `",
    "see [Module 4](modules/04.md#top) now", "[a](b) [c](d)", "[x]", "a [b] c", "![img](a.png)",
    "- item", "* item", "1. one", "3.5 stars", "# head", "#1 rule", "> quote", "***", "* * *", "---",
    "a\tb", "He said \"hi\" & left", "it's 3 > 2", "a  b", " lead", "trail ", "x_y_z", "**bold**text",
    "text**bold**", "a ** b", "*", "**", "``", "` `", "a `` b", "[link](http://x.y/z?a=1)",
    "[t](javascript:alert(1))", "[t *e*](u)", "*[t](u)*", "**[t](u)**", "`[t](u)`", "emoji 😀 *ok*",
    "***bold em***", "x *y*z", "*y*.", "\"*quoted*\"", "100% sure", "C# and F#", "a | b", "a = b",
    "{curly}", "~tilde~", "+plus", "=eq", "|pipe", "call #3 now", "Q&A", "a\\*b", "<b>x</b>",
    "*Really?* Yes.", "**Why:** because", "a *b*, c *d*.", "[Module 4: Feelings](modules/04-x.md)",
]  # fmt: skip


def test_fast_markdown_matches_python_markdown():
    corpus = set(TRICKY)
    for path in (REPO / "quizzes").glob("*.yml"):
        corpus |= set(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    corpus |= set(_strings(yaml.safe_load(quiz_yaml(3, 10)))) | set(_strings(scenario_data(20)))
    md = _md()
    fast = 0
    for text in sorted(corpus):
        out = fast_markdown(text)
        if out is None:
            continue
        fast += 1
        md.reset()
        assert out == md.convert(text), text
        if "<a " not in out:  # markdown_html skips sanitizing these: it must be a no-op
            assert sanitize(out) == out, text
    assert fast > len(corpus) * 0.8, "most author strings should take the fast path"


# ---------------------------------------------------------------- issue 17 item 1: the 200-lesson course,
# the mkdocs-quiz reference line, the run count, and the fixes from profiling


def test_medium_course_has_the_counts_the_page_claims(tmp_path):
    """`make bench`'s 200-lesson course: 200 quizzes with 1,000 questions in all, 40 scenarios."""
    assert bench.MEDIUM == {"lessons": 200, "quizzes": 200, "scenarios": 40, "nodes": 50}
    project = generate_course(tmp_path / "medium", **{**bench.MEDIUM, "nodes": 6})  # small scenarios: quick
    course = Course.load(project)
    assert [str(p) for p in course.errors] == []
    quizzes = [i for i in course.items.values() if i.kind == "quiz"]
    scenarios = [i for i in course.items.values() if i.kind == "scenario"]
    assert len(quizzes) == 200 and len(scenarios) == 40
    assert sum(len(i.model.questions) for i in quizzes) == 1000
    assert len(list((project / "content" / "lessons").rglob("*.md"))) == 200


def test_mkdocs_quiz_variant_has_the_same_questions(tiny, tmp_path):
    """The reference line's course: the same lessons, every question as one mkdocs-quiz 1.7.1 block."""
    from tests.bench.generate import make_mkdocs_quiz

    mq = make_mkdocs_quiz(tiny, tmp_path / "mq")
    config = yaml.safe_load((mq / "mkdocs.yml").read_text())
    assert "mkdocs_quiz" in config["plugins"] and "course" not in str(config["plugins"])
    pages = sorted((mq / "content").rglob("*.md"))
    assert len(pages) == len(list((tiny / "content").rglob("*.md")))
    text = "\n".join(p.read_text() for p in pages)
    assert text.count("<quiz>") == text.count("</quiz>") == 5 * 5  # 5 quizzes of 5 questions
    assert not any(EMBED_LINE.match(line) for line in text.splitlines())
    assert "- [x] Let them finish" in text and "    > Right." in text  # options and their feedback
    assert "[[listen]]" in text  # a text question as a fill-in blank
    first = (mq / "content" / "lessons" / "part-01" / "lesson-0001.md").read_text()
    assert "](lesson-0001.md)" in first  # lesson links relative to the page they are now on


def test_bench_runs_setting(monkeypatch):
    monkeypatch.delenv("BENCH_RUNS", raising=False)
    assert bench.default_runs() == bench.DEFAULT_RUNS
    monkeypatch.setenv("BENCH_RUNS", "7")
    assert bench.default_runs() == 7
    monkeypatch.setenv("BENCH_RUNS", "0")
    with pytest.raises(SystemExit, match="BENCH_RUNS"):
        bench.default_runs()


def test_missing_mkdocs_quiz_is_reported_not_fatal(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "QUIZ_PYTHON", str(tmp_path / "no-such-python"))
    assert bench.quiz_python() is None


def test_alternate_builds_rotates_every_variant(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(bench, "mkdocs_build", lambda project, site, python=bench.PYTHON: calls.append(
        (project.name, python)) or bench.Run(1.0, 1.0, 1))  # fmt: skip
    a, b, c = (tmp_path / n for n in ("course", "plain", "other"))
    series = bench.alternate_builds(a, b, 3, "x", extra=[(c, "/other/python")])
    assert [len(s.runs) for s in series] == [3, 3, 3]
    assert ("other", "/other/python") in calls
    firsts = [calls[3 + 3 * i][0] for i in range(3)]  # after the warm-up, who went first each round
    assert len(set(firsts)) > 1


def test_cache_busting_finds_what_the_regular_expression_finds():
    """builder.cache_bust.substitute (a fix from profiling) against the plain ``REF_RE.sub``."""
    import random

    from builder.cache_bust import REF_RE, substitute

    def swap(m):
        return f"{m.group(1)}{m.group(2)}{m.group(3)}?v=1{m.group(4)}"

    atoms = ['src="', 'href="', '"', "assets/course/", "assets/vendor/", "a.js", ".css", "?", "#", " ",
             "x", "=", "data-", "h", "ref=", "s", "\n", "/", "../", 'xsrc="', "c="]  # fmt: skip
    rng = random.Random(17)
    for _ in range(20000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 16)))
        assert substitute(text, swap) == REF_RE.sub(swap, text), text


def test_author_markdown_memo_gives_the_same_html():
    """markdown_html keeps page-independent HTML; links are still rewritten for each page."""
    from builder.render import PageContext, markdown_html

    text = "See [the lesson](modules/02-not-personal.md) and *this*."
    a = markdown_html(text, PageContext("index.md"))
    b = markdown_html(text, PageContext("modules/01-why.md"))
    assert 'href="modules/02-not-personal.html"' in a
    assert 'href="02-not-personal.html"' in b
    assert markdown_html(text, PageContext("index.md")) == a


def test_catalog_memo_keeps_types_apart():
    from builder.messages import Catalog

    catalog = Catalog("en")
    keys = [k for k, v in catalog.messages.items() if isinstance(v, str) and "{n}" in v]
    if not keys:
        pytest.skip("no message with {n}")
    assert catalog.t(keys[0], n=1) != catalog.t(keys[0], n=True) or "True" not in catalog.t(keys[0], n=1)
    assert "True" in catalog.t(keys[0], n=True)
