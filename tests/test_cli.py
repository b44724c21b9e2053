"""The `course` command: schema, check summary, map errors, usage."""

from __future__ import annotations

import json

from builder.cli import main
from tests.helpers import REPO, course


def test_schema_to_stdout_is_json_schema_for_both_kinds(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    text = json.dumps(schema)
    for key in (
        "pass_mark",
        "questions",
        "true_false",
        "accept",
        "items",
        "nodes",
        "choices",
        "requires",
        "meters",
    ):
        assert key in text


def test_schema_to_file(tmp_path):
    out = tmp_path / "course.schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["title"]


def test_schema_validates_the_flagship_quizzes(tmp_path):
    """The JSON Schema an editor uses agrees with the builder about the shipped files."""
    import yaml
    from pydantic import TypeAdapter

    from builder.schema import Quiz, Scenario

    for path in sorted((REPO / "quizzes").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        TypeAdapter(Quiz if data["kind"] == "quiz" else Scenario).validate_python(data)


def test_check_on_the_flagship_is_clean():
    result = course("check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_map_of_unknown_scenario_fails_clearly(capsys):
    assert main(["-C", str(REPO), "map", "no-such-scenario"]) == 1
    assert "no scenario 'no-such-scenario'" in capsys.readouterr().err


def test_package_without_a_target_explains(capsys):
    assert main(["-C", str(REPO), "package"]) == 2
    assert "--scorm" in capsys.readouterr().err


def test_committed_schema_is_up_to_date(capsys):
    """course.schema.json (used by .vscode/settings.json) matches `course schema`."""
    assert main(["schema"]) == 0
    assert (REPO / "course.schema.json").read_text(encoding="utf-8") == capsys.readouterr().out
