"""Read xAPI statements back (issue 15): from an exported file or from an LRS's Statements resource.

``read_file(path)`` accepts what LRSs export: a JSON array of statements, a StatementResult
(``{"statements": [...], "more": ...}``) or JSON Lines (one statement per line, as Ralph's
filesystem backend stores them). ``read_lrs(url, auth)`` GETs ``<url>statements`` (xAPI 1.0.3,
section 2.1.3 of the communication part) and follows ``more`` until the end. Errors are
``RecordsError`` with a message for the person running the command.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


class RecordsError(Exception):
    """A source of statements that cannot be read; the message says why and what to do."""


def read_file(path: Path) -> list[dict]:
    """Statements in ``path`` (JSON array, StatementResult or JSON Lines)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsError(f"{path}: cannot read it ({exc})") from None
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{") and not _looks_like_lines(stripped):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecordsError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if isinstance(data, dict):
            data = data.get("statements")
        if not isinstance(data, list):
            raise RecordsError(f"{path}:1: expected a list of xAPI statements or a StatementResult")
        return [s for s in data if isinstance(s, dict)]
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordsError(f"{path}:{n}: not a JSON statement ({exc.msg})") from None
        if isinstance(item, dict):
            out.append(item)
    return out


def _looks_like_lines(text: str) -> bool:
    first = text.split("\n", 1)[0].strip()
    if not first.endswith("}"):
        return False
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return False
    return "\n" in text.strip()


def read_lrs(url: str, auth: str | None = None, timeout: float = 60) -> list[dict]:
    """Every statement the LRS at ``url`` (its xAPI base, e.g. ``https://lrs.example.com/xAPI/``)
    returns to a GET of ``statements``; ``auth`` is ``key:secret`` for HTTP Basic."""
    if not url.endswith("/"):
        url += "/"
    headers = {"X-Experience-API-Version": "1.0.3", "Accept": "application/json"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    out: list[dict] = []
    target: str | None = urllib.parse.urljoin(url, "statements?limit=1000")
    pages = 0
    while target and pages < 100_000:
        pages += 1
        req = urllib.request.Request(target, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                page = json.loads(r.read())
        except urllib.error.HTTPError as exc:
            hint = " (set COURSE_LRS_AUTH=key:secret)" if exc.code in (401, 403) else ""
            raise RecordsError(f"{url}: the LRS answered {exc.code} {exc.reason}{hint}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise RecordsError(f"{url}: cannot reach the LRS ({exc})") from None
        except json.JSONDecodeError:
            raise RecordsError(f"{url}: the LRS did not answer JSON statements") from None
        out += [s for s in page.get("statements", []) if isinstance(s, dict)]
        more = page.get("more") or ""
        target = urllib.parse.urljoin(url, more) if more else None
    return out
