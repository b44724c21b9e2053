"""The hosting guide's Apache configuration, run in a real Apache under a sub-path (issue 11 item 12).

The ``apache`` block of content/hr/hosting.md is taken as it is (only the paths change, and the line
`course csp --server apache` prints goes where the guide says), inside a minimal server config that
loads the modules the guide names. The flagship, built as `make site` builds it (no site_url), is
served by /usr/sbin/apache2 on a free port: the address without its trailing slash redirects, an
unknown address gets the course's own 404 page, text files are gzipped, pages are revalidated and
fingerprinted files cached for a year, and the CSP is sent. Skipped when Apache is not installed
(`make apache`, part of `make test-deps`).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import REPO, course
from tests.test_nginx import (
    GUIDE,
    PREFIX,
    assert_trailing_slash_redirect,
    build_flagship,
    free_port,
    get,
    listening,
)

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")

pytestmark = pytest.mark.skipif(
    not os.path.exists(APACHE) or not MODULES.is_dir(), reason="Apache is not installed (make apache)"
)


def guide_blocks() -> tuple[str, str]:
    """The guide's two Apache blocks: the virtual host's part, then the course's settings."""
    vhost, settings = re.findall(r"```apache\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return vhost, settings


@pytest.fixture(scope="module")
def apache_site():
    # Apache's workers drop root for www-data, which must read the site: a world-readable folder
    # of its own (pytest's temporary folders are private)
    top = Path(tempfile.mkdtemp(prefix="course-apache-"))
    try:
        top.chmod(0o755)
        site = build_flagship(top / "site", None)
        for path in [site, *site.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield top, site
    finally:
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module", params=["directory", "htaccess"])
def apache(apache_site, request):
    """The guide's part 2 pasted inside part 1's <Directory>, or put in the course folder's .htaccess
    (part 1's AllowOverride All lets it; newcomer trial item 4)."""
    top, site = apache_site
    (site / ".htaccess").unlink(missing_ok=True)
    csp = course("csp", "--site", str(site), "--server", "apache", cwd=REPO)
    assert csp.returncode == 0, csp.stderr
    vhost, settings = guide_blocks()
    settings = settings.replace("/training/customer-care", PREFIX).replace(
        "# paste here the line printed by: course csp --server apache", csp.stdout.strip()
    )
    vhost = vhost.replace("/srv/courses/customer-care", str(site)).replace("/training/customer-care", PREFIX)
    if request.param == "htaccess":
        (site / ".htaccess").write_text(settings, encoding="utf-8")
        (site / ".htaccess").chmod(0o644)
        block = vhost
    else:
        block = vhost.replace("</Directory>", settings + "</Directory>")
    run = top / f"run-{request.param}"
    run.mkdir()
    modules = "mpm_event authz_core authz_host alias dir mime deflate filter headers setenvif rewrite".split()
    loads = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules)
    proc = None
    for attempt in range(5):
        port = free_port()
        conf = f"""
ServerRoot "{run}"
ServerName localhost
Listen 127.0.0.1:{port}
PidFile "{run}/httpd.pid"
DefaultRuntimeDir "{run}"
Mutex file:{run}
ErrorLog "{run}/error.log"
LogLevel warn
{loads}
{"User www-data" + chr(10) + "Group www-data" if os.geteuid() == 0 else ""}
TypesConfig /etc/mime.types
<Directory />
Require all denied
AllowOverride None
</Directory>
{block}
"""
        (run / "httpd.conf").write_text(conf, encoding="utf-8")
        check = subprocess.run([APACHE, "-t", "-f", str(run / "httpd.conf")], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr + conf
        proc = subprocess.Popen(
            [APACHE, "-f", str(run / "httpd.conf"), "-DFOREGROUND"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        if listening(proc, port):
            break
        if attempt == 4:
            pytest.fail(proc.stderr.read().decode() + (run / "error.log").read_text(errors="replace"))
    yield port, site, csp.stdout.strip()
    proc.terminate()
    proc.wait(timeout=10)
    (site / ".htaccess").unlink(missing_ok=True)


def test_the_address_without_a_trailing_slash_redirects(apache):
    assert_trailing_slash_redirect(apache[0])  # mod_dir does it


def test_unknown_addresses_get_the_sites_own_404_page(apache):
    port, _, _ = apache
    for path in (f"{PREFIX}/no-such-page.html", f"{PREFIX}/modules/deep/no/such/thing"):
        response = get(port, path)
        assert response.status == 404
        body = response.body.decode()
        assert "md-content" in body and "404" in body  # the course's page, not Apache's
        assert "window.__cq_root" in body  # it finds the site's root itself (no site_url)
        sheet = re.search(r'href="([^"]*main\.[0-9a-f]+\.min\.css)"', body).group(1)
        assert get(port, f"{PREFIX}/{sheet}").status == 200


def test_a_missing_spanish_address_gets_the_spanish_404_page(apache):
    port, _, _ = apache
    for path in (f"{PREFIX}/es/no-such-page.html", f"{PREFIX}/es/modules/deep/no/such/thing"):
        response = get(port, path)
        assert response.status == 404
        body = response.body.decode()
        assert '<html lang="es"' in body and "Página no encontrada" in body, path
    english = get(port, f"{PREFIX}/no-such-page.html").body.decode()
    assert '<html lang="en"' in english and "Page not found" in english


def test_text_files_are_gzipped(apache):
    port, site, _ = apache
    for rel in ("index.html", "assets/course/course.js", "assets/course/course.css"):
        response = get(port, f"{PREFIX}/{rel}", gzip_ok=True)
        assert response.status == 200, rel
        assert response.getheader("Content-Encoding") == "gzip", rel
        assert gzip.decompress(response.body) == (site / rel).read_bytes()


def test_pages_are_revalidated_and_fingerprinted_files_cached(apache):
    port, site, _ = apache
    page = get(port, f"{PREFIX}/index.html")
    assert page.getheader("Cache-Control") == "no-cache"
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    versioned = re.search(r'src="(assets/course/course\.js\?v=[0-9a-f]{10})"', page.body.decode()).group(1)
    bundle = re.search(r'src="(assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js)"', page.body.decode()).group(
        1
    )
    for rel in (versioned, bundle):
        response = get(port, f"{PREFIX}/{rel}")
        assert response.status == 200, rel
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable", rel
    plain = get(port, f"{PREFIX}/assets/course/course.js")  # no fingerprint: revalidated
    assert plain.getheader("Cache-Control") == "no-cache"


def test_the_policy_from_course_csp_is_sent(apache):
    port, _, line = apache
    policy = re.search(r'"([^"]+)"\s*$', line).group(1)
    assert get(port, f"{PREFIX}/index.html").getheader("Content-Security-Policy") == policy
