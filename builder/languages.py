"""Language versions of one course (issue 14 item 4), built by mkdocs-static-i18n.

The i18n plugin builds the default language into the site folder and every other language into
``<site>/<lang>/``, by running the whole MkDocs build again for each one (our plugin's hooks run
once per language).  This module tells the course plugin which language is being built, gives that
build the course whose quizzes and scenarios come from ``quizzes/<lang>/<id>.yml`` (the English
file where there is no translation), and keeps the language switcher's links relative, so the
site still works from a folder on disk and under any sub-path.
"""

from __future__ import annotations

import copy
import logging
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from .course import Course
from .language_paths import LANG_FOLDER_RE, is_language_folder, source_of  # noqa: F401 (re-exported)
from .problems import Problem


def i18n_plugin(config: Any) -> Any:
    plugins = config.get("plugins") or {}
    try:
        return plugins.get("i18n")
    except AttributeError:
        return None


def current(config: Any) -> tuple[str, str]:
    """(the language being built, the default language).  Without mkdocs-static-i18n both are the
    theme's language."""
    theme_language = str((config.theme or {}).get("language") or "en") if config.get("theme") else "en"
    i18n = i18n_plugin(config)
    if i18n is None:
        return theme_language, theme_language
    default = getattr(i18n, "default_language", None) or theme_language
    return getattr(i18n, "current_language", None) or default, default


def nav_translations(config: Any) -> dict[str, str]:
    """mkdocs-static-i18n's ``nav_translations`` of the language being built (English section
    title -> its translation, e.g. ``{"Modules": "Módulos"}``); ``{}`` without the plugin or
    translations (newcomer trial item 2a: the progress page's section headings)."""
    i18n = i18n_plugin(config)
    language_config = getattr(i18n, "current_language_config", None) if i18n is not None else None
    found = getattr(language_config, "nav_translations", None) if language_config is not None else None
    return {str(k): str(v) for k, v in (found or {}).items()}


def nested_build(config: Any) -> bool:
    """Whether this build is a language version mkdocs-static-i18n runs inside the first build
    (its ``on_post_build`` sets ``building`` while it builds the other languages), in
    ``mkdocs build`` and ``mkdocs serve`` alike."""
    i18n = i18n_plugin(config)
    return bool(getattr(i18n, "building", False)) if i18n is not None else False


def language_course(course: Course, lang: str) -> tuple[Course, list[Problem]]:
    """A copy of ``course`` whose items come from ``quizzes/<lang>/`` where that folder has the
    file, and the problems of those files.  A translated file with errors is left out (the English
    one is used) and its problems are returned: the build fails on them like on any other."""
    # `check_course` (translation_problems) and the build of the language version both ask: the files
    # do not change within one call of Course.load, so the answer is kept on the course (issue 17)
    memo = course.__dict__.setdefault("_language_versions", {})
    if lang in memo:
        return memo[lang][0], list(memo[lang][1])
    folder = course.quizzes_dir / lang
    out = copy.copy(course)
    out.__dict__.pop("_language_versions", None)  # the copy's own answers are its own
    out.items = dict(course.items)
    problems: list[Problem] = []
    if not folder.is_dir():
        memo[lang] = (out, [])
        return out, problems
    loader = Course(course.root, course.docs_dir, folder)
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()):
        item = loader.add_item(path)
        english = course.items.get(item.id)
        if english is None:
            problems.append(
                Problem(
                    item.path,
                    1,
                    f"no quizzes/{path.name} to translate; a translation has the same file name as its English file",
                )
            )
            continue
        errs = [p for p in item.loaded.problems if p.is_error]
        if errs:
            problems.extend(errs)
            continue
        if item.kind != english.kind:
            problems.append(Problem(item.path, 1, f"'kind' must be {english.kind}, as in {english.path}"))
            continue
        where = _first_difference(_skeleton(english.loaded.data), _skeleton(item.loaded.data), ())
        if where is not None:
            from .loader import load_file

            key = next((str(k) for k in reversed(where) if isinstance(k, str)), "")
            # a file without errors keeps no line map: read both again for the lines
            en_path = Path(english.path) if Path(english.path).is_absolute() else course.root / english.path
            line_en = load_file(en_path, english.path).line(where)
            problems.append(
                Problem(
                    item.path,
                    load_file(path, item.path).line(where),
                    f"'{key}' differs from {english.path}:{line_en}; a translation keeps "
                    "the English file's ids, answers, targets, numbers and list lengths, and changes only text "
                    "(and the accepted answers)",
                )
            )
            continue
        out.items[item.id] = item
    memo[lang] = (out, list(problems))
    return out, problems


def _skeleton(value: Any, key: Any = None) -> Any:
    """The data with its translatable text blanked (builder/translate_yaml.py decides what is text)."""
    from .translate_yaml import ANSWERS_KEY, LIST_KEYS, TEXT_KEYS

    if key == ANSWERS_KEY and isinstance(value, list):
        return None  # accepted answers are the learner's words: their number may differ
    if isinstance(value, dict):
        return {k: _skeleton(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in LIST_KEYS:
            return [None if isinstance(v, str) else _skeleton(v) for v in value]
        return [_skeleton(v) for v in value]
    if key in TEXT_KEYS and isinstance(value, str):
        return None
    return value


def _first_difference(a: Any, b: Any, path: tuple) -> tuple | None:
    """The path of the first place where ``a`` and ``b`` differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return path + (k,)
            found = _first_difference(a[k], b[k], path + (k,))
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for n, (x, y) in enumerate(zip(a, b, strict=False)):
            found = _first_difference(x, y, path + (n,))
            if found is not None:
                return found
        return None if len(a) == len(b) else path
    return None if a == b else path


def translation_problems(course: Course) -> list[Problem]:
    """The problems of every translated quiz and scenario file (``quizzes/<lang>/``), for
    ``course check`` and every build (issue 14)."""
    problems: list[Problem] = []
    if not course.quizzes_dir.is_dir():
        return problems
    for folder in sorted(
        p for p in course.quizzes_dir.iterdir() if p.is_dir() and LANG_FOLDER_RE.match(p.name)
    ):
        problems.extend(language_course(course, folder.name)[1])
    return problems


def version_dir(config: Any, lang: str) -> str:
    """The folder of the language version being built: the site folder, or ``<site>/<lang>``."""
    _, default = current(config)
    if lang == default:
        return config.site_dir
    return os.path.join(config.site_dir, lang)


_ALTERNATE_CHECK = "'extra.alternate' configuration contains a 'link' option"
_OUR_LINK = re.compile(r"'link': '(?:(?![a-z][a-z0-9+.-]*:)(?!/)[^']*|/[^']*index\.html)'")


class _OwnSwitcherLinks(logging.Filter):
    """Drops mkdocs-static-i18n's "'link' option that should be an absolute path '/' and end with
    a trailing '/'" message about links this module writes on purpose (issue 12 item 7).

    Cause: with ``use_directory_urls: false`` (needed for file:// and LMS packages) the plugin
    generates ``/es/index.html`` itself, :func:`relative_switcher` makes it ``es/index.html``, and
    the plugin checks its own saved list again for every later language, so every build printed
    the message once per language.  A link an author writes in ``extra.alternate`` some other
    way is still reported."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return _ALTERNATE_CHECK not in message or not _OUR_LINK.search(message)


_I18N_LOGGER = "mkdocs.plugins.mkdocs_static_i18n.reconfigure"


def quiet_own_switcher_links() -> None:
    """Install :class:`_OwnSwitcherLinks` on the i18n plugin's logger (once)."""
    logger = logging.getLogger(_I18N_LOGGER)
    if not any(isinstance(f, _OwnSwitcherLinks) for f in logger.filters):
        logger.addFilter(_OwnSwitcherLinks())


def relative_switcher(config: Any) -> None:
    """Material's language switcher (``extra.alternate``) with links relative to the site root
    (``index.html``, ``es/index.html``); Material's template makes them relative to each page with
    MkDocs' ``url`` filter.  mkdocs-static-i18n writes them absolute (``/es/index.html``), which
    breaks file:// and sub-path hosting."""
    lists = [config.extra.get("alternate") if config.get("extra") else None]
    i18n = i18n_plugin(config)
    if i18n is not None:
        quiet_own_switcher_links()
    lists.append(getattr(i18n, "extra_alternate", None) if i18n is not None else None)
    for alternates in lists:
        for alt in alternates or []:
            link = str(alt.get("link") or "")
            if link.startswith("/") and "://" not in link:
                alt["link"] = link.lstrip("/") or "index.html"


def page_relative(link: str, page_url: str) -> str:
    """``link`` (relative to the site root) as seen from the page at ``page_url``."""
    if "://" in link or link.startswith("#"):
        return link
    base = posixpath.dirname(page_url)
    return posixpath.relpath(link.lstrip("/") or ".", base or ".") + ("/" if link.endswith("/") else "")


def manifest_script(config: Any, lang: str, default: str, name: str) -> None:
    """Point the pages of a language version at its own manifest, ``<lang>/<name>`` (``name`` for
    the default language), in the same place of ``extra_javascript``."""
    wanted = name if lang == default else f"{lang}/{name}"
    scripts = config.extra_javascript
    for n, js in enumerate(list(scripts)):
        if str(js) == name or str(js).endswith("/" + name):
            if str(js) != wanted:
                scripts[n] = wanted
            return


HEAD_ALTERNATE_RE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def without_head_alternates(html: str) -> str:
    """The page without Material's ``<link rel="alternate" hreflang>`` tags in its head.  Material's
    script fetches ``sitemap.xml`` beside each of them (it expects a language's root URL there), so
    with mkdocs-static-i18n's page links it asks for ``modules/sitemap.xml``, which does not exist:
    a failed request on every page, and an error in the console from ``file://``.  The language
    switcher in the header (its own links) is kept."""
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    return HEAD_ALTERNATE_RE.sub("", html[:head_end]) + html[head_end:]
