"""Cache busting for our own assets (issue 11 item 12).

Every reference a built page makes to a file under ``assets/course/`` or ``assets/vendor/`` gets
``?v=`` and the first 10 hex digits of the SHA-256 of the file as shipped:
``<script src="assets/course/manifest.js?v=3f2a1b9c0d">``. A republished site therefore never
pairs new pages with a cached old manifest or script: a changed file has a new address, and an
unchanged one keeps its address and stays cached. The files keep their names (the SCORM package,
the tests and links from outside rely on them); builds stay byte-identical. Material's own bundle
and style sheets already carry a hash in their names.
"""

from __future__ import annotations

import hashlib
import os
import re

VERSIONED = ("assets/course/", "assets/vendor/")
# an existing ``?v=<hex>`` is matched too and replaced, so running this again after the site's files
# change (``course package`` rewrites manifest.js, adds scripts) leaves no stale version behind
REF_RE = re.compile(
    r"""(\b(?:src|href)=")([^"?#]*?)((?:assets/course|assets/vendor)/[^"?#]+\.(?:js|css))(?:\?v=[0-9a-f]*)?(")"""
)


def file_version(path: str) -> str:
    """First 10 hex digits of the SHA-256 of the file's bytes."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:10]


_NEEDLES = ("assets/course/", "assets/vendor/")


def substitute(text: str, swap) -> str:
    """``REF_RE.sub(swap, text)``, found faster (issue 17: the regular expression has no literal
    prefix, so ``sub`` tried it at every character of every page, about a sixth of our build overhead).

    Every match is one attribute, ``src="..."`` or ``href="..."`` with no quote inside its value, whose
    value holds ``assets/course/`` or ``assets/vendor/``: so each match starts right before the last
    quote ahead of such a folder name, and only those places are tried."""
    starts = set()
    for needle in _NEEDLES:
        q = text.find(needle)
        while q != -1:
            j = text.rfind('"', 0, q)
            if j < 4:
                pass
            elif text.endswith("href=", 0, j):
                starts.add(j - 5)
            elif text.endswith("src=", 0, j):
                starts.add(j - 4)
            q = text.find(needle, q + len(needle))
    if not starts:
        return text
    out, last = [], 0
    for start in sorted(starts):
        if start < last:
            continue
        m = REF_RE.match(text, start)
        if m is None:
            continue
        out.append(text[last:start])
        out.append(swap(m))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def version_references(site_dir: str) -> int:
    """Add ``?v=<hash>`` to every page's reference to our assets, or bring an existing one up to
    date; return how many pages changed.  Idempotent; the package commands run it again after
    their edits (builder/package/)."""
    versions: dict[str, str | None] = {}

    def version(path: str) -> str | None:
        if path not in versions:
            versions[path] = file_version(path) if os.path.isfile(path) else None
        return versions[path]

    def swapper(folder: str):
        def swap(match: re.Match) -> str:
            # the file the page loads: a language version (es/...) has its own manifest (issue 14)
            prefix, rel = match.group(2), match.group(3)
            here = os.path.normpath(os.path.join(folder, *(prefix + rel).split("/")))
            v = version(here) if "://" not in prefix and not prefix.startswith("/") else None
            if v is None:
                v = version(os.path.join(site_dir, *rel.split("/")))
            return match.group(0) if v is None else f"{match.group(1)}{prefix}{rel}?v={v}{match.group(4)}"

        return swap

    changed = 0
    for folder, _dirs, files in os.walk(site_dir):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if "assets/" not in text:
                continue
            new = substitute(text, swapper(folder))
            if new != text:
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(new)
                changed += 1
    return changed
