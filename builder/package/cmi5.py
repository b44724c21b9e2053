"""``course package --cmi5 OUT.zip`` (issue 15): the built site as a cmi5 course package.

Decision: **one assignable unit (AU) for the whole course.** The course is one site whose pages link to
each other, progress and completion rules span all of it, and learners move freely between lessons;
an AU per quiz would make the LMS launch each quiz page alone, cut off from the lessons around it.
The AU's ``moveOn`` follows the course's completion rules (mkdocs.yml ``completion:``):

- an assessment or quizzes to pass  -> ``CompletedAndPassed``; ``masteryScore`` = the assessment's
  pass mark / 100 (the LMS may send another in LMS.LaunchData; the launch page then uses that);
- only pages and scenarios           -> ``Completed``.

The zip holds cmi5.xml (course structure, checked against the cmi5 CourseStructure.xsd vendored in
builder/schemas/), every file of the built site, the launch page ``cmi5.html`` with
``assets/course/cmi5-launch.js`` and the vendored ``@xapi/cmi5`` library (MIT,
``assets/vendor/cmi5/Cmi5.umd.js``, 90 KB, 30 KB gzipped). Activity ids use the same rule as
xAPI statements (builder/records/config.py): course ``<activity_base><course id>``, AU ``.../au``.
The zip is deterministic (sorted entries, fixed dates and modes).
"""

from __future__ import annotations

import html
import re
import shutil
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..cache_bust import version_references
from ..manifest import manifest_js, read_manifest
from ..plugin import XAPI_JS
from ..records.config import DEFAULT_ACTIVITY_BASE, xapi_settings
from ..site import build_site
from .launch_page import launch_shell, launch_words
from .zipout import write_zip

LAUNCH_PAGE = "cmi5.html"
LAUNCH_JS = "assets/course/cmi5-launch.js"
LIB_JS = "assets/vendor/cmi5/Cmi5.umd.js"
HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor" / "cmi5"
SCHEMA = HERE.parent / "schemas" / "cmi5_CourseStructure.xsd"
NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def package_cmi5(root: Path, out: Path, lang: str | None = None) -> int:
    """Build the course in ``root`` and write the cmi5 zip ``out``; 0 on success, else the messages
    are printed (``path:line: message`` for course mistakes) and 1 is returned.  A course with
    language versions (issue 14) is packaged in its default language only (``lang``: None or it)."""
    root, out = Path(root).resolve(), Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="course-cmi5-") as tmp:
        site = Path(tmp) / "site"
        code = build_site(root, site_dir=str(site))
        if code:
            return code
        from .errors import PackageError
        from .language import one_language

        try:
            default = read_manifest(site).get("language")
            if lang not in (None, default):
                raise PackageError(
                    f"course package: a cmi5 package holds the default language ({default}) only; "
                    f"package '{lang}' as SCORM: course package --scorm course-{lang}.zip --lang {lang}"
                )
            one_language(site, None)
        except PackageError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        except (OSError, ValueError):
            pass  # no manifest: prepare() says so
        try:
            manifest = prepare(site)
        except (OSError, ValueError) as exc:
            print(f"course package: the built site has no course manifest ({exc})", file=sys.stderr)
            return 1
        problems = validate(site / "cmi5.xml")
        if problems:
            for p in problems:
                print(f"course package: cmi5.xml: {p}", file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        count = write_zip(site, out, "cmi5.xml")
    move = au_rules(manifest)[0]
    print(
        f"wrote {out.name}: cmi5 package, one AU (moveOn {move}), {count} files, {out.stat().st_size // 1024} KB",
        file=sys.stderr,
    )
    return 0


def au_rules(manifest: dict) -> tuple[str, float | None]:
    """(moveOn, masteryScore 0..1 or None) from the course's completion rules."""
    completion = manifest.get("completion") or {}
    items = manifest.get("items") or {}
    assessment = completion.get("assessment")
    mastery = None
    if assessment in items and items[assessment].get("pass_mark") is not None:
        mastery = round(float(items[assessment]["pass_mark"]) / 100, 4)
    return ("CompletedAndPassed" if assessment or completion.get("pass") else "Completed"), mastery


def activity_base(manifest: dict) -> str:
    return str((manifest.get("xapi") or {}).get("activity_base") or DEFAULT_ACTIVITY_BASE)


def course_structure(manifest: dict) -> str:
    """cmi5.xml: one course, one AU (cmi5 spec section 13, CourseStructure.xsd)."""
    course_id = activity_base(manifest) + str(manifest.get("id", "course"))
    title = escape(manifest.get("title") or "Course")
    desc = escape(manifest.get("description") or manifest.get("title") or "Course")
    move, mastery = au_rules(manifest)
    lang = quoteattr(str(manifest.get("language") or "en-US"))  # the packed language (cmi5 13.1.1)
    mastery_attr = f' masteryScore="{mastery:g}"' if mastery is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="{NS}">
  <course id={quoteattr(course_id)}>
    <title><langstring lang={lang}>{title}</langstring></title>
    <description><langstring lang={lang}>{desc}</langstring></description>
  </course>
  <au id={quoteattr(course_id + "/au")} moveOn="{move}"{mastery_attr} launchMethod="AnyWindow">
    <title><langstring lang={lang}>{title}</langstring></title>
    <description><langstring lang={lang}>{desc}</langstring></description>
    <url>{LAUNCH_PAGE}</url>
  </au>
</courseStructure>
"""


def launch_page(manifest: dict) -> str:
    """cmi5.html: the course in a frame, its exit button and status line in the course's language
    (the manifest's ``messages``, issue 14)."""
    title = html.escape(manifest.get("title") or "Course")
    t = launch_words(manifest)
    style = """<style>
.cq-cmi5-bar{position:fixed;right:.75rem;bottom:.75rem;display:flex;gap:.5rem;align-items:center;z-index:2;font:15px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.cq-cmi5-bar button{font:inherit;padding:.45rem .9rem;border-radius:4px;border:1px solid #3f51b5;background:#fff;color:#283593;cursor:pointer;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.cq-cmi5-bar button:focus-visible{outline:3px solid #283593;outline-offset:2px}
.cq-cmi5-bar p{margin:0;background:#fff;padding:.4rem .7rem;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.cq-cmi5--ended .cq-launcher__frame{display:none}
.cq-cmi5--ended .cq-cmi5-bar{inset:0;justify-content:center;padding:1rem}
.cq-cmi5--ended .cq-cmi5-bar p{max-width:32rem;padding:1rem 1.25rem;font-size:1.1rem;line-height:1.5}
</style>
"""
    bar = f"""<div class="cq-cmi5-bar">
<p role="status" data-cmi5-status data-saving="{t("launch.saving")}" data-saved="{t("launch.saved")}" data-failed="{t("launch.failed")}" data-ended="{t("launch.ended")}" hidden></p>
<button type="button" data-action="exit" hidden>{t("launch.exit")}</button>
</div>
"""
    return launch_shell(manifest, title, head=style, body=bar, scripts=(LIB_JS, LAUNCH_JS))


def prepare(site: Path) -> dict:
    """Turn a built site into the package's folder: launch page, launch script, library, cmi5.xml."""
    manifest = read_manifest(site)
    (site / LAUNCH_PAGE).write_text(launch_page(manifest), encoding="utf-8", newline="\n")
    (site / LAUNCH_JS).write_bytes((HERE / "cmi5-launch.js").read_bytes())
    lib = site / LIB_JS
    lib.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(VENDOR / "Cmi5.umd.js", lib)
    shutil.copyfile(VENDOR / "LICENSE.md", lib.with_name("LICENSE.md"))
    (site / "cmi5.xml").write_text(course_structure(manifest), encoding="utf-8", newline="\n")
    _report_through_launch_page(site, manifest)
    # the package rewrote manifest.js (xAPI through the launch page) and the language filter may
    # have too: every ?v= must match the file as shipped, or a browser keeps a stale manifest
    version_references(str(site))
    return manifest


# the manifest's script tag, with the ?v=<hash> the site gives asset URLs (or without)
SCRIPT_RE = re.compile(r'(<script src="((?:\.\./)*)assets/course/manifest\.js(?:\?v=\w+)?"></script>)')


def _report_through_launch_page(site: Path, manifest: dict) -> None:
    """Every page sends its quiz answers and scenario choices through the launch page (xapi.js in
    cmi5 mode: ``COURSE_MANIFEST.xapi.cmi5``), whether or not the course set ``xapi:``."""
    settings = dict(manifest.get("xapi") or xapi_settings("/") or {})
    settings.update({"endpoint": "cmi5", "identity": "", "cmi5": True})
    data = {**manifest, "xapi": settings}
    (site / "assets" / "course" / "manifest.js").write_text(manifest_js(data), encoding="utf-8", newline="\n")
    if not (site / XAPI_JS).is_file():
        raise ValueError(f"{XAPI_JS} is missing from the built site")
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if XAPI_JS in text:
            continue
        new = SCRIPT_RE.sub(
            lambda m: f'{m.group(1)}\n<script src="{m.group(2)}{XAPI_JS}"></script>', text, count=1
        )
        if new != text:
            page.write_text(new, encoding="utf-8", newline="")


def validate(path: Path) -> list[str]:
    """Problems of ``path`` against the cmi5 CourseStructure.xsd (empty when valid)."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMA))
    return [f"line {getattr(e, 'sourceline', '?')}: {e.reason}" for e in schema.iter_errors(str(path))]
