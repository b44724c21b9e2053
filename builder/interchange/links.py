"""Links to a published course back into links to its lessons (the reverse of ``markup.Html``).

An export with ``--base-url`` turns ``[Module 4](modules/04.md)`` into a link to
``BASE/modules/04.html``; an import given the same ``--base-url`` turns such links back into
``modules/04.md``.  Other links are left as they are.
"""

from __future__ import annotations

import re


class Links:
    """``Links(base_url).back(markdown)``: links under ``base_url`` as lesson links."""

    def __init__(self, base_url: str | None = None):
        self.base = base_url.rstrip("/") + "/" if base_url else None

    def back(self, markdown: str) -> str:
        if not self.base or self.base not in markdown:
            return markdown
        pattern = re.compile(r"\]\(" + re.escape(self.base) + r"([^)\s]*)")

        def local(match: re.Match) -> str:
            path = match.group(1)
            path, _, anchor = path.partition("#")
            if path.endswith("/index.html") or path.endswith("/") or not path:
                path = (path[: -len("index.html")] if path.endswith("index.html") else path) + "index.md"
            elif path.endswith(".html"):
                path = path[: -len(".html")] + ".md"
            return "](" + path + (f"#{anchor}" if anchor else "")

        return pattern.sub(local, markdown)
