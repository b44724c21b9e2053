"""Nothing from outside the project is published (issue 11 item 4).

A symlink in content/ or quizzes/ (a file or a whole folder) that resolves outside the project
folder is an error at its path in `course check`, `mkdocs build` and `course package`, and nothing
it leads to reaches the site or the zip. Links that stay inside the project are fine.
"""

from __future__ import annotations

import re

from tests.helpers import course, make_project, mkdocs_build

PAGE = "# Welcome\n\nHello.\n"


def hostile_project(tmp_path):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("TOP-SECRET-VALUE\n", encoding="utf-8")
    (outside / "folder" / "notes.md").write_text("# Notes\n\nTOP-SECRET-VALUE\n", encoding="utf-8")
    (outside / "quiz.yml").write_text("kind: quiz\ntitle: x\n", encoding="utf-8")
    proj = make_project(tmp_path / "proj", {"content/index.md": PAGE, "notes/inside.md": "# In\n"})
    (proj / "content" / "leak.txt").symlink_to(outside / "secret.txt")
    (proj / "content" / "shared").symlink_to(outside / "folder", target_is_directory=True)
    (proj / "quizzes" / "borrowed.yml").symlink_to(outside / "quiz.yml")
    (proj / "content" / "inside.md").symlink_to(proj / "notes" / "inside.md")  # inside: fine
    return proj


def located(output: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"(?:^|\s)([^\s:]+):\d+: .*outside the project", output, re.M)}


def test_check_reports_every_link_out_of_the_project_at_its_path(tmp_path):
    proj = hostile_project(tmp_path)
    result = course("check", cwd=proj)
    assert result.returncode == 1
    assert located(result.stdout) == {"content/leak.txt", "content/shared", "quizzes/borrowed.yml"}
    assert "content/inside.md" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_build_and_package_fail_and_publish_nothing_from_outside(tmp_path):
    proj = hostile_project(tmp_path)
    result = mkdocs_build(proj)
    assert result.returncode != 0
    assert located(result.stderr) == {"content/leak.txt", "content/shared", "quizzes/borrowed.yml"}
    assert not (proj / "site").exists()
    zipped = course("package", "--scorm", "out.zip", cwd=proj)
    assert zipped.returncode != 0 and not (proj / "out.zip").exists()
    assert "content/leak.txt" in zipped.stderr


def test_a_content_folder_outside_the_project_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.md").write_text(PAGE, encoding="utf-8")
    proj = make_project(tmp_path / "proj")
    (proj / "content").rmdir()
    (proj / "content").symlink_to(elsewhere, target_is_directory=True)
    result = course("check", cwd=proj)
    assert result.returncode == 1
    assert located(result.stdout) == {"content"}


def test_links_inside_the_project_still_build(tmp_path):
    proj = make_project(tmp_path / "proj", {"notes/inside.md": "# Inside\n", "content/index.md": PAGE})
    (proj / "content" / "inside.md").symlink_to(proj / "notes" / "inside.md")
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    assert (proj / "site" / "inside.html").is_file()


def test_a_link_out_of_the_theme_folder_is_refused_but_a_shared_theme_folder_is_fine(tmp_path):
    """make_project links site_overrides/ to the repository's (a shared theme folder): fine.
    A file inside a project's own theme folder that leads outside is not."""
    outside = tmp_path / "outside.txt"
    outside.write_text("TOP-SECRET-VALUE\n", encoding="utf-8")
    proj = make_project(tmp_path / "proj", {"content/index.md": PAGE})
    assert course("check", cwd=proj).returncode == 0
    (proj / "site_overrides").unlink()
    (proj / "site_overrides" / "assets").mkdir(parents=True)
    (proj / "site_overrides" / "assets" / "leak.txt").symlink_to(outside)
    result = course("check", cwd=proj)
    assert result.returncode == 1
    assert located(result.stdout) == {"site_overrides/assets/leak.txt"}
    build = mkdocs_build(proj)
    assert build.returncode != 0 and "site_overrides/assets/leak.txt" in build.stderr
