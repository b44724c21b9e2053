"""The course setting ``xapi:`` (issue 15): where the site sends xAPI statements.

In mkdocs.yml, under ``plugins: - course:``::

    xapi: /xapi/                       # short form: the endpoint only
    xapi:
      endpoint: /xapi/                 # required: a path on the site's own origin, ending in "/"
      identity: /xapi/me               # optional: same-origin URL answering the learner as an xAPI Agent (JSON)
      activity_base: https://courses.example.com/   # optional: how activity ids start

The endpoint is a path, never a host: the web server proxies it to the LRS and adds the LRS
credentials (content/hr/xapi.md), so the built site holds no secret. ``xapi_settings`` gives the
normalised settings the browser reads from the course manifest (``manifest.xapi``);
``xapi_problems`` gives each mistake as ``mkdocs.yml:line: xapi: message``.
"""

from __future__ import annotations

import re
from typing import Any

from ..config_lines import line_in_block
from ..problems import Problem

KEYS = ("endpoint", "identity", "activity_base")
DEFAULT_ACTIVITY_BASE = "https://courses.invalid/"  # .invalid never resolves: ids are names, not links
EXTENSION_BASE = "https://courses.invalid/xapi/extensions/"  # result/context extension IRIs (fixed)
_PATH_RE = re.compile(r"^/?[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")


def _line_of(config_file: str | None, needle: str) -> int:
    """Line of ``needle`` inside the ``xapi:`` block of mkdocs.yml (the ``xapi:`` line itself when
    the needle is not found), 1 when there is no such block."""
    return line_in_block(config_file, "xapi", needle, span=12, stop_at_dedent=True)


def _same_origin_path(value: Any) -> str | None:
    """Why ``value`` is not a same-origin path, or None when it is one."""
    if not isinstance(value, str) or not value.strip():
        return f"must be a path on this site, such as /xapi/, got {value!r}"
    if "://" in value or value.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return (
            f"'{value}' names another host; give a path on the course's own site (such as /xapi/) "
            "and let the web server pass it on to the LRS with its credentials (see the xAPI page for HR and IT)"
        )
    if "?" in value or "#" in value or not _PATH_RE.match(value):
        return f"'{value}' must be a plain path such as /xapi/ (no query, fragment or spaces)"
    return None


def xapi_problems(config_file: str | None, value: Any, shown: str = "mkdocs.yml") -> list[Problem]:
    """Every mistake in the ``xapi:`` setting, each located in mkdocs.yml."""
    problems: list[Problem] = []

    def add(needle: str, message: str) -> None:
        problems.append(Problem(shown, _line_of(config_file, needle), f"xapi: {message}"))

    if value is None:
        return problems
    if isinstance(value, str):
        value = {"endpoint": value}
    if not isinstance(value, dict):
        add("xapi", f"must be an endpoint path such as /xapi/ or a mapping with endpoint, got {value!r}")
        return problems
    for key in value:
        if key not in KEYS:
            add(str(key), f"unknown setting '{key}'; use {', '.join(KEYS)}")
    if "endpoint" not in value:
        add("xapi", "endpoint is missing: the path on this site that leads to the LRS, such as /xapi/")
    else:
        why = _same_origin_path(value["endpoint"])
        if why:
            add("endpoint", f"endpoint {why}")
        elif not str(value["endpoint"]).endswith("/"):
            add(
                "endpoint",
                f"endpoint '{value['endpoint']}' must end with '/' (statements go to <endpoint>statements)",
            )
    if value.get("identity") is not None:
        why = _same_origin_path(value["identity"])
        if why:
            add("identity", f"identity {why}")
    base = value.get("activity_base")
    if base is not None and (not isinstance(base, str) or not re.match(r"^https?://[^/\s]+/(\S*/)?$", base)):
        add("activity_base", f"activity_base must be an http(s) address ending in '/', got {base!r}")
    return problems


def xapi_settings(value: Any) -> dict | None:
    """The settings the browser reads (``COURSE_MANIFEST.xapi``), or None when xAPI is off."""
    if value is None or value == {}:
        return None
    if isinstance(value, str):
        value = {"endpoint": value}
    return {
        "endpoint": str(value["endpoint"]),
        "identity": str(value["identity"]) if value.get("identity") else "",
        "activity_base": str(value.get("activity_base") or DEFAULT_ACTIVITY_BASE),
        "extensions": EXTENSION_BASE,
    }


def activity_ids(base: str, course: str) -> dict:
    """How activity ids are made (the same rule as xapi.js; the report and cmi5.xml use it)::

    course    {base}{course}
    quiz      {base}{course}/quiz/{quiz}            question {...quiz}/question/{question id}
    scenario  {base}{course}/scenario/{scenario}    node     {...scenario}/node/{node id}
    """
    root = f"{base}{course}"
    return {"course": root, "quiz": root + "/quiz/", "scenario": root + "/scenario/"}
