"""Untrusted XML (question banks from an LMS) parsed safely, with each element's line.

``defusedxml`` refuses entity declarations (billion laughs, quadratic blow-up) and external
entities or DTDs (XXE); its parser is the pure-Python ``XMLParser``, so our tree builder can ask
expat for the line of each start tag.  Tags lose their namespace (``{ns}item`` -> ``item``):
QTI 2.0, 2.1 and 2.2 and Moodle XML are read by local names.  Comments are kept as
``ET.Comment`` nodes (our exports keep the quiz's settings in one).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..problems import Problems
from .common import SourceError


class Element(ET.Element):
    """An element that knows its source ``line`` (1-based)."""

    line = 1


class _Builder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__(element_factory=Element, insert_comments=True)
        self.expat = None

    def start(self, tag, attrs):
        el = super().start(tag.rsplit("}", 1)[-1], {k.rsplit("}", 1)[-1]: v for k, v in attrs.items()})
        el.line = self.expat.CurrentLineNumber if self.expat is not None else 1
        return el


def parse(data: bytes | str, display: str) -> Element:
    """The root element of ``data``; ``SourceError`` (``display:line: message``) when it is not
    well-formed or declares entities or external references."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    problems = Problems(display)
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        message = str(exc).split(": line")[0]
        problems.add(line, f"not well-formed XML: {message}")
    except DefusedXmlException as exc:
        line = builder.expat.CurrentLineNumber if builder.expat is not None else 1
        problems.add(
            line,
            f"the file declares XML entities or external references ({type(exc).__name__}), "
            "which are not read, for safety; remove the DOCTYPE's declarations",
        )
    raise SourceError(problems)


def text_of(el: ET.Element | None, path: str = "") -> str:
    """The text of ``el`` (or of its child at ``path``), ``""`` when absent."""
    if el is None:
        return ""
    target = el.find(path) if path else el
    return (target.text or "") if target is not None else ""


def comments(el: ET.Element) -> list[ET.Element]:
    """The comment nodes directly inside ``el``."""
    return [c for c in el if c.tag is ET.Comment]
