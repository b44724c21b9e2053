"""The Content-Security-Policy for a built site, with its script hashes (issue 11 item 12).

``course csp`` prints it, so admins never copy hashes by hand: the policy allows scripts from the
site itself plus the SHA-256 hash of each inline ``<script>`` the theme writes (CSP Level 2,
"hash-source"), which keeps 'unsafe-inline' and 'unsafe-eval' off. This is the policy the test
suite serves the course under (tests/test_csp.py).
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

RUNNING_TYPES = ("", "text/javascript", "application/javascript", "module")


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            a = dict(attrs)
            runs = (a.get("type") or "").strip().lower() in RUNNING_TYPES
            self._text = [] if runs and a.get("src") is None else None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._text is not None:
            self.found.append("".join(self._text))
            self._text = None


def inline_script_hashes(site: Path) -> list[str]:
    """Sorted ``'sha256-…'`` sources, one per distinct inline script in the site's HTML pages."""
    hashes = set()
    for path in sorted(Path(site).rglob("*.html")):
        parser = _InlineScripts()
        parser.feed(path.read_text(encoding="utf-8"))
        for code in parser.found:
            digest = hashlib.sha256(code.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def policy(site: Path, frame_ancestors: str = "'self'") -> str:
    """The header value. ``frame_ancestors``: who may show the course in a frame (an LMS host)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(inline_script_hashes(site)),
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


def directive(site: Path, server: str = "header", frame_ancestors: str = "'self'") -> str:
    """The policy as a header line, or as an nginx or Apache directive."""
    value = policy(site, frame_ancestors)
    if server == "nginx":
        return f'add_header Content-Security-Policy "{value}" always;'
    if server == "apache":
        return f'Header always set Content-Security-Policy "{value}"'
    return f"Content-Security-Policy: {value}"
