"""The learner's part of the site, for LMS packages (issue 11): no author or HR pages, source maps or
sitemap.

A page is for learners when it is in the navigation (or there is no ``nav``) and its front matter
does not name another audience (``audience: authors`` / ``hr`` / ``admins`` ...; ``learners`` or no
``audience`` is fine). ``index.md`` always stays (the launch page falls back to it). Images and other
files in a folder that holds only such pages go too, unless a learner page names them. The package is
built with a navigation and ``exclude_docs`` that leave the other pages out, so no learner page
links to them; afterwards any page the course manifest marks as not for learners
(``"learner": false`` or another ``audience``) is removed too, with its search entries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

LEARNERS = {"", "learner", "learners", "all", "everyone"}
DROPPED_FILES = ("sitemap.xml", "sitemap.xml.gz")
SOURCE_MAP = re.compile(
    r"\n?[ \t]*(//[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^\n]*?\*/)[ \t]*(?=\n|$)"
)


def _audience(path: Path) -> str:
    from mkdocs.utils.meta import get_data

    try:
        _, meta = get_data(path.read_text(encoding="utf-8-sig", errors="replace"))
    except Exception:  # an unreadable page is the build's problem, not ours
        return ""
    value = meta.get("audience", "") if isinstance(meta, dict) else ""
    return str(value).strip().lower() if value is not None else ""


def _flatten(entry: Any, out: list[str]) -> None:
    if isinstance(entry, str):
        if "://" not in entry:
            out.append(entry[2:] if entry.startswith("./") else entry)
    elif isinstance(entry, dict):
        for value in entry.values():
            _flatten(value, out)
    elif isinstance(entry, list):
        for value in entry:
            _flatten(value, out)


def _keep_nav(entry: Any, keep) -> Any:
    """``entry`` with pages that ``keep`` rejects removed (None when nothing is left)."""
    if isinstance(entry, str):
        src = entry[2:] if entry.startswith("./") else entry
        return entry if "://" in entry or keep(src) else None
    if isinstance(entry, list):
        kept = [e for e in (_keep_nav(e, keep) for e in entry) if e is not None]
        return kept or None
    if isinstance(entry, dict):
        kept = {k: v for k, v in ((k, _keep_nav(v, keep)) for k, v in entry.items()) if v is not None}
        return kept or None
    return entry


def _gitignore_escape(path: str) -> str:
    return "/" + re.sub(r"([\\\[\]*?!# ])", r"\\\1", path)


def learner_overrides(root: Path) -> dict:
    """Config overrides for a learner-only build of the project in ``root``: ``nav`` without pages
    for other audiences, and ``exclude_docs`` naming every Markdown page that is not for learners."""
    from mkdocs.utils import yaml_load

    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as f:
            config = yaml_load(f) or {}
    except Exception:  # a broken mkdocs.yml: the build reports it, at its line
        return {}
    if not isinstance(config, dict):
        return {}
    docs = (root / str(config.get("docs_dir") or "docs")).resolve()
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.is_file())
    nav = config.get("nav")
    in_nav: list[str] = []
    if nav is not None:
        _flatten(nav, in_nav)

    def for_learners(src: str) -> bool:
        return (docs / src).is_file() and _audience(docs / src) in LEARNERS

    from ..language_paths import source_of

    def keep(src: str) -> bool:
        # a translated page (x.es.md, issue 14) follows its source page
        if source_of(src) != src and (docs / source_of(src)).is_file():
            return keep(source_of(src)) and for_learners(src)
        return src == "index.md" or (for_learners(src) and (nav is None or src in in_nav))

    dropped = [src for src in pages if not keep(src)]
    if not dropped:
        return {}
    dropped += _their_files(docs, pages, dropped)
    overrides: dict[str, Any] = {}
    existing = str(config.get("exclude_docs") or "").strip()
    overrides["exclude_docs"] = "\n".join(
        ([existing] if existing else []) + [_gitignore_escape(s) for s in dropped]
    )
    if nav is not None:
        overrides["nav"] = _keep_nav(nav, keep) or ["index.md"]
    return overrides


def _their_files(docs: Path, pages: list[str], dropped: list[str]) -> list[str]:
    """Other files (images, downloads) in folders that hold only dropped pages, unless a learner
    page mentions the file's name."""
    kept = [p for p in pages if p not in dropped]
    folders = {src.rsplit("/", 1)[0] for src in dropped if "/" in src}
    folders = {f for f in folders if not any(k.startswith(f + "/") for k in kept)}
    if not folders:
        return []
    text = "\n".join((docs / k).read_text(encoding="utf-8", errors="replace") for k in kept)
    out = []
    for folder in sorted(folders):
        for path in sorted((docs / folder).rglob("*")):
            rel = path.relative_to(docs).as_posix()
            if path.is_file() and not rel.endswith(".md") and path.name not in text:
                out.append(rel)
    return out


def learner_only(site: Path) -> list[str]:
    """Remove from a built site what learners do not need: source maps, the sitemap, and pages the
    course manifest marks as not for learners (with their search entries and manifest entries).
    Returns the removed files (site-relative)."""
    from ..manifest import manifest_js, read_manifest

    removed: list[str] = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and (path.name.endswith(".map") or rel in DROPPED_FILES):
            path.unlink()
            removed.append(rel)
        elif (
            path.is_file()
            and path.suffix in (".js", ".css")
            and "sourceMappingURL" in path.read_text("utf-8", "replace")
        ):
            text = path.read_text(encoding="utf-8")
            path.write_text(SOURCE_MAP.sub("", text), encoding="utf-8", newline="")

    try:
        manifest = read_manifest(site)
    except (OSError, ValueError):
        return removed
    others = {
        p["url"]
        for p in manifest.get("pages", [])
        if p.get("learner") is False or str(p.get("audience", "") or "").strip().lower() not in LEARNERS
    }
    others.discard("index.html")
    if not others:
        return removed
    for url in sorted(others):
        page = site / url
        if page.is_file():
            page.unlink()
            removed.append(url)
    manifest["pages"] = [p for p in manifest["pages"] if p["url"] not in others]
    manifest["nav"] = [
        dict(s, pages=[u for u in s.get("pages", []) if u not in others]) for s in manifest.get("nav", [])
    ]
    manifest["nav"] = [s for s in manifest["nav"] if s["pages"]]
    for item in manifest.get("items", {}).values():
        item["pages"] = [u for u in item.get("pages", []) if u not in others]
    (site / "assets" / "course" / "manifest.js").write_text(
        manifest_js(manifest), encoding="utf-8", newline="\n"
    )
    _drop_search_entries(site, others)
    return removed


def _drop_search_entries(site: Path, urls: set[str]) -> None:
    def drop(index: dict) -> None:
        index["docs"] = [d for d in index["docs"] if str(d.get("location", "")).split("#")[0] not in urls]

    edit_search_index(site, drop)


def edit_search_index(site: Path, edit) -> None:
    """Apply ``edit(index)`` to the site's lunr search index (``search/search_index.json`` and the
    ``search_index.js`` copy Material reads from disk), in place.  An index that is missing or not
    ``{"config": ..., "docs": [...]}`` is left alone."""
    for name in ("search/search_index.json", "search/search_index.js"):
        path = site / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        start, end = text.find("{"), text.rfind("}")
        if start < 0:
            continue
        try:
            index = json.loads(text[start : end + 1])
        except ValueError:
            continue
        if not isinstance(index, dict) or not isinstance(index.get("docs"), list):
            continue
        edit(index)
        path.write_text(
            text[:start] + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + text[end + 1 :],
            encoding="utf-8",
        )
