"""One normalisation of typed answers, the same at build time and in the browser (issue 10, item 1).

``normalise(text) -> str`` is applied to every ``accept:`` answer of a ``text`` question when the
site is built, and ``site_overrides/assets/course/typed-answer.js`` applies the same steps to what
the learner typed; the two are equal exactly when the answer is accepted.  The steps, in order:

1. Unicode NFKC (compatibility forms: full-width letters, ligatures such as "ﬁ", NBSP -> space);
2. full case folding, as Python's ``str.casefold`` (Unicode CaseFolding.txt, status C+F):
   "ß" -> "ss", final sigma "ς" -> "σ", "İ" -> "i̇";
   then NFKC again (folding can leave a string that is not in normal form);
3. typographic apostrophes, quotes and dashes -> the plain ASCII ``'``, ``"`` and ``-``;
4. white space (``WHITESPACE``) runs -> one space;
5. surrounding punctuation and spaces are dropped: a leading or trailing character of Unicode
   category Ps, Pe, Pi, Pf or Po, except ``KEEP`` (``#%&*@/\\`` and friends, which change meaning:
   "C#").  Dashes (Pd) and connectors (Pc) stay ("-5", "__init__").

JavaScript has no full case folding, so the browser lowercases each code point with
``toLowerCase()`` and takes the result from ``FOLD`` where Python's ``casefold`` differs from
``lower`` (about 300 characters: ß, ς, ligatures, Cherokee...).  ``js_table()`` generates that
table (as ranges, to stay small); tests/test_typed_answer.py checks the committed JS carries the current one and runs a shared
table of strings (tests/fixtures/normalise_table.json) through both sides.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata

# typographic forms -> plain ASCII (after NFKC, so full-width forms are already plain)
APOSTROPHES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u02bb\u02bd\u00b4\u0060\ua78c"
QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a\u301d\u301e\u301f"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
TYPOGRAPHIC = {**dict.fromkeys(APOSTROPHES, "'"), **dict.fromkeys(QUOTES, '"'), **dict.fromkeys(DASHES, "-")}
# the same list as in typed-answer.js (not Python's str.isspace nor JavaScript's \s: they differ)
WHITESPACE = "\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{WHITESPACE}]+")
_STRIP_CATEGORIES = ("Ps", "Pe", "Pi", "Pf", "Po")
KEEP = "#%&*@/\\\u00a7\u00b6\u2020\u2021\u2030\u2031"  # Po characters that carry meaning


def _surrounding(ch: str) -> bool:
    return ch == " " or (unicodedata.category(ch) in _STRIP_CATEGORIES and ch not in KEEP)


def casefold(text: str) -> str:
    """Full Unicode case folding (``str.casefold``), named for symmetry with the JS side."""
    return text.casefold()


def normalise(text: str) -> str:
    """The comparable form of a typed answer: see the module docstring.  ``""`` for blank input."""
    text = unicodedata.normalize("NFKC", str(text))
    text = unicodedata.normalize("NFKC", casefold(text))
    text = "".join(TYPOGRAPHIC.get(ch, ch) for ch in text)
    text = _SPACES.sub(" ", text)
    start, end = 0, len(text)
    while start < end and _surrounding(text[start]):
        start += 1
    while end > start and _surrounding(text[end - 1]):
        end -= 1
    return text[start:end]


def fold_table() -> dict[str, str]:
    """Code points whose ``casefold`` differs from ``lower`` (what JS ``toLowerCase`` gives)."""
    out = {}
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        folded = ch.casefold()
        if folded != ch.lower():
            out[ch] = folded
    return out


def js_table() -> str:
    """The two table lines of typed-answer.js (ASCII only, deterministic): ``FOLD_RANGES``, runs of
    code points ``[first, count, offset]`` folding to one code point at ``+offset``, and
    ``FOLD_MULTI``, the characters folding to several (ß -> ss, ligatures, Greek with ypogegrammeni)."""
    ranges: list[list[int]] = []
    multi: dict[str, str] = {}
    for ch, folded in sorted(fold_table().items()):
        if len(folded) != 1:
            multi[ch] = folded
            continue
        cp, delta = ord(ch), ord(folded) - ord(ch)
        if ranges and ranges[-1][0] + ranges[-1][1] == cp and ranges[-1][2] == delta:
            ranges[-1][1] += 1
        else:
            ranges.append([cp, 1, delta])
    compact = {"ensure_ascii": True, "separators": (",", ":")}
    return f"  var FOLD_RANGES = {json.dumps(ranges, **compact)};\n  var FOLD_MULTI = {json.dumps(multi, **compact)};"


if __name__ == "__main__":  # python -m builder.typed_answer: print the table lines for typed-answer.js
    print(js_table())
