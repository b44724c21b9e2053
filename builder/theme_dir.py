"""Where the builder's theme folder (``site_overrides/``: our templates, scripts and styles) is.

In a checkout or an editable install it is the repository's ``site_overrides/`` beside
``builder/``. A wheel (``pip install .``, not editable) cannot place a folder beside a package, so
pyproject.toml's ``[tool.setuptools.data-files]`` installs a copy under the environment's data
path, ``<prefix>/share/course-builder/site_overrides`` (``sysconfig.get_path("data")``; for a
``--user`` install the user base). Issue 11 (a non-editable install must build a working site).
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

SHARE = Path("share") / "course-builder" / "site_overrides"


def candidates() -> list[Path]:
    """The folders looked at, in order: the checkout's, then the installed copies."""
    found = [Path(__file__).resolve().parent.parent / "site_overrides"]
    for base in (sysconfig.get_path("data"), sys.prefix, getattr(site, "USER_BASE", None)):
        if base and (Path(base) / SHARE) not in found:
            found.append(Path(base) / SHARE)
    return found


def theme_dir() -> Path:
    """The first of ``candidates()`` that holds our scripts (``assets/course/quiz.js``); the
    checkout's path (which may not exist) when none does."""
    for path in candidates():
        if (path / "assets" / "course" / "quiz.js").is_file():
            return path
    return candidates()[0]
