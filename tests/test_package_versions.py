"""Every ``?v=`` in a package matches the file it ships (issue 11 item 12, packages).

``course package`` rewrites files after the build has fingerprinted them: cmi5 rewrites
``manifest.js`` (xAPI through the launch page), the language filter rewrites each kept manifest,
SCORM adds its adapter script. A stale fingerprint makes an LMS that caches by address serve the
old manifest with new pages, so the test hashes what the zip holds.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile

import pytest

from tests.helpers import course, make_project
from tests.test_languages import FILES, I18N_MKDOCS

REF = re.compile(r'(?:src|href)="([^"?#]*assets/(?:course|vendor)/[^"?#]+\.(?:js|css))(?:\?v=([0-9a-f]*))?"')


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("versions") / "course", FILES, mkdocs_yml=I18N_MKDOCS)


@pytest.mark.parametrize(
    "args",
    [["--cmi5"], ["--scorm"], ["--scorm", "--lang", "es"], ["--scorm2004"]],
    ids=["cmi5", "scorm12", "scorm12-es", "scorm2004"],
)
def test_every_version_in_a_package_is_the_hash_of_the_shipped_file(project, tmp_path, args):
    out = tmp_path / "pkg.zip"
    flag, rest = args[0], args[1:]
    result = course("package", flag, str(out), *rest, cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    checked: set[str] = set()
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        for name in sorted(n for n in names if n.endswith(".html")):
            text = z.read(name).decode("utf-8")
            for ref, version in REF.findall(text):
                if "://" in ref or ref.startswith("/"):
                    continue
                # a 404 page's addresses are from the site's root wherever it is served (not_found.py)
                base = "" if posixpath.basename(name) == "404.html" else posixpath.dirname(name)
                target = posixpath.normpath(posixpath.join(base, ref))
                assert target in names, (name, ref)
                want = hashlib.sha256(z.read(target)).hexdigest()[:10]
                assert version == want, f"{name}: {ref}?v={version}, the shipped file is {want}"
                checked.add(target)
    manifests = {n for n in checked if n.endswith("assets/course/manifest.js")}
    assert manifests, checked  # the manifest the package rewrote is among the checked files
    if flag == "--cmi5":
        assert {"assets/course/xapi.js", "assets/course/cmi5-launch.js"} <= checked
    else:
        assert "assets/course/scorm.js" in checked or any(
            n.endswith("assets/course/scorm.js") for n in checked
        )
