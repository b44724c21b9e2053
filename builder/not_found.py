"""The site's own 404 page, styled under any sub-path even without ``site_url`` (issue 11 item 12).

A web server shows ``404.html`` at whatever address was missing (``/training/care/no/such/page``),
so the page cannot use paths relative to itself. MkDocs writes it with root-absolute addresses
(``/assets/stylesheets/main.css``) when mkdocs.yml has no ``site_url``, which only work when the
site is the whole host. ``make_relocatable`` rewrites each such address that names a file of the
site into a relative one and puts a small script first in ``<head>`` that finds the site's root
and sets ``<base href>`` to it before any style sheet or script is requested:

1. the part of the address before the first folder that is one of the site's top-level names
   (``/training/care/`` in ``/training/care/modules/x``), else
2. the deepest folder of the address whose ``404.html`` answers 200 (one small synchronous HEAD
   request per level; a missing folder's answers 404), else ``/``.

Material's settings (``__config``: ``base``, ``search``) and its storage scope follow that root.
The CSP hashes from ``course csp`` include the scripts (they are plain inline scripts).
"""

from __future__ import annotations

import html
import json
import os
import re

PAGE = "404.html"
ABSOLUTE = re.compile(r'(\b(?:href|src)=")/(?!/)([^"]*)"')
HEAD = re.compile(r"<head(?:\s[^>]*)?>")
CONFIG_END = re.compile(r'(<script id="__config"[^>]*>.*?</script>)', re.S)
SCOPE = 'new URL("/",location)'

FIND_ROOT = (
    "(function(){var t=%s,d=location.pathname.split('/').slice(1,-1),r=null,i,c,x;"
    "for(i=0;i<d.length&&r===null;i++)if(t.indexOf(decodeURIComponent(d[i]))>=0)r='/'+d.slice(0,i).concat('').join('/');"
    "for(i=d.length;i>=0&&r===null;i--){c='/'+d.slice(0,i).concat('').join('/');"
    "try{x=new XMLHttpRequest();x.open('HEAD',c+'%s',false);x.send();if(x.status===200)r=c}catch(e){}}"
    "r=r===null?'/':r;var b=document.createElement('base');b.href=r;document.head.appendChild(b);"
    "window.__cq_root=new URL(r,location.href).href})()"
)
FIX_CONFIG = (
    "(function(){var e=document.getElementById('__config'),r=window.__cq_root,j;if(!e||!r)return;"
    "try{j=JSON.parse(e.textContent)}catch(x){return}"
    "['base','search'].forEach(function(k){if(typeof j[k]==='string'&&j[k].charAt(0)==='/')j[k]=new URL(j[k].slice(1),r).href});"
    "e.textContent=JSON.stringify(j)})()"
)


def read_page(site_dir: str) -> bytes | None:
    """The site's 404 page as built, or None without one."""
    try:
        with open(os.path.join(site_dir, PAGE), "rb") as f:
            return f.read()
    except OSError:
        return None


def restore_page(site_dir: str, page: bytes | None) -> None:
    """Put back the default language's 404 page: mkdocs-static-i18n builds each other language's
    404 page into the site's root too (the last one built won, so English learners saw a Spanish
    page). ``page``: what ``read_page`` gave before the other languages were built."""
    if page is not None and read_page(site_dir) != page:
        with open(os.path.join(site_dir, PAGE), "wb") as f:
            f.write(page)


MATERIAL_HEADING = b"<h1>404 - Not found</h1>"


def translate(page: bytes | None, catalog) -> bytes | None:
    """Material's 404 page speaks English only ("404 - Not found"): put the language version's own
    heading and sentence there (catalog keys ``not_found.title``, ``not_found.text``; ``catalog``:
    builder.messages.Catalog, or None to leave the page as it is)."""
    if page is None or catalog is None or MATERIAL_HEADING not in page:
        return page
    title, text = html.escape(catalog.t("not_found.title")), html.escape(catalog.t("not_found.text"))
    return page.replace(MATERIAL_HEADING, f"<h1>404 – {title}</h1>\n<p>{text}</p>".encode(), 1)


def write_page(site_dir: str, page: bytes) -> None:
    with open(os.path.join(site_dir, PAGE), "wb") as f:
        f.write(page)


def write_versions(site_dir: str, pages: dict[str, bytes]) -> list[str]:
    """Write each language version's own 404 page (``{"es": html}``, as mkdocs-static-i18n built it
    into the site's root) to ``<site_dir>/<lang>/404.html``, so a web server can answer a missing
    ``/es/...`` address in Spanish (content/hr/hosting.md). Its addresses stay relative to the
    site's root, as :func:`make_relocatable` expects. Returns the pages written (``es/404.html``)."""
    written = []
    for lang, page in sorted(pages.items()):
        folder = os.path.join(site_dir, lang)
        if not os.path.isdir(folder):
            continue
        with open(os.path.join(folder, PAGE), "wb") as f:
            f.write(page)
        written.append(f"{lang}/{PAGE}")
    return written


def make_relocatable(site_dir: str, page: str = PAGE) -> bool:
    """Rewrite ``<site_dir>/<page>`` (``404.html``, or a language version's ``es/404.html``, whose
    addresses are relative to the site's root too) as described above; True when it changed. Run it
    only when mkdocs.yml has no ``site_url`` (with one, the page's absolute addresses already hold
    the path). Idempotent."""
    path = os.path.join(site_dir, page)
    if not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if "window.__cq_root" in text:
        return False
    top = sorted(n for n in os.listdir(site_dir) if n != PAGE)

    def relative(match: re.Match) -> str:
        target = match.group(2)
        first = re.split(r"[/?#]", target, maxsplit=1)[0]
        if target and first not in top:
            return match.group(0)  # not a file of this site: leave it
        return f'{match.group(1)}{target or "./"}"'

    new = ABSOLUTE.sub(relative, text)
    new = new.replace(SCOPE, "new URL(document.baseURI)")
    head = HEAD.search(new)
    if head is None:
        return False
    names = json.dumps(top, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c")
    script = FIND_ROOT % (names, PAGE)
    new = f"{new[: head.end()]}\n<script>{script}</script>{new[head.end() :]}"
    new = CONFIG_END.sub(lambda m: f"{m.group(1)}<script>{FIX_CONFIG}</script>", new, count=1)
    if new == text:
        return False
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(new)
    return True
