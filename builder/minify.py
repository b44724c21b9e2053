"""Minifying our own CSS and JS as shipped (issue 17 item 3).

Our scripts and styles are minified with esbuild (a well-kept minifier: it also renames local
variables and shortens syntax, about 10% less gzipped than stripping white space alone). esbuild is a
Node binary from npm, and a build must not need Node or the network, so its output is computed ahead:
``make minify`` (``python -m builder.minify``, with esbuild from ``tools/minify/``) writes one minified
copy of each source into ``builder/minified/`` and records the SHA-256 of the source it came from in
``builder/minified/index.json``. A build ships the stored copy of a file whose text is one of those
sources, byte for byte; any other text (a project's own edited copy of the theme, a source changed
since ``make minify``) is minified with rjsmin / rcssmin instead (pure Python: comments and white
space only). ``tests/test_minified.py`` fails while a stored copy is stale.

``minify_text(text, js)`` -> the minified text; ``minify_asset(path)`` rewrites one file in place
(the course manifest is generated compact and left alone; a missing file is skipped);
``minify_site(site_dir)`` minifies every course asset of a built site.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

COURSE_ASSETS = (
    "assets/course/theme.css",
    "assets/course/course.css",
    "assets/course/scenario.css",
    "assets/course/progress.css",
    "assets/course/storage.js",
    "assets/course/course.js",
    "assets/course/typed-answer.js",
    "assets/course/quiz.js",
    "assets/course/quiz-timer.js",
    "assets/course/scenario.js",
    "assets/course/progress.js",
    "assets/course/progress-page.js",
    "assets/course/xapi.js",
)

HERE = Path(__file__).resolve().parent
MINIFIED = HERE / "minified"  # esbuild's output, made by `make minify`
REPO = HERE.parent
# the sources `make minify` covers: every script and style sheet of the theme, and the SCORM adapter
SOURCE_GLOBS = (("site_overrides/assets/course", ("*.js", "*.css")), ("builder/package", ("scorm.js",)))
ESBUILD_TARGET = "es2020"  # the syntax our sources use (?? in progress.js); esbuild never raises it


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _stored() -> dict[str, str]:
    """{SHA-256 of a source: the file in builder/minified/ minified from it}."""
    try:
        index = json.loads((MINIFIED / "index.json").read_text(encoding="utf-8"))
        return {sha: name for name, sha in index["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def minify_text(text: str, js: bool) -> str:
    """``text`` minified as JavaScript (``js``) or CSS: esbuild's stored output when ``text`` is a
    source ``make minify`` saw, else rjsmin / rcssmin. A ``/*! ... */`` licence comment is kept."""
    name = _stored().get(digest(text))
    if name is not None:
        try:
            return (MINIFIED / name).read_text(encoding="utf-8")
        except OSError:
            pass
    if js:
        import rjsmin

        return rjsmin.jsmin(text, keep_bang_comments=True) + "\n"
    import rcssmin

    return rcssmin.cssmin(text, keep_bang_comments=True) + "\n"


def minify_asset(path: str) -> None:
    if path.endswith("manifest.js") or not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    small = minify_text(text, js=path.endswith(".js"))
    if small != text:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(small)


def minify_site(site_dir: str) -> None:
    """Minify every course asset of a built site in place."""
    for asset in COURSE_ASSETS:
        minify_asset(os.path.join(site_dir, *asset.split("/")))


# ---------------------------------------------------------------- make minify


def sources(repo: Path = REPO) -> list[Path]:
    """The files ``make minify`` minifies, sorted by name (names are unique)."""
    found = [p for folder, globs in SOURCE_GLOBS for g in globs for p in (repo / folder).glob(g)]
    return sorted((p for p in found if p.is_file()), key=lambda p: p.name)


def esbuild(binary: str, text: str, js: bool) -> str:
    """``text`` minified by the esbuild binary (``--minify``; for JS also ``--target=es2020``)."""
    import subprocess

    args = [binary, "--minify", f"--loader={'js' if js else 'css'}", "--log-level=warning"]
    if js:
        args.append(f"--target={ESBUILD_TARGET}")
    out = subprocess.run(args, input=text.encode("utf-8"), capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def esbuild_version(binary: str) -> str:
    import subprocess

    return subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def write_minified(binary: str, out: Path = MINIFIED, repo: Path = REPO) -> list[str]:
    """Minify every source with esbuild into ``out``; return the names written."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for path in sources(repo):
        text = path.read_text(encoding="utf-8")
        small = esbuild(binary, text, js=path.suffix == ".js")
        (out / path.name).write_text(small, encoding="utf-8", newline="\n")
        files[path.name] = digest(text)
    for old in out.iterdir():
        if old.name != "index.json" and old.name not in files:
            old.unlink()
    index = {
        "about": "made by `make minify` (builder/minify.py): esbuild's output for each source, by its SHA-256",
        "esbuild": esbuild_version(binary),
        "files": files,
    }
    (out / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _stored.cache_clear()
    return sorted(files)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Minify our JS and CSS with esbuild into builder/minified/.")
    parser.add_argument(
        "--esbuild", default=str(REPO / "tools" / "minify" / "node_modules" / ".bin" / "esbuild")
    )
    args = parser.parse_args(argv)
    for name in write_minified(args.esbuild):
        print(f"builder/minified/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
