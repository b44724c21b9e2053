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


# what the quiz template already tells learners under a multiple-answer prompt (quiz.hint_multiple in
# builder/messages/*.json): a prompt that says it too shows the instruction twice (newcomer trial
# item 5). Searched anywhere in the case-folded prompt, in every catalog's language.
_SELECT_ALL = re.compile(
    r"(?:select|choose|tick|check|mark|pick) all(?: the)? (?:that apply|that are (?:correct|true)|correct"
    r"|right answers|correct answers|options that apply)|more than one (?:answer|option) (?:is|may be|can be) correct"
    r"|(?:marca|marque|selecciona|seleccione|elige|elija|señala|señale) todas(?: las)? (?:correctas|que correspondan"
    r"|las respuestas correctas|las opciones correctas)"
    r"|(?:cochez|sélectionnez|choisissez) toutes les (?:bonnes )?(?:réponses|propositions)"
    r"|(?:wählen|kreuzen) sie alle (?:zutreffenden|richtigen)|alle zutreffenden antworten"
    r"|اختر كل ما ينطبق|יש לבחור את כל התשובות המתאימות"
)


def repeats_the_multiple_hint(prompt: str) -> bool:
    """Whether a prompt already says "Select all that apply" (or its Spanish, French, German, Arabic
    or Hebrew equivalent), which the quiz adds under every multiple-answer prompt."""
    return bool(_SELECT_ALL.search(normalise(str(prompt)[:2000])))


def check_multiple_hint(loaded: Any, data: dict) -> None:
    """A ``type: multiple`` prompt that repeats the "Choose all that apply." the quiz shows under it
    gets a warning at the prompt's line (newcomer trial item 5)."""
    questions = data.get("questions")
    for qi, question in enumerate(questions if isinstance(questions, list) else []):
        if not isinstance(question, dict) or question.get("type") != "multiple":
            continue
        prompt = question.get("prompt")
        if isinstance(prompt, str) and repeats_the_multiple_hint(prompt):
            loaded.problems.warn(
                loaded.line(("questions", qi, "prompt")),
                f"question '{question.get('id')}': the quiz already shows \"Choose all that apply.\" under a "
                "multiple-answer prompt; remove that sentence from the prompt so learners do not read it twice",
            )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def check_pool(loaded: Any, data: dict) -> None:
    """``draw:`` against its pool (issue 13, item 1): a draw larger than the questions it draws from is
    an error at the draw's line; with ``draw: {group: count}`` every group must exist and every
    question should have a group (one without is never drawn: a warning)."""
    attempts, reveal = data.get("attempts"), data.get("reveal", 2)
    if _count(attempts) and _count(reveal) and reveal > attempts:
        loaded.problems.warn(
            loaded.line(("reveal",) if "reveal" in data else ("attempts",)),
            f"reveal: {reveal} is more than attempts: {attempts}, so a learner who does not pass never sees "
            f"the right answers; lower reveal to {attempts} or less, or write reveal: pass to mean that",
        )
    draw, questions = data.get("draw"), data.get("questions")
    questions = [q for q in questions if isinstance(q, dict)] if isinstance(questions, list) else []
    if _count(draw) and draw > len(questions):
        loaded.problems.add(
            loaded.line(("draw",)),
            f"draw: {draw} is more than the {len(questions)} question{'s' if len(questions) != 1 else ''} "
            "in this quiz; lower draw or add questions to the pool",
        )
    if not isinstance(draw, dict):
        return
    sizes: dict[str, int] = {}
    for q in questions:
        if isinstance(q.get("group"), str):
            sizes[q["group"]] = sizes.get(q["group"], 0) + 1
    for name, count in draw.items():
        if not _count(count):
            continue  # the schema reports it
        have = sizes.get(str(name), 0)
        if not have:
            known = ", ".join(sorted(sizes)) or "none yet"
            loaded.problems.add(
                loaded.line(("draw", name)),
                f"draw: group '{name}' has no questions; give questions 'group: {name}' (groups used: {known})",
            )
        elif count > have:
            loaded.problems.add(
                loaded.line(("draw", name)),
                f"draw: {count} from group '{name}' is more than its {have} question{'s' if have != 1 else ''}; "
                "lower the count or add questions with that group",
            )
    all_questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    for qi, q in enumerate(all_questions):
        if isinstance(q, dict) and (
            q.get("group") is None or str(q.get("group")) not in {str(k) for k in draw}
        ):
            loaded.problems.warn(
                loaded.line(("questions", qi)),
                f"question '{q.get('id')}' is in no group that draw: names, so it is never drawn; "
                "give it a group: from the draw",
            )
