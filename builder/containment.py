"""Nothing from outside the project (issue 11 item 4).

MkDocs follows symlinks in the docs folder and copies what they lead to into the site, and so
into the SCORM zip: ``content/leak.txt -> /etc/passwd`` would publish the server's password file.
Every entry of the content and quizzes folders (followed through links that stay inside) must
resolve inside the project folder, the one holding mkdocs.yml; each one that does not is an error
at its path. Hidden entries are skipped, as MkDocs does not publish them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .problems import Problem


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def outside_paths(
    root: Path, folders: list[Path], shown: Callable[[Path], str], also: list[Path] = ()
) -> list[Problem]:
    """One problem per path under ``folders`` (as configured, unresolved) that resolves outside
    ``root``: ``content/leak.txt:1: 'content/leak.txt' leads to /etc/passwd, outside the project…``.
    ``shown`` turns a path into what the author sees (relative to the current folder).
    ``also``: further folders a path may resolve into (a theme folder shared by several courses)."""
    root_real = os.path.realpath(root)
    extra_roots = [os.path.realpath(p) for p in also]
    problems: list[Problem] = []
    visited: set[str] = set()
    for folder in folders:
        if not os.path.lexists(folder):
            continue
        real = os.path.realpath(folder)
        if not any(_inside(real, r) for r in [root_real, *extra_roots]):
            problems.append(_problem(folder, real, root_real, shown))
            continue
        stack = [(folder, real)]
        while stack:
            here, here_real = stack.pop()
            if here_real in visited:
                continue
            visited.add(here_real)
            try:
                entries = sorted(os.scandir(here), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(here) / entry.name
                if entry.is_symlink():
                    target = os.path.realpath(path)
                    if not any(_inside(target, r) for r in [root_real, *extra_roots]):
                        problems.append(_problem(path, target, root_real, shown))
                    elif os.path.isdir(target):
                        stack.append((path, target))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((path, os.path.realpath(path)))
    return problems


def _problem(path: Path, target: str, root: str, shown: Callable[[Path], str]) -> Problem:
    display = shown(path)
    message = (
        f"'{display}' leads to {target}, outside the project folder {root}; nothing outside the "
        "project is published: copy what you need into the project, or remove the link"
    )
    return Problem(display, 1, message)


def theme_outside_paths(root: Path, custom_dir: str | None, shown: Callable[[Path], str]) -> list[Problem]:
    """The same rule for the theme folder (``theme.custom_dir``), whose files are published too.
    The folder itself may be a link to a theme shared by several courses; what is inside it must
    stay inside the project or inside that shared folder."""
    if not custom_dir:
        return []
    folder = Path(root, custom_dir)
    if not folder.is_dir():
        return []
    return outside_paths(root, [folder], shown, also=[folder])
