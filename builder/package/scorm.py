"""``course package --scorm OUT.zip`` / ``--scorm2004 OUT.zip``: the built site as a SCORM package.

The package holds imsmanifest.xml (one SCO: the whole course), the learner's part of the built site
(builder/package/learner.py: no author or HR pages, source maps or sitemap) and ``scorm.html``, the
launch page. The launch page (scorm.html with launch.js) keeps one LMS session open for the whole
sitting and shows the course pages in a frame, so moving between pages never ends the LMS session;
the pages report progress through it (the SCORM adapter builder/package/scorm.js, which speaks SCORM
1.2 and SCORM 2004 4th edition; only packages carry it, so learners on the web site never download it). Opened without an LMS it goes straight to index.html. The manifest is
parsed before it is zipped (a failure is a located error, issue 11). The zip is deterministic: sorted
entries, fixed timestamps and permissions.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from ..cache_bust import version_references
from ..manifest import read_manifest
from ..site import build_site
from .budget import SCORM12_LIMIT, SCORM2004_LIMIT, report_budget
from .errors import PackageError  # noqa: F401 (re-exported for callers)
from .launch_page import launch_shell, launch_words  # noqa: F401 (launch_words: also imported from here)
from .learner import learner_only, learner_overrides
from .zipout import write_zip

LAUNCH_PAGE = "scorm.html"
LAUNCH_JS = "assets/course/scorm-launch.js"  # from builder/package/launch.js
ADAPTER_JS = "assets/course/scorm.js"  # from builder/package/scorm.js, loaded by every page after progress.js
PROGRESS_TAG = re.compile(
    r'<script src="([^"]*?)assets/course/progress(?:\.[\w-]+)?\.js(?:\?[^"]*)?"[^>]*></script>'
)
IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
# SCORM 2004 4th edition (CAM 3.4): content packaging, ADL extensions, sequencing
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS_2004 = "http://www.imsglobal.org/xsd/imsss"
EDITIONS = {"1.2": "SCORM 1.2", "2004": "SCORM 2004 4th edition"}
# characters XML 1.0 cannot hold (section 2.2): C0 controls but tab, LF, CR; surrogates; U+FFFE/F
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def package_scorm(root: Path, out: Path, edition: str = "1.2", lang: str | None = None) -> int:
    """Build the course in ``root`` and write the SCORM zip ``out`` (``edition`` "1.2" or "2004");
    0 on success, 1 after printing located errors.  A course with language versions (issue 14)
    packages one of them: ``lang`` (default: the default language)."""
    root, out = Path(root).resolve(), Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="course-scorm-") as tmp:
        site = Path(tmp) / "site"
        try:
            overrides = learner_overrides(root)
        except PackageError as exc:
            print(f"course package: {exc}", file=sys.stderr)
            return 1
        code = build_site(root, site_dir=str(site), extra_config=overrides)
        if code:
            return code
        try:
            learner_only(site)
            from .language import one_language

            one_language(site, lang)
            manifest = prepare(site, edition, root=root, lang=lang)
        except PackageError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        except (OSError, ValueError) as exc:
            print(f"course package: the built site has no course manifest ({exc})", file=sys.stderr)
            return 1
        report_budget(root, manifest, SCORM2004_LIMIT if edition == "2004" else SCORM12_LIMIT)
        out.parent.mkdir(parents=True, exist_ok=True)
        count = write_zip(site, out, "imsmanifest.xml")
    print(
        f"wrote {out.name}: {EDITIONS[edition]} package, {count} files, {out.stat().st_size // 1024} KB",
        file=sys.stderr,
    )
    return 0


def prepare(site: Path, edition: str = "1.2", root: Path | None = None, lang: str | None = None) -> dict:
    """Turn a built site into the package's folder: add the launch page and imsmanifest.xml (parsed
    back before it is written; PackageError on a problem).  ``lang``: the language version whose
    manifest (``<lang>/assets/course/manifest.js``) the package plays."""
    manifest = read_manifest(site / lang if lang and (site / lang / "assets").is_dir() else site)
    (site / LAUNCH_PAGE).write_text(launch_page(manifest, edition), encoding="utf-8", newline="\n")
    (site / LAUNCH_JS).write_bytes(Path(__file__).with_name("launch.js").read_bytes())
    add_adapter(site)
    files = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != "imsmanifest.xml"
    )
    for name in files:
        bad = XML_ILLEGAL.search(name)
        if bad:
            raise PackageError(
                f"{_source_of(name, root)}: the file name has a character that XML cannot hold "
                f"(U+{ord(bad.group()):04X}), so imsmanifest.xml could not list it; rename the file"
            )
    text = imsmanifest(manifest, files) if edition == "1.2" else imsmanifest_2004(manifest, files)
    check_xml(text)
    (site / "imsmanifest.xml").write_text(text, encoding="utf-8", newline="\n")
    version_references(str(site))  # every ?v= matches the file as shipped, after the edits above
    return manifest


def add_adapter(site: Path) -> None:
    """Copy the SCORM adapter into the site and load it on every course page, right after
    progress.js (whose CourseProgress it reports). Idempotent."""
    from ..plugin import minify_text

    source = Path(__file__).with_name("scorm.js").read_text(encoding="utf-8")
    (site / ADAPTER_JS).write_text(minify_text(source, js=True), encoding="utf-8", newline="\n")
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        match = PROGRESS_TAG.search(text)
        if not match or ADAPTER_JS in text[match.end() : match.end() + 200]:
            continue
        tag = f'\n<script src="{match.group(1)}{ADAPTER_JS}"></script>'
        page.write_text(text[: match.end()] + tag + text[match.end() :], encoding="utf-8", newline="")


def _source_of(name: str, root: Path | None) -> str:
    if root is not None:
        for folder in ("content", "docs"):
            if (root / folder / name).exists():
                return f"{folder}/{name}"
    return name


def check_xml(text: str) -> None:
    """Parse imsmanifest.xml; PackageError ``imsmanifest.xml:line:column: message`` if it is not
    well-formed XML."""
    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise PackageError(
            f"imsmanifest.xml:{line}:{column + 1}: not well-formed XML ({exc}); nothing was written"
        ) from None


def xml_text(value: object) -> str:
    """Text for imsmanifest.xml: characters XML cannot hold are left out, the rest escaped."""
    return escape(XML_ILLEGAL.sub("", str(value)))


def launch_page(manifest: dict, edition: str = "1.2") -> str:
    """scorm.html: the course in a frame, in the course's language (issue 14)."""
    title = html.escape(XML_ILLEGAL.sub("", manifest.get("title") or "Course"))
    pages = [str(p.get("url") or "") for p in manifest.get("pages") or []]
    home = html.escape(
        next((u for u in pages if u == "index.html" or u.endswith("/index.html")), "index.html")
    )
    return launch_shell(
        manifest,
        title,
        body_attrs=f' data-scorm="{edition}"',
        home=home,
        scripts=("assets/course/manifest.js", LAUNCH_JS),
    )


def _identifier(text: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "course"
    return ident if re.match(r"[A-Za-z_]", ident) else "course-" + ident


def package_language(manifest: dict) -> str:
    """The BCP 47 tag of the language a package plays (``es``, ``pt-BR``): the manifest's
    ``language`` (the language version packed, ``course package --lang``), else ``en``."""
    return str(manifest.get("language") or "en")


def imsmanifest(manifest: dict, files: list[str]) -> str:
    """imsmanifest.xml for one SCO; metadata from mkdocs.yml (site_name, site_description, version),
    its LOM langstrings tagged with the packed language (``manifest["language"]``, e.g. ``es``)."""
    lang = quoteattr(package_language(manifest))
    title = xml_text(manifest.get("title") or "Course")
    ident = _identifier(f"{manifest.get('id', 'course')}-{manifest.get('version', '1')}")
    description = manifest.get("description") or ""
    version = xml_text(manifest.get("version", "1"))
    mark = _pass_mark(manifest)
    mastery = "" if mark is None else f"\n        <adlcp:masteryscore>{int(round(mark))}</adlcp:masteryscore>"
    desc = (
        f"""
        <imsmd:description><imsmd:langstring xml:lang={lang}>{xml_text(description)}</imsmd:langstring></imsmd:description>"""
        if description
        else ""
    )
    file_lines = "\n".join(f"      <file href={quoteattr(f)}/>" for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(ident)} version="1.2"
          xmlns="{IMSCP}"
          xmlns:adlcp="{ADLCP}"
          xmlns:imsmd="{IMSMD}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title><imsmd:langstring xml:lang={lang}>{title}</imsmd:langstring></imsmd:title>{desc}
      </imsmd:general>
      <imsmd:lifecycle>
        <imsmd:version><imsmd:langstring xml:lang={lang}>{version}</imsmd:langstring></imsmd:version>
      </imsmd:lifecycle>
    </imsmd:lom>
  </metadata>
  <organizations default="org-course">
    <organization identifier="org-course">
      <title>{title}</title>
      <item identifier="item-course" identifierref="res-course" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-course" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH_PAGE}">
{file_lines}
    </resource>
  </resources>
</manifest>
"""


def _pass_mark(manifest: dict) -> float | None:
    """The final assessment's pass mark (0-100), or None without one."""
    assessment = (manifest.get("completion") or {}).get("assessment")
    if assessment and assessment in manifest.get("items", {}):
        mark = manifest["items"][assessment].get("pass_mark")
        if mark is not None:
            return max(0.0, min(100.0, float(mark)))
    return None


def imsmanifest_2004(manifest: dict, files: list[str]) -> str:
    """imsmanifest.xml for SCORM 2004 4th edition (CAM 3.4), one SCO. The final assessment's pass
    mark becomes the primary objective's minNormalizedMeasure (the LMS hands it to the course as
    cmi.scaled_passing_score); completion and success are set by the course."""
    title = xml_text(manifest.get("title") or "Course")
    ident = _identifier(f"{manifest.get('id', 'course')}-{manifest.get('version', '1')}")
    mark = _pass_mark(manifest)
    objective = (
        ""
        if mark is None
        else f"""
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="course-assessment" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{mark / 100:g}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>"""
    )
    file_lines = "\n".join(f"      <file href={quoteattr(f)}/>" for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(ident)} version="1"
          xmlns="{IMSCP_2004}"
          xmlns:adlcp="{ADLCP_2004}"
          xmlns:adlseq="{ADLSEQ_2004}"
          xmlns:adlnav="{ADLNAV_2004}"
          xmlns:imsss="{IMSSS_2004}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="org-course">
    <organization identifier="org-course">
      <title>{title}</title>
      <item identifier="item-course" identifierref="res-course" isvisible="true">
        <title>{title}</title>
        <imsss:sequencing>{objective}
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-course" type="webcontent" adlcp:scormType="sco" href="{LAUNCH_PAGE}">
{file_lines}
    </resource>
  </resources>
</manifest>
"""
