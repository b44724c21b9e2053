"""Our Markdown as the HTML an export carries, and that HTML as an element tree.

Text is rendered by ``render.markdown_html`` (the same Markdown and the same nh3 allow-list as
the site), so whatever an author wrote, only safe, escaped HTML leaves the builder.  Links to
lessons (``modules/x.md``) mean nothing inside an LMS: with a ``base_url`` (where the course is
published) they become absolute links to the page; without one the link text stays and the
link is reported.  Relative image paths are handled the same way.

``fragment`` parses that HTML into an ``xml.etree`` element (for XML formats such as QTI, whose
item bodies are XHTML), and ``inner_html`` writes a tree back the same way every time, so a
test can compare what went out with what comes back in.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from ..render import PageContext, markdown_html

VOID = {"br", "hr", "img"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("div")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def fragment(html: str) -> ET.Element:
    """An HTML fragment -> a ``<div>`` element holding it (tags without a namespace)."""
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def inner_html(el: ET.Element) -> str:
    """The content of ``el`` as HTML text, namespaces dropped, attributes sorted, outer
    white space trimmed: one spelling for one tree."""
    out: list[str] = []

    def text(value: str | None) -> str:
        return (value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def walk(node: ET.Element) -> None:
        tag = _local(node.tag)
        attrs = "".join(
            f' {_local(k)}="{text(v).replace(chr(34), "&quot;")}"' for k, v in sorted(node.attrib.items())
        )
        out.append(f"<{tag}{attrs}>")
        if tag not in VOID:
            out.append(text(node.text))
            for child in node:
                walk(child)
                out.append(text(child.tail))
            out.append(f"</{tag}>")

    out.append(text(el.text))
    for child in el:
        walk(child)
        out.append(text(child.tail))
    return "".join(out).strip()


class Html:
    """Markdown -> HTML for one export; ``notes`` collects what could not be carried over."""

    def __init__(self, base_url: str | None = None):
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.notes: list[str] = []

    def tree(self, text: str | None) -> ET.Element:
        root = fragment(str(markdown_html(text or "", PageContext(page=None))))
        for el in root.iter():
            # the course renderer marks every block dir="auto" for its own pages (issue 10 item 7);
            # an export is shown in the LMS's page, and QTI 2.1 has no dir: keep only an author's ltr/rtl
            if el.get("dir") == "auto":
                del el.attrib["dir"]
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "a":
                    href = child.get("href", "")
                    if href and not _SCHEME.match(href) and not href.startswith("#"):
                        if self.base_url:
                            child.set("href", urllib.parse.urljoin(self.base_url, posixpath.normpath(href)))
                        else:
                            self.notes.append(
                                f"the link to '{href}' is a page of the course; kept as plain text (give --base-url to keep links)"
                            )
                            self._unwrap(parent, child)
                    child.attrib.pop("rel", None)
                elif child.tag == "img":
                    src = child.get("src", "")
                    if src and not _SCHEME.match(src):
                        if self.base_url:
                            child.set("src", urllib.parse.urljoin(self.base_url, src))
                        else:
                            self.notes.append(
                                f"the image '{src}' is not in the export; its path stays relative (give --base-url to link to it)"
                            )
        return root

    @staticmethod
    def _unwrap(parent: ET.Element, child: ET.Element) -> None:
        """Put ``child``'s text and children in its place."""
        pos = list(parent).index(child)
        kids = list(child)

        def before(value: str) -> None:
            if pos == 0:
                parent.text = (parent.text or "") + value
            else:
                parent[pos - 1].tail = (parent[pos - 1].tail or "") + value

        before(child.text or "")
        parent.remove(child)
        for k, kid in enumerate(kids):
            parent.insert(pos + k, kid)
        if kids:
            kids[-1].tail = (kids[-1].tail or "") + (child.tail or "")
        else:
            before(child.tail or "")

    def html(self, text: str | None) -> str:
        """Markdown -> HTML text (empty for no text)."""
        return inner_html(self.tree(text)) if text else ""


def canonical(quiz, html: Html) -> list[dict]:
    """A quiz's questions as the exports carry them (text as HTML), to compare with what an
    LMS format reads back: ``[{id, type, prompt, explanation, ...}]``."""
    out = []
    for q in quiz.questions:
        item = {
            "id": q.id,
            "type": q.type,
            "prompt": html.html(q.prompt),
            "explanation": html.html(q.explanation),
        }
        if q.type in ("single", "multiple"):
            item["options"] = [
                {"text": html.html(o.text), "correct": o.correct, "feedback": html.html(o.feedback)}
                for o in q.options
            ]
        elif q.type == "true_false":
            item.update(
                answer=q.answer,
                feedback_true=html.html(q.feedback_true),
                feedback_false=html.html(q.feedback_false),
            )
        elif q.type == "text":
            item["accept"] = list(q.accept)
        elif q.type == "order":
            item["items"] = [html.html(i) for i in q.items]
        out.append(item)
    return out
