"""Quiz checks about marking and shuffling (issue 10, items 1 and 5).

- ``accept:`` answers are compared after ``typed_answer.normalise``: one that normalises to nothing is
  an error (no learner could type it), two that normalise to the same text get a warning.
- Under ``shuffle: true`` an option that reads like "All of the above" (or "none of", "both" ... in
  English and in the course's language, ``theme.language`` in mkdocs.yml) must be pinned
  (``pin: true``), else it moves away from the options it refers to: a warning.

Each check reads the plain loaded data defensively (it runs even when the schema found mistakes)
and reports ``path:line`` through ``loaded.problems``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .typed_answer import normalise

# "all of the above" and friends, per language, matched at the start of the normalised option text
# (case folded, typographic quotes plain, surrounding punctuation gone). Plain alternations only.
_ABOVE = {
    "en": r"(?:all|none|both|neither|either|any|each)(?: one)?(?: of)?(?: the)? (?:above|previous|preceding|"
    r"these|those|them|options? above|answers? above|choices? above|listed)"
    r"|all the above|none of them|both [a-f] and [a-f]|[a-f] and [a-f]\b|all are (?:correct|true|right)"
    r"|none are (?:correct|true|right)|not applicable",
    "es": r"todas? (?:las|los) (?:anteriores|respuestas anteriores|opciones anteriores)|todo lo anterior"
    r"|ningun[ao]s? de (?:las|los) (?:anteriores|respuestas anteriores|opciones anteriores)|nada de lo anterior"
    r"|ambas?(?: anteriores| opciones| respuestas)?$|[a-f] y [a-f]\b|todas son correctas|ninguna es correcta",
    "fr": r"toutes? (?:les|ces) (?:réponses|propositions|options)(?: ci-dessus| précédentes)?|tout ce qui précède"
    r"|aucune (?:des|de ces) (?:réponses|propositions|options)(?: ci-dessus| précédentes)?|aucune de ces"
    r"|les deux(?: réponses| propositions)?$|[a-f] et [a-f]\b|toutes sont (?:correctes|justes)",
    "de": r"alle (?:oben |vorher )?genannten|alle (?:der )?(?:oben genannten|obigen|vorherigen)|alle antworten"
    r"|keine (?:der )?(?:oben genannten|genannten|obigen|vorherigen|antworten)|keine antwort"
    r"|beide(?: antworten| genannten| oben genannten)?$|[a-f] und [a-f]\b|alles oben genannte",
    "it": r"tutte (?:le )?(?:precedenti|risposte precedenti)|nessuna (?:delle )?(?:precedenti|risposte precedenti)"
    r"|entrambe$|[a-f] e [a-f]\b",
    "pt": r"todas as (?:anteriores|alternativas anteriores)|nenhuma das (?:anteriores|alternativas anteriores)"
    r"|ambas$|[a-f] e [a-f]\b",
    "nl": r"alle (?:bovenstaande|vorige)|geen van (?:de )?(?:bovenstaande|vorige)|beide$|[a-f] en [a-f]\b",
}


@lru_cache(maxsize=16)
def _pattern(language: str) -> re.Pattern[str]:
    base = (language or "en").lower().replace("_", "-").split("-")[0]
    parts = [_ABOVE["en"]] + ([_ABOVE[base]] if base in _ABOVE and base != "en" else [])
    return re.compile(r"^(?:" + "|".join(parts) + r")")


def refers_to_other_options(text: str, language: str = "en") -> bool:
    """Whether an option's text reads like "All of the above" (English or ``language``)."""
    return bool(_pattern(language).match(normalise(str(text)[:300])))


@lru_cache(maxsize=32)
def theme_language(root: Path) -> str:
    """``theme.language`` of the project's mkdocs.yml ("en" when absent or unreadable)."""
    cfg = Path(root) / "mkdocs.yml"
    try:
        import yaml

        class _Loose(yaml.SafeLoader):
            pass

        _Loose.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name tags
        data = yaml.load(cfg.read_text(encoding="utf-8"), Loader=_Loose) or {}
        theme = data.get("theme") if isinstance(data, dict) else None
        lang = theme.get("language") if isinstance(theme, dict) else None
        return str(lang) if isinstance(lang, str) and lang else "en"
    except (OSError, ValueError, yaml.YAMLError):
        return "en"


def check_accept(loaded: Any, here: tuple, qid: Any, accept: list) -> None:
    """``accept:`` of one text question (``here``: the question's data path)."""
    seen: dict[str, tuple[int, str]] = {}
    for ai, answer in enumerate(accept):
        if not isinstance(answer, str):
            continue
        key = normalise(answer)
        line = loaded.line(here + ("accept", ai))
        if not key:
            if answer.strip():
                loaded.problems.add(
                    line,
                    f"text question '{qid}' accepts {answer!r}, which is only punctuation: answers are "
                    "compared without surrounding punctuation, so no learner can type it",
                )
            continue
        if key in seen:
            first_line, first = seen[key]
            loaded.problems.warn(
                line,
                f"text question '{qid}': accepted answers {first!r} (line {first_line}) and {answer!r} are "
                f"the same once normalised ({key!r}); keep one",
            )
        else:
            seen[key] = (line, answer)


def check_pins(loaded: Any, data: dict, language: str) -> None:
    """Under ``shuffle: true``, "All of the above"-like options need ``pin: true``."""
    if data.get("shuffle") is not True:
        return
    questions = data.get("questions")
    for qi, question in enumerate(questions if isinstance(questions, list) else []):
        if not isinstance(question, dict) or question.get("type") not in ("single", "multiple"):
            continue
        options = question.get("options")
        for oi, option in enumerate(options if isinstance(options, list) else []):
            if not isinstance(option, dict) or option.get("pin") is True:
                continue
            text = option.get("text")
            if isinstance(text, str) and refers_to_other_options(text, language):
                loaded.problems.warn(
                    loaded.line(("questions", qi, "options", oi)),
                    f"option {text.strip()[:60]!r} of question '{question.get('id')}' refers to the other "
                    "options, but shuffle: true moves it; add 'pin: true' to keep it in its place",
                )
