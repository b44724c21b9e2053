"""Build the site programmatically (used by `course build` and `course package`)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path


def build_site(root: Path, site_dir: str | None = None, extra_config: dict | None = None) -> int:
    """Build like `mkdocs build`; return 0 on success, 1 on an author error (already printed)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _setup_logging()
    cwd = os.getcwd()
    os.chdir(root)
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


def _setup_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
