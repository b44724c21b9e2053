"""Settings from mkdocs.yml reach the theme's HTML escaped (issue 11 item 7).

MkDocs renders the theme without autoescaping, and Material writes ``site_name``,
``site_description``, ``site_author``, ``repo_name``, palette toggle names and a few ``extra``
values into the page as they are (``<title>``, ``<meta content="…">``, ``aria-label="…"``).
A quote in ``site_name`` ended our header's ``aria-label``; a ``<`` would start a tag.

:func:`escape_settings` replaces each such string by ``markupsafe.Markup(escape(value))`` for the
time the pages are rendered: written raw it is correct HTML, and Jinja's ``| e`` leaves it as it
is, so nothing is escaped twice. ``copyright`` is HTML by Material's design (links): it is
sanitised with nh3 to a few inline tags instead. The returned function puts the plain values back
before anything else (the course manifest, the SCORM package) reads them.
Nav titles and URLs are checked instead (builder/settings.py): a page title goes through
``| striptags``, which would undo an escape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import nh3
from markupsafe import Markup, escape

SITE_KEYS = ("site_name", "site_description", "site_author", "repo_name")
EXTRA_KEYS = ("status", "social", "alternate", "consent")  # extra.* values Material writes into HTML
COPYRIGHT_TAGS = {"a", "b", "strong", "em", "i", "br", "span", "small", "abbr"}


def _escaped(value: Any) -> Any:
    """Strings escaped once (already-escaped Markup stays), inside lists and mappings too."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup(escape(value))
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def sanitised_copyright(text: str) -> Markup:
    """``copyright`` with only harmless inline HTML left (links keep http, https and mailto)."""
    clean = nh3.clean(
        text,
        tags=COPYRIGHT_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def escape_settings(config: Any) -> Callable[[], None]:
    """Escape the theme-bound strings of a loaded MkDocs ``config`` in place; return the undo."""
    saved: list[tuple[Any, Any, Any]] = []

    def put(holder: Any, key: Any, value: Any) -> None:
        saved.append((holder, key, holder[key]))
        holder[key] = value

    for key in SITE_KEYS:
        if isinstance(config.get(key), str):
            put(config, key, _escaped(config[key]))
    if isinstance(config.get("copyright"), str) and not isinstance(config["copyright"], Markup):
        put(config, "copyright", sanitised_copyright(config["copyright"]))
    extra = config.get("extra")
    if isinstance(extra, dict):
        for key in EXTRA_KEYS:
            if key in extra:
                put(extra, key, _escaped(extra[key]))
    theme = config.get("theme")
    palette = theme.get("palette") if theme is not None else None
    for option in palette if isinstance(palette, list) else [palette] if isinstance(palette, dict) else []:
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if isinstance(toggle, dict) and isinstance(toggle.get("name"), str):
            put(toggle, "name", _escaped(toggle["name"]))

    def restore() -> None:
        for holder, key, value in reversed(saved):
            holder[key] = value
        saved.clear()

    return restore
