"""Our JS and CSS ship minified by esbuild (issue 17 item 3): `make minify` stores esbuild's output in
builder/minified/ with the SHA-256 of each source; a build ships the stored copy of a source it knows
and falls back to rjsmin / rcssmin for any other text (builder/minify.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from builder import minify

REPO = Path(__file__).resolve().parent.parent
ESBUILD = REPO / "tools" / "minify" / "node_modules" / ".bin" / "esbuild"
NODE = shutil.which("node")
INDEX = json.loads((minify.MINIFIED / "index.json").read_text(encoding="utf-8"))


def test_stored_copies_are_fresh():
    """Fails when a script or style sheet changed since `make minify`: run it and commit the result."""
    want = {p.name: minify.digest(p.read_text(encoding="utf-8")) for p in minify.sources()}
    stale = sorted(n for n in want if INDEX["files"].get(n) != want[n])
    extra = sorted(set(INDEX["files"]) - set(want))
    assert not stale and not extra, (
        f"run `make minify` and commit builder/minified/ (stale: {stale}, gone: {extra})"
    )
    assert {p.name for p in minify.MINIFIED.iterdir()} == set(want) | {"index.json"}


@pytest.mark.parametrize("path", minify.sources(), ids=lambda p: p.name)
def test_build_ships_the_stored_copy(path):
    text = path.read_text(encoding="utf-8")
    small = minify.minify_text(text, js=path.suffix == ".js")
    assert small == (minify.MINIFIED / path.name).read_text(encoding="utf-8")
    assert len(small) < len(text) and small.endswith("\n")


def test_unknown_text_falls_back_to_rjsmin():
    assert minify.minify_text("var a = 1; // note\n", js=True) == "var a=1;\n"
    assert minify.minify_text("a { b: c; } /* x */\n", js=False) == "a{b:c}\n"


@pytest.mark.skipif(not ESBUILD.is_file(), reason="esbuild not installed (make js-deps)")
@pytest.mark.parametrize("path", minify.sources(), ids=lambda p: p.name)
def test_esbuild_gives_the_stored_copy(path):
    """The pinned esbuild (tools/minify/package.json) reproduces every stored copy."""
    assert minify.esbuild_version(str(ESBUILD)) == INDEX["esbuild"]
    text = path.read_text(encoding="utf-8")
    assert minify.esbuild(str(ESBUILD), text, js=path.suffix == ".js") == (
        minify.MINIFIED / path.name
    ).read_text(encoding="utf-8")


@pytest.mark.skipif(NODE is None, reason="no Node.js to check JavaScript syntax")
@pytest.mark.parametrize("name", sorted(n for n in INDEX["files"] if n.endswith(".js")))
def test_stored_js_is_valid(name):
    result = subprocess.run(
        [NODE, "--check", str(minify.MINIFIED / name)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
