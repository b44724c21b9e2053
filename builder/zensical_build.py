"""``course build --zensical``: the same site, built by Zensical instead of MkDocs (issue 17 item 4).

Zensical reads mkdocs.yml, runs our Markdown extension (``course`` in ``markdown_extensions``) and
copies ``theme.custom_dir``, whose ``main.html`` declares our styles and scripts; it runs no MkDocs
plugin. What the ``course`` plugin does for MkDocs happens here, around Zensical's build:

1. before: the whole course is checked (``path:line: message`` per problem, as ``course check``,
   plus the mkdocs.yml settings); on an error nothing is built and the last site stays;
2. ``zensical build --clean -f mkdocs.yml`` (``--clean``: Zensical caches pages by their Markdown,
   and a page must change when only a quiz file it embeds changed);
3. after: the course manifest (``assets/course/manifest.js``), minified assets and ``?v=<hash>``
   cache busting, exactly as the plugin's ``on_post_build``.

The Zensical command is ``$ZENSICAL``, else ``zensical`` beside this Python, else ``.venv-zensical``
in the project (``make zensical`` makes it), else on PATH.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .project import Project, _loose_load, check_course, configure_renderer, read_project
from .theme_dir import theme_dir

H1_RE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
OTHER_HOST_RE = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)="(https?:)?//[^"]+""")


class _Config(dict):
    """mkdocs.yml data with the attribute access the manifest code uses (``config.site_name``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def zensical_command(root: Path) -> list[str] | None:
    if os.environ.get("ZENSICAL"):
        return [os.environ["ZENSICAL"]]
    for candidate in (
        Path(sys.executable).with_name("zensical"),
        root / ".venv-zensical" / "bin" / "zensical",
    ):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("zensical")
    return [found] if found else None


def _raw_config(project: Project) -> dict[str, Any]:
    try:
        data = _loose_load(project.config_file.read_text(encoding="utf-8")) if project.config_file else {}
    except Exception:  # read_project already fell back to defaults; the build reports mkdocs.yml
        data = {}
    return data if isinstance(data, dict) else {}


THEME_DIR = theme_dir()  # the checkout's site_overrides/, or a wheel's installed copy


def _theme_dir(root: Path, data: dict) -> str | None:
    """The builder's theme folder when the project has no copy of it (as the plugin does)."""
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    if custom and (root / str(custom) / "assets" / "course" / "quiz.js").is_file():
        return None
    return str(THEME_DIR) if THEME_DIR.is_dir() else None


def page_list(docs_dir: Path, site_dir: Path, nav: Any, use_directory_urls: bool) -> dict[str, dict]:
    """``{src: {"title", "url"}}`` for every built page, as the plugin collects it from MkDocs:
    the title from the navigation, else the page's first heading, else its <title>."""
    nav_titles: dict[str, str] = {}

    def walk(entry: Any) -> None:
        if isinstance(entry, dict):
            for key, value in entry.items():
                if isinstance(value, str) and value.endswith(".md"):
                    nav_titles[value.removeprefix("./")] = str(key)
                else:
                    walk(value)
        elif isinstance(entry, list):
            for value in entry:
                walk(value)

    walk(nav)
    pages: dict[str, dict] = {}
    from .language_paths import source_of

    for path in sorted(docs_dir.rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        if source_of(src) != src:  # a translation (page.<lang>.md): Zensical builds no language versions
            continue
        stem = src[:-3]
        if use_directory_urls and not (stem == "index" or stem.endswith("/index")):
            url, out = stem + "/", site_dir / stem / "index.html"
        else:
            url = stem + ".html"
            out = site_dir / url
            if use_directory_urls:
                url = stem[: -len("index")]
        if not out.is_file():
            continue
        title = nav_titles.get(src)
        if title is None:
            text = out.read_text(encoding="utf-8", errors="replace")
            match = H1_RE.search(text) or TITLE_RE.search(text)
            title = html.unescape(re.sub(r"<[^>]*>", "", match.group(1))).strip() if match else stem
            if not H1_RE.search(text):
                title = title.split(" - ")[0]
        pages[src] = {"title": title, "url": url}
    return pages


SHIM_RE = re.compile(r"""<script src="https?://[^"]*/iframe-worker/shim[^"]*"[^>]*></script>""")


def local_polyfills(site_dir: Path) -> None:
    """What the plugin puts in <head> under MkDocs, for a mkdocs.yml that does not list it: the
    storage guard first, and the search shim served from this site instead of Zensical's CDN one
    (its offline plugin adds ``https://unpkg.com/iframe-worker/shim``)."""
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        rel = "../" * (len(path.relative_to(site_dir).parts) - 1)
        new = SHIM_RE.sub(f'<script src="{rel}assets/vendor/iframe-worker/shim.js"></script>', text)
        if "assets/course/storage.js" not in new and "<head>" in new:
            new = new.replace("<head>", f'<head><script src="{rel}assets/course/storage.js"></script>', 1)
        if new != text:
            path.write_text(new, encoding="utf-8")


def _default_language(data: dict) -> str | None:
    """The i18n plugin's default locale (the manifest names it, as under MkDocs), else None."""
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            for lang in plugin["i18n"].get("languages") or []:
                if isinstance(lang, dict) and lang.get("default"):
                    return str(lang.get("locale") or "") or None
    return None


def _translation_patterns(data: dict) -> str:
    """``*.<lang>.md`` for each non-default language of the i18n plugin (issue 14), one a line."""
    langs = []
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            for lang in plugin["i18n"].get("languages") or []:
                if isinstance(lang, dict) and lang.get("locale") and not lang.get("default"):
                    langs.append(str(lang["locale"]))
    return "".join(f"\n*.{lang}.md" for lang in langs)


def finish_site(project: Project, data: dict, site_dir: Path, course) -> None:
    """Manifest, scenario maps, minified assets, cache busting: the plugin's on_post_build."""
    from .cache_bust import version_references
    from .manifest import write_manifest
    from .minify import minify_site
    from .plugin import _write_maps

    config = _Config(data)
    config["site_dir"] = str(site_dir)
    config.setdefault("site_name", "Course")
    pages = page_list(
        project.root / project.docs, site_dir, data.get("nav"), bool(data.get("use_directory_urls", False))
    )
    from .messages import Catalog

    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    messages = project.settings.get("messages")
    catalog = Catalog(theme.get("language") or "en", messages if isinstance(messages, dict) else {})
    # the widgets' words come with the manifest, as under MkDocs (issue 14)
    write_manifest(config, project.settings, course, pages, None, _default_language(data), catalog)
    _write_maps(str(site_dir), course)
    local_polyfills(site_dir)
    minify_site(str(site_dir))
    version_references(str(site_dir))


def build_with_zensical(root: Path, site_dir: str | None = None) -> int:
    """Check, build with Zensical, finish; 0 on success, 1 on an author or build error (printed)."""
    root = Path(root).resolve()
    project = read_project(root)
    configure_renderer(project)
    course, errors, _warnings = check_course(project)
    if errors:  # the lines `course check` prints, then counts that match them (issue 12)
        from .problem_output import summary, text_lines

        for line in text_lines(errors):
            print(line, file=sys.stderr)
        print(f"{summary(errors, [])} in the course files; fix them and build again", file=sys.stderr)
        return 1
    command = zensical_command(root)
    if command is None:
        print("course build --zensical: Zensical is not installed (make zensical)", file=sys.stderr)
        return 1
    data = _raw_config(project)
    target = Path(site_dir).resolve() if site_dir else root / str(data.get("site_dir") or "site")
    # Zensical writes only inside the project: a hidden folder there, published when all went well
    building = Path(tempfile.mkdtemp(prefix=".site.zensical-", dir=root))
    fd, name = tempfile.mkstemp(prefix=".course-zensical-", suffix=".yml", dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as f:  # mkdocs.yml, with the plugin's changes (no web fonts)
        f.write(f"INHERIT: mkdocs.yml\nsite_dir: {json.dumps(str(building))}\ntheme:\n  font: false\n")
        if translated := _translation_patterns(data):  # mkdocs-static-i18n is a MkDocs plugin
            f.write(f"exclude_docs: {json.dumps(str(data.get('exclude_docs') or '') + translated)}\n")
        if theme_dir := _theme_dir(root, data):
            f.write(f"  custom_dir: {json.dumps(theme_dir)}\n")
        f.write(f"extra:\n  course_xapi: {'true' if project.settings.get('xapi') else 'false'}\n")
    try:
        run = subprocess.run([*command, "build", "--clean", "-f", name], cwd=root, check=False)
        if run.returncode != 0:
            print(f"course build --zensical: zensical build failed (exit {run.returncode})", file=sys.stderr)
            return 1
        finish_site(project, data, building, course)
        outside = [
            m.group(0) for p in building.rglob("*.html") for m in OTHER_HOST_RE.finditer(p.read_text("utf-8"))
        ]
        if outside:
            print(
                f"mkdocs.yml:1: the Zensical build loads a file from another host ({outside[0]}…); list "
                "assets/course/storage.js and assets/vendor/iframe-worker/shim.js under extra.polyfills",
                file=sys.stderr,
            )
            return 1
        _publish(building, target)
    finally:
        os.unlink(name)
        shutil.rmtree(building, ignore_errors=True)
    print(f"built {target} with Zensical", file=sys.stderr)
    return 0


def _publish(building: Path, target: Path) -> None:
    """``building`` in place of ``target`` (builder/site.py), copied first when on another disk."""
    from .site import building_dir, publish

    staged = building_dir(str(target))
    os.rmdir(staged)
    shutil.copytree(building, staged)
    publish(staged, str(target))
