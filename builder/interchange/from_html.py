"""HTML from an LMS question bank back into our Markdown (Moodle XML and QTI imports, issue 16).

``markdownify`` does the conversion (maintained, BeautifulSoup's ``html.parser``, so nothing is
fetched or executed); our subclass escapes text so that it renders as the same text under our
Markdown: ``*`` and word-edge ``_`` with a backslash, and ``<tag`` / ``&name;`` written as
``&lt;`` / ``&amp;`` (our renderer would otherwise take them for HTML, which the allow-list
strips).  HTML made by our own exports comes back as the Markdown it was made from for the usual
constructs (paragraphs, emphasis, strong, code, links, lists, line breaks); another spelling of
the same thing (``_em_``, ``+ item``, indented code) comes back in one spelling, which renders
the same (a documented loss).
"""

from __future__ import annotations

import re

from markdownify import ATX, SPACES, MarkdownConverter

_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
# an underscore can open or close emphasis only at the edge of a word: a_b and ____ stay as typed
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9_])_(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])_(?![A-Za-z0-9_])")
_HTML = re.compile(r"</?[A-Za-z][^>]*>|&#?[A-Za-z0-9]+;")


class _Converter(MarkdownConverter):
    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        if "_noformat" in parent_tags:
            return text
        text = _UNDERSCORE.sub(r"\\_", text)
        text = _ENTITY.sub("&amp;", text)
        return _TAG.sub("&lt;", text)


_CONVERTER = _Converter(
    heading_style=ATX,
    bullets="-",
    strong_em_symbol="*",
    escape_asterisks=True,
    escape_underscores=False,
    escape_misc=False,
    newline_style=SPACES,
    code_language="",
)


def to_markdown(html: str) -> str:
    """An HTML fragment -> Markdown text, outer white space trimmed (``""`` for none)."""
    if not html or not html.strip():
        return ""
    return _CONVERTER.convert(html).strip("\n").strip()


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds a tag or a character reference (Moodle's auto format)."""
    return bool(_HTML.search(text or ""))
