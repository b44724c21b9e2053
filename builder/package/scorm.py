"""``course package --scorm OUT.zip``: the built site as a SCORM 1.2 package for an LMS.

The package holds imsmanifest.xml (one SCO: the whole course), every file of the built site and
``scorm.html``, the launch page. The launch page (scorm.html with launch.js) keeps one LMS session open for
the whole sitting and shows the course pages in a frame, so moving between pages never ends the LMS
session; the pages report progress through it (site_overrides/assets/course/scorm.js). Opened without an LMS it goes straight
to index.html. The zip is deterministic: sorted entries, fixed timestamps and permissions.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..manifest import read_manifest
from ..site import build_site

LAUNCH_PAGE = "scorm.html"
LAUNCH_JS = "assets/course/scorm-launch.js"  # from builder/package/launch.js
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


def package_scorm(root: Path, out: Path) -> int:
    """Build the course in ``root`` and write the SCORM 1.2 zip ``out``; 0 on success."""
    root, out = Path(root).resolve(), Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="course-scorm-") as tmp:
        site = Path(tmp) / "site"
        code = build_site(root, site_dir=str(site))
        if code:
            return code
        try:
            prepare(site)
        except (OSError, ValueError) as exc:
            print(f"course package: the built site has no course manifest ({exc})", file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        count = write_zip(site, out)
    print(
        f"wrote {out.name}: SCORM 1.2 package, {count} files, {out.stat().st_size // 1024} KB",
        file=sys.stderr,
    )
    return 0


def prepare(site: Path) -> dict:
    """Turn a built site into the package's folder: add the launch page and imsmanifest.xml."""
    manifest = read_manifest(site)
    (site / LAUNCH_PAGE).write_text(launch_page(manifest), encoding="utf-8", newline="\n")
    (site / LAUNCH_JS).write_bytes(Path(__file__).with_name("launch.js").read_bytes())
    files = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != "imsmanifest.xml"
    )
    (site / "imsmanifest.xml").write_text(imsmanifest(manifest, files), encoding="utf-8", newline="\n")
    return manifest


def launch_page(manifest: dict) -> str:
    title = html.escape(manifest.get("title") or "Course")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="assets/course/progress.css">
</head>
<body class="cq-launcher">
<iframe class="cq-launcher__frame" title="{title}" name="course"></iframe>
<noscript><p><a href="index.html">Open the course</a></p></noscript>
<script src="assets/course/manifest.js"></script>
<script src="{LAUNCH_JS}"></script>
</body>
</html>
"""


def _identifier(text: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "course"
    return ident if re.match(r"[A-Za-z_]", ident) else "course-" + ident


def imsmanifest(manifest: dict, files: list[str]) -> str:
    """imsmanifest.xml for one SCO; metadata from mkdocs.yml (site_name, site_description, version)."""
    title = escape(manifest.get("title") or "Course")
    ident = _identifier(f"{manifest.get('id', 'course')}-{manifest.get('version', '1')}")
    description = manifest.get("description") or ""
    version = escape(str(manifest.get("version", "1")))
    mastery = ""
    assessment = (manifest.get("completion") or {}).get("assessment")
    if assessment and assessment in manifest.get("items", {}):
        mark = manifest["items"][assessment].get("pass_mark")
        if mark is not None:
            mastery = f"\n        <adlcp:masteryscore>{int(round(float(mark)))}</adlcp:masteryscore>"
    desc = (
        f"""
        <imsmd:description><imsmd:langstring xml:lang="en">{escape(description)}</imsmd:langstring></imsmd:description>"""
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
        <imsmd:title><imsmd:langstring xml:lang="en">{title}</imsmd:langstring></imsmd:title>{desc}
      </imsmd:general>
      <imsmd:lifecycle>
        <imsmd:version><imsmd:langstring xml:lang="en">{version}</imsmd:langstring></imsmd:version>
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


def write_zip(site: Path, out: Path) -> int:
    """Deterministic zip: imsmanifest.xml first, then every file sorted, fixed date and modes."""
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    names.remove("imsmanifest.xml")
    names.insert(0, "imsmanifest.xml")
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3
            zf.writestr(info, (site / name).read_bytes(), compresslevel=9)
    tmp.replace(out)
    return len(names)
