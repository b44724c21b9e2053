"""A non-editable install (``pip install .``) ships the theme folder the plugin needs (issue 11):
the wheel holds every file of site_overrides/ as data for ``share/course-builder/site_overrides``
(pyproject.toml ``[tool.setuptools.data-files]``), and a course built with the installed copy
gets our scripts without the plugin's "site_overrides/ were not found" warning."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO, make_project

DATA = "share/course-builder/site_overrides/"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("course_builder-*.whl")
    return found


def test_the_wheel_holds_the_theme_folder(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.split(DATA, 1)[1] for n in names if ".data/data/" + DATA in n}
    theme = {
        p.relative_to(REPO / "site_overrides").as_posix()
        for p in (REPO / "site_overrides").rglob("*")
        if p.is_file()
    }
    assert theme and shipped == theme, sorted(theme ^ shipped)
    assert "builder/theme_dir.py" in names and "builder/minified/quiz.js" in names


def test_a_course_builds_with_the_installed_copy(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    py = env_dir / "bin" / "python"
    target = Path(subprocess.check_output([str(py), "-c", "import sysconfig;print(sysconfig.get_path('purelib'))"], text=True).strip())  # fmt: skip
    done = subprocess.run(
        # --ignore-installed: leave this test run's own (editable) install of the builder alone
        [sys.executable, "-m", "pip", "install", "--no-deps", "--ignore-installed", "-q", "--prefix", str(env_dir), str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert (target / "builder" / "plugin.py").is_file()
    assert (env_dir / DATA / "assets" / "course" / "quiz.js").is_file()
    project = make_project(tmp_path / "p", fixture="basic")
    (project / "site_overrides").unlink()  # the project has no copy of its own: the builder's is used
    yml = project / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("  custom_dir: site_overrides\n", ""), encoding="utf-8"
    )
    # the installed builder, with this test run's libraries (mkdocs, Material, …) after it
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), sysconfig.get_path("purelib")]))
    done = subprocess.run(
        [str(py), "-c", "import builder; print(builder.__file__)"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )  # fmt: skip
    assert done.stdout.startswith(str(target)), done.stdout
    done = subprocess.run(
        [str(py), "-m", "mkdocs", "build", "-f", str(yml)], cwd=project, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "were not found" not in done.stderr
    assert (project / "site" / "assets" / "course" / "quiz.js").is_file()
