"""Build the site programmatically (used by `course build` and `course package`)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path


def build_site(root: Path, site_dir: str | None = None, extra_config: dict | None = None) -> int:
    """Build like `mkdocs build`; return 0 on success, 1 on an author error (already printed)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _setup_logging()
    cwd = os.getcwd()
    os.chdir(root)
    # a slip in mkdocs.yml (or a file it inherits), a misspelt course setting: our located line,
    # not PyYAML's dump or MkDocs' unlocated "Unrecognised configuration name" (issue 12)
    from .config_yaml import config_problems
    from .problem_output import text_lines

    slips = config_problems(root / "mkdocs.yml")
    if slips:
        os.chdir(cwd)
        for line in text_lines(slips):
            print(line, file=sys.stderr)
        return 1
    try:
        overrides = dict(extra_config or {})
        if site_dir:
            overrides["site_dir"] = str(Path(cwd, site_dir).resolve())
        cfg = load_config(config_file=str(root / "mkdocs.yml"), **overrides)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        message = str(exc)
        if message and "Aborted with a BuildError" not in message:
            print(message, file=sys.stderr)
        return 1
    finally:
        os.chdir(cwd)
    return 0


class _Formatter(logging.Formatter):
    """MkDocs' ``LEVEL -  message`` lines, except a problem line, printed bare so that every one
    starts with ``path:line:`` as in ``course check`` (issue 12)."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "course_problem", False):
            return record.getMessage()
        return super().format(record)


def _setup_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


# ---------------------------------------------------------------- publishing a build (issue 11 item 3)


def building_dir(final: str) -> str:
    """A new, empty folder beside ``final`` for this build to write into.

    Its name comes from ``mkdtemp`` (``.site.building-XXXXXXXX``), so it can never be a folder of
    the user's; it is hidden, so a web root or a `make clean` glob never mistakes it for a site.
    """
    final = os.path.abspath(final.rstrip("/\\") or final)
    parent, name = os.path.split(final)
    os.makedirs(parent or ".", exist_ok=True)
    return tempfile.mkdtemp(prefix=f".{name}.building-", dir=parent or ".")


def discard(building: str) -> None:
    """Delete a folder :func:`building_dir` made (a failed build); never anything else."""
    if building and os.path.basename(building).startswith(".") and ".building-" in building:
        shutil.rmtree(building, ignore_errors=True)


def publish(building: str, final: str) -> None:
    """Put a finished build in place of ``final``; the last good site stays until this succeeds.

    - ``final`` missing: the build folder is renamed to it.
    - ``final`` a plain folder: it is renamed to a fresh ``mkdtemp`` name, the build takes its
      place, and only then is the old one deleted (two renames: no moment without a site).
    - ``final`` a symlink (e.g. to the web root) or a mount point: the link or mount stays; the
      build is synced into the folder it leads to (new files first, each replaced atomically, then
      the files an earlier build wrote there that are gone; nothing else there is touched) and
      the build folder is deleted.

    Raises OSError (with the reason) when ``final`` is something else, such as a file.
    """
    final = os.path.abspath(final.rstrip("/\\") or final)
    _open_permissions(building)
    if os.path.islink(final) or os.path.ismount(final):
        target = os.path.realpath(final)
        if not os.path.isdir(target):
            raise OSError(f"site folder {final} leads to {target}, which is not a folder")
        _sync(building, target)
        shutil.rmtree(building, ignore_errors=True)
        return
    if os.path.lexists(final) and not os.path.isdir(final):
        raise OSError(f"site folder {final} exists and is not a folder; move it away")
    if not os.path.exists(final):
        os.replace(building, final)
        return
    parent, name = os.path.split(final)
    old = tempfile.mkdtemp(prefix=f".{name}.old-", dir=parent)
    os.replace(final, old)  # renaming over an empty folder is allowed (POSIX rename)
    try:
        os.replace(building, final)
    except OSError:
        os.replace(old, final)  # put the last good site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _open_permissions(folder: str) -> None:
    """mkdtemp makes a private (0700) folder; a site must be readable like any folder (umask)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)


SYNC_LIST = ".course-files"  # in a synced folder: the files the last build wrote there


def _sync(source: str, target: str) -> None:
    """Make ``target`` hold what ``source`` holds, replacing each file atomically.

    Files the previous sync wrote (listed in ``target/.course-files``) that this build no longer
    has are deleted, and folders they leave empty; nothing else in ``target`` is touched, so
    files an admin keeps beside the course (``robots.txt``, ``.well-known/``) stay.
    """
    listing = os.path.join(target, SYNC_LIST)
    try:
        with open(listing, encoding="utf-8") as f:
            before = {line for line in f.read().split("\n") if line}
    except OSError:
        before = set()
    written: list[str] = []
    for folder, _dirs, files in os.walk(source):
        rel = os.path.relpath(folder, source)
        dest_dir = target if rel == "." else os.path.join(target, rel)
        if os.path.islink(dest_dir) or (os.path.lexists(dest_dir) and not os.path.isdir(dest_dir)):
            os.remove(dest_dir)
        os.makedirs(dest_dir, exist_ok=True)
        for name in sorted(files):
            dest = os.path.join(dest_dir, name)
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)
            tmp = os.path.join(dest_dir, f".{name}.sync-{os.getpid()}")
            shutil.copy2(os.path.join(folder, name), tmp)
            os.replace(tmp, dest)
            written.append(os.path.normpath(os.path.join(rel, name)).replace(os.sep, "/"))
    for gone in sorted(before - set(written), reverse=True):
        path = os.path.normpath(os.path.join(target, gone))
        if not path.startswith(os.path.join(target, "")) or not os.path.isfile(path):
            continue  # a listing edited by hand cannot reach outside the folder
        os.remove(path)
        parent = os.path.dirname(path)
        while parent != os.path.normpath(target) and not os.listdir(parent):
            os.rmdir(parent)
            parent = os.path.dirname(parent)
    tmp = listing + f".{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(written)) + "\n")
    os.replace(tmp, listing)
