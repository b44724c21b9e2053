"""Interface strings in a catalog chosen by ``theme.language`` (issue 14 item 1), without a browser."""

from __future__ import annotations

import json
import re

import pytest

from builder.i18n_markup import translate_markup
from builder.messages import HERE, Catalog, english, message_problems
from builder.package import cmi5, scorm
from tests.helpers import build_ok, course, soup
from tests.i18n_project import neutral_project

SHIPPED = ("en", "es", "fr", "de", "ar", "he")


@pytest.mark.parametrize("lang", SHIPPED)
def test_shipped_catalogs_are_complete_and_keep_placeholders(lang):
    own = json.loads((HERE / f"{lang}.json").read_text(encoding="utf-8"))
    assert set(own) == set(english())
    assert Catalog(lang).missing() == []
    for key, message in english().items():
        want = set(re.findall(r"\{([a-z_]+)\}", json.dumps(message)))
        have = set(re.findall(r"\{([a-z_]+)\}", json.dumps(own[key])))
        assert want == have, (lang, key)
        if isinstance(message, dict):
            assert "other" in own[key], (lang, key)


def test_plurals_and_ordinals_follow_cldr():
    assert Catalog("en").t("quiz.meta", count=1, pass_mark=80) == "1 question. Pass mark: 80%."
    assert Catalog("en").t("quiz.meta", count=6, pass_mark=80) == "6 questions. Pass mark: 80%."
    assert [Catalog("en").t("quiz.place", n=n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]  # fmt: skip
    assert [Catalog("fr").t("quiz.place", n=n) for n in (1, 2)] == ["1re", "2e"]
    assert Catalog("de").t("quiz.place", n=3) == "3."
    assert Catalog("es").t("quiz.place", n=3) == "3.º"
    assert Catalog("fr").t("progress.tries", count=0).endswith("0 essai")  # French: 0 is singular
    assert Catalog("de").t("quiz.meta", count=1, pass_mark=75) == "1 Frage. Bestehensgrenze: 75 %."
    # a language without a catalog: English words with English rules (not "2th")
    assert Catalog("ja").t("quiz.place", n=2) == "2nd"
    assert Catalog("es-MX").t("quiz.check") == Catalog("es").t("quiz.check")


def test_shipped_catalogs_are_listed():
    """Every catalog file is a shipped language, and the right-to-left ones are in RTL."""
    assert {p.stem for p in HERE.glob("*.json")} == set(SHIPPED)
    assert Catalog("ar").dir == Catalog("he-IL").dir == "rtl" and Catalog("es").dir == "ltr"


def _plain(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


def test_arabic_and_hebrew_plural_forms():
    """Arabic has all six CLDR cardinal categories, Hebrew one/two/other (CLDR 42+; older 'many' too)."""
    ar = [_plain(Catalog("ar").t("quiz.meta", count=n, pass_mark=80)) for n in (0, 1, 2, 3, 11, 100)]
    assert ar == [
        "0 سؤال. درجة النجاح: 80%.", "سؤال واحد. درجة النجاح: 80%.", "سؤالان. درجة النجاح: 80%.",
        "3 أسئلة. درجة النجاح: 80%.", "11 سؤالًا. درجة النجاح: 80%.", "100 سؤال. درجة النجاح: 80%."]  # fmt: skip
    he = [_plain(Catalog("he").t("quiz.time.minutes", n=n)) for n in (1, 2, 5, 20)]
    assert he == ["דקה אחת", "שתי דקות", "5 דקות", "20 דקות"]
    for lang, forms in (
        ("ar", {"zero", "one", "two", "few", "many", "other"}),
        ("he", {"one", "two", "many", "other"}),
    ):
        for key, message in english().items():
            if isinstance(message, dict) and message.get("_type") != "ordinal":
                assert set(Catalog(lang).messages[key]) == forms, (lang, key)
    # a string in English may be plural forms in Arabic: the category comes from {n}
    assert _plain(Catalog("ar").t("quiz.attemptsLeft", n=2)) == "بقيت لك محاولتان."
    assert _plain(Catalog("ar").t("quiz.attemptsLeft", n=5)) == "بقيت لك 5 محاولات."


def test_placeholders_are_bidi_isolated_in_right_to_left_languages():
    """A number or a name put into an RTL sentence sits between FSI and PDI (UAX #9), so "3 of 7"
    and an English course title keep their order; left-to-right catalogs are left as they are."""
    ar = Catalog("ar")
    assert ar.t("quiz.question_number", n=3, total=7) == "السؤال \u20683\u2069 من \u20687\u2069."
    assert ar.t("quiz.bestScore", best=80) == "أفضل نتيجة لك: \u206880%\u2069."  # the % goes with it
    assert ar.t("quiz.next", title="Safety 101") == "التالي: \u2068Safety 101\u2069"
    plural = Catalog("he").messages["quiz.meta"]
    assert plural["other"].startswith("\u2068{count}\u2069 ")
    # the author's words are isolated too, and English fallbacks in an RTL language without a catalog
    assert (
        Catalog("he", {"quiz.next": "Next up: {title}"}).t("quiz.next", title="x") == "Next up: \u2068x\u2069"
    )
    assert Catalog("fa").t("quiz.question_number", n=1, total=2) == "Question \u20681\u2069 of \u20682\u2069."
    assert "\u2068" not in json.dumps(Catalog("fr").messages, ensure_ascii=False)
    assert "\u2068" not in (HERE / "ar.json").read_text(encoding="utf-8")  # the files stay plain


def test_author_overrides_win_and_bad_ones_are_ignored():
    cat = Catalog("fr", {"quiz.check": "Corriger", "quiz.nope": "x", "quiz.retry": 3})
    assert cat.t("quiz.check") == "Corriger"
    assert cat.t("quiz.retry") == Catalog("fr").t("quiz.retry")
    assert "quiz.nope" not in cat.messages


def test_overrides_per_language_version():
    words = {"quiz.check": "Check my answers", "es": {"quiz.check": "Corregir", "quiz.chek": "x"}}
    assert Catalog("en", words).t("quiz.check") == "Check my answers"
    assert Catalog("es", words).t("quiz.check") == "Corregir"
    (problem,) = message_problems(None, "mkdocs.yml", "es", words)
    assert "unknown key 'quiz.chek'" in problem.message


def test_message_problems_are_located_warnings(tmp_path):
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(
        "site_name: x\ntheme:\n  name: material\n  language: es\nplugins:\n  - course:\n      id: x\n"
        "      messages:\n        quiz.chek: Comprobar\n        quiz.retry: Otra vez\n"
        "        quiz.next: Siguiente\n",
        encoding="utf-8",
    )
    overrides = {"quiz.chek": "Comprobar", "quiz.retry": "Otra vez", "quiz.next": "Siguiente"}
    lines = [str(p) for p in message_problems(str(cfg), "mkdocs.yml", "es", overrides)]
    assert lines == [
        "mkdocs.yml:9: warning: messages: unknown key 'quiz.chek'; did you mean 'quiz.check'?",
        "mkdocs.yml:11: warning: messages: 'quiz.next' leaves out {title}",
    ]
    # a language with no catalog
    (problem,) = message_problems(str(cfg), "mkdocs.yml", "it", None)
    assert problem.line == 4 and "no interface catalog" in problem.message and problem.severity == "warning"


def test_missing_catalog_keys_are_reported(monkeypatch):
    from builder import messages

    partial = dict(messages.catalog_file("de"))
    del partial["quiz.check"], partial["scenario.ask"]
    real = messages.catalog_file
    monkeypatch.setattr(messages, "catalog_file", lambda lang: partial if lang == "de" else real(lang))
    cat = Catalog("de")
    assert cat.missing() == ["quiz.check", "scenario.ask"]
    assert cat.t("quiz.check") == "Check answers"  # English fallback
    (problem,) = message_problems(None, "mkdocs.yml", "de", None)
    assert "lacks 2 key(s), shown in English: quiz.check, scenario.ask;" in problem.message
    assert message_problems(None, "mkdocs.yml", "de", {"quiz.check": "Prüfen", "scenario.ask": "Und?"}) == []


def test_course_check_warns_about_messages(tmp_path):
    project = neutral_project(tmp_path / "p", "es", extra="      messages:\n        quiz.chek: Comprobar\n")
    result = course("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    line = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(
        "        quiz.chek: Comprobar"
    ) + 1
    assert (
        f"mkdocs.yml:{line}: warning: messages: unknown key 'quiz.chek'; did you mean 'quiz.check'?"
        in result.stdout
    )


def test_build_uses_the_language_and_the_authors_words(tmp_path):
    project = neutral_project(
        tmp_path / "p", "fr", extra='      messages:\n        quiz.check: "Voir mes résultats"\n'
    )
    site = build_ok(project)
    page = soup(site / "probatio.html")
    assert page.select_one('[data-action="check"]').get_text() == "Voir mes résultats"
    assert page.select_one(".cq-quiz__meta").get_text() == "5 questions. Seuil de réussite : 80 %."
    assert [o.get_text() for o in page.select(".cq-order__select option")][:3] == [
        "Choisissez sa place",
        "1re",
        "2e",
    ]
    assert page.select_one(".cq-nojs").get_text().startswith("La vérification des réponses")
    scenario = soup(site / "fabula.html")
    assert scenario.select_one(".cq-choices__ask").get_text() == "Que faites-vous ?"
    assert scenario.select_one("[data-meter]")["aria-valuetext"] == "1 sur 3"
    progress = soup(site / "progress.html")
    assert progress.select_one('[data-action="export"]').get_text() == "Télécharger ma progression"
    assert progress.select_one("[data-msg]")["data-wrong"].startswith("Ce fichier n’est pas")
    assert progress.select_one("input[type=file]")["aria-label"] == "Fichier de progression"
    cert = soup(site / "completion.html")
    assert cert.select_one(".cq-cert__kicker").get_text() == "Attestation de réussite"
    assert (
        soup(site / "index.html").select_one('label[for="__drawer"] .cq-visually-hidden').get_text() == "Menu"
    )
    manifest = (site / "assets" / "course" / "manifest.js").read_text(encoding="utf-8")
    assert '"language":"fr"' in manifest and '"quiz.check":"Voir mes résultats"' in manifest


def test_english_build_keeps_its_words(tmp_path):
    site = build_ok(neutral_project(tmp_path / "p", "en"))
    page = soup(site / "probatio.html")
    assert page.select_one('[data-action="check"]').get_text() == "Check answers"
    assert page.select_one(".cq-question__number").get_text() == "Question 1 of 5."
    assert [o.get_text() for o in page.select(".cq-order__select option")][1:4] == ["1st", "2nd", "3rd"]


def test_translate_markup_text_and_attributes():
    html = (
        '<p class="x" data-i18n="quiz.check">Check answers</p>'
        '<button data-i18n="nope">Keep</button>'
        '<p data-i18n="quiz.retry">has <b>child</b></p>'
        '<div aria-label="Old" data-i18n-attr="aria-label: quiz.retake; data-x: quiz.retry"></div>'
    )
    out = translate_markup(html, Catalog("de"))
    assert '<p class="x" data-i18n="quiz.check">Antworten prüfen</p>' in out
    assert '<button data-i18n="nope">Keep</button>' in out
    assert "has <b>child</b>" in out  # only plain text is replaced
    assert 'aria-label="Quiz neu beginnen"' in out and 'data-x="Noch einmal versuchen"' in out


@pytest.mark.parametrize("lang", ["es", "he"])
def test_launch_pages_speak_the_course_language(lang):
    cat = Catalog(lang)
    manifest = {"title": "Cursus", "language": cat.lang, "dir": cat.dir, "messages": cat.messages}
    page = scorm.launch_page(manifest)
    assert f'<html lang="{lang}" dir="{cat.dir}">' in page
    assert f">{cat.t('launch.open')}</a>" in page
    page = cmi5.launch_page(manifest)
    assert f">{cat.t('launch.exit')}</button>" in page
    assert f'data-saved="{cat.t("launch.saved")}"' in page
