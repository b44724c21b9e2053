"""The one adapter between author Markdown in quiz and scenario files and Python-Markdown.

Everything else (``builder.render``) sees two functions: :func:`configure` (the site's
``markdown_extensions``, from mkdocs.yml) and :func:`convert` (Markdown text -> raw HTML, not yet
sanitized).  Moving to another Markdown engine means rewriting this module only.

YAML fields render like lesson Markdown (issue 10 item 2): the site's extensions are used, but
only those in :data:`SAFE_EXTENSIONS` (no file inclusion such as ``pymdownx.snippets``, no ids
such as ``toc``, not our own ``course`` extension).  Fenced code, tables and sane lists work even
when the site does not list them, as they always did in course files.

Pathological input (issue 10 item 9) never reaches Python-Markdown: :func:`guard` rejects, in
one linear pass, what makes it recurse without end (deep block nesting on one line) or take
quadratic-to-cubic time (thousands of ``[`` or ``<``), and :func:`convert` runs under a time
budget where the platform allows one (SIGALRM in the main thread).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from typing import Any

import markdown

# extension name (as in mkdocs.yml) -> settings we force (None: the site's own)
SAFE_EXTENSIONS: dict[str, dict | None] = {
    "abbr": None,
    "admonition": None,
    "attr_list": None,  # ids, classes and styles it adds are removed by the sanitizer
    "def_list": None,
    "fenced_code": None,
    "md_in_html": None,
    "nl2br": None,
    "sane_lists": None,
    "smarty": None,
    "tables": {"use_align_attribute": True},  # `align`, not `style` (the sanitizer drops style)
    "pymdownx.betterem": None,
    "pymdownx.caret": None,
    "pymdownx.details": None,
    "pymdownx.highlight": {"anchor_linenums": False, "linenums": False},
    "pymdownx.inlinehilite": None,
    "pymdownx.keys": None,
    "pymdownx.mark": None,
    "pymdownx.saneheaders": None,
    "pymdownx.smartsymbols": None,
    "pymdownx.superfences": None,
    "pymdownx.tilde": None,
}
# always on for course files (what they rendered before issue 10, plus fenced code)
BASE_EXTENSIONS = ("tables", "sane_lists")
DEFAULT_EXTENSIONS = ("admonition", "pymdownx.details", "pymdownx.superfences", "tables", "sane_lists")

# limits of the guard; far above what a quiz or scenario field holds
MAX_FIELD_CHARS = 100_000
MAX_BRACKETS = 1_000  # `[` and `<`: Python-Markdown's link and HTML scanners are quadratic in them
MAX_NESTING = 40  # list/quote markers opening one line, or indentation levels
BUDGET_SECONDS = 2.0  # per field, where a timer can interrupt the conversion


class RenderTimeout(Exception):
    """Converting one field took longer than the budget."""


_settings: tuple[tuple[str, ...], dict[str, dict]] = (DEFAULT_EXTENSIONS, {})
_md: markdown.Markdown | None = None
generation = 0  # goes up whenever the settings change: what was rendered before may differ now


def _canonical(name: str) -> str:
    return name[len("markdown.extensions.") :] if name.startswith("markdown.extensions.") else name


def configure(extensions: Iterable[Any] | None, configs: Mapping[str, Any] | None = None) -> None:
    """Use the safe part of a site's ``markdown_extensions`` (names, or ``{name: config}`` items as
    mkdocs.yml writes them; anything else, such as extension objects, is skipped)."""
    global _settings, _md
    configure_toc(extensions, configs)
    names: list[str] = []
    cfg: dict[str, dict] = {}
    for entry in extensions or ():
        if isinstance(entry, str):
            name, conf = entry, (configs or {}).get(entry)
        elif isinstance(entry, Mapping) and len(entry) == 1:
            name, conf = next(iter(entry.items()))
        else:
            continue
        if not isinstance(name, str):
            continue
        name = _canonical(name)
        if name not in SAFE_EXTENSIONS or name in names:
            continue
        names.append(name)
        if isinstance(conf, Mapping):
            cfg[name] = _plain_config(name, conf)
    for name in BASE_EXTENSIONS:
        if name not in names:
            names.append(name)
    if "pymdownx.superfences" not in names and "fenced_code" not in names:
        names.append("fenced_code")
    settings = (tuple(names), cfg)
    if settings != _settings:
        global generation
        _settings, _md = settings, None
        generation += 1


def _plain_config(name: str, conf: Mapping) -> dict:
    """The site's settings of one extension, minus values YAML tags made unreadable to us."""
    out = {k: v for k, v in conf.items() if v is not None and k != "custom_fences"}
    if name == "pymdownx.superfences":
        fences = [
            f for f in conf.get("custom_fences") or [] if isinstance(f, Mapping) and callable(f.get("format"))
        ]
        if fences:
            out["custom_fences"] = fences
    return out


def extensions() -> tuple[str, ...]:
    """The extensions course files are rendered with now (for tests and messages)."""
    return _settings[0]


def instance() -> markdown.Markdown:
    global _md
    if _md is None:
        names, cfg = _settings
        configs = {}
        for name in names:
            forced = SAFE_EXTENSIONS.get(name) or {}
            merged = {**cfg.get(name, {}), **forced}
            if merged:
                configs[name] = merged
        try:
            _md = markdown.Markdown(extensions=list(names), extension_configs=configs, output_format="html")
        except Exception:  # a site setting we cannot use: fall back to the safe defaults
            _md = markdown.Markdown(
                extensions=list(DEFAULT_EXTENSIONS),
                extension_configs={"tables": SAFE_EXTENSIONS["tables"]},
                output_format="html",
            )
    return _md


def guard(text: str) -> str | None:
    """Why ``text`` is unsafe to hand to Python-Markdown (a message for the author), or None.

    One pass over the text: length, count of ``[`` and ``<``, and block nesting at line starts.
    """
    if len(text) > MAX_FIELD_CHARS:
        return f"this text is {len(text):,} characters long; keep each field under {MAX_FIELD_CHARS:,}"
    brackets = text.count("[") + text.count("<")
    if brackets > MAX_BRACKETS:
        return (
            f"this text has {brackets:,} '[' and '<' characters; Markdown cannot render that many in "
            f"reasonable time (keep it under {MAX_BRACKETS:,}, or write them as &#91; and &lt;)"
        )
    for number, line in _outside_fences(text):
        depth = _nesting(line)
        if depth > MAX_NESTING:
            where = f" (line {number} of the text)" if "\n" in text else ""
            return (
                f"this text nests lists, quotes or indentation {depth} levels deep{where}; "
                f"Markdown allows at most {MAX_NESTING}"
            )
    return None


def page_problems(text: str) -> list[tuple[int, str]]:
    """``(line, message)`` for parts of a lesson page Python-Markdown cannot render safely: a line
    nested too deep, a paragraph (lines between blank lines) with too many ``[`` and ``<``.
    Linear; MkDocs would otherwise stop with a RecursionError or stall on the page."""
    found = []
    block = 0
    reported = False
    for number, line in _outside_fences(text):
        if not line.strip():
            block, reported = 0, False
            continue
        depth = _nesting(line)
        if depth > MAX_NESTING:
            found.append(
                (
                    number,
                    f"this line nests lists, quotes or indentation {depth} levels deep; Markdown allows at most {MAX_NESTING}",
                )
            )
        block += line.count("[") + line.count("<")
        if block > MAX_BRACKETS and not reported:
            reported = True
            found.append(
                (
                    number,
                    f"this paragraph has more than {MAX_BRACKETS:,} '[' and '<' characters; Markdown cannot "
                    "render that many in reasonable time (split it, or write them as &#91; and &lt;)",
                )
            )
    return found


def _outside_fences(text: str):
    """(line number, line) of ``text`` outside fenced code (shown as written, never parsed)."""
    fence = ""
    for number, line in enumerate(text.split("\n"), 1):
        head = line.lstrip(" \t")[:3]
        if head in ("```", "~~~"):
            if not fence:
                fence = head
            elif head == fence:
                fence = ""
            continue
        if not fence:
            yield number, line


def _nesting(line: str) -> int:
    """List/quote markers that open ``line`` plus its indentation levels (linear)."""
    depth = col = i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4
        elif ch in "-+*>" and (i + 1 == n or line[i + 1] in " \t"):
            depth += 1
        elif ch.isdigit():
            j = i
            while j < n and j - i < 10 and line[j].isdigit():
                j += 1
            if j < n and line[j] in ".)" and (j + 1 == n or line[j + 1] in " \t"):
                depth += 1
                i = j
            else:
                break
        else:
            break
        i += 1
    return depth + col // 4


@contextmanager
def budget(seconds: float):
    """Raise :class:`RenderTimeout` in the block after ``seconds`` (main thread on POSIX only;
    elsewhere the guard alone keeps conversions short)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout(f"rendering took longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def convert(text: str, seconds: float | None = None) -> str:
    """Markdown -> raw HTML (to be sanitized).  Raises ValueError (the guard's message) for
    pathological input, RenderTimeout past ``seconds``, RecursionError never (guarded)."""
    problem = guard(text)
    if problem:
        raise ValueError(problem)
    md = instance()
    md.reset()
    if seconds:
        start = time.monotonic()
        with budget(seconds):
            out = md.convert(text)
        if time.monotonic() - start > seconds:
            raise RenderTimeout(f"rendering took longer than {seconds:g} s")
        return out
    try:
        return md.convert(text)
    except RecursionError as exc:  # not expected past the guard; never a traceback
        raise ValueError("this text nests too deeply for Markdown to render") from exc


# ---------------------------------------------------------------- heading ids (lesson links)

_toc: dict = {}  # the site's `toc` settings: slugify (a callable) and separator, when mkdocs.yml gives them


def configure_toc(extensions: Iterable[Any] | None, configs: Mapping[str, Any] | None = None) -> None:
    """Remember the site's ``toc`` ``slugify`` and ``separator`` (names or ``{name: config}`` items
    as mkdocs.yml writes them), so :func:`heading_ids` makes the ids the build makes."""
    global _toc
    found: dict = {}
    for entry in extensions or ():
        name, conf = (entry, (configs or {}).get(entry)) if isinstance(entry, str) else (None, None)
        if isinstance(entry, Mapping) and len(entry) == 1:
            name, conf = next(iter(entry.items()))
        if isinstance(name, str) and _canonical(name) == "toc" and isinstance(conf, Mapping):
            if callable(conf.get("slugify")):
                found["slugify"] = conf["slugify"]
            if isinstance(conf.get("separator"), str):
                found["separator"] = conf["separator"]
    _toc = found


def toc_settings() -> dict:
    """The ``toc`` settings :func:`configure_toc` kept (``slugify``, ``separator``; either may be absent)."""
    return dict(_toc)


def heading_ids(text: str, toc: Mapping[str, Any] | None = None) -> list[str]:
    """The ids Python-Markdown's ``toc`` gives the headings of lesson ``text``, in page order
    (``toc``: its ``slugify`` and ``separator``; the site's, see :func:`configure_toc`).  Headings in
    code are not headings; ``{#id}`` (attr_list) is kept.  Unsafe text (:func:`guard`-like limits of
    :func:`page_problems`) gives []."""
    if page_problems(text):
        return []
    conf = {k: v for k, v in (toc if toc is not None else _toc).items() if k in ("slugify", "separator")}
    names = [n for n in _settings[0] if n != "pymdownx.highlight"] + ["attr_list", "toc"]
    try:
        md = markdown.Markdown(extensions=list(dict.fromkeys(names)), extension_configs={"toc": conf})
        with budget(BUDGET_SECONDS):
            md.convert(text)
    except Exception:  # a setting we cannot use, or too slow: no ids rather than wrong warnings
        return []
    ids: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            ids.append(token["id"])
            walk(token.get("children") or [])

    walk(getattr(md, "toc_tokens", []))
    return ids
