"""The flagship course meets its own bar: structure, sizes, links, readability, own words."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.course import Course
from tests.helpers import REPO

CONTENT = REPO / "content"
# English modules; their Spanish versions (x.es.md, issue 14) are checked in their own tests below
MODULES = sorted(p for p in (CONTENT / "modules").glob("*.md") if not p.name.endswith(".es.md"))
SPANISH = sorted((CONTENT / "modules").glob("*.es.md")) + sorted((REPO / "quizzes" / "es").glob("*.yml"))
SCENARIOS = sorted((REPO / "quizzes").glob("practice-*.yml"))
SEED_TOOL = REPO.parent / "shared" / "tools" / "seed_overlap.py"


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(REPO, "content", "quizzes")


def _objectives(text: str) -> list[str]:
    match = re.search(r"^## Learning objectives\s*\n((?:\s*[-*] .+\n?)+)", text, re.M)
    return re.findall(r"^\s*[-*] (.+)$", match.group(1), re.M) if match else []


def test_there_are_nine_modules():
    assert len(MODULES) == 9


@pytest.mark.parametrize("page", MODULES, ids=lambda p: p.stem)
def test_module_has_objectives_and_a_mixed_quiz_of_five(page: Path, course: Course):
    text = page.read_text(encoding="utf-8")
    assert 2 <= len(_objectives(text)) <= 4, "2-4 learning objectives under '## Learning objectives'"
    quizzes = [e for e in course.embeds if e.page == f"modules/{page.name}" and e.kind == "quiz"]
    assert quizzes, "the module embeds a knowledge check"
    quiz = course.items[quizzes[0].id].model
    assert len(quiz.questions) >= 5
    assert len({q.type for q in quiz.questions}) >= 3, "question types are mixed"
    for q in quiz.questions:
        for option in getattr(q, "options", []):
            assert option.feedback, f"{q.id}: every option explains why"


def test_modules_link_to_the_scenarios_that_practise_them():
    for page in MODULES[1:8]:
        assert re.search(r"\]\(\.\./practice/[a-z-]+\.md\)", page.read_text(encoding="utf-8")), page.name


def test_final_assessment(course: Course):
    final = course.items["final-assessment"].model
    assert len(final.questions) >= 12
    assert final.pass_mark == 80


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_size_endings_meters_and_debriefs(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    nodes = data["nodes"]
    assert len(nodes) >= 12
    endings = [n["ending"] for n in nodes.values() if n.get("ending")]
    assert {"success", "partial", "failure"} <= set(endings)
    assert {"calm", "trust"} <= set(data["meters"])
    for nid, node in nodes.items():
        if node.get("ending"):
            links = re.findall(r"\]\((modules/[^)#]+\.md)", node["text"])
            assert links, f"{nid}: the debrief links to a module"
            for link in links:
                assert (CONTENT / link).is_file(), f"{nid}: {link} does not exist"


def test_four_practice_scenarios_are_embedded(course: Course):
    embedded = {e.id for e in course.embeds if e.kind == "scenario"}
    assert {p.stem for p in SCENARIOS} <= embedded
    assert len(SCENARIOS) >= 4


def test_reference_pages_exist():
    for name in ("quick-card", "glossary", "sources"):
        assert (CONTENT / "reference" / f"{name}.md").is_file()
    home = (CONTENT / "index.md").read_text(encoding="utf-8")
    assert "min" in home and "modules/02-not-personal.md" in home


def _plain(text: str) -> str:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^\s*\|?[-:| ]+\|?\s*$", " ", text, flags=re.M)  # table rules
    text = re.sub(r"^\s*[-*] ", "", text, flags=re.M)
    text = re.sub(r"[#*_>|\[\]`]", " ", text)
    return text


def _yaml_text(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, v in value.items():
                if key in ("prompt", "text", "feedback", "explanation", "title"):
                    out.append(str(v) if not isinstance(v, (dict, list)) else "")
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return "\n".join(t if t.rstrip().endswith((".", "?", "!", '"')) else t + "." for t in out)


@pytest.mark.parametrize(
    "path",
    MODULES + sorted((REPO / "quizzes").glob("*.yml")),
    ids=lambda p: p.name,
)
def test_plain_english_grade_9_or_lower(path: Path):
    import textstat

    text = _plain(path.read_text(encoding="utf-8")) if path.suffix == ".md" else _yaml_text(path)
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= 9, f"{path.name}: Flesch-Kincaid grade {grade}"


@pytest.mark.skipif(
    not SEED_TOOL.is_file(), reason="../shared/tools/seed_overlap.py is not beside the project"
)
def test_no_sentence_copied_from_the_sources():
    result = subprocess.run(
        [sys.executable, str(SEED_TOOL), "content", "quizzes"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().endswith("runs: 0"), result.stdout[-2000:]


@pytest.mark.parametrize("path", SPANISH, ids=lambda p: p.name)
def test_plain_spanish(path: Path):
    """Spanish readability with textstat's Spanish formulas (issue 14 item 5): syllables from Pyphen's
    Spanish hyphenation dictionary; Fernández Huerta as corrected (206.84 - 60 x syllables per word
    - 1.02 x words per sentence) at 60 or more, and Szigriszt-Pazos' perspicuity at 55 or more:
    both "normal" or easier on the INFLESZ scale, about the English grade-9 bar above."""
    import textstat

    text = _plain(path.read_text(encoding="utf-8")) if path.suffix == ".md" else _yaml_text(path)
    textstat.set_lang("es")
    try:
        huerta, pazos = textstat.fernandez_huerta(text), textstat.szigriszt_pazos(text)
    finally:
        textstat.set_lang("en_US")
    assert huerta >= 60, f"{path.name}: Fernández Huerta {huerta}"
    assert pazos >= 55, f"{path.name}: Szigriszt-Pazos {pazos}"


@pytest.mark.skipif(
    not SEED_TOOL.is_file() or not SPANISH, reason="no seed tool beside the project, or no Spanish files yet"
)
def test_no_sentence_copied_into_the_spanish_course(tmp_path: Path):
    """The seed-overlap check over the Spanish files, with accents folded first: the tool's words are
    ASCII, so "lección" would otherwise count as the two words "lecci" and "n"."""
    import unicodedata

    spanish = sorted(CONTENT.rglob("*.es.md")) + sorted((REPO / "quizzes" / "es").glob("*.yml"))
    for path in spanish:
        text = unicodedata.normalize("NFKD", path.read_text(encoding="utf-8"))
        folded = "".join(c for c in text if not unicodedata.combining(c))
        out = tmp_path / path.relative_to(REPO)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(folded, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SEED_TOOL), "--seeds", str(SEED_TOOL.parent.parent / "seeds"), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().endswith("runs: 0"), result.stdout[-2000:]
