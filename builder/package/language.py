"""One language version of a course with language versions, for an LMS package (issue 14 item 4).

mkdocs-static-i18n writes the default language at the site's root and each other language under
``<lang>/``, sharing ``assets/``.  A package holds one language: the others' pages go, and so does
the language switcher (its links would lead to pages the package does not have).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..manifest import read_manifest

SWITCHER_RE = re.compile(
    r'<div class="md-header__option">\s*<div class="md-select">.*?</ul>\s*</div>\s*</div>\s*</div>', re.S
)


def versions(site: Path) -> list[str]:
    """The languages built under the site other than the default (folders with their own manifest)."""
    return sorted(
        p.name for p in site.iterdir() if p.is_dir() and (p / "assets" / "course" / "manifest.js").is_file()
    )


def one_language(site: Path, lang: str | None) -> None:
    """Keep only ``lang``'s pages in the built ``site`` (None: the default language).  Raises
    ``PackageError`` when the site has no such language version."""
    from .errors import PackageError

    others = versions(site)
    default = read_manifest(site).get("language")
    if lang in (None, default):
        keep = None
    elif lang in others:
        keep = lang
    else:
        built = ", ".join([default or "the default"] + others)
        raise PackageError(
            f"course package: the course has no '{lang}' version (built: {built}); add it to the i18n "
            "plugin's languages in mkdocs.yml"
        )
    if not others and keep is None:
        return  # a course in one language: nothing to take out
    if keep is None:
        for other in others:
            shutil.rmtree(site / other)
    else:
        for path in site.rglob("*.html"):
            rel = path.relative_to(site).parts
            if rel[0] not in (keep, "assets"):
                path.unlink()
        # the launch page and imsmanifest.xml read the package's manifest at the root
        manifest = Path("assets", "course", "manifest.js")
        shutil.copyfile(site / keep / manifest, site / manifest)
    _one_language_search(site, keep or default, keep, others)
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        stripped = SWITCHER_RE.sub("", text)
        if stripped != text:
            path.write_text(stripped, encoding="utf-8", newline="\n")


def _one_language_search(site: Path, lang: str | None, keep: str | None, others: list[str]) -> None:
    """The search index keeps only the packed language's pages (the others are not in the package)
    and its lunr language list only that language, so the search worker loads no other stemmer."""
    from .learner import edit_search_index

    def kept(location: str) -> bool:
        first = location.split("/", 1)[0]
        return first == keep if keep else first not in others

    def edit(index: dict) -> None:
        index["docs"] = [d for d in index["docs"] if kept(str(d.get("location", "")))]
        config = index.get("config")
        if isinstance(config, dict) and lang and isinstance(config.get("lang"), list):
            config["lang"] = [lang]

    edit_search_index(site, edit)
