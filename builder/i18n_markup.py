"""Interface wording in a content page's own HTML, from the catalog (issue 14).

The progress page and the certificate are HTML in content pages (``content/progress.md``,
``content/completion.md``): their buttons, labels and no-JavaScript notices are interface
strings too.  An element marks its text with ``data-i18n="key"`` and its attributes with
``data-i18n-attr="attribute:key; other:key2"``; at build time the text (which must be plain
text, no child elements) and the named attributes are replaced by the catalog's message in the
site's language (``builder.messages``).  The page works without JavaScript, and an English build
shows the English catalog text, which is the text written in the page.
"""

from __future__ import annotations

import re
from html import escape

from .messages import Catalog

# an opening tag with data-i18n / data-i18n-attr, then (for data-i18n) its plain text and closing tag
_TAGGED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*?\bdata-i18n(?:-attr)?=\"[^\"<>]*\"[^<>]*)>")
_ATTR = re.compile(r"\bdata-i18n=\"([^\"]*)\"")
_ATTR_MAP = re.compile(r"\bdata-i18n-attr=\"([^\"]*)\"")


def _set_attr(attrs: str, name: str, value: str) -> str:
    quoted = escape(value, quote=True)
    pattern = re.compile(r"(\s" + re.escape(name) + r")=\"[^\"]*\"")
    if pattern.search(attrs):
        return pattern.sub(lambda m: f'{m.group(1)}="{quoted}"', attrs, count=1)
    return f'{attrs} {name}="{quoted}"'


def translate_markup(html: str, catalog: Catalog) -> str:
    """``html`` with each ``data-i18n`` text and ``data-i18n-attr`` attribute in ``catalog``'s words.

    A key the catalog does not have leaves the page's own text (``course check`` lists catalog
    keys; see builder/messages/en.json)."""
    if "data-i18n" not in html:
        return html
    out: list[str] = []
    pos = 0
    for m in _TAGGED.finditer(html):
        if m.start() < pos:
            continue
        tag, attrs = m.group(1), m.group(2)
        for pair in _ATTR_MAP.search(attrs).group(1).split(";") if _ATTR_MAP.search(attrs) else []:
            name, _, key = (p.strip() for p in pair.partition(":"))
            if name and key in catalog.messages and re.fullmatch(r"[a-zA-Z][\w:-]*", name):
                attrs = _set_attr(attrs, name, catalog.t(key))
        out.append(html[pos : m.start()])
        out.append(f"<{tag}{attrs}>")
        pos = m.end()
        key = _ATTR.search(attrs)
        if key and key.group(1) in catalog.messages:
            close = html.find(f"</{tag}>", pos)
            inner = html[pos:close] if close >= 0 else ""
            if close >= 0 and "<" not in inner:
                out.append(escape(catalog.t(key.group(1)), quote=False))
                pos = close
    out.append(html[pos:])
    return "".join(out)
