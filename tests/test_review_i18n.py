"""Author-facing words in the course's language (issue 14 item 1): ``course review``'s document for
subject-matter experts and the preview's error box take their fixed words from the message catalog
of ``theme.language`` (``review.*`` and ``error.*`` keys), as the widgets do.

Checked by scanning the rendered text for the English catalog's words: with ``theme.language: es``
no English phrase of those keys is left (the course's own text and ``course check``'s lines aside).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from builder.messages import AUTHOR_ONLY, Catalog, catalog_file, english
from builder.render import render_error
from tests.bench.preview import Serve, fetch, wait_for
from tests.helpers import course, make_project
from tests.test_authoring import new_course

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def english_phrases(lang: str) -> list[str]:
    """The English author-facing phrases (runs of two or more words between placeholders) whose
    translation in ``lang`` differs: none of them may show in a ``lang`` document."""
    own = catalog_file(lang)
    phrases = set()
    for key, message in english().items():
        if not key.startswith(AUTHOR_ONLY) or own.get(key) == message:
            continue
        forms = (
            [v for k, v in message.items() if not k.startswith("_")]
            if isinstance(message, dict)
            else [message]
        )
        for form in forms:
            for part in PLACEHOLDER.split(form):
                part = part.strip(" .:;,()'·")
                if len(part.split()) >= 2:
                    phrases.add(part)
    return sorted(phrases)


def visible_text(html: str) -> str:
    doc = BeautifulSoup(html, "html.parser")
    for tag in doc.select("style, script"):
        tag.decompose()
    return " ".join(doc.get_text(" ").split())


def english_left(text: str, lang: str) -> list[str]:
    return [p for p in english_phrases(lang) if p in text]


@pytest.mark.parametrize("lang", ["es", "fr", "de", "ar", "he"])
def test_every_catalog_has_the_author_facing_keys(lang):
    keys = {k for k in english() if k.startswith(AUTHOR_ONLY)}
    assert len(keys) > 60
    assert keys <= set(catalog_file(lang)), sorted(keys - set(catalog_file(lang)))


def test_review_document_in_spanish(tmp_path):
    project = new_course(tmp_path)
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    assert "  language: en\n" in text
    mkdocs.write_text(text.replace("  language: en\n", "  language: es\n", 1), encoding="utf-8")
    result = course("review", "-o", "review.html", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "review.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(html, "html.parser")
    assert doc.html["lang"] == "es"
    text = visible_text(html)
    assert english_left(text, "es") == []
    for words in (
        "Documento de revisión para especialistas en la materia",
        "Cuestionario:",
        "Escenario:",
        "Nota mínima para aprobar: 75% · se aprueba con 3 de 4 respuestas correctas",
        "La respuesta es Verdadero.",
        "Respuestas aceptadas:",
        "Solo se ofrece si trust ≥ 2",
        "Efectos: trust +1",
        "Finales y el camino más corto a cada uno",
        "Aprobación",
    ):
        assert words in text, words
    first = doc.select_one("section.quiz .question")
    assert [li.select_one(".mark").get_text() for li in first.select("li")] == ["Correcta", "Incorrecta"]
    assert first.select_one(".feedback .label").get_text() == "Comentario:"
    endings = doc.select("section.scenario table")[-1].select("tbody tr td:nth-of-type(2)")
    assert [td.get_text() for td in endings] == ["éxito", "fracaso"]
    assert "<code>" in str(doc.select_one("p.meta"))  # the course id stays code, not escaped markup


def test_review_document_in_english_is_unchanged(tmp_path):
    project = new_course(tmp_path)
    assert course("review", "-o", "review.html", cwd=project).returncode == 0
    text = visible_text((project / "review.html").read_text(encoding="utf-8"))
    assert "Review document for subject-matter experts" in text
    assert "Pass mark: 75% · 3 of 4 right answers pass" in text


def test_error_box_in_each_language():
    problems = [
        "quizzes/q.yml:3: pass_mark must be a number",
        {"text": "quizzes/q.yml:9: x", "follows": "line 3"},
    ]
    for lang in ("es", "fr", "de", "ar", "he"):
        html = render_error("quiz", "q", problems, "quizzes/q.yml", Catalog(lang))
        text = visible_text(html)
        assert english_left(text, lang) == [], lang
        assert "<code>quizzes/q.yml</code>" in html and "&lt;code&gt;" not in html
    es = visible_text(render_error("quiz", "q", problems, "quizzes/q.yml", Catalog("es")))
    assert "No se puede mostrar el cuestionario (q): corrija quizzes/q.yml" in es
    assert "(consecuencia de line 3)" in es and "Son las líneas que muestra course check" in es
    page = visible_text(render_error("page", "a.md", problems, "content/a.md", Catalog("es")))
    assert "Esta página tiene 2 problemas: corrija content/a.md" in page
    hostile = render_error("quiz", "q", problems, "<b>x</b>.yml", Catalog("es"))
    assert "<b>" not in hostile  # a file name is text, never markup


def test_author_words_stay_out_of_the_browser_manifest():
    messages = Catalog("es").browser_messages()
    assert "quiz.check" in messages
    assert not [k for k in messages if k.startswith(AUTHOR_ONLY)]


def test_preview_error_box_in_spanish(tmp_path):
    project = make_project(tmp_path / "p", fixture="basic")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text().replace("theme:\n", "theme:\n  language: es\n", 1), encoding="utf-8")
    quiz = project / "quizzes" / "sample.yml"
    quiz.write_text(
        quiz.read_text().replace("questions:", "pass_mark: [oops\nquestions:", 1), encoding="utf-8"
    )
    with Serve(project, tmp_path / "serve.log") as serve:
        html = wait_for(serve.url + "index.html", "cq-build-error", 60, poll=0.3)
        assert html is not None, serve.output()
        html = fetch(serve.url + "index.html")
    box = BeautifulSoup(html, "html.parser").select_one(".cq-build-error")
    text = visible_text(str(box))
    assert "No se puede mostrar el cuestionario (sample): corrija quizzes/sample.yml" in text, text
    assert english_left(text, "es") == []
