"""Minifying our own CSS and JS as shipped (issue 17 item 3), with rjsmin and rcssmin (well-kept
pure-Python minifiers; they drop comments and white space and never rename or reorder code).

``minify_text(text, js)`` -> the minified text; ``minify_asset(path)`` rewrites one file in place
(the course manifest is generated compact and left alone; a missing file is skipped).
"""

from __future__ import annotations

import os

COURSE_ASSETS = (
    "assets/course/theme.css",
    "assets/course/course.css",
    "assets/course/scenario.css",
    "assets/course/progress.css",
    "assets/course/storage.js",
    "assets/course/course.js",
    "assets/course/typed-answer.js",
    "assets/course/quiz.js",
    "assets/course/scenario.js",
    "assets/course/progress.js",
    "assets/course/progress-page.js",
    "assets/course/xapi.js",
)


def minify_text(text: str, js: bool) -> str:
    """``text`` minified as JavaScript (``js``) or CSS; a ``/*! ... */`` licence comment is kept."""
    if js:
        import rjsmin

        return rjsmin.jsmin(text, keep_bang_comments=True) + "\n"
    import rcssmin

    return rcssmin.cssmin(text, keep_bang_comments=True) + "\n"


def minify_asset(path: str) -> None:
    if path.endswith("manifest.js") or not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    small = minify_text(text, js=path.endswith(".js"))
    if small != text:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(small)


def minify_site(site_dir: str) -> None:
    """Minify every course asset of a built site in place."""
    for asset in COURSE_ASSETS:
        minify_asset(os.path.join(site_dir, *asset.split("/")))
