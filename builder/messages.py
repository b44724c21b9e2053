"""Interface strings in a catalog chosen by ``theme.language`` (issue 14 item 1).

Catalogs are JSON files beside this module (``builder/messages/<lang>.json``): a flat mapping
from a dotted key (``quiz.check``) to a message.  A message is a string with ``{name}``
placeholders, or a mapping from CLDR plural categories (``zero one two few many other``) to
such strings; ``"_type": "ordinal"`` selects CLDR ordinal rules instead of cardinal ones.  The
category is chosen from the ``count`` parameter (``n`` for ordinals) with Babel's CLDR data
here and ``Intl.PluralRules`` in the browser (``Course.msg`` in course.js): no hand-made rules.

The active catalog is English, overlaid by the course's language (``es``, ``fr``, ``de``, ``ar``,
``he``; ``es-MX`` falls back to ``es``), overlaid by the author's ``messages:`` under the course
plugin in mkdocs.yml.  A key missing for the language falls back to English.

In a right-to-left language every ``{name}`` placeholder of the active catalog is bidi-isolated
(U+2068 … U+2069 around it, a following ``%`` inside), so a number, a course title or a learner's
answer put into a sentence keeps its own direction and the sentence reads in order ("3 من 7",
not a jumbled run); the browser fills the same isolated messages from the manifest.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .config_lines import line_in_block
from .problems import Problem

HERE = Path(__file__).with_name("messages")
DEFAULT = "en"
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
RTL = {"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ku", "ckb"}  # scripts written right to left
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# a placeholder with the percent sign that follows it, put between U+2068 FIRST STRONG ISOLATE and
# U+2069 POP DIRECTIONAL ISOLATE in right-to-left catalogs (Unicode bidi algorithm, UAX #9 §2.7)
_ISOLATED = re.compile(r"\{[a-z_]+\}%?")
FSI, PDI = "\u2068", "\u2069"
# author-facing words (the preview's error box, `course review`): in the catalogs, not sent to the browser
AUTHOR_ONLY = ("error.", "review.")
# keys only the build writes into HTML (the LMS launch pages, the 404 pages): not sent to the browser
BUILD_ONLY = ("launch.", "not_found.")
_LANG_KEY = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?")  # `messages: {es: {...}}`: one language's words

Message = str | dict


@cache
def catalog_file(lang: str) -> dict[str, Message]:
    """The shipped catalog of ``lang`` (``{}`` when there is none)."""
    path = HERE / f"{lang}.json"
    if not lang or not re.fullmatch(r"[a-z]{2,3}(?:_[A-Za-z0-9]+)*", lang) or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def base_language(language: Any) -> str:
    """``theme.language`` as a catalog name: ``es-MX`` -> ``es``; anything unusable -> ``en``."""
    text = str(language or DEFAULT).strip().replace("-", "_")
    return text.split("_")[0].lower() or DEFAULT


def direction(language: Any) -> str:
    """``rtl`` for a right-to-left language, else ``ltr``."""
    return "rtl" if base_language(language) in RTL else "ltr"


def english() -> dict[str, Message]:
    return catalog_file(DEFAULT)


@lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Any:
    """babel's Locale for ``locale`` (parsed once: a widget asks for plural forms dozens of times,
    issue 17); raises as ``Locale.parse`` does (a failure is not cached)."""
    from babel import Locale

    return Locale.parse(locale.replace("-", "_"))


def _select(message: dict, params: dict, locale: str) -> str:
    from babel import UnknownLocaleError

    ordinal = message.get("_type") == "ordinal"
    locale = message.get("_locale", locale)
    number = params.get("n" if ordinal else "count", params.get("count", params.get("n", 0)))
    try:
        loc = _babel_locale(locale)
        category = (loc.ordinal_form if ordinal else loc.plural_form)(abs(number or 0))
    except (UnknownLocaleError, ValueError, TypeError):
        category = "other"
    return str(message.get(category, message.get("other", "")))


def format_message(message: Message, params: dict, locale: str = DEFAULT) -> str:
    """``message`` with its plural form chosen and ``{name}`` placeholders filled."""
    text = _select(message, params, locale) if isinstance(message, dict) else str(message)
    return _PLACEHOLDER.sub(lambda m: str(params[m.group(1)]) if m.group(1) in params else m.group(0), text)


class Catalog:
    """The messages of one language: English, overlaid by the language, overlaid by the author."""

    def __init__(self, language: Any = DEFAULT, overrides: dict | None = None):
        self.language = str(language or DEFAULT)
        self.lang = base_language(language)
        self.dir = direction(language)
        # plural forms that fall back to English keep English rules ("_locale"), in JS too
        self.messages: dict[str, Message] = {
            k: ({**v, "_locale": DEFAULT} if isinstance(v, dict) and self.lang != DEFAULT else v)
            for k, v in english().items()
        }
        self.messages.update(catalog_file(self.lang))
        overrides = overrides or {}
        # flat keys apply to every language; `es: {quiz.check: ...}` to that language version only
        own_words = overrides.get(self.lang) if isinstance(overrides.get(self.lang), dict) else {}
        for key, value in [*overrides.items(), *own_words.items()]:
            if key in self.messages and _valid_override(value):
                self.messages[key] = value
        if self.dir == "rtl":
            self.messages = {k: _isolate(v) for k, v in self.messages.items()}

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` in this language with ``params`` filled in (the key itself when unknown)."""
        # a widget asks for the same few messages with the same numbers again and again: each answer
        # is kept (issue 17); parameters that cannot be a dictionary key are formatted every time
        memo = self.__dict__.setdefault("_memo", {})
        try:
            found = memo.get(memo_key := (key, *((k, type(v), v) for k, v in sorted(params.items()))))
        except TypeError:
            return format_message(self.messages.get(key, key), params, self.lang)
        if found is None:
            found = memo[memo_key] = format_message(self.messages.get(key, key), params, self.lang)
        return found

    def browser_messages(self) -> dict[str, Message]:
        """The messages the widgets use (``Course.msg``): every key but the author-facing ones."""
        return {k: v for k, v in self.messages.items() if not k.startswith(AUTHOR_ONLY + BUILD_ONLY)}

    def html(self, key: str, markup: dict[str, str] | None = None, **params: Any) -> Any:
        """``key`` as safe HTML: the message and ``params`` escaped, each ``{name}`` of ``markup``
        replaced by that (already safe) HTML, e.g. ``{"file": "<code>x.yml</code>"}``."""
        from markupsafe import Markup, escape

        out = escape(self.t(key, **params))
        for name, value in (markup or {}).items():
            out = Markup(str(out).replace("{" + name + "}", str(value)))
        return out

    def missing(self) -> list[str]:
        """English keys the shipped catalog of this language lacks (English is shown for them)."""
        if self.lang == DEFAULT:
            return []
        own = catalog_file(self.lang)
        return [k for k in english() if k not in own]


def _isolate(message: Message) -> Message:
    """``message`` with each placeholder between FSI and PDI (its plural forms too)."""
    if isinstance(message, dict):
        return {k: v if k.startswith("_") else _isolate(v) for k, v in message.items()}
    return _ISOLATED.sub(lambda m: FSI + m.group(0) + PDI, message)


def _valid_override(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and "other" in value
        and all(k in CATEGORIES or k in ("_type", "_locale") for k in value)
        and all(isinstance(v, str) for v in value.values())
    )


def _line_of(config_file: str | None, needle: str, after: str = "messages") -> int:
    """Best-effort line of ``needle`` in the ``messages:`` block of mkdocs.yml (1 when unknown)."""
    return line_in_block(config_file, after, needle, whole_word=False)


def message_problems(config_file: str | None, shown: str, language: Any, overrides: Any) -> list[Problem]:
    """``course check``'s warnings for the interface strings (issue 14): the course's language
    has no catalog or lacks keys (English is shown for them), and each ``messages:`` override
    that names no key or has no usable text, at its mkdocs.yml line."""
    out: list[Problem] = []
    cat = Catalog(language)
    own = catalog_file(cat.lang)
    given = dict(overrides) if isinstance(overrides, dict) else {}
    if isinstance(given.get(cat.lang), dict):
        given.update(given[cat.lang])
    missing = [k for k in english() if k not in own and k not in given] if cat.lang != DEFAULT else []
    where = _line_of(config_file, "language", "theme")
    if missing and not own:
        shipped = ", ".join(sorted(p.stem for p in HERE.glob("*.json")))
        out.append(Problem(shown, where,
                           f"theme.language '{language}' has no interface catalog (shipped: {shipped}); "
                           "the quiz, scenario and progress texts are in English unless you set them "
                           "under the course plugin's 'messages:'", "warning"))  # fmt: skip
    elif missing:
        out.append(Problem(shown, where,
                           f"the '{cat.lang}' interface catalog lacks {len(missing)} key(s), shown in English: "
                           + ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
                           + "; give them under the course plugin's 'messages:'", "warning"))  # fmt: skip
    if overrides is None:
        return out
    if not isinstance(overrides, dict):
        out.append(Problem(shown, _line_of(config_file, "messages"),
                           "messages: must be a mapping of interface keys to text, e.g. "
                           "'quiz.check: Check my answers'", "warning"))  # fmt: skip
        return out
    known = english()
    entries = [
        (k, v) for k, v in overrides.items() if not (_LANG_KEY.fullmatch(str(k)) and isinstance(v, dict))
    ]
    for lang_key, words in overrides.items():  # per language: `es: {quiz.check: Comprobar}`
        if _LANG_KEY.fullmatch(str(lang_key)) and isinstance(words, dict):
            entries.extend(words.items())
    for key, value in entries:
        line = _line_of(config_file, str(key))
        if key not in known:
            close = _closest(str(key), known)
            hint = f"; did you mean '{close}'?" if close else "; see builder/messages/en.json for the keys"
            out.append(Problem(shown, line, f"messages: unknown key '{key}'{hint}", "warning"))
        elif not _valid_override(value):
            out.append(Problem(shown, line, f"messages: '{key}' must be text (or plural forms with 'other')",
                               "warning"))  # fmt: skip
        elif isinstance(value, str):
            want = set(_PLACEHOLDER.findall(_all_text(known[key])))
            lost = sorted(want - set(_PLACEHOLDER.findall(value)))
            if lost:
                out.append(Problem(shown, line, f"messages: '{key}' leaves out "
                                   + ", ".join("{" + n + "}" for n in lost), "warning"))  # fmt: skip
    return out


def _all_text(message: Message) -> str:
    return (
        " ".join(v for k, v in message.items() if not k.startswith("_"))
        if isinstance(message, dict)
        else message
    )


def _closest(key: str, known: dict) -> str | None:
    import difflib

    found = difflib.get_close_matches(key, list(known), n=1, cutoff=0.7)
    return found[0] if found else None
