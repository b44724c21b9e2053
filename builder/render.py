"""HTML for quizzes and scenarios, from Jinja2 templates.

Author text (prompts, options, feedback, node text) is Markdown.  It renders like lesson
Markdown (issue 10 item 2): through the safe part of the site's ``markdown_extensions``
(``builder.md_adapter``, the one module that knows Python-Markdown), then cleaned with nh3
(Ammonia) against ``ALLOWED_TAGS``: whatever an author pastes, only this HTML reaches the
learner.  A ``<`` that does not open an allowed tag, an autolink or a comment is text, so
``x<y & z>w`` and ``<h3> & <h4>`` show as written.

Paths (issue 10 item 6): links to lessons (``modules/x.md``), images and file links in course
files are relative to the docs folder (``content/``), like page links, and are rewritten
relative to each page that embeds the quiz or scenario.  Every block of author text gets
``dir="auto"`` (item 7), and author HTML may carry ``dir``.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
import random
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nh3
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import md_adapter
from .messages import Catalog
from .schema import Quiz
from .typed_answer import normalise

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "code", "kbd", "pre", "blockquote", "ul", "ol", "li", "a", "abbr", "span", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "img", "h4", "h5", "h6",
    "div", "details", "summary", "dl", "dt", "dd", "bdi", "bdo",
}  # fmt: skip
# block elements of author text: each gets dir="auto" (its direction from its own first letter)
BLOCK_TAGS = ("p", "li", "ul", "ol", "blockquote", "pre", "table", "th", "td", "h4", "h5", "h6",
              "div", "details", "summary", "dl", "dt", "dd")  # fmt: skip
# admonitions, collapsible blocks and highlighted code keep the classes the theme styles
ADMONITION_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success",
    "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail",
    "missing", "danger", "error", "bug", "example", "quote", "cite", "inline", "end",
}  # fmt: skip
ALLOWED_CLASSES = {
    "div": ADMONITION_TYPES | {"admonition", "highlight"},
    "p": {"admonition-title"},
    "details": ADMONITION_TYPES,
    "span": {"k", "kc", "kd", "kn", "kp", "kr", "kt", "n", "na", "nb", "nc", "nd", "ne", "nf", "nn",
             "nt", "nv", "o", "ow", "p", "c", "c1", "cm", "cp", "cs", "ch", "s", "s1", "s2", "sb",
             "sc", "sd", "se", "sh", "si", "sx", "sr", "ss", "m", "mf", "mh", "mi", "mo", "il",
             "err", "gd", "gi", "gh", "gu", "w", "bp", "vc", "vg", "vi", "fm", "nl", "nx", "l", "ld"},
}  # fmt: skip
# No id/name (DOM clobbering), class/data-* (our widgets' hooks), style (CSS), target, on*.
ALLOWED_ATTRIBUTES = {
    "*": {"dir"},  # ltr, rtl or auto only (see _attribute_filter); without "*", nh3 allows lang/title
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "span": {"lang"},  # a phrase in another language, for screen readers
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "details": {"open"},
    "bdo": {"dir"},
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
    if attr == "dir":
        value = value.strip().lower()
        return value if value in ("ltr", "rtl", "auto") else None
    if attr == "open":
        return ""
    return value


def _md():
    """The Python-Markdown instance course files are rendered with (tests compare the fast path)."""
    return md_adapter.instance()


# `<` that stays markup: an allowed tag (opening or closing), a comment, an autolink; any other
# `<` is text.  Each alternative is a fixed word or one class scanned up to the next `<`/`>`, so
# the pattern is linear over a line of any length.
_TAG_NAMES = "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True))
_MARKUP_LT = re.compile(
    rf"<(?:/?(?:{_TAG_NAMES})(?![\w-])|!--|[A-Za-z][A-Za-z0-9+.-]{{1,31}}:[^\s<>]*>|[^\s<>@]+@[^\s<>@]+>)",
    re.IGNORECASE,
)
_LT = "\ue000"  # stands for a text `<` while Markdown and the sanitizer run


_VOID = {"br", "hr", "img"}
_CLOSE = re.compile(rf"</({_TAG_NAMES})(?![\w-])", re.IGNORECASE)
_OPEN = re.compile(rf"<({_TAG_NAMES})(?![\w-])", re.IGNORECASE)


def _text_lt(text: str) -> str:
    """``text`` with each ``<`` that is not markup replaced by ``_LT``.

    Markup: an allowed tag that is void (``<br>``, ``<img ...>``) or closed later (``<b>..</b>``),
    a closing tag opened earlier, a comment, an autolink.  So ``<h3> & <h4>`` and "what does
    <p> do?" are text, ``<span dir="rtl">..</span>`` is HTML.  Linear: one pass per pattern.
    """
    if "<" not in text:
        return text
    last_close: dict[str, int] = {}
    for m in _CLOSE.finditer(text):
        last_close[m.group(1).lower()] = m.start()
    first_open: dict[str, int] = {}
    for m in _OPEN.finditer(text):
        first_open.setdefault(m.group(1).lower(), m.start())
    out, last = [], 0
    pos = text.find("<")
    while pos >= 0:
        m = _MARKUP_LT.match(text, pos)
        markup = m is not None
        if m and text[pos + 1 : pos + 2] not in ("!",) and not m.group(0).endswith(">"):
            closing = text[pos + 1] == "/"
            name = m.group(0)[2 if closing else 1 :].lower()
            if closing:
                markup = first_open.get(name, len(text)) < pos
            elif name not in _VOID:
                markup = last_close.get(name, -1) > pos
        if not markup:
            out.append(text[last:pos])
            out.append(_LT)
            last = pos + 1
        pos = text.find("<", pos + 1)
    out.append(text[last:])
    return "".join(out)


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
    """Only ``ALLOWED_TAGS``/``ALLOWED_ATTRIBUTES`` (and ``ALLOWED_CLASSES``) survive; the text of
    other tags stays as text, except in ``DROP_WITH_CONTENT``; comments go; links get rel=noopener."""
    out = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags=DROP_WITH_CONTENT,
        allowed_classes=ALLOWED_CLASSES,
    )
    return out.replace(' class=""', "") if ' class=""' in out else out


@dataclass
class PageContext:
    """Where the HTML goes: the embedding page (docs-relative source path, e.g. ``a/b.md``), the
    URL style, and the docs folder (to tell an old page-relative image path, see ``asset_url``)."""

    page: str | None = None
    use_directory_urls: bool = False
    docs_dir: Path | None = None
    catalog: Catalog | None = None  # interface strings (issue 14); None: English

    def t(self, key: str, **params: object) -> str:
        """Interface string ``key`` of the page's language (``builder.messages``)."""
        if self.catalog is None:
            self.catalog = Catalog()
        return self.catalog.t(key, **params)

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

    def asset_url(self, target: str) -> str:
        """URL of a file of the docs folder (image, download) as seen from ``self.page``.

        ``target`` is relative to the docs folder (or starts with ``/``, the docs folder too).
        Before issue 10 an image path was relative to the embedding page; such a path still
        works when the file is found there and not under the docs folder (``course check``
        warns and names the new form)."""
        path = urllib.parse.unquote(target)
        if not target.startswith("/") and self.docs_dir is not None and self.page:
            here = posixpath.dirname(self.page)
            if here and not (self.docs_dir / path).exists() and (self.docs_dir / here / path).exists():
                path = posixpath.join(here, path)
                target = urllib.parse.quote(path, safe="/")
        clean = posixpath.normpath(target.lstrip("/"))
        if clean.startswith("../") or clean == "..":
            return target  # outside the docs folder: left as written (course check reports it)
        rel = posixpath.relpath(clean, self.page_url_dir() or ".")
        return rel

    def page_url_dir(self) -> str:
        if not self.page:
            return ""
        stem = self.page[:-3] if self.page.endswith(".md") else self.page
        if self.use_directory_urls and posixpath.basename(stem) != "index":
            return stem
        return posixpath.dirname(stem)


# relative href/src of sanitized output (the sanitizer leaves only http(s)/mailto schemes)
_URL_ATTR = re.compile(r'(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_BLOCK_OPEN = re.compile(r"<(" + "|".join(BLOCK_TAGS) + r")(?=[ >])([^>]*)>")


def _rewrite_urls(out: str, ctx: PageContext) -> str:
    def one(m: re.Match) -> str:
        attr, value = m.group(1), m.group(2)
        raw = html.unescape(value)
        if not raw or raw.startswith(("#", "//")) or _SCHEME.match(raw) or "\\" in raw:
            return m.group(0)
        path, sep, rest = raw.partition("#")
        path, qsep, query = path.partition("?")
        suffix = (qsep + query if qsep else "") + (sep + rest if sep else "")
        if attr == "href" and path.endswith(".md"):
            if not _MD_HREF.match(f'href="{value}"'):
                return m.group(0)
            new = ctx.url_of(path)
        else:
            new = ctx.asset_url(path)
        return f'{attr}="{html.escape(new + suffix)}"'

    return _URL_ATTR.sub(one, out)


_ONLY_PARAGRAPHS = re.compile(
    r"^<p>(?:(?!<p[ >]|</p>|<(?:"
    + "|".join(BLOCK_TAGS[1:])
    + r")[ >]).)*</p>(?:\s*<p>(?:(?!<p[ >]|</p>|<(?:"
    + "|".join(BLOCK_TAGS[1:])
    + r")[ >]).)*</p>)*$",
    re.DOTALL,
)


def _dir_auto(out: str) -> str:
    """``dir="auto"`` on every block element that has no ``dir`` of its author."""

    def one(m: re.Match) -> str:
        attrs = m.group(2)
        if " dir=" in attrs:
            return m.group(0)
        return f'<{m.group(1)} dir="auto"{attrs}>'

    return _BLOCK_OPEN.sub(one, out)


def markdown_html(text: str | None, ctx: PageContext, inline: bool = False) -> Markup:
    """Author Markdown -> sanitized HTML (``inline``: without the wrapping paragraph).

    The result is for element content only, never for an attribute value.  Pathological input
    (see ``md_adapter.guard``) is shown as plain text; ``course check`` reports it at its line.
    """
    if not text:
        return Markup("")
    text = str(text)
    key = (text, inline, md_adapter.generation)
    known = _HTML_MEMO.get(key)
    if known is None:
        known = _HTML_MEMO[key] = _page_independent_html(text, inline)
        if len(_HTML_MEMO) > _HTML_MEMO_SIZE:  # a bound on memory: start again
            _HTML_MEMO.clear()
    out, needs_rewrite = known
    if needs_rewrite:
        out = _rewrite_urls(out, ctx)
        if "<" in out:
            out = _dir_auto(out)
    return Markup(out)


# Rendered author text by (text, inline, renderer settings), before the page's link rewriting (issue
# 17): the same option and feedback lines come back in many quizzes, and in every language version
# that has no translation of a file.  Bounded; cleared when full.
_HTML_MEMO: dict[tuple[str, bool, int], tuple[str, bool]] = {}
_HTML_MEMO_SIZE = 4096


def _page_independent_html(text: str, inline: bool) -> tuple[str, bool]:
    """markdown_html's work that does not depend on the page: (HTML, whether it still needs the
    page's link rewriting and then ``dir="auto"``).  Without links, ``dir="auto"`` is done here."""
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if _LT in text:
        text = text.replace(_LT, "")
    if _PLAIN.match(text) and not _LIST_START.match(text):
        escaped = html.escape(text.strip(), quote=False)
        return (escaped if inline else f'<p dir="auto">{escaped}</p>'), False
    out = fast_markdown(text)
    if out is None:
        try:
            raw = md_adapter.convert(_text_lt(text))
        except (ValueError, md_adapter.RenderTimeout):
            raw = f"<p>{html.escape(text, quote=False)}</p>"
        out = sanitize(raw)
        if _LT in out:
            out = out.replace(_LT, "&lt;")
    elif "<a " in out:
        out = sanitize(out)  # links: URL schemes and rel=noopener, as for Python-Markdown's output
    # else: escaped text in <p>, <em>, <strong>, <code> of our own; sanitizing would not change it
    if inline:
        stripped = out.strip()
        if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p") == 1:
            out = stripped[3:-4]
        elif _ONLY_PARAGRAPHS.match(stripped):  # paragraphs only: line breaks keep them apart
            out = re.sub(r"</p>\s*<p>", "<br><br>", stripped)[3:-4]
        # else: lists, code, tables, admonitions stay blocks
    if 'href="' in out or 'src="' in out:
        return out, True
    if "<" in out:
        out = _dir_auto(out)
    return out, False


def check_render(text: str, seconds: float = md_adapter.BUDGET_SECONDS) -> str | None:
    """What ``course check`` finds rendering one field with the build's renderer: a message for
    the author when the text is pathological or slower than ``seconds``, else None."""
    if not isinstance(text, str) or not text:
        return None
    problem = md_adapter.guard(text)
    if problem:
        return problem
    if _PLAIN.match(text) and not _LIST_START.match(text) or fast_markdown(text) is not None:
        return None
    try:
        md_adapter.convert(_text_lt(_CONTROL.sub("", text).replace(_LT, "")), seconds=seconds)
    except md_adapter.RenderTimeout:
        return f"this text takes more than {seconds:g} s to render; simplify its Markdown"
    except (ValueError, RecursionError) as exc:
        return str(exc) or "this text cannot be rendered"
    return None


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
        if q.group is not None:
            k["group"] = q.group
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
    # issue 13: pool, attempt limit, exam mode and time limit (seconds) travel in the key
    drawn = (
        quiz.draw if isinstance(quiz.draw, int) else sum(quiz.draw.values()) if quiz.draw else len(questions)
    )
    time_limit = round(quiz.time_limit * 60) if quiz.time_limit else None
    extra = {"draw": quiz.draw, "attempts": quiz.attempts, "mode": quiz.mode, "time": time_limit}
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
            t=ctx.t,
            questions=questions,
            drawn=min(drawn, len(questions)),
            time_limit=time_limit,
            key=encode_key(
                {"pass": pass_mark, "questions": key, "reveal": quiz.reveal, "version": version}
                | {k: v for k, v in extra.items() if v not in (None, "practice")}
            ),
        )
    )


def render_error(
    kind: str, item_id: str, problems: list, file: str | None = None, catalog: Catalog | None = None
) -> str:
    """Shown in `mkdocs serve` in place of a broken quiz, so the author sees what to fix.

    ``problems``: lines as text, or ``{"text": ..., "follows": bool}`` (a problem that follows from
    the one above it); ``file``: the file at fault (the quiz file, or the lesson for a bad embed);
    ``catalog``: the course's interface words (``theme.language``, ``error.*`` keys); None: English.
    """
    from markupsafe import Markup, escape

    cat = catalog or Catalog()
    where = Markup("<code>%s</code>") % file if file else escape(cat.t("error.course_file"))
    return (
        _env()
        .get_template("error.html")
        .render(kind=kind, id=item_id, problems=problems, file=file, cat=cat, where=where)
    )
