"""No CDN, ever (issue 11 item 8): settings that make the theme load from another host.

The course must load nothing from any other host. Material loads some features at run time from
public CDNs or APIs; each such setting in mkdocs.yml is refused at its line with what to do
instead. A feature served from a copy inside the project (a vendored script) is fine:

- ``extra_javascript`` / ``extra_css`` / ``theme.logo`` / ``theme.favicon`` given as an address on
  another host (``https://…``, ``//…``): MathJax and KaTeX recipes, web fonts, widgets;
- Material's Mermaid recipe (a ``pymdownx.superfences`` custom fence named or classed
  ``mermaid``): the theme fetches mermaid.min.js from unpkg.com, unless ``extra_javascript`` lists a
  copy of Mermaid inside the project;
- ``theme.font`` naming a font: Google Fonts (our plugin turns fonts off; asking for one is a mistake);
- ``extra.analytics``: Google Analytics' script;
- ``repo_url`` on GitHub or GitLab: the theme asks their API for stars and forks on every visit;
- ``pymdownx.emoji`` without Material's inline-SVG generator: emoji images from a CDN.

Pages that write ``<pre class="mermaid">`` by hand are caught at run time instead: storage.js
gives the theme an inert ``mermaid`` so it shows the diagram's text and fetches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

REMOTE_RE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
Add = Callable[[yaml.Node, str], None]


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _get(node: yaml.Node | None, name: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if _scalar(key) == name:
                return value
    return None


def _key(node: yaml.Node | None, name: str) -> yaml.Node | None:
    """The key node of ``name`` (its line is where the setting starts)."""
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if _scalar(key) == name:
                return key
    return None


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _asset_path(item: yaml.Node) -> yaml.Node | None:
    """An extra_javascript/extra_css entry: a path, or a mapping with ``path:``."""
    return item if isinstance(item, yaml.ScalarNode) else _get(item, "path")


def _extensions(root: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node | None]]:
    found: dict[str, tuple[yaml.Node, yaml.Node | None]] = {}
    for item in _items(_get(root, "markdown_extensions")):
        if isinstance(item, yaml.ScalarNode):
            found[item.value] = (item, None)
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if _scalar(key):
                    found[key.value] = (key, value)
    return found


def remote_setting_problems(root: yaml.Node, add: Add) -> None:
    """Call ``add(node, message)`` for each setting that loads something from another host."""
    local_scripts: list[str] = []
    for setting in ("extra_javascript", "extra_css"):
        for item in _items(_get(root, setting)):
            node = _asset_path(item)
            path = _scalar(node) or ""
            if REMOTE_RE.match(path):
                add(
                    node,
                    f"{setting} entry '{path}' is loaded from another host, but the course loads "
                    "nothing from other hosts; download the file into the content folder and list "
                    "its path instead",
                )
            elif setting == "extra_javascript":
                local_scripts.append(path.lower())

    theme = _get(root, "theme")
    for name in ("logo", "favicon"):
        node = _get(theme, name)
        if REMOTE_RE.match(_scalar(node) or ""):
            add(node, f"theme.{name} '{node.value}' is on another host; put the image in the content folder")
    font = _get(theme, "font")
    if isinstance(font, yaml.MappingNode) and font.value:
        add(
            _key(theme, "font"),
            "theme.font loads web fonts from Google Fonts, another host; remove it or write "
            "'font: false' (the course uses the reader's system fonts)",
        )

    extra = _get(root, "extra")
    analytics = _get(extra, "analytics")
    if analytics is not None and _scalar(analytics) not in ("", "null", "false"):
        add(_key(extra, "analytics"), "extra.analytics loads Google Analytics from another host; remove it")

    repo = _get(root, "repo_url")
    if re.search(r"//(?:www\.)?(?:github\.com|gitlab\.com)/", _scalar(repo) or ""):
        add(
            repo,
            f"repo_url '{repo.value}' makes the theme fetch the repository's stars and forks from "
            "the GitHub or GitLab API on every visit; remove repo_url",
        )

    extensions = _extensions(root)
    fences = _get(extensions.get("pymdownx.superfences", (None, None))[1], "custom_fences")
    vendored = any("mermaid" in s.rsplit("/", 1)[-1] for s in local_scripts)
    for fence in _items(fences):
        if "mermaid" in ((_scalar(_get(fence, "name")) or "") + " " + (_scalar(_get(fence, "class")) or "")):
            if not vendored:
                add(
                    fence,
                    "the mermaid fence makes the theme load Mermaid from unpkg.com, another host, on "
                    "every page with a diagram; put a copy of mermaid.min.js in the content folder and "
                    "list it under extra_javascript, or draw the diagram as an SVG image",
                )
    emoji = extensions.get("pymdownx.emoji")
    if emoji is not None:
        generator = _get(emoji[1], "emoji_generator")
        tag = generator.tag if generator is not None else ""
        if not re.search(r"material\.extensions\.emoji\.to_svg|to_alt$", tag or ""):
            add(
                emoji[0],
                "pymdownx.emoji shows emoji as images from a CDN, another host; set "
                "'emoji_generator: !!python/name:material.extensions.emoji.to_svg' and "
                "'emoji_index: !!python/name:material.extensions.emoji.twemoji' (inline SVG)",
            )
