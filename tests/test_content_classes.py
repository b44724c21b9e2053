"""Course content as real authors write it (issue 10 items 2, 3, 6, 7, 8, 9), each fault as a class.

- 2: YAML Markdown renders like lesson Markdown: text `<`, `>`, `&` as written, fenced code,
  lists, tables, admonitions, through the safe part of the site's markdown_extensions;
- 3: one embed scanner: embeds inside admonitions, collapsible blocks, tabs, list items, quotes,
  nested, found by check, build and manifest alike; code is never an embed;
- 6: images and files in course files are relative to content/, rewritten for every page depth;
  missing ones reported at path:line in YAML and in lessons;
- 7: dir="auto" on every block of author text, author `dir` kept, nothing else;
- 8: page names with spaces and non-ASCII letters: one canonical URL in the manifest;
- 9: pathological Markdown gives a located error within seconds, never a traceback or a stall.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse

import pytest
import yaml
from bs4 import BeautifulSoup

from builder import md_adapter
from builder.course import Course
from builder.embeds import directives, match_line
from builder.manifest import canonical_url, read_manifest
from builder.render import PageContext, markdown_html
from tests.helpers import build_ok, course, make_project, mkdocs_build


@pytest.fixture(autouse=True)
def default_markdown():
    md_adapter.configure(md_adapter.DEFAULT_EXTENSIONS)
    yield
    md_adapter.configure(md_adapter.DEFAULT_EXTENSIONS)


def text_of(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


def quiz_yaml(**fields) -> str:
    q = {
        "id": "q1",
        "type": "single",
        "prompt": fields.get("prompt", "Pick one"),
        "options": [
            {"text": fields.get("option", "Right"), "correct": True},
            {"text": "Wrong"},
        ],
    }
    data = {"kind": "quiz", "title": fields.get("title", "A quiz"), "questions": [q]}
    if "order" in fields:
        data["questions"].append({"id": "q2", "type": "order", "prompt": "Order", "items": fields["order"]})
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# ---------------------------------------------------------------- 2: text `<`, `>`, `&` as written

AS_WRITTEN = [
    "x<y & z>w",
    "<h3> & <h4>",
    "<h1>Title</h1> is a heading tag",
    "Use <p> for paragraphs and <div> for boxes",
    "a <= b && c >= d",
    "if (a<b) { return a>b; }",
    "<<double>> angle quotes",
    "5 < 6 > 4",
    "<table> without a closing tag",
    "</b> before <b>",
    "<script>alert(1)</script>",
    "<custom-element attr=1>",
    "Hebrew: א<ב & ג>ד",
    "Arabic: س<ص & ع>ف",
    "Greek: α<β & γ>δ",
    "Japanese: 日<本 & 語>文",
    "AT&T, R&D & Q&A",
    "fish & chips < 5 €",
]


@pytest.mark.parametrize("text", AS_WRITTEN)
@pytest.mark.parametrize("inline", [False, True])
def test_angle_brackets_and_ampersands_show_as_written(text, inline):
    out = str(markdown_html(text, PageContext("a/b.md"), inline=inline))
    assert text_of(out).strip() == text, out


def test_allowed_author_html_still_works():
    out = str(markdown_html('Say <b>no</b> to <span lang="fr" dir="rtl">ça</span><br>then', PageContext()))
    soup = BeautifulSoup(out, "html.parser")
    assert soup.b.get_text() == "no" and soup.span["lang"] == "fr" and soup.span["dir"] == "rtl"
    assert soup.br is not None


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
@pytest.mark.parametrize("lang", ["python", "js", ""])
def test_fenced_code_renders_as_a_block(fence, lang):
    text = f"Look:\n\n{fence}{lang}\nif a < b:\n    print('x & y')\n{fence}\n\nThen answer."
    for inline in (False, True):
        out = str(markdown_html(text, PageContext(), inline=inline))
        soup = BeautifulSoup(out, "html.parser")
        pre = soup.find("pre")
        assert pre is not None and pre.find("code") is not None, out
        code = pre.get_text()
        assert "if a < b:\n    print('x & y')" in code, out
        assert lang == "" or lang not in text_of(out).replace(code, ""), out


def test_lists_tables_admonitions_render_as_in_lessons():
    out = str(
        markdown_html(
            "Steps:\n\n1. Listen\n2. Apologise\n\n- a\n- b\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n"
            '!!! warning "Careful"\n    Stay calm.\n\n??? tip "More"\n    Hidden tip.\n\n???+ note\n    Open.',
            PageContext(),
        )
    )
    soup = BeautifulSoup(out, "html.parser")
    assert [li.get_text() for li in soup.select("ol > li")] == ["Listen", "Apologise"]
    assert [li.get_text() for li in soup.select("ul > li")] == ["a", "b"]
    assert soup.select_one("td[align=right]").get_text() == "2"
    adm = soup.select_one("div.admonition.warning")
    assert adm.select_one("p.admonition-title").get_text() == "Careful" and "Stay calm." in adm.get_text()
    details = soup.select("details")
    assert details[0]["class"] == ["tip"] and details[0].summary.get_text() == "More"
    assert details[1].has_attr("open")


def test_site_extensions_used_only_when_safe():
    md_adapter.configure(["pymdownx.snippets", "toc", "course", "pymdownx.mark", {"pymdownx.tilde": {}}])
    names = md_adapter.extensions()
    assert "pymdownx.snippets" not in names and "toc" not in names and "course" not in names
    assert "pymdownx.mark" in names and "pymdownx.tilde" in names
    out = str(markdown_html("==marked== and ~~gone~~", PageContext()))
    assert "<mark>marked</mark>" in out and "<del>gone</del>" in out
    # snippets would include a file from disk; here it is text
    assert "--8<--" in text_of(str(markdown_html('--8<-- "mkdocs.yml"', PageContext())))


def test_built_quiz_shows_text_as_written(tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n\n::: quiz lt\n",
            "quizzes/lt.yml": quiz_yaml(
                prompt="Which is right?\n\n```python\nprint(1 < 2)\n```",
                option="x<y & z>w",
                order=["<h3> & <h4>", "a & b", "c > d"],
            ),
        },
    )
    site = build_ok(project)
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [t.get_text() for t in soup.select(".cq-option__text")][0] == "x<y & z>w"
    assert sorted(t.get_text() for t in soup.select(".cq-order__text")) == sorted(
        ["<h3> & <h4>", "a & b", "c > d"]
    )
    pre = soup.select_one('[data-question="q1"] legend pre')
    assert pre is not None and "print(1 < 2)" in pre.get_text() and "python" not in pre.get_text()


# ---------------------------------------------------------------- 3: one embed scanner

CONTAINERS = {
    "admonition": '!!! note "Try it"\n\n    ::: quiz {id}\n',
    "admonition-no-title": "!!! warning\n    ::: quiz {id}\n",
    "collapsible": '??? note "Quiz"\n    ::: quiz {id}\n',
    "collapsible-open": "???+ tip\n\n    ::: quiz {id}\n",
    "tab": '=== "First"\n\n    Text.\n\n=== "Quiz"\n\n    ::: quiz {id}\n',
    "tab-selected": '===+ "Quiz"\n    ::: quiz {id}\n',
    "bullet-item": "- Read this\n\n    ::: quiz {id}\n",
    "star-item": "* ::: quiz {id}\n",
    "plus-item": "+ first\n+ ::: quiz {id}\n",
    "ordered-item": "1. Step one\n2. Step two\n\n    ::: quiz {id}\n",
    "ordered-deep": "1. a\n    1. b\n\n        ::: quiz {id}\n",
    "quote": "> Before\n>\n> ::: quiz {id}\n",
    "tab-in-admonition": '!!! example\n\n    === "A"\n\n        ::: quiz {id}\n',
    "admonition-in-list": "- Item\n\n    ??? note\n\n        ::: quiz {id}\n",
    "list-in-tab-in-details": '??? info\n    === "T"\n        - x\n\n            ::: quiz {id}\n',
    "tab-indented": '=== "T"\n\t::: quiz {id}\n',
    "md-in-html": '<div markdown="1">\n\n::: quiz {id}\n\n</div>\n',
    "nested-quote": "> Said:\n>\n> > ::: quiz {id}\n",
}
NOT_EMBEDS = {
    "fence-in-admonition": "!!! note\n\n    ```\n    ::: quiz {id}\n    ```\n",
    "tilde-fence": "~~~markdown\n::: quiz {id}\n~~~\n",
    "long-fence": "````\n```\n::: quiz {id}\n```\n````\n",
    "indented-code": "Text.\n\n    ::: quiz {id}\n",
    "fence-in-list": "- x\n\n    ```\n    ::: quiz {id}\n    ```\n",
    "paren-list-is-text": "1) ::: quiz {id}\n",
    "too-deep-in-admonition": "!!! note\n\n            ::: quiz {id}\n",
}


@pytest.mark.parametrize("name", CONTAINERS)
def test_scanner_finds_embeds_in_every_container(name):
    found = [d.embed for d in directives("# Page\n\n" + CONTAINERS[name].format(id="x-1") + "\nAfter.\n")]
    assert found == [("quiz", "x-1")], found


@pytest.mark.parametrize("name", NOT_EMBEDS)
def test_scanner_skips_code(name):
    assert [d.embed for d in directives(NOT_EMBEDS[name].format(id="x-1"))] == []


def test_scanner_line_numbers_and_extension_agree():
    text = "\n".join(CONTAINERS[n].format(id=f"q{i}") for i, n in enumerate(CONTAINERS))
    lines = text.splitlines()
    for d in directives(text):
        raw = lines[d.line - 1]
        assert f"::: quiz {d.rest}" in raw
        # the Markdown extension's test sees the same line once its container is removed
        assert match_line(raw[raw.index(":::") :]) == ("quiz", d.rest)


@pytest.fixture(scope="module")
def contained(tmp_path_factory):
    """A course whose every quiz and scenario sits in a container; the assessment in a tab."""
    quiz = lambda: quiz_yaml()  # noqa: E731
    scenario = yaml.safe_dump(
        {
            "kind": "scenario",
            "title": "S",
            "start": "a",
            "nodes": {
                "a": {"text": "Hi", "choices": [{"text": "Go", "to": "b"}]},
                "b": {"ending": "success", "text": "Done"},
            },
        }
    )
    files = {"content/index.md": "# Home\n\nWelcome.\n"}
    pages = {}
    for n, block in enumerate(CONTAINERS.values()):
        qid = f"q-{n:02d}"
        files[f"quizzes/{qid}.yml"] = quiz()
        pages.setdefault(f"content/sec/page-{n % 4}.md", ["# Page\n"]).append(block.format(id=qid))
    files["quizzes/final.yml"] = quiz()
    files["quizzes/role.yml"] = scenario
    pages["content/sec/page-0.md"].append('=== "Final"\n\n    ::: quiz final\n')
    pages["content/sec/page-1.md"].append('??? example "Practice"\n    ::: scenario role\n')
    files.update({k: "\n".join(v) for k, v in pages.items()})
    extra = "      completion:\n        pass: all\n        assessment: final\n"
    mkdocs = None
    project = make_project(
        tmp_path_factory.mktemp("contained") / "p", files, plugin_extra=extra, mkdocs_yml=mkdocs
    )
    cfg = project / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text().replace(
            "  - md_in_html\n",
            "  - md_in_html\n  - pymdownx.details\n  - pymdownx.superfences\n  - pymdownx.tabbed:\n      alternate_style: true\n",
        )
    )
    return project


def test_contained_embeds_are_used_and_the_assessment_is_placed(contained):
    result = course("check", cwd=contained)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not used" not in result.stdout and "not on any page" not in result.stdout, result.stdout
    c = Course.load(contained)
    assert {e.id for e in c.embeds} == {f"q-{n:02d}" for n in range(len(CONTAINERS))} | {"final", "role"}


def test_contained_embeds_build_and_reach_the_manifest(contained, tmp_path):
    site = build_ok(contained, tmp_path / "site")
    manifest = read_manifest(site)
    by_url = {p["url"]: p["items"] for p in manifest["pages"]}
    for n in range(len(CONTAINERS)):
        qid = f"q-{n:02d}"
        page_url = f"sec/page-{n % 4}.html"
        assert qid in by_url[page_url], (qid, by_url)
        html = (site / page_url).read_text(encoding="utf-8")
        assert f'data-quiz="{qid}"' in html, qid  # rendered where the scanner found it
    assert manifest["completion"]["assessment"] == "final"
    assert "final" in manifest["completion"]["pass"] and manifest["items"]["final"]["pages"]
    assert manifest["completion"]["finish"] == ["role"]


# ---------------------------------------------------------------- 6: one path rule


def test_image_and_file_paths_are_relative_to_content_at_every_depth(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    project = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n\n::: quiz pic\n",
            "content/a/b/deep.md": "# Deep\n\n::: quiz pic\n",
            "content/a/mid café.md": "# Mid\n\n::: quiz pic\n",
            "content/images/till one.png": png,
            "content/files/hand-out.pdf": b"%PDF-1.4\n",
            "quizzes/pic.yml": quiz_yaml(
                prompt='![Till](images/till%20one.png) <img src="/images/till%20one.png" alt="t2"> '
                "[Hand-out](files/hand-out.pdf)"
            ),
        },
    )
    result = course("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = build_ok(project)
    for page in ("index.html", "a/b/deep.html", "a/mid café.html"):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        refs = [img["src"] for img in soup.select(".cq-question img")]
        refs += [a["href"] for a in soup.select(".cq-question a")]
        assert len(refs) == 3, (page, refs)
        for ref in refs:
            target = (site / page).parent / urllib.parse.unquote(ref)
            assert target.resolve().is_file(), (page, ref)


def test_missing_images_and_files_are_reported_at_their_line(tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n\nText.\n\n![Gone](img/gone.png)\n\n::: quiz pic\n\n"
            '<img src="nope.jpg" alt="x">\n\n[Notes](notes/missing.pdf)\n\n```\n![in code](x.png)\n```\n\n'
            "Inline `![code](y.png)` and ``[a](z.pdf)``.\n",
            "quizzes/pic.yml": quiz_yaml(prompt="See ![Gone](img/gone2.png)", option="[Form](forms/f.docx)"),
        },
    )
    result = course("check", cwd=project)
    out = result.stdout
    assert result.returncode == 1, out  # errors since issue 12: learners would see a broken picture
    assert re.search(r"content/index.md:5: image 'img/gone.png' not found", out), out
    assert re.search(r"content/index.md:9: image 'nope.jpg' not found", out), out
    assert re.search(r"content/index.md:11: file 'notes/missing.pdf' not found", out), out
    assert "x.png" not in out and "y.png" not in out and "z.pdf" not in out  # code is not checked
    assert re.search(r"quizzes/pic.yml:\d+: image 'img/gone2.png' not found", out), out
    assert re.search(r"quizzes/pic.yml:\d+: file 'forms/f.docx' not found", out), out
    assert "Traceback" not in result.stderr


def test_page_relative_image_still_works_with_a_warning(tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "content/mod/page.md": "# Page\n\n::: quiz pic\n",
            "content/mod/pics/a.png": b"\x89PNG\r\n\x1a\n",
            "quizzes/pic.yml": quiz_yaml(prompt="![A](pics/a.png)"),
        },
    )
    result = course("check", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "write 'mod/pics/a.png'" in result.stdout, result.stdout
    site = build_ok(project)
    soup = BeautifulSoup((site / "mod" / "page.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".cq-question img")["src"] == "pics/a.png"


# ---------------------------------------------------------------- 7: direction


def test_every_block_of_author_text_gets_dir_auto():
    out = str(
        markdown_html(
            "שלום\n\n- א\n- ב\n\n> ציטוט\n\n| א | ב |\n|---|---|\n| 1 | 2 |\n\n!!! note\n    مرحبا",
            PageContext(),
        )
    )
    soup = BeautifulSoup(out, "html.parser")
    for tag in ("p", "ul", "li", "blockquote", "table", "th", "td", "div"):
        for el in soup.find_all(tag):
            assert el.get("dir") == "auto", (tag, out)


@pytest.mark.parametrize(
    "value,kept", [("rtl", "rtl"), ("LTR", "ltr"), ("auto", "auto"), ("evil", None), ("", None)]
)
def test_author_dir_attribute(value, kept):
    out = str(markdown_html(f'<span dir="{value}">نص</span>', PageContext()))
    span = BeautifulSoup(out, "html.parser").span
    assert span.get("dir") == kept, out


# ---------------------------------------------------------------- 8: page names


@pytest.mark.parametrize(
    "raw,canonical",
    [
        ("caf%C3%A9.html", "café.html"),
        ("cafe%CC%81.html", "café.html"),  # NFD file name (macOS)
        ("my%20lesson.html", "my lesson.html"),
        ("%E6%97%A5%E6%9C%AC.html", "日本.html"),
        ("a%2Bb/c%26d.html", "a+b/c&d.html"),
        ("plain.html", "plain.html"),
    ],
)
def test_canonical_url(raw, canonical):
    assert canonical_url(raw) == canonical


def test_manifest_urls_are_canonical(tmp_path):
    names = ["café.md", "my lesson.md", "ünï/côdé page.md", "日本語.md", "a+b & c.md"]
    files = {f"content/{n}": f"# {n}\n\nText.\n" for n in names}
    files["content/index.md"] = "# Home\n"
    project = make_project(tmp_path / "p", files)
    site = build_ok(project)
    urls = {p["url"] for p in read_manifest(site)["pages"]}
    for n in names:
        url = n[:-3] + ".html"
        assert url in urls, (url, urls)
        assert (site / url).is_file()


# ---------------------------------------------------------------- 9: pathological Markdown

PATHOLOGICAL = {
    "dash-markers": "- " * 1000 + "x",
    "quote-markers": "> " * 1000 + "x",
    "mixed-markers": "- > 1. * " * 300 + "x",
    "deep-indent": "\n".join(" " * (4 * i) + "- x" for i in range(200)),
    "brackets-4000": "[" * 4000,
    "brackets-20000": "[" * 20000,
    "link-openers": "[a](" * 3000,
    "image-openers": "![" * 3000,
    "angle-tags": "<a " * 5000,
    "ref-links": "[a][" * 3000,
    "huge": "word " * 30000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_check_reports_pathological_fields_quickly(name, tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n\n::: quiz bad\n",
            "quizzes/bad.yml": quiz_yaml(prompt=PATHOLOGICAL[name]),
        },
    )
    start = time.monotonic()
    result = course("check", cwd=project, timeout=60)
    took = time.monotonic() - start
    assert result.returncode == 1, result.stdout
    assert re.search(r"quizzes/bad.yml:\d+: 'prompt': this text", result.stdout), result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert took < 20, took


def test_build_reports_pathological_field_and_lesson_with_a_line(tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n\n::: quiz bad\n\n" + "- " * 1000 + "x\n",
            "content/other.md": "# Other\n\n::: quizz a" + " \t" * 20000 + "\n\n" + "[" * 20000 + "\n",
            "quizzes/bad.yml": quiz_yaml(option="[" * 20000),
        },
    )
    start = time.monotonic()
    result = mkdocs_build(project, timeout=120)
    took = time.monotonic() - start
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out and "RecursionError" not in out, out[-3000:]
    assert re.search(r"quizzes/bad.yml:\d+: 'text': this text has 20,000", out), out[-3000:]
    assert "content/index.md:5: this line nests" in out, out[-3000:]
    assert "content/other.md:3: unknown embed '::: quizz'" in out, out[-3000:]
    assert "content/other.md:5: this paragraph has more than" in out, out[-3000:]
    assert took < 60, took


# every regular expression run over author text, timed on long adversarial lines
def _author_text_patterns():
    import builder.asset_refs as assets
    import builder.course as course_mod
    import builder.embeds as embeds
    import builder.render as render

    mods = (render, course_mod, embeds, assets)
    found = {}
    for mod in mods:
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                found[f"{mod.__name__}.{name}"] = value
    return found


PATTERNS = _author_text_patterns()
TOKENS = [
    "[", "](", "![", "[a](", "*", "**", "_", "`", "<", "<a ", "</", "<b>", "&", " ", "\t", ":::", "- ",
    ".md", "a.m", '"', "'", "\\", "(", ")", "x", "@", "<p>", 'href="', 'src="', "#", "a", "1.", "!!!",
    "=== \"", "<img ", "<!--", "\x01", "\x01" + "1",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_author_text_pattern_is_linear(name):
    pattern = PATTERNS[name]
    worst = 0.0
    for token in TOKENS:
        for tail in ("", "!\n"):
            line = token * (20_000 // len(token)) + tail
            start = time.perf_counter()
            pattern.match(line)
            pattern.search(line)
            for _ in pattern.finditer(line):
                pass
            worst = max(worst, time.perf_counter() - start)
    assert worst < 2, f"{name} took {worst:.2f} s on a long line"  # quadratic: tens of seconds


def test_scanner_and_guard_are_linear_on_long_lines():
    for text in ("::: quizz a" + " \t" * 40_000, ":::" * 40_000, "- " * 40_000, "\t" * 80_000 + "::: quiz a"):
        start = time.perf_counter()
        list(directives(text))
        md_adapter.guard(text)
        md_adapter.page_problems(text)
        assert time.perf_counter() - start < 1


def test_check_render_uses_the_builds_renderer():
    from builder.render import check_render

    assert check_render("**fine** text with [a link](x.md)") is None
    assert "nests" in check_render("- " * 1000 + "x")
    assert "'['" in check_render("[" * 20000)
    assert json.dumps(check_render("ok")) == "null"


def test_serve_shows_pathological_input_as_errors_without_stalling(tmp_path):
    """`mkdocs serve` keeps serving a course with a pathological field and lesson (issue 10 item 9)."""
    import socket
    import subprocess
    import urllib.request

    from tests.helpers import ENV, PYTHON

    project = make_project(
        tmp_path / "p",
        {
            "content/index.md": "# Home\n\n::: quiz bad\n",
            "content/deep.md": "# Deep\n\n" + "- " * 1000 + "x\n\n" + "[" * 20000 + "\n",
            "quizzes/bad.yml": quiz_yaml(prompt="[" * 20000),
        },
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def get(path: str) -> str:
        end = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                    return response.read().decode("utf-8")
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.3)

    try:
        home = get("index.html")
        assert "cannot be shown" in home and "this text has 20,000" in home
        deep = get("deep.html")
        assert "content/deep.md:3: this line nests" in deep and "content/deep.md:5: this paragraph" in deep
        assert proc.poll() is None
        log.seek(0)
        text = log.read()
        assert "Traceback" not in text and "RecursionError" not in text, text[-2000:]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("feature", ["navigation.instant.preview"])
def test_features_that_break_widgets_are_refused(feature, tmp_path):
    project = make_project(
        tmp_path / "p", {"content/index.md": "# Home\n\n::: quiz q\n", "quizzes/q.yml": quiz_yaml()}
    )
    cfg = project / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text().replace(
            "  font: false\n", f"  font: false\n  features:\n    - navigation.instant\n    - {feature}\n"
        )
    )
    line = cfg.read_text().splitlines().index(f"    - {feature}") + 1
    expected = f"mkdocs.yml:{line}: theme feature '{feature}' is not supported by the course widgets"
    result = course("check", cwd=project)
    assert result.returncode == 1 and expected in result.stdout, result.stdout
    build = mkdocs_build(project)
    assert build.returncode != 0 and expected in build.stdout + build.stderr
    # navigation.instant alone is supported
    cfg.write_text(cfg.read_text().replace(f"    - {feature}\n", ""))
    assert course("check", cwd=project).returncode == 0
