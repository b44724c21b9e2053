"""HTML for quizzes and scenarios, from Jinja2 templates.

Author text (prompts, options, feedback, node text) is Markdown.  It is rendered with a small
Python-Markdown instance and then cleaned with nh3 (Ammonia) against ``ALLOWED_TAGS``: whatever
an author pastes, only this HTML reaches the learner.  Links to lessons (``modules/x.md``,
relative to the docs folder) are rewritten relative to the page that embeds the quiz.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
import random
import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .schema import Quiz, Scenario
from .typed_answer import normalise

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "code", "kbd", "pre", "blockquote", "ul", "ol", "li", "a", "abbr", "span", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "img", "h4", "h5", "h6",
}  # fmt: skip
# No id/name (DOM clobbering), class/data-* (our widgets' hooks), style (CSS), target, on*.
ALLOWED_ATTRIBUTES = {
    "*": set(),  # without it, nh3 would allow its defaults `lang` and `title` on every tag
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "span": {"lang"},  # a phrase in another language, for screen readers
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# removed together with their content: code, embedded documents, foreign (SVG/MathML) content
# and form controls; their content is no text a learner should read, and some of them make
# the HTML parser move things around (a second parse must give the same tree)
DROP_WITH_CONTENT = {
    "script", "style", "template", "noscript", "noembed", "noframes", "iframe", "frame", "frameset",
    "object", "applet", "svg", "math", "select", "textarea", "title",
}  # fmt: skip
_PLAIN = re.compile(r"^[^*_`\[\]<>&#!|\\~=+{}\n]*$")
_LIST_START = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s")
# C0 controls (not tab/newline/CR) and DEL: never text, and \x02...\x03 is Python-Markdown's
# placeholder syntax: left in, it would pull other raw HTML of the page in (or recurse forever)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# lesson links (relative .md paths) are rewritten per page; never anything with a scheme,
# a backslash or white space in it, so the rewrite cannot turn a path into `javascript:`
_MD_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"#?:\\\s]+?\.md)(#[^"]*)?"')
# an image must be a file of the course: a relative path, no scheme, no host, no `\`,
# no white space (browsers drop tabs and newlines and read `\` as `/`, which would make
# `/\evil.example/x.png` a request to another host)
_LOCAL_SRC = re.compile(r"^(?![/\\]{2})[\w.~/%+-]+(?:\?[\w.~/%+=&;-]*)?(?:#[\w.~/%+=&;-]*)?$")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    # images may only come from the course itself: nothing is fetched from another host
    if tag == "img" and attr == "src" and not _LOCAL_SRC.match(value):
        return None
    return value


@lru_cache(maxsize=1)
def _md() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["sane_lists", "tables"],
        extension_configs={"tables": {"use_align_attribute": True}},  # `align`, not `style`
        output_format="html",
    )


# Fast path.  Python-Markdown costs about 0.2 ms for even a short string, and a large course has
# tens of thousands of them (every option, feedback and scenario line).  One line whose only
# Markdown is *em*, **strong**, `code` and [text](link) is converted here to exactly what
# Python-Markdown gives (tests/test_bench_smoke.py compares the two); anything else, or anything
# left over that could be Markdown, goes to Python-Markdown.  Both results are sanitized alike.
_FAST_OK = re.compile(r"^[^_<&\\\n\r\t\x01]*$")
_BLOCK_START = re.compile(r"^(?:[-+>#=|~]|\*\s|\*\*\*|\d+[.)]|\s)")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\[\]`*\x01]+)\]\(([^\s()<>\"'`*\[\]\x01]+)\)")
_STRONG = re.compile(r"(?<![\w*])\*\*(?=[^\s*])([^*\x01]+?)(?<=[^\s*])\*\*(?![\w*])")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\x01]+?)(?<=[^\s*])\*(?![\w*])")
_HOLE = re.compile(r"\x01(\d+)\x01")


def fast_markdown(text: str) -> str | None:
    """Python-Markdown's HTML for a one-line paragraph of simple inline Markdown, else None."""
    if not _FAST_OK.match(text) or _BLOCK_START.match(text) or text != text.rstrip() or "![" in text:
        return None
    parts: list[str] = []

    def hole(fragment: str) -> str:
        parts.append(fragment)
        return f"\x01{len(parts) - 1}\x01"

    out = _CODE_SPAN.sub(lambda m: hole(f"<code>{html.escape(m.group(1).strip(), quote=False)}</code>"), text)
    if "`" in out:
        return None
    out = _LINK.sub(lambda m: hole(f'<a href="{m.group(2)}">{html.escape(m.group(1), quote=False)}</a>'), out)
    if "[" in out or "]" in out:
        return None
    out = html.escape(out, quote=False)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    if "*" in out:
        return None
    if parts:
        out = _HOLE.sub(lambda m: parts[int(m.group(1))], out)
    return f"<p>{out}</p>"


def sanitize(fragment: str) -> str:
    """Only ``ALLOWED_TAGS``/``ALLOWED_ATTRIBUTES`` survive; the text of other tags stays as text,
    except in ``DROP_WITH_CONTENT``; comments go; links get rel=noopener."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags=DROP_WITH_CONTENT,
    )


@dataclass
class PageContext:
    """Where the HTML goes: the embedding page (docs-relative) and the URL style."""

    page: str | None = None
    use_directory_urls: bool = False

    def url_of(self, target: str) -> str:
        """URL of docs page ``target`` (docs-relative .md) as seen from ``self.page``."""
        target = posixpath.normpath(target.lstrip("/"))
        stem = target[:-3]
        if self.use_directory_urls:
            url = "" if stem == "index" else (stem[:-6] if stem.endswith("/index") else stem + "/")
        else:
            url = stem + ".html"
        here = self.page_url_dir()
        rel = posixpath.relpath(url or ".", here or ".")
        if self.use_directory_urls and url.endswith("/") and not rel.endswith("/"):
            rel += "/"
        return rel

    def page_url_dir(self) -> str:
        if not self.page:
            return ""
        stem = self.page[:-3] if self.page.endswith(".md") else self.page
        if self.use_directory_urls and posixpath.basename(stem) != "index":
            return stem
        return posixpath.dirname(stem)


def markdown_html(text: str | None, ctx: PageContext, inline: bool = False) -> Markup:
    """Author Markdown -> sanitized HTML (``inline``: without the wrapping paragraph).

    The result is for element content only, never for an attribute value.
    """
    if not text:
        return Markup("")
    text = str(text)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if _PLAIN.match(text) and not _LIST_START.match(text):
        escaped = html.escape(text.strip(), quote=False)
        return Markup(escaped if inline else f"<p>{escaped}</p>")
    out = fast_markdown(text)
    if out is None:
        md = _md()
        md.reset()
        out = sanitize(md.convert(text))
    elif "<a " in out:
        out = sanitize(out)  # links: URL schemes and rel=noopener, as for Python-Markdown's output
    # else: escaped text in <p>, <em>, <strong>, <code> of our own; sanitizing would not change it
    if inline:
        stripped = out.strip()
        if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
            out = stripped[3:-4]
        else:
            out = re.sub(r"</p>\s*<p>", "<br><br>", stripped)
            out = re.sub(r"</?p>", "", out)
    if ".md" in out:
        out = _MD_HREF.sub(lambda m: f'href="{html.escape(ctx.url_of(m.group(1)))}{m.group(2) or ""}"', out)
    return Markup(out)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("builder", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_no_controls,
    )
    return env


def _no_controls(value: object) -> object:
    """Every ``{{ value }}`` loses control characters (plain fields like a speaker or meter label too)."""
    if isinstance(value, str) and _CONTROL.search(value):
        cleaned = _CONTROL.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def encode_key(data: object) -> str:
    """Answer keys travel base64-encoded: not in plain attributes, and no `</script>` risk."""
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return base64.b64encode(raw.encode()).decode("ascii")


def json_for_script(data: object) -> Markup:
    """JSON safe to place inside <script type="application/json">."""
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    raw = raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    raw = raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(raw)


def _display_order(quiz_id: str, qid: str, n: int) -> list[int]:
    """A fixed shuffle (same on every build) that differs from the correct order."""
    order = list(range(n))
    random.Random(f"{quiz_id}/{qid}").shuffle(order)
    if order == list(range(n)) and n > 1:
        order = order[1:] + order[:1]
    return order


def render_quiz(quiz_id: str, quiz: Quiz, version: str, ctx: PageContext, uid: str) -> str:
    md = lambda text, inline=False: markdown_html(text, ctx, inline)  # noqa: E731
    questions = []
    key = []
    for qi, q in enumerate(quiz.questions):
        entry = {"id": q.id, "type": q.type, "uid": f"{uid}-q{qi + 1}", "prompt": md(q.prompt, inline=True),
                 "explanation": md(q.explanation)}  # fmt: skip
        k: dict = {"id": q.id, "type": q.type}
        if q.type in ("single", "multiple"):
            entry["options"] = [
                {"text": md(o.text, inline=True), "feedback": md(o.feedback), "pin": o.pin} for o in q.options
            ]
            k["correct"] = [i for i, o in enumerate(q.options) if o.correct]
        elif q.type == "true_false":
            entry["feedback_true"] = md(q.feedback_true)
            entry["feedback_false"] = md(q.feedback_false)
            k["answer"] = q.answer
        elif q.type == "text":
            k["accept"] = sorted({normalise(a) for a in q.accept} - {""})
            k["show"] = " ".join(q.accept[0].split())  # shown as "An accepted answer" on reveal
        elif q.type == "order":
            order = _display_order(quiz_id, q.id, len(q.items))
            entry["items"] = [md(q.items[i], inline=True) for i in order]
            k["order"] = order  # original position of each displayed item
        questions.append(entry)
        key.append(k)
    pass_mark = int(quiz.pass_mark) if float(quiz.pass_mark).is_integer() else quiz.pass_mark
    return (
        _env()
        .get_template("quiz.html")
        .render(
            id=quiz_id,
            uid=uid,
            quiz=quiz,
            title=md(quiz.title, inline=True),
            description=md(quiz.description),
            pass_mark=pass_mark,
            reveal=quiz.reveal,
            version=version,
            questions=questions,
            key=encode_key({"pass": pass_mark, "questions": key, "reveal": quiz.reveal, "version": version}),
        )
    )


def render_scenario(scenario_id: str, scenario: Scenario, version: str, ctx: PageContext, uid: str) -> str:
    from .scenario_render import scenario_context  # the player's data; kept beside its template

    return (
        _env()
        .get_template("scenario.html")
        .render(**scenario_context(scenario_id, scenario, version, ctx, uid))
    )


def render_error(kind: str, item_id: str, problems: list[str]) -> str:
    """Shown in `mkdocs serve` in place of a broken quiz, so the author sees what to fix."""
    return _env().get_template("error.html").render(kind=kind, id=item_id, problems=problems)
