"""The Spanish flagship's final assessment (issue 14 item 5, issue 13): its intro tells the learner
what the quiz settings do, as the English intro does: the draw per attempt, the attempts, the pass
mark and exam mode (feedback held back until a pass or the last attempt)."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SPANISH_NUMBERS = {2: "dos", 3: "tres", 4: "cuatro", 5: "cinco"}


def settings(path: Path) -> dict:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return {k: data.get(k) for k in ("draw", "attempts", "mode", "pass_mark")}


def test_spanish_and_english_final_assessments_have_the_same_settings():
    assert settings(ROOT / "quizzes/es/final-assessment.yml") == settings(
        ROOT / "quizzes/final-assessment.yml"
    )


def test_spanish_intro_matches_the_quiz_settings():
    quiz = settings(ROOT / "quizzes/es/final-assessment.yml")
    intro = (ROOT / "content/modules/09-final-assessment.es.md").read_text(encoding="utf-8")
    about = intro.split("## Sobre esta evaluación", 1)[1].split("## Antes de empezar", 1)[0]
    assert f"{quiz['draw']} preguntas" in about and "al azar" in about
    assert f"{SPANISH_NUMBERS[quiz['attempts']]} intentos" in about
    assert f"{quiz['pass_mark']:g} %" in about
    assert quiz["mode"] == "exam" and "examen" in about
    assert "solo ves la puntuación" in about and "último intento" in about
    # exam mode shows no comments after each answer: the intro must not promise them
    assert "Después de cada respuesta verás un comentario" not in intro
    assert "Lee los comentarios de las preguntas que fallaste" not in intro
