"""The launch page every package opens first (SCORM ``scorm.html``, cmi5 ``cmi5.html``).

One shell for both: the course in a full-window frame (``iframe.cq-launcher__frame``, styled by
progress.css), a fallback link for browsers without scripts, and the page's words in the course's
language (the manifest's interface strings, issue 14). Each package adds its own head, body parts
and scripts; see builder/package/scorm.py and builder/package/cmi5.py.
"""

from __future__ import annotations

import html


def launch_words(manifest: dict):
    """``t(key)``: a launch page's words, HTML-escaped, from the manifest's interface strings in the
    course's language (issue 14); ``_lang``/``_dir`` give the page's ``lang`` and ``dir``."""
    from ..messages import Catalog, format_message

    messages = manifest.get("messages") or Catalog().messages
    lang = str(manifest.get("language") or "en")

    def t(key: str) -> str:
        if key == "_lang":
            return html.escape(lang)
        if key == "_dir":
            return "rtl" if manifest.get("dir") == "rtl" else "ltr"
        return html.escape(format_message(messages.get(key, Catalog().messages.get(key, key)), {}, lang))

    return t


def launch_shell(
    manifest: dict,
    title: str,
    *,
    head: str = "",
    body_attrs: str = "",
    body: str = "",
    home: str = "index.html",
    scripts=(),
) -> str:
    """The launch page's HTML. ``title`` and ``home`` are already escaped; ``head`` and ``body``
    are extra markup (after the style sheet, after the frame); ``body_attrs`` extra attributes of
    ``<body>`` (with a leading space); ``scripts``: the ``src`` of each script, in order."""
    t = launch_words(manifest)
    tags = "".join(f'<script src="{src}"></script>\n' for src in scripts)
    return f"""<!doctype html>
<html lang="{t("_lang")}" dir="{t("_dir")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="assets/course/progress.css">
{head}</head>
<body class="cq-launcher"{body_attrs}>
<iframe class="cq-launcher__frame" title="{title}" name="course"></iframe>
{body}<noscript><p><a href="{home}">{t("launch.open")}</a></p></noscript>
{tags}</body>
</html>
"""
