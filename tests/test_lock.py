"""Locked, reproducible installs (issue 11 item 10).

`make` installs every environment from hashed lock files in requirements/ (`pip install
--require-hashes --no-deps`), pip and setuptools included, so two fresh installs hold the same
files and build byte-identical sites.  These tests hold the lock to pyproject.toml, hold the
installed environment to the lock, and build the flagship from a second fresh install.
"""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import REPO

REQ = REPO / "requirements"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^ \\;]+)")


def pins(lock: Path) -> dict[str, str]:
    """name -> version for every `name==version` line of a lock file; each must carry hashes."""
    out: dict[str, str] = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text(encoding="utf-8"))
    for entry in entries:
        m = PIN.match(entry.strip())
        if not m:
            continue
        assert "--hash=sha256:" in entry, f"{lock.name}: {m.group(1)} has no hash"
        out[canonicalize_name(m.group(1))] = m.group(2)
    return out


def project_requirements(extra: str | None = None) -> list[Requirement]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in data["dependencies"]]
    if extra:
        reqs += [Requirement(r) for r in data["optional-dependencies"][extra]]
    return reqs


@pytest.mark.parametrize(("lock", "extra"), [("serve.lock", None), ("test.lock", "test")])
def test_lock_pins_every_dependency_of_pyproject_within_its_range(lock, extra):
    pinned = pins(REQ / lock)
    for req in project_requirements(extra):
        if req.marker and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        assert name in pinned, f"{lock} does not pin {req.name}: run `make lock`"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {req.name}=={pinned[name]}, outside {req.specifier}: run `make lock`"
        )
    for tool in ("pip", "setuptools"):
        assert tool in pinned, f"{lock} does not pin {tool}"


def test_serve_lock_is_the_test_lock_without_the_test_tools():
    serve, test = pins(REQ / "serve.lock"), pins(REQ / "test.lock")
    differ = {n: (v, test.get(n)) for n, v in serve.items() if test.get(n) != v}
    assert not differ, f"serve.lock and test.lock disagree: {differ}"


@pytest.mark.parametrize("lock", ["lms.lock", "lrs.lock", "zensical.lock"])
def test_test_services_are_locked_with_hashes(lock):
    assert len(pins(REQ / lock)) > 5


def test_the_environment_running_the_tests_is_the_lock():
    """What `make test` installed is exactly what test.lock pins (nothing newer crept in)."""
    if Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        pytest.skip("not running in the project's .venv (made by make from the lock)")
    pinned = pins(REQ / "test.lock")
    wrong = {}
    for dist in metadata.distributions():
        where = Path(getattr(dist, "_path", "")).parent
        if where.name != "site-packages":  # copies vendored inside a package (setuptools/_vendor)
            continue
        name = canonicalize_name(dist.metadata["Name"])
        if name == "course-builder":
            continue
        if name in pinned and pinned[name] != dist.version:
            wrong[name] = (dist.version, pinned[name])
    assert not wrong, f"installed versions differ from test.lock (installed, locked): {wrong}"


@pytest.mark.skipif(
    not os.environ.get("CI") and not os.environ.get("COURSE_SLOW_TESTS"), reason="slow: CI only"
)
def test_a_second_fresh_install_builds_a_byte_identical_site(tmp_path, flagship_site):
    """A fresh virtual environment from serve.lock builds the same bytes as the test environment."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    pip = [str(py), "-m", "pip", "install", "-q", "--require-hashes", "--no-deps"]
    subprocess.run([*pip, "-r", str(REQ / "serve.lock")], check=True)
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e", str(REPO)],
        check=True,
    )
    out = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [str(venv / "bin" / "mkdocs"), "build", "-q", "-d", str(out)], cwd=REPO, env=env, check=True
    )
    mismatch = _differences(filecmp.dircmp(flagship_site, out))
    assert not mismatch, f"the two installs built different files: {mismatch[:10]}"


def _differences(cmp: filecmp.dircmp, prefix: str = "") -> list[str]:
    out = [prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files]
    _, bad, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
    out += [prefix + n for n in bad + errors]
    for name, sub in cmp.subdirs.items():
        out += _differences(sub, f"{prefix}{name}/")
    return out
